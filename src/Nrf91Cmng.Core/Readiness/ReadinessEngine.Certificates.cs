using Nrf91Cmng.Core.Fleet;
using Nrf91Cmng.Core.Onboarding;

namespace Nrf91Cmng.Core.Readiness
{
    public static partial class ReadinessEngine
    {
        /// <summary>Checks R9-R13: the root for the server, the issuing CA, and the client certificate.</summary>
        private sealed partial class TagContext
        {
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
        }
    }
}
