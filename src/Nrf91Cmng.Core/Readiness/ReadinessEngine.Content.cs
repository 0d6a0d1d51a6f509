using Nrf91Cmng.Core.Fleet;
using Nrf91Cmng.Core.Onboarding;

namespace Nrf91Cmng.Core.Readiness
{
    public static partial class ReadinessEngine
    {
        /// <summary>Checks R1-R8: the sec_tag, what it holds, digests, PEM form, root CAs and sizes.</summary>
        private sealed partial class TagContext
        {
            // ---- R1 ----------------------------------------------------------------------------

            private ReadinessCheck R1()
            {
                if (_tag <= CredentialRules.MaxUserSecTag)
                {
                    return Check("R1", ReadinessStatus.Pass, "sec_tag " + _t + " is in the user range 0-2147483647.");
                }

                if (_tag <= CredentialRules.LastTlsDecryptSecTag)
                {
                    return Check("R1", ReadinessStatus.Warn,
                        "sec_tag " + _t + " is one of the TLS-decrypt tags 2147483648-2147483667 (nRF91x1): sessions using it can be decrypted by Nordic's trace tools.",
                        null, "Use these tags for development only; production credentials belong in 0-2147483647.");
                }

                return Check("R1", ReadinessStatus.Fail, "sec_tag " + _t + " belongs to the modem (above 2147483647); applications cannot use it for their TLS credentials.",
                    null, "Write the credentials to a sec_tag from 0 to 2147483647 and configure that tag in the application.");
            }

            // ---- R2 ----------------------------------------------------------------------------

            private ReadinessCheck R2()
            {
                CredentialEntry? ca = Listed(CredentialType.RootCA);
                if (ca is not null)
                {
                    return Check("R2", ReadinessStatus.Pass, "A root CA is stored at sec_tag " + _t + ".", "type 0 " + (ca.Sha256 ?? "(no digest)"));
                }

                bool pskOnly = (Has(CredentialType.Psk) || Has(CredentialType.PskIdentity)) && !Has(CredentialType.ClientCertificate) && !Has(CredentialType.ClientPrivateKey);
                uint? elsewhere = _in.Listed.Where(e => e.Type == CredentialType.RootCA && e.SecTag != _tag && e.SecTag <= CredentialRules.MaxUserSecTag).Select(e => (uint?)e.SecTag).FirstOrDefault();
                const string remedy = "Write the server's root CA as type 0 at this sec_tag (e.g. Amazon Root CA 1 for AWS IoT and nRF Cloud MQTT, the nRF Cloud CoAP CA for CoAP, DigiCert Global Root G2 for Azure).";
                if (pskOnly && elsewhere.HasValue)
                {
                    return Check("R2", ReadinessStatus.Warn,
                        "sec_tag " + _t + " holds only PSK credentials and no root CA. PSK suites do not use one, but the modem needs at least one root CA in storage for any TLS/DTLS socket; one is stored at sec_tag " + elsewhere.Value.ToString(CultureInfo.InvariantCulture) + ".",
                        null, "Nothing to do while that root CA stays; if it is deleted, write one here.");
                }

                return Check("R2", ReadinessStatus.Fail,
                    "No root CA (type 0) is stored at sec_tag " + _t + ": the modem cannot verify the server, and it needs at least one root CA in storage for any TLS/DTLS socket, even with peer verification off.",
                    null, remedy);
            }

            // ---- R3 ----------------------------------------------------------------------------

            private ReadinessCheck R3()
            {
                bool cert = Has(CredentialType.ClientCertificate), key = Has(CredentialType.ClientPrivateKey);
                bool psk = Has(CredentialType.Psk), identity = Has(CredentialType.PskIdentity);
                ClientAuthentication auth = Profile?.ClientAuthentication ?? ClientAuthentication.Optional;
                string present = string.Join(", ", _listed.OrderBy(e => e.Type).Select(e => ((int)e.Type).ToString(CultureInfo.InvariantCulture)));
                string evidence = "types stored: " + (present.Length == 0 ? "none" : present);
                if (cert && !key)
                {
                    return Check("R3", ReadinessStatus.Fail, "sec_tag " + _t + " has a client certificate but no private key: the handshake cannot prove the certificate.", evidence,
                        "Write the private key that belongs to the certificate (type 2), or generate a key in the modem (%KEYGEN) and write the certificate issued for it.");
                }

                if (key && !cert && auth != ClientAuthentication.KeyOnly)
                {
                    return Check("R3", ReadinessStatus.Fail, "sec_tag " + _t + " has a private key but no client certificate.", evidence,
                        "Write the client certificate issued for this key (type 1). For a key generated in the modem, have the CA sign its CSR (a Generate plan entry does both).");
                }

                if (psk != identity)
                {
                    return Check("R3", ReadinessStatus.Fail, "sec_tag " + _t + " has " + (psk ? "a PSK without its identity" : "a PSK identity without the PSK") + ": PSK suites need both.", evidence,
                        "Write the missing " + (psk ? "PSK identity (type 4)" : "PSK (type 3, as hex)") + " at this sec_tag.");
                }

                if (!cert && !key && !psk)
                {
                    if (auth == ClientAuthentication.Optional)
                    {
                        return Check("R3", ReadinessStatus.Pass, "No client credentials at sec_tag " + _t + ": server authentication only" +
                            (Profile?.Kind == ServerProfileKind.AzureIot ? " (Azure then needs SAS-token authentication)." : "."), evidence);
                    }

                    return Check("R3", ReadinessStatus.Fail, "sec_tag " + _t + " has no client credentials, but " + Profile!.Name + " authenticates the device with " +
                        (auth == ClientAuthentication.KeyOnly ? "a key in the modem (signed tokens)." : "a client certificate and its key."), evidence,
                        "Provision the device key and certificate at this sec_tag (a Generate plan entry makes the key in the modem and writes its certificate).");
                }

                if (key && !cert)
                {
                    return Check("R3", ReadinessStatus.Pass, "sec_tag " + _t + " has a private key without certificate, which " + Profile!.Name + " accepts (the device signs tokens with the key).", evidence);
                }

                return Check("R3", ReadinessStatus.Pass, "The credentials at sec_tag " + _t + " come in complete pairs.", evidence);
            }

            // ---- R4 ----------------------------------------------------------------------------

            private ReadinessCheck R4()
            {
                if (_listed.Count == 0)
                {
                    return Check("R4", ReadinessStatus.NotCheckable, "Nothing is stored at sec_tag " + _t + ".");
                }

                List<CredentialEntry> placeholders = _listed.Where(e => e.IsPlaceholderDigest || e.Sha256 is null).ToList();
                if (placeholders.Count == 0)
                {
                    return Check("R4", ReadinessStatus.Pass, "The modem lists real SHA-256 digests for every item at sec_tag " + _t + ".");
                }

                return Check("R4", ReadinessStatus.Warn,
                    "The modem lists placeholder digests (the type number repeated) for " + string.Join(", ", placeholders.Select(e => Words(e.Type))) +
                    ": firmware before mfw 1.3 does not compute SHA-256, so stored content cannot be compared with files.",
                    string.Join("; ", placeholders.Select(e => e.ToString())),
                    "Update the modem firmware to 1.3.2 or later for digest verification; until then verify by reading the readable types back (RootCA, PskIdentity).");
            }

            // ---- R5 ----------------------------------------------------------------------------

            private ReadinessCheck R5()
            {
                var findings = new List<(ReadinessStatus Status, string Text)>();
                var remedies = new List<string>();
                foreach (ExpectedCredential e in _expected)
                {
                    CredentialEntry? listed = Listed(e.Type);
                    string what = Words(e.Type) + " (" + e.Source + ")";
                    if (listed is null)
                    {
                        findings.Add((ReadinessStatus.Fail, "the " + what + " is not stored"));
                        remedies.Add("Run the provisioning plan for this modem to write the missing items.");
                        continue;
                    }

                    if (e.GeneratedOnModem)
                    {
                        if (e.Type == CredentialType.ClientCertificate && _in.Record?.FindGenerated(_tag) is RecordedCredential g && g.CertificateSha256 is not null && listed.Sha256 is not null)
                        {
                            bool same = string.Equals(g.CertificateSha256, listed.Sha256, StringComparison.Ordinal);
                            findings.Add((same ? ReadinessStatus.Pass : ReadinessStatus.Warn, "the certificate issued for the generated key " + (same ? "is the recorded one" : "differs from the one recorded (" + g.CertificateSha256 + ")")));
                        }
                        else if (e.Type == CredentialType.ClientPrivateKey && _in.Record?.FindGenerated(_tag) is RecordedCredential k && k.Sha256 is not null && listed.Sha256 is not null)
                        {
                            bool same = string.Equals(k.Sha256, listed.Sha256, StringComparison.Ordinal);
                            findings.Add((same ? ReadinessStatus.Pass : ReadinessStatus.Warn, "the key generated in the modem " + (same
                                ? "is the one recorded on " + Date(_in.Record.ProvisionedAt)
                                : "changed since the provisioning record of " + Date(_in.Record.ProvisionedAt) + " (now " + listed.Sha256 + ", recorded " + k.Sha256 + "; see R13)")));
                        }
                        else
                        {
                            findings.Add((ReadinessStatus.NotCheckable, "the " + what + " was made in the modem; its content is not known in advance (R13 checks it against the record)"));
                        }

                        continue;
                    }

                    if (listed.Sha256 is null || listed.IsPlaceholderDigest)
                    {
                        findings.Add((ReadinessStatus.NotCheckable, "the modem lists no real digest for the " + what));
                        continue;
                    }

                    DigestVariantReport report = CredentialContent.DigestVariants(e.Content!, listed.Sha256);
                    if (report.MatchedVariant is DigestVariant v)
                    {
                        findings.Add((ReadinessStatus.Pass, "the " + what + " matches (stored as " + v + ": " + CredentialContent.DescribeVariant(v) + ")"));
                    }
                    else
                    {
                        findings.Add((ReadinessStatus.Fail, "the stored " + Words(e.Type) + " (" + listed.Sha256 + ") is not the content of " + e.Source + " in any of the " +
                            report.Candidates.Count.ToString(CultureInfo.InvariantCulture) + " forms tools store"));
                        remedies.Add("Write the planned content again (Invoke-ModemProvisioning with -Force replaces it), or update the plan if the stored one is intended.");
                    }
                }

                if (_in.Record is ProvisioningRecord record)
                {
                    foreach (RecordedCredential r in record.Credentials.Where(c => c.SecTag == _tag && !_expected.Any(e => e.Type == c.Type)))
                    {
                        CredentialEntry? listed = _listed.FirstOrDefault(e => e.Type == r.Type);
                        string what = Words(r.Type);
                        if (listed is null)
                        {
                            findings.Add((ReadinessStatus.Warn, "the " + what + " recorded on " + Date(record.ProvisionedAt) + " is no longer stored"));
                            remedies.Add("Provision the modem again if it was deleted by mistake.");
                        }
                        else if (r.Sha256 is not null && listed.Sha256 is not null && !string.Equals(r.Sha256, listed.Sha256, StringComparison.Ordinal))
                        {
                            findings.Add((ReadinessStatus.Warn, "the " + what + " changed since the provisioning record of " + Date(record.ProvisionedAt) + " (now " + listed.Sha256 + ", recorded " + r.Sha256 + ")"));
                            remedies.Add("If nobody meant to change it, provision the modem again; otherwise the next provisioning run records the new state.");
                        }
                        else if (r.Sha256 is not null && string.Equals(r.Sha256, listed.Sha256, StringComparison.Ordinal))
                        {
                            findings.Add((ReadinessStatus.Pass, "the " + what + " is the one recorded on " + Date(record.ProvisionedAt)));
                        }
                    }
                }

                if (findings.Count == 0)
                {
                    return Check("R5", ReadinessStatus.NotCheckable, "No plan, expected files or provisioning record name what sec_tag " + _t + " should hold.",
                        null, "Pass the provisioning plan or the expected files (or a records folder) to compare digests.");
                }

                ReadinessStatus status = Worst(findings.Select(f => f.Status));
                if (findings.All(f => f.Status == ReadinessStatus.NotCheckable))
                {
                    status = ReadinessStatus.NotCheckable;
                }
                else if (status == ReadinessStatus.NotCheckable)
                {
                    status = ReadinessStatus.Pass;
                }

                return Check("R5", status, Messages.Capital(string.Join("; ", findings.Select(f => f.Text))) + ".",
                    string.Join("; ", _listed.Select(e => e.ToString())), remedies.Count == 0 ? null : string.Join(" ", remedies.Distinct()));
            }

            // ---- R6 ----------------------------------------------------------------------------

            private ReadinessCheck R6()
            {
                var findings = new List<(ReadinessStatus Status, string Text)>();
                var remedies = new List<string>();
                bool validates = _in.Firmware?.ValidatesCertificates == true;
                bool any = false;
                foreach (CredentialType type in new[] { CredentialType.RootCA, CredentialType.ClientCertificate })
                {
                    if (!Has(type))
                    {
                        continue;
                    }

                    Known? k = Content(type);
                    if (k is null || (!k.IsStoredBytes && !k.Variant.HasValue))
                    {
                        continue;
                    }

                    any = true;
                    string what = "the " + Words(type);
                    string text = k.Text;
                    if (!k.IsStoredBytes)
                    {
                        // The stored bytes are the planned or recorded text in the matched form: rebuild its line ends.
                        string lf = text.Replace("\r\n", "\n").Replace('\r', '\n');
                        DigestVariant v = k.Variant!.Value;
                        bool own = v == DigestVariant.AsIs || v == DigestVariant.TrailingWhitespaceStripped || v == DigestVariant.Trimmed;
                        text = own ? text : v.ToString().IndexOf("CrLf", StringComparison.Ordinal) >= 0 ? lf.Replace("\n", "\r\n") : lf;
                        what += " (content from " + k.Origin + ", digest matched)";
                    }

                    AnalysePem(text, what, validates, findings, remedies);
                }

                if (!any)
                {
                    return Check("R6", Has(CredentialType.RootCA) || Has(CredentialType.ClientCertificate) ? ReadinessStatus.NotCheckable : ReadinessStatus.Pass,
                        Has(CredentialType.RootCA) || Has(CredentialType.ClientCertificate)
                            ? "The stored certificates were not read back and no planned content matched their digests."
                            : "No certificate is stored at sec_tag " + _t + " (nothing to check).",
                        null, Has(CredentialType.RootCA) ? "Read the root CA back (AT%CMNG=2) or pass the planned files." : null);
                }

                return Check("R6", Worst(findings.Select(f => f.Status)), Messages.Capital(string.Join("; ", findings.Select(f => f.Text))) + ".", null,
                    remedies.Count == 0 ? null : string.Join(" ", remedies.Distinct()));
            }

            private static void AddCrLf(List<(ReadinessStatus, string)> findings, List<string> remedies, string what, bool validates)
            {
                if (validates)
                {
                    findings.Add((ReadinessStatus.Warn, what + " is stored with CR LF line ends; on mfw_nrf91x1 2.0.2 and later CR LF certificates have been refused with CME 527 (circuitdojo 692), so rewrites of this content may fail"));
                    remedies.Add("Rewrite it with LF line ends (Nrf91Cmng's default); the digest changes accordingly.");
                }
                else
                {
                    findings.Add((ReadinessStatus.Pass, what + " is stored with CR LF line ends (accepted by this firmware; nRF Cloud Utils write CR LF since 2025)"));
                }
            }

            private static void AnalysePem(string text, string what, bool validates, List<(ReadinessStatus, string)> findings, List<string> remedies)
            {
                if (text.IndexOf("\\n", StringComparison.Ordinal) >= 0)
                {
                    findings.Add((ReadinessStatus.Fail, what + " contains the two characters '\\n' instead of line breaks (devzone 127428): the modem cannot parse it"));
                    remedies.Add("Write the PEM with real line breaks (send the file, not an escaped string).");
                    return;
                }

                foreach (char c in text)
                {
                    if (c > 0x7E || (c < 0x20 && c != '\r' && c != '\n' && c != '\t'))
                    {
                        findings.Add((ReadinessStatus.Fail, what + " holds a character outside printable ASCII (" + PemText.CharCode(c) + ")"));
                        remedies.Add("Write the PEM as plain ASCII, as OpenSSL writes it.");
                        return;
                    }
                }

                IReadOnlyList<PemBlock> blocks;
                try
                {
                    blocks = PemText.Parse(text);
                }
                catch (ModemException ex)
                {
                    findings.Add((ReadinessStatus.Fail, what + " is not well-formed PEM: " + ex.Message.TrimEnd('.')));
                    remedies.Add("Write the certificate file again, unchanged from what the CA issued.");
                    return;
                }

                if (blocks.Count == 0)
                {
                    findings.Add((ReadinessStatus.Fail, what + " holds no PEM block ('-----BEGIN ...')"));
                    remedies.Add("Write a PEM certificate.");
                    return;
                }

                if (blocks.Any(b => !b.IsLineFormatted))
                {
                    findings.Add((ReadinessStatus.Fail, what + " is a one-line PEM (BEGIN/END markers not on lines of their own): every PEM line must end with a newline (devzone 127054)"));
                    remedies.Add("Write the PEM with its line breaks, as OpenSSL writes it.");
                    return;
                }

                bool crlf = text.IndexOf("\r\n", StringComparison.Ordinal) >= 0;
                bool lf = text.Replace("\r\n", string.Empty).IndexOf('\n') >= 0;
                bool cr = text.Replace("\r\n", string.Empty).IndexOf('\r') >= 0;
                if ((crlf && lf) || cr)
                {
                    findings.Add((ReadinessStatus.Warn, what + " mixes line endings (" + (cr ? "lone CR" : "CR LF and LF") + ")"));
                    remedies.Add("Rewrite it with LF line ends only.");
                }
                else if (crlf)
                {
                    AddCrLf(findings, remedies, what, validates);
                }

                if (CredentialContent.SplitLines(text).Any(l => l.Length > 0 && (l[l.Length - 1] == ' ' || l[l.Length - 1] == '\t')))
                {
                    findings.Add((ReadinessStatus.Warn, what + " has spaces at line ends"));
                    remedies.Add("Rewrite it without trailing spaces.");
                }

                string outside = PemText.TextOutsideBlocks(text, blocks);
                if (outside.Length > 0)
                {
                    findings.Add((ReadinessStatus.Warn, what + " has " + outside.Length.ToString(CultureInfo.InvariantCulture) + " characters outside its PEM blocks"));
                    remedies.Add("Rewrite it with the PEM blocks only (firmware that checks content may refuse the rest with CME 527).");
                }

                if (!findings.Any(f => f.Item2.StartsWith(what, StringComparison.Ordinal)))
                {
                    findings.Add((ReadinessStatus.Pass, what + " is well-formed PEM" + (crlf ? string.Empty : " with LF line ends")));
                }
            }

            // ---- R7 ----------------------------------------------------------------------------

            private ReadinessCheck R7()
            {
                if (!Has(CredentialType.RootCA))
                {
                    return Check("R7", ReadinessStatus.NotCheckable, "No root CA is stored at sec_tag " + _t + " (see R2).");
                }

                Known? k = Content(CredentialType.RootCA);
                if (k is null)
                {
                    return Check("R7", ReadinessStatus.NotCheckable, "The root CA was not read back and no planned content matched its digest.", null, "Read it back (AT%CMNG=2,<tag>,0) or pass the planned file.");
                }

                IReadOnlyList<CertificateInfo>? certs = Certificates(CredentialType.RootCA, out string? error);
                if (certs is null)
                {
                    return Check("R7", ReadinessStatus.Fail, "The root CA (" + k.Origin + ") does not parse: " + error, null,
                        "Write the server's root CA certificate again (PEM, as the CA publishes it).");
                }

                List<CertificateInfo> notCa = certs.Where(c => !c.IsCertificateAuthority && !c.IsSelfIssued).ToList();
                string evidence = certs.Count.ToString(CultureInfo.InvariantCulture) + " certificate(s): " + string.Join("; ", certs.Select(Describe));
                if (notCa.Count > 0)
                {
                    return Check("R7", ReadinessStatus.Warn, "The root CA slot holds " + string.Join(", ", notCa.Select(c => c.Subject)) + ", which is neither a CA nor self-signed (a server or device certificate?).",
                        evidence, "The root CA slot verifies the server: it should hold the root (or intermediate) CA of the server's certificate chain.");
                }

                return Check("R7", ReadinessStatus.Pass, "Every certificate in the root CA slot parses and is a CA or self-signed (" + k.Origin + ").", evidence);
            }

            private static string Describe(CertificateInfo c)
            {
                TrustedRoot? known = KnownRoots.Find(c.PublicKey.Fingerprint);
                return c.Subject + (known is null ? string.Empty : " [" + known.Name + "]") + ", SPKI SHA-256 " + c.PublicKey.Fingerprint;
            }

            // ---- R8 ----------------------------------------------------------------------------

            private ReadinessCheck R8()
            {
                var findings = new List<(ReadinessStatus Status, string Text)>();
                var remedies = new List<string>();
                foreach (CredentialType type in new[] { CredentialType.RootCA, CredentialType.ClientCertificate, CredentialType.ClientPrivateKey, CredentialType.Psk, CredentialType.PskIdentity })
                {
                    Known? k = Has(type) ? Content(type) : null;
                    string? planned = Expected(type)?.Content;
                    if (k is not null)
                    {
                        string stored = k.IsStoredBytes ? k.Text : CredentialContent.Normalize(k.Text, type);
                        Size(type, stored, true, k.IsStoredBytes ? "stored" : "stored, content from " + k.Origin, findings, remedies);
                    }

                    if (planned is not null && (k is null || k.IsStoredBytes))
                    {
                        string normalized = CredentialContent.Normalize(planned, type);
                        string? digest = Listed(type)?.Sha256;
                        bool isStored = digest is not null && !Listed(type)!.IsPlaceholderDigest && CredentialContent.DigestVariants(planned, digest).IsMatch;
                        if (!isStored)
                        {
                            Size(type, normalized, false, "planned in " + Expected(type)!.Source, findings, remedies);
                        }
                    }
                }

                if (findings.Count == 0)
                {
                    return Check("R8", ReadinessStatus.NotCheckable, "No content of sec_tag " + _t + " is known (sizes are not listed; read back or pass the plan).");
                }

                return Check("R8", Worst(findings.Select(f => f.Status)), Messages.Capital(string.Join("; ", findings.Select(f => f.Text))) + ".", null,
                    remedies.Count == 0 ? null : string.Join(" ", remedies.Distinct()));
            }

            private void Size(CredentialType type, string content, bool onModem, string origin, List<(ReadinessStatus Status, string Text)> findings, List<string> remedies)
            {
                int bytes = CredentialContent.GetBytes(content).Length;
                int command = CredentialValidator.ComputeCommandLength(type, _tag, bytes);
                string what = "the " + Words(type) + " (" + origin + ": " + bytes.ToString(CultureInfo.InvariantCulture) + " bytes, write command " + command.ToString(CultureInfo.InvariantCulture) + " characters)";
                bool tooLong = command > MaxCommandLength;
                if (tooLong)
                {
                    findings.Add((onModem ? ReadinessStatus.Warn : ReadinessStatus.Fail, what + " exceeds the " + MaxCommandLength.ToString(CultureInfo.InvariantCulture) +
                        " characters at_host takes" + (onModem ? "; it is stored, but cannot be written again through a standard AT host" : ": it cannot be written (the AT host drops the excess and the write hangs)")));
                    remedies.Add("Use a smaller credential (one root CA instead of a bundle; EC instead of RSA).");
                }

                if (type == CredentialType.RootCA && bytes > ChainLimitBytes)
                {
                    findings.Add((ReadinessStatus.Warn, what + " is over the 4 KB the modem's TLS stack takes for a certificate chain (a 5279-byte chain crashed the modem, devzone 114031)"));
                    remedies.Add("Store only the root CA the server's chain ends in (the modem needs the root, not the chain), or several roots in different sec_tags.");
                }
                else if (!tooLong)
                {
                    findings.Add((ReadinessStatus.Pass, what + " fits"));
                }
            }
        }
    }
}
