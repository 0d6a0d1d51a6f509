using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Nrf91Cmng.Core.Credentials;
using Nrf91Cmng.Core.Crypto;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Fleet;
using Nrf91Cmng.Core.Modem;
using Nrf91Cmng.Core.Onboarding;

namespace Nrf91Cmng.Core.Readiness
{
    /// <summary>
    /// The offline TLS readiness check of nRF91 sec_tags (checklist R1-R17 of
    /// onboarding-and-readiness.md, Part B): a pure function of what was read from the modem
    /// (list, readable contents, clock, identity) and what was planned or recorded. Every check
    /// of every reported sec_tag is present in the result, with its status, the reason, the
    /// evidence and the remedy. A sec_tag is ready when no check failed.
    /// </summary>
    /// <remarks>
    /// Not checkable offline at all, and therefore never claimed: whether the private key belongs
    /// to the certificate when the key was generated in the modem and no record exists, the PSK
    /// value, cipher-suite fit, the server's own chain size, the application's sec_tag list,
    /// peer-verify level and hostname, and registration on the cloud side.
    /// </remarks>
    public static class ReadinessEngine
    {
        /// <summary>The largest command at_host takes (its 4096-byte buffer less the NUL).</summary>
        public const int MaxCommandLength = 4095;

        /// <summary>The modem's server certificate chain limit quoted by Nordic (devzone 114031).</summary>
        public const int ChainLimitBytes = 4096;

        /// <summary>A modem clock further than this from the host's is a warning.</summary>
        public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

        /// <summary>What each check looks at, by id.</summary>
        public static IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>
        {
            ["R1"] = "sec_tag in the user range",
            ["R2"] = "a root CA at the sec_tag",
            ["R3"] = "complete pairs: certificate with key, PSK with identity",
            ["R4"] = "real digests, not placeholders",
            ["R5"] = "digests equal the planned or recorded content",
            ["R6"] = "PEM well-formed as stored",
            ["R7"] = "root CA certificates parse and are CAs",
            ["R8"] = "sizes within the modem's limits",
            ["R9"] = "root CA matches the target server",
            ["R10"] = "root CA is not just the device-issuing CA",
            ["R11"] = "client certificate: kind, key type, chain order, issuer",
            ["R12"] = "client certificate CN matches the device ID",
            ["R13"] = "client certificate belongs to the key in the modem",
            ["R14"] = "modem clock valid",
            ["R15"] = "certificates valid now",
            ["R16"] = "PSK identity and PSK form",
            ["R17"] = "firmware capabilities",
        };

        /// <summary>Runs the checklist.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.ReadinessInputInvalid"/> when the input is inconsistent.</exception>
        public static ReadinessReport Evaluate(ReadinessInput input)
        {
            if (input is null)
            {
                throw new ArgumentNullException(nameof(input));
            }

            if (input.WarnDays < 0)
            {
                throw new ModemException(ErrorIds.ReadinessInputInvalid, ModemErrorCategory.InvalidArgument, "WarnDays must not be negative.", "Give a number of days, e.g. 30.");
            }

            DateTimeOffset host = input.HostTime ?? DateTimeOffset.UtcNow;
            ModemClock clock = ModemClock.Parse(input.ModemClock, host);
            IEnumerable<uint> tags = input.SecTags ?? input.Listed.Select(e => e.SecTag).Where(t => t <= CredentialRules.LastTlsDecryptSecTag)
                .Concat(input.Expected.Select(e => e.SecTag));
            var reports = new List<SecTagReadiness>();
            foreach (uint tag in tags.Distinct().OrderBy(t => t))
            {
                var context = new TagContext(tag, input, host, clock);
                reports.Add(new SecTagReadiness(tag, context.Run()));
            }

            return new ReadinessReport(reports, clock, host);
        }

        private sealed class Known
        {
            public Known(string text, string origin, bool isStoredBytes, DigestVariant? variant)
            {
                Text = text;
                Origin = origin;
                IsStoredBytes = isStoredBytes;
                Variant = variant;
            }

            public string Text { get; }

            public string Origin { get; }

            /// <summary>True when <see cref="Text"/> is exactly what the modem stores (read back).</summary>
            public bool IsStoredBytes { get; }

            /// <summary>For expected content: the stored form whose digest matched.</summary>
            public DigestVariant? Variant { get; }
        }

        private sealed class TagContext
        {
            private readonly uint _tag;
            private readonly string _t;
            private readonly ReadinessInput _in;
            private readonly DateTimeOffset _host;
            private readonly ModemClock _clock;
            private readonly List<CredentialEntry> _listed;
            private readonly List<ExpectedCredential> _expected;
            private readonly Dictionary<int, Known?> _known = new Dictionary<int, Known?>();
            private readonly Dictionary<int, (IReadOnlyList<CertificateInfo>? Chain, string? Error)> _certificates = new Dictionary<int, (IReadOnlyList<CertificateInfo>?, string?)>();
            private List<CertificateInfo>? _issuingCas;

            public TagContext(uint tag, ReadinessInput input, DateTimeOffset host, ModemClock clock)
            {
                _tag = tag;
                _t = tag.ToString(CultureInfo.InvariantCulture);
                _in = input;
                _host = host;
                _clock = clock;
                _listed = input.Listed.Where(e => e.SecTag == tag).ToList();
                _expected = input.Expected.Where(e => e.SecTag == tag).ToList();
            }

            private CredentialEntry? Listed(CredentialType type) => _listed.FirstOrDefault(e => e.Type == type);

            private bool Has(CredentialType type) => Listed(type) is not null;

            private ExpectedCredential? Expected(CredentialType type) => _expected.FirstOrDefault(e => e.Type == type);

            private ServerProfile? Profile => _in.Profile;

            public List<ReadinessCheck> Run() => new List<ReadinessCheck>
            {
                R1(), R2(), R3(), R4(), R5(), R6(), R7(), R8(), R9(), R10(), R11(), R12(), R13(), R14(), R15(), R16(), R17(),
            };

            // ---- content we know -------------------------------------------------------------

            private Known? Content(CredentialType type)
            {
                if (_known.TryGetValue((int)type, out Known? cached))
                {
                    return cached;
                }

                Known? known = null;
                CredentialEntry? listed = Listed(type);
                CredentialEntry? read = _in.ReadBack.FirstOrDefault(e => e.SecTag == _tag && e.Type == type && e.Content is not null);
                if (read is not null)
                {
                    known = new Known(read.Content!, "read back from the modem", true, null);
                }
                else if (listed?.Sha256 is string digest)
                {
                    ExpectedCredential? e = Expected(type);
                    if (e?.Content is not null)
                    {
                        DigestVariantReport match = CredentialContent.DigestVariants(e.Content, digest);
                        if (match.MatchedVariant is DigestVariant v)
                        {
                            known = new Known(e.Content, e.Source, false, v);
                        }
                    }

                    if (known is null && type == CredentialType.ClientCertificate && _in.Record?.FindGenerated(_tag) is RecordedCredential g &&
                        g.Certificate is not null && string.Equals(g.CertificateSha256, digest, StringComparison.Ordinal))
                    {
                        DigestVariantReport stored = CredentialContent.DigestVariants(g.Certificate, digest);
                        known = new Known(g.Certificate, "the provisioning record", false, stored.MatchedVariant);
                    }
                }

                _known[(int)type] = known;
                return known;
            }

            private IReadOnlyList<CertificateInfo>? Certificates(CredentialType type, out string? error)
            {
                if (_certificates.TryGetValue((int)type, out (IReadOnlyList<CertificateInfo>? Chain, string? Error) cached))
                {
                    error = cached.Error;
                    return cached.Chain;
                }

                error = null;
                IReadOnlyList<CertificateInfo>? chain = null;
                Known? k = Content(type);
                if (k is not null)
                {
                    try
                    {
                        chain = ParsedCertificates.Chain(k.Text);
                    }
                    catch (ModemException ex)
                    {
                        error = ex.Message;
                    }
                }

                _certificates[(int)type] = (chain, error);
                return chain;
            }

            private static string Words(CredentialType type) => CredentialRules.Describe(type);

            private static ReadinessCheck Check(string id, ReadinessStatus status, string reason, string? evidence = null, string? remedy = null) =>
                new ReadinessCheck(id, Titles[id], status, reason, evidence, remedy);

            private static ReadinessStatus Worst(IEnumerable<ReadinessStatus> statuses)
            {
                ReadinessStatus worst = ReadinessStatus.Pass;
                foreach (ReadinessStatus s in statuses)
                {
                    if (Rank(s) > Rank(worst))
                    {
                        worst = s;
                    }
                }

                return worst;
            }

            private static int Rank(ReadinessStatus s) => s switch
            {
                ReadinessStatus.Fail => 3,
                ReadinessStatus.Warn => 2,
                ReadinessStatus.NotCheckable => 1,
                _ => 0,
            };

            private static string Date(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

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
                    foreach (RecordedCredential r in record.Credentials.Where(c => c.SecTag == _tag && !_expected.Any(e => (int)e.Type == c.Type)))
                    {
                        CredentialEntry? listed = _listed.FirstOrDefault(e => (int)e.Type == r.Type);
                        string what = Words((CredentialType)r.Type);
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

            // ---- R9 ----------------------------------------------------------------------------

            private ReadinessCheck R9()
            {
                if (Profile is null)
                {
                    return Check("R9", ReadinessStatus.NotCheckable, "No target server was given.", null, "Pass a server profile (AwsIot, NrfCloudMqtt, NrfCloudCoap, AzureIot) or the server's CA file.");
                }

                if (!Has(CredentialType.RootCA))
                {
                    return Check("R9", ReadinessStatus.Fail, "No root CA is stored, so the modem cannot verify " + Profile.Name + ".", null,
                        "Write " + string.Join(" and ", Profile.Requirements.Where(r => r.Required).Select(r => KnownRoots.Names(r.AnyOf))) + " as type 0 at this sec_tag.");
                }

                IReadOnlyList<CertificateInfo>? certs = Certificates(CredentialType.RootCA, out string? error);
                if (certs is null)
                {
                    return Check("R9", ReadinessStatus.NotCheckable, error is null ? "The root CA was not read back and no planned content matched its digest." : "The root CA does not parse (see R7).");
                }

                var fingerprints = new HashSet<string>(certs.Select(c => c.PublicKey.Fingerprint), StringComparer.OrdinalIgnoreCase);
                string evidence = string.Join("; ", certs.Select(Describe));
                var problems = new List<(ReadinessStatus Status, string Text, string Remedy)>();
                var satisfied = new List<string>();
                var missingRequired = new List<RootRequirement>();
                foreach (RootRequirement req in Profile.Requirements)
                {
                    TrustedRoot? found = req.AnyOf.FirstOrDefault(r => fingerprints.Contains(r.SpkiSha256));
                    if (found is not null)
                    {
                        satisfied.Add(found.Name);
                        continue;
                    }

                    if (!req.Required && missingRequired.Any(m => req.AnyOf.All(r => m.AnyOf.Contains(r))))
                    {
                        continue;
                    }

                    if (req.Required)
                    {
                        missingRequired.Add(req);
                    }

                    problems.Add((req.Required ? ReadinessStatus.Fail : ReadinessStatus.Warn,
                        "the root CA slot holds " + (req.AnyOf.Count > 1 ? "none of " + string.Join(", ", req.AnyOf.Select(r => r.Name)) : "no " + req.AnyOf[0].Name) + ": " + req.Purpose,
                        "Write " + req.AnyOf[0].Name + " into the type-0 entry (several roots can share it, one after the other)."));
                }

                foreach (TrustedRoot old in Profile.Deprecated.Where(d => fingerprints.Contains(d.SpkiSha256)))
                {
                    problems.Add((ReadinessStatus.Warn, "it holds " + old.Name + ", which " + Profile.Name + " no longer presents" + (old.NotAfter is DateTimeOffset na ? " (expired " + KnownRoots.Date(na) + ")" : string.Empty),
                        missingRequired.Count > 0 ? string.Empty : "Remove " + old.Name + " to save space."));
                }

                if (problems.Count == 0)
                {
                    return Check("R9", ReadinessStatus.Pass, "The root CA slot holds " + string.Join(" and ", satisfied.Distinct()) + ", which " + Profile.Name + "'s certificate chains to (matched by public key).", evidence);
                }

                return Check("R9", Worst(problems.Select(p => p.Status)), Messages.Capital(string.Join("; ", problems.Select(p => p.Text))) + ".", evidence,
                    string.Join(" ", problems.Select(p => p.Remedy).Where(r => r.Length > 0).Distinct()).NullIfEmpty());
            }

            // ---- R10 ---------------------------------------------------------------------------

            private ReadinessCheck R10()
            {
                if (!Has(CredentialType.RootCA))
                {
                    return Check("R10", ReadinessStatus.NotCheckable, "No root CA is stored (see R2).");
                }

                IReadOnlyList<CertificateInfo>? roots = Certificates(CredentialType.RootCA, out _);
                if (roots is null)
                {
                    return Check("R10", ReadinessStatus.NotCheckable, "The root CA content is not known.");
                }

                List<CertificateInfo> issuers = IssuingCas();
                IReadOnlyList<CertificateInfo>? client = Certificates(CredentialType.ClientCertificate, out _);
                if (issuers.Count == 0 && client is null)
                {
                    return Check("R10", ReadinessStatus.NotCheckable, "The CA that issues the device certificate is not known (no plan CA, client certificate not readable).", null,
                        "Pass the plan (its CACertificate) or the device certificate.");
                }

                var deviceCas = roots.Where(r => issuers.Any(i => i.PublicKey.Matches(r.PublicKey)) ||
                    (client is not null && string.Equals(r.Subject, client[0].Issuer, StringComparison.Ordinal) && Verifies(client[0], r))).ToList();
                if (deviceCas.Count == 0)
                {
                    return Check("R10", ReadinessStatus.Pass, "The root CA slot does not hold the CA that issues the device certificate.");
                }

                bool serverRootToo = Profile is not null
                    ? roots.Any(r => Profile.AcceptedRoots.Any(a => string.Equals(a.SpkiSha256, r.PublicKey.Fingerprint, StringComparison.OrdinalIgnoreCase)))
                    : roots.Count > deviceCas.Count;
                string names = string.Join(", ", deviceCas.Select(c => c.Subject));
                if (serverRootToo)
                {
                    return Check("R10", ReadinessStatus.Pass, "The root CA slot also holds the device-issuing CA (" + names + "), next to the server's root; harmless, but it takes space.");
                }

                return Check("R10", ReadinessStatus.Warn,
                    "The root CA slot holds the CA that signed the device's certificate (" + names + ") and " + (Profile is null ? "no other root" : "none of " + Profile.Name + "'s roots") +
                    ": that CA proves the device to the server, it does not verify the server (a common mix-up), unless the server's certificate is issued by the same CA.",
                    null, "Write the server's root CA as type 0; register the device-issuing CA with the cloud instead (e.g. AWS IoT 'register CA', nRF Cloud onboarding).");
            }

            private List<CertificateInfo> IssuingCas()
            {
                if (_issuingCas is not null)
                {
                    return _issuingCas;
                }

                var list = _issuingCas = new List<CertificateInfo>();
                foreach (string? pem in new[] { Expected(CredentialType.ClientCertificate)?.IssuerCaPem, _in.IssuingCaPem })
                {
                    if (pem is null)
                    {
                        continue;
                    }

                    try
                    {
                        list.AddRange(ParsedCertificates.Chain(pem));
                    }
                    catch (ModemException)
                    {
                        // An unreadable plan CA is reported by the provisioner; here it simply does not count.
                    }
                }

                return list;
            }

            private static bool Verifies(CertificateInfo leaf, CertificateInfo ca)
            {
                try
                {
                    leaf.Certificate.Verify(ca.PublicKey.Key);
                    return true;
                }
                catch (Exception e) when (CryptoErrors.IsParseFailure(e))
                {
                    return false;
                }
            }

            // ---- R11 ---------------------------------------------------------------------------

            private ReadinessCheck R11()
            {
                if (!Has(CredentialType.ClientCertificate))
                {
                    return Check("R11", ReadinessStatus.Pass, "No client certificate at sec_tag " + _t + " (nothing to check).");
                }

                IReadOnlyList<CertificateInfo>? chain = Certificates(CredentialType.ClientCertificate, out string? error);
                if (chain is null)
                {
                    return error is null
                        ? Check("R11", ReadinessStatus.NotCheckable, "The client certificate is not readable on most firmware, and no planned content or provisioning record matched its digest.", null,
                            "Pass the plan's certificate file, or provision with a records folder so the issued certificate is recorded.")
                        : Check("R11", ReadinessStatus.Fail, "The client certificate does not parse: " + error, null, "Write the certificate the CA issued for this device again.");
                }

                CertificateInfo leaf = chain[0];
                var problems = new List<(ReadinessStatus Status, string Text, string? Remedy)>();
                if (leaf.IsCertificateAuthority)
                {
                    problems.Add((ReadinessStatus.Fail, "the client certificate (" + leaf.Subject + ") is a CA certificate, not a device certificate", "Write the device's own certificate as type 1."));
                }

                if (Profile?.RequiresEs256 == true && (leaf.PublicKey.Algorithm != "EC" || leaf.PublicKey.Curve != "P-256"))
                {
                    problems.Add((ReadinessStatus.Fail, "its key is " + leaf.PublicKey.Algorithm + " " + (leaf.PublicKey.Curve ?? leaf.PublicKey.KeySize.ToString(CultureInfo.InvariantCulture)) +
                        ", but " + Profile.Name + " takes ES256 certificates (EC P-256) only", "Generate the device key in the modem (%KEYGEN makes EC P-256) and have it certified."));
                }

                if (chain.Count > 1)
                {
                    bool ordered = true;
                    for (int i = 0; i + 1 < chain.Count; i++)
                    {
                        ordered &= string.Equals(chain[i].Issuer, chain[i + 1].Subject, StringComparison.Ordinal);
                    }

                    problems.Add(ordered
                        ? (ReadinessStatus.Warn, "the client certificate entry holds a chain of " + chain.Count.ToString(CultureInfo.InvariantCulture) + " (leaf first, in order); chains in type 1 are used in practice but not documented by Nordic", null)
                        : (ReadinessStatus.Fail, "the client certificate chain is not in leaf-to-root order", "Store the device certificate first, then each issuer in turn."));
                }

                List<CertificateInfo> issuers = IssuingCas();
                if (issuers.Count > 0 && !issuers.Any(ca => Verifies(leaf, ca)) && !(chain.Count > 1 && chain.Skip(1).Any(i => issuers.Any(ca => ca.PublicKey.Matches(i.PublicKey)))))
                {
                    problems.Add((ReadinessStatus.Fail, "it was not issued by the plan's CA (" + string.Join(", ", issuers.Select(i => i.Subject)) + "); its issuer is " + leaf.Issuer,
                        "Have the plan's CA sign the device's CSR again, or fix the plan's CACertificate."));
                }

                string evidence = leaf.Subject + ", issuer " + leaf.Issuer + ", " + leaf.PublicKey + " (" + Content(CredentialType.ClientCertificate)!.Origin + ")";
                if (problems.Count == 0)
                {
                    string keyType = leaf.PublicKey.Algorithm + " " + (leaf.PublicKey.Curve ?? leaf.PublicKey.KeySize.ToString(CultureInfo.InvariantCulture));
                    return Check("R11", ReadinessStatus.Pass, "The client certificate is a device certificate with " + ("AEIOU".IndexOf(keyType[0]) >= 0 ? "an " : "a ") + keyType +
                        " key" + (issuers.Count > 0 ? ", issued by the plan's CA." : "."), evidence);
                }

                return Check("R11", Worst(problems.Select(p => p.Status)), Messages.Capital(string.Join("; ", problems.Select(p => p.Text))) + ".", evidence,
                    string.Join(" ", problems.Where(p => p.Remedy is not null).Select(p => p.Remedy)).NullIfEmpty());
            }

            // ---- R12 ---------------------------------------------------------------------------

            private ReadinessCheck R12()
            {
                if (!Has(CredentialType.ClientCertificate))
                {
                    return Check("R12", ReadinessStatus.Pass, "No client certificate at sec_tag " + _t + " (nothing to check).");
                }

                IReadOnlyList<CertificateInfo>? chain = Certificates(CredentialType.ClientCertificate, out _);
                if (chain is null)
                {
                    return Check("R12", ReadinessStatus.NotCheckable, "The client certificate content is not known (see R11).");
                }

                string? cn = DeviceIds.CommonNameOrNull(chain[0]);
                if (cn is null)
                {
                    return Check("R12", ReadinessStatus.Warn, "The client certificate has no CN; clouds that take the device ID from it (nRF Cloud, Azure DPS) will not match.", chain[0].Subject,
                        "Issue the certificate with CN = the device ID (by default the device UUID).");
                }

                var problems = new List<string>();
                var remedies = new List<string>();
                if (Profile?.Kind == ServerProfileKind.AzureIot && !DeviceIds.IsValidDpsRegistrationId(cn))
                {
                    problems.Add("CN '" + cn + "' is not a valid Azure DPS registration ID");
                    remedies.Add("Issue the certificate with a CN of letters, digits and - . _ : (ending in a letter, digit or '-').");
                }

                if (DeviceIds.HasReservedPrefix(cn) && !_in.NordicHardware)
                {
                    problems.Add("CN '" + cn + "' starts with 'nrf-', which the nRF Connect SDK reserves on nRF Cloud for Nordic's own boards");
                    remedies.Add("For custom hardware use the device UUID or another prefix (CONFIG_NRF_CLOUD_CLIENT_ID_PREFIX) and issue the certificate with it.");
                }

                if (!_in.DeviceUuid.HasValue && !DeviceIds.IsImei(_in.Imei))
                {
                    if (problems.Count == 0)
                    {
                        return Check("R12", ReadinessStatus.NotCheckable, "The device UUID and IMEI are not known, so CN '" + cn + "' cannot be compared with an ID.", chain[0].Subject,
                            "Read the identity (Get-ModemInfo) before checking.");
                    }
                }
                else if (DeviceIds.DescribeCommonNameMismatch(cn, _in.DeviceUuid, _in.Imei, _in.IdPrefix, _in.IdScheme) is string mismatch)
                {
                    problems.Add(mismatch + "; the firmware's client ID must equal the ID the cloud knows, or the cloud refuses the connection");
                    remedies.Add("Issue the certificate with CN = the device UUID (the SDK default on nRF91x1) or prefix + IMEI, matching CONFIG_NRF_CLOUD_CLIENT_ID_SRC_*.");
                }

                if (problems.Count == 0)
                {
                    return Check("R12", ReadinessStatus.Pass, "CN '" + cn + "' is an ID the firmware derives (the Kconfig choice itself cannot be read over AT).", chain[0].Subject);
                }

                return Check("R12", ReadinessStatus.Warn, Messages.Capital(string.Join("; ", problems)) + ".", chain[0].Subject, string.Join(" ", remedies));
            }

            // ---- R13 ---------------------------------------------------------------------------

            private ReadinessCheck R13()
            {
                if (!Has(CredentialType.ClientPrivateKey) || !Has(CredentialType.ClientCertificate))
                {
                    return Check("R13", ReadinessStatus.Pass, "No key-and-certificate pair at sec_tag " + _t + " (nothing to check; see R3).");
                }

                ExpectedCredential? key = Expected(CredentialType.ClientPrivateKey);
                if (key?.Content is not null && !key.GeneratedOnModem)
                {
                    CredentialEntry listedKey = Listed(CredentialType.ClientPrivateKey)!;
                    Known? cert = Content(CredentialType.ClientCertificate);
                    bool keyStored = listedKey.Sha256 is not null && CredentialContent.DigestVariants(key.Content, listedKey.Sha256).IsMatch;
                    if (keyStored && cert is not null)
                    {
                        try
                        {
                            bool match = CredentialValidator.KeyMatchesCertificate(cert.Text, key.Content);
                            return match
                                ? Check("R13", ReadinessStatus.Pass, "The stored private key is the plan's host key (digest matched), and it belongs to the client certificate.")
                                : Check("R13", ReadinessStatus.Fail, "The stored private key (the plan's " + key.Source + ") does not belong to the client certificate.", null,
                                    "Write the certificate issued for this key, or the key the certificate was issued for.");
                        }
                        catch (ModemException ex)
                        {
                            return Check("R13", ReadinessStatus.NotCheckable, "The plan's key could not be compared with the certificate: " + ex.Message);
                        }
                    }
                }

                CredentialEntry? readCert = _in.ReadBack.FirstOrDefault(e => e.SecTag == _tag && e.Type == CredentialType.ClientCertificate && e.Content is not null);
                GeneratedKeyAssessment a = ProvisioningRecordDecisions.AssessGenerated(_tag, _in.Listed, _in.Record, readCert?.Content);
                string evidence = "key " + (a.ListedKeySha256 ?? "-") + ", certificate " + (a.ListedCertificateSha256 ?? "-") +
                    (a.Recorded is null ? string.Empty : "; recorded key " + (a.Recorded.Sha256 ?? "-") + ", certificate " + (a.Recorded.CertificateSha256 ?? "-"));
                switch (a.State)
                {
                    case GeneratedKeyState.Unchanged:
                        return Check("R13", ReadinessStatus.Pass, a.Reason, evidence);
                    case GeneratedKeyState.KeyCertificateMismatch:
                        return Check("R13", ReadinessStatus.Fail, a.Reason, evidence,
                            "Generate the key again and have its new CSR signed (a Generate plan entry with -Force does both), then onboard the new certificate with the cloud; or write back the certificate issued for the current key.");
                    default:
                        if (_in.Record is null || a.Recorded is null)
                        {
                            return Check("R13", ReadinessStatus.NotCheckable,
                                "Whether the key in the modem belongs to the certificate cannot be told offline without a provisioning record: the key never leaves the modem and %KEYGEN makes a new one every time.",
                                evidence, "Provision with a records folder (-RecordPath) so later checks can compare.");
                        }

                        return Check("R13", ReadinessStatus.Warn, a.Reason, evidence, "Provision the modem again to get a fresh, recorded pair, if the change was not intended.");
                }
            }

            // ---- R14 ---------------------------------------------------------------------------

            private ReadinessCheck R14()
            {
                switch (_clock.State)
                {
                    case ModemClockState.Missing:
                        return Check("R14", ReadinessStatus.NotCheckable, "The modem clock was not read (AT+CCLK?).");
                    case ModemClockState.Unparsable:
                    case ModemClockState.NotSet:
                    case ModemClockState.Implausible:
                        return Check("R14", ReadinessStatus.Warn, _clock.Description + " The clock is treated as unknown: certificates are judged by the host time only.", _clock.Raw,
                            "Let the modem attach to the network once (AT+CFUN=1) so it gets network time, or set it with AT+CCLK. nRF Cloud CoAP, REST and the provisioning service sign JWTs with the modem time and need it valid.");
                }

                TimeSpan skew = _clock.Utc!.Value - _host;
                if (skew.Duration() > ClockTolerance)
                {
                    return Check("R14", ReadinessStatus.Warn, _clock.Description + " That is " + FormatSpan(skew.Duration()) + (skew < TimeSpan.Zero ? " behind" : " ahead of") + " the host clock.", _clock.Raw,
                        "Let the modem refresh network time, or set it with AT+CCLK; tokens signed with a wrong time are refused.");
                }

                return Check("R14", ReadinessStatus.Pass, _clock.Description + " It agrees with the host clock.", _clock.Raw);
            }

            private static string FormatSpan(TimeSpan span) =>
                span.TotalDays >= 2 ? ((int)span.TotalDays).ToString(CultureInfo.InvariantCulture) + " days"
                : span.TotalHours >= 2 ? ((int)span.TotalHours).ToString(CultureInfo.InvariantCulture) + " hours"
                : ((int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture) + " minutes";

            // ---- R15 ---------------------------------------------------------------------------

            private ReadinessCheck R15()
            {
                var findings = new List<(ReadinessStatus Status, string Text)>();
                var remedies = new List<string>();
                bool anyKnown = false;
                DateTimeOffset warnAt = _host.AddDays(_in.WarnDays);
                IReadOnlyList<CertificateInfo>? roots = Has(CredentialType.RootCA) ? Certificates(CredentialType.RootCA, out _) : null;
                if (roots is not null)
                {
                    anyKnown = true;
                    List<CertificateInfo> valid = roots.Where(c => c.IsValidAt(_host)).ToList();
                    foreach (CertificateInfo c in roots)
                    {
                        if (_host > c.NotAfter)
                        {
                            findings.Add((valid.Count == 0 ? ReadinessStatus.Fail : ReadinessStatus.Warn, "root CA " + c.Subject + " expired on " + Date(c.NotAfter)));
                            remedies.Add("Replace the expired root CA with the server's current root.");
                        }
                        else if (_host < c.NotBefore)
                        {
                            findings.Add((valid.Count == 0 ? ReadinessStatus.Fail : ReadinessStatus.Warn, "root CA " + c.Subject + " is not valid before " + Date(c.NotBefore)));
                            remedies.Add("Check the root CA file and the host clock.");
                        }
                        else if (c.NotAfter < warnAt)
                        {
                            findings.Add((ReadinessStatus.Warn, "root CA " + c.Subject + " expires on " + Date(c.NotAfter) + ", within " + _in.WarnDays.ToString(CultureInfo.InvariantCulture) + " days"));
                            remedies.Add("Plan the root CA rotation now: devices need the new root before the old one expires.");
                        }
                        else
                        {
                            AddModemClockNote(c, "root CA", findings);
                        }
                    }
                }

                IReadOnlyList<CertificateInfo>? client = Has(CredentialType.ClientCertificate) ? Certificates(CredentialType.ClientCertificate, out _) : null;
                if (client is not null)
                {
                    anyKnown = true;
                    CertificateInfo c = client[0];
                    if (_host > c.NotAfter)
                    {
                        findings.Add((ReadinessStatus.Fail, "the client certificate expired on " + Date(c.NotAfter) + "; servers refuse it"));
                        remedies.Add("Issue a new client certificate for the device's key (for a key in the modem: a new %KEYGEN CSR signed by your CA) and write it.");
                    }
                    else if (_host < c.NotBefore)
                    {
                        findings.Add((ReadinessStatus.Fail, "the client certificate is not valid before " + Date(c.NotBefore) + "; servers refuse it until then"));
                        remedies.Add("Issue it with a start date in the past (check the clock of the host that signed it).");
                    }
                    else if (c.NotAfter < warnAt)
                    {
                        findings.Add((ReadinessStatus.Warn, "the client certificate expires on " + Date(c.NotAfter) + ", within " + _in.WarnDays.ToString(CultureInfo.InvariantCulture) + " days"));
                        remedies.Add("Renew the client certificate before it expires.");
                    }
                    else
                    {
                        AddModemClockNote(c, "client certificate", findings);
                    }
                }

                if (!anyKnown)
                {
                    return Check("R15", Has(CredentialType.RootCA) || Has(CredentialType.ClientCertificate) ? ReadinessStatus.NotCheckable : ReadinessStatus.Pass,
                        Has(CredentialType.RootCA) || Has(CredentialType.ClientCertificate) ? "No certificate content of sec_tag " + _t + " is known." : "No certificate at sec_tag " + _t + " (nothing to check).");
                }

                string basis = "Judged by the host clock (" + Date(_host) + ")" + (_clock.IsValid ? " and the modem clock." : "; the modem clock is unknown (see R14).");
                if (findings.Count == 0)
                {
                    findings.Add((ReadinessStatus.Pass, "every known certificate is valid"));
                }
                else if (findings.All(f => f.Status == ReadinessStatus.Pass))
                {
                    findings.Insert(0, (ReadinessStatus.Pass, "every known certificate is valid"));
                }

                return Check("R15", Worst(findings.Select(f => f.Status)), Messages.Capital(string.Join("; ", findings.Select(f => f.Text))) + ". " + basis, null,
                    remedies.Count == 0 ? null : string.Join(" ", remedies.Distinct()));
            }

            private void AddModemClockNote(CertificateInfo c, string what, List<(ReadinessStatus, string)> findings)
            {
                if (_clock.Utc is DateTimeOffset modem && (modem < c.NotBefore || modem > c.NotAfter))
                {
                    findings.Add((ReadinessStatus.Warn, "by the modem's clock (" + Date(modem) + ") the " + what + " " + c.Subject + " is " + (modem < c.NotBefore ? "not valid yet" : "expired") +
                        " (whether the modem checks validity dates is not documented)"));
                }
            }

            // ---- R16 ---------------------------------------------------------------------------

            private ReadinessCheck R16()
            {
                bool psk = Has(CredentialType.Psk) || Expected(CredentialType.Psk) is not null;
                bool identity = Has(CredentialType.PskIdentity) || Expected(CredentialType.PskIdentity) is not null;
                if (!psk && !identity)
                {
                    return Check("R16", ReadinessStatus.Pass, "No PSK at sec_tag " + _t + " (nothing to check).");
                }

                var findings = new List<(ReadinessStatus Status, string Text)>();
                var remedies = new List<string>();
                Known? id = Has(CredentialType.PskIdentity) ? Content(CredentialType.PskIdentity) : null;
                string? idText = id?.Text ?? Expected(CredentialType.PskIdentity)?.Content;
                if (idText is null)
                {
                    findings.Add((ReadinessStatus.NotCheckable, "the PSK identity was not read back"));
                }
                else if (idText.Length == 0)
                {
                    findings.Add((ReadinessStatus.Fail, "the PSK identity is empty"));
                    remedies.Add("Write the identity the server knows for this device (type 4, plain text).");
                }
                else if (idText.Any(c => c < 0x20 || c > 0x7E))
                {
                    findings.Add((ReadinessStatus.Fail, "the PSK identity holds characters outside printable ASCII (line breaks?)"));
                    remedies.Add("Write the identity as one line of printable text.");
                }
                else
                {
                    findings.Add((ReadinessStatus.Pass, "the PSK identity '" + idText + "' is printable text"));
                }

                string? pskText = Expected(CredentialType.Psk)?.Content;
                if (pskText is null)
                {
                    findings.Add((ReadinessStatus.NotCheckable, "the PSK itself is never readable; its form can only be checked from the plan"));
                }
                else
                {
                    string p = pskText.Trim();
                    if (p.Length == 0 || p.Length % 2 != 0 || p.Any(c => !Encodings.IsHexDigit(c)))
                    {
                        findings.Add((ReadinessStatus.Fail, "the planned PSK is not hex with two digits per byte (sending the ASCII secret instead of its hex is a classic error)"));
                        remedies.Add("Give the PSK as hex, e.g. the secret 'abc' as 616263.");
                    }
                    else
                    {
                        findings.Add((ReadinessStatus.Pass, "the planned PSK is " + (p.Length / 2).ToString(CultureInfo.InvariantCulture) + " bytes of hex"));
                    }
                }

                ReadinessStatus status = Worst(findings.Select(f => f.Status));
                if (status == ReadinessStatus.NotCheckable && findings.Any(f => f.Status == ReadinessStatus.Pass))
                {
                    status = ReadinessStatus.Pass;
                }

                return Check("R16", status, Messages.Capital(string.Join("; ", findings.Select(f => f.Text))) + ".", null, remedies.Count == 0 ? null : string.Join(" ", remedies));
            }

            // ---- R17 ---------------------------------------------------------------------------

            private ReadinessCheck R17()
            {
                FirmwareInfo? fw = _in.Firmware;
                if (fw is null || fw.Version is null)
                {
                    return Check("R17", ReadinessStatus.NotCheckable, "The modem firmware version is not known" + (fw is null ? "." : " ('" + fw.Name + "')."), null, "Read it with AT+CGMR.");
                }

                bool verify = fw.Is91x1 || fw.Version >= new Version(1, 3, 2);
                bool claim = fw.Is91x1 && fw.Version >= new Version(2, 0, 0);
                string evidence = FirmwareInfo.Describe(fw) + ": %KEYGEN/%ATTESTTOKEN " + (fw.HasKeyGeneration ? "yes" : "no") + ", trusted digests " + (verify ? "yes" : "no") +
                    ", certificate validation (CME 527) " + (fw.ValidatesCertificates ? "yes" : "no") + ", nRF Cloud claiming " + (claim ? "yes" : "no");
                bool generated = _expected.Any(e => e.GeneratedOnModem) || _in.Record?.FindGenerated(_tag) is not null;
                if (generated && !fw.HasKeyGeneration)
                {
                    return Check("R17", ReadinessStatus.Fail, "sec_tag " + _t + " is meant to hold a key generated in the modem, but " + fw.Name + " has no %KEYGEN (mfw 1.3.0 or later).", evidence,
                        "Update the modem firmware, or provision a key made on the host.");
                }

                if (!verify)
                {
                    return Check("R17", ReadinessStatus.Warn, fw.Name + " is older than mfw 1.3.2: its digests are not trusted for verification (nRF Cloud Utils skip SHA checks below 1.3.2).", evidence,
                        "Update the modem firmware to 1.3.2 or later.");
                }

                return Check("R17", ReadinessStatus.Pass, fw.Name + " supports what this sec_tag uses.", evidence);
            }

        }

        private static string? NullIfEmpty(this string s) => s.Length == 0 ? null : s;
    }

    /// <summary>
    /// Parsed certificates by PEM text, shared across evaluations: a fleet check parses the same
    /// roots on every modem, and BouncyCastle's RSA key validation costs tens of milliseconds.
    /// <see cref="CertificateInfo"/> is immutable, so sharing is safe. Bounded; cleared when full.
    /// </summary>
    internal static class ParsedCertificates
    {
        private const int Capacity = 256;
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<CertificateInfo>> s_cache =
            new System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<CertificateInfo>>(StringComparer.Ordinal);

        /// <summary>As <see cref="CertificateInfo.ChainFromPem"/> (same exceptions; failures are not cached).</summary>
        public static IReadOnlyList<CertificateInfo> Chain(string pem)
        {
            if (s_cache.TryGetValue(pem, out IReadOnlyList<CertificateInfo>? chain))
            {
                return chain;
            }

            chain = CertificateInfo.ChainFromPem(pem);
            if (s_cache.Count >= Capacity)
            {
                s_cache.Clear();
            }

            s_cache[pem] = chain;
            return chain;
        }
    }
}
