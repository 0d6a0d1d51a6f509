using Nrf91Cmng.Core.Fleet;

namespace Nrf91Cmng.Core.Readiness
{
    public static partial class ReadinessEngine
    {
        /// <summary>Checks R14-R17: the modem clock, validity periods, the PSK form and firmware capabilities.</summary>
        private sealed partial class TagContext
        {
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
    }
}
