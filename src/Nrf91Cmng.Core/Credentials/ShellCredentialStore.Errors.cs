namespace Nrf91Cmng.Core.Credentials
{
    // What the cred shell's error answers mean, as module errors.
    public sealed partial class ShellCredentialStore
    {
        private ModemException NotReadableOnModemBackend(uint secTag, CredentialType type) =>
            new ModemException(ErrorIds.CredentialTypeNotReadable, ModemErrorCategory.PermissionDenied,
                "not readable through the TLS credentials shell's nRF modem backend ('cred get' returns zeros for what was added since boot)",
                "Compare digests with Test-ModemCredential, or read the " + CredentialRules.Describe(type) + " at sec_tag " + secTag.ToString(CultureInfo.InvariantCulture) + " through a raw AT console.");

        private ModemException PskNotOnModemBackend(CredentialType type) =>
            new ModemException(ErrorIds.CredentialTypeNotSupported, ModemErrorCategory.NotImplemented,
                "The TLS credentials shell on " + Location + " stores into the modem (its nRF modem backend), which takes CA certificates, client certificates and private keys only: a "
                + CredentialRules.Describe(type) + " has no modem type there. Nothing was stored.",
                "Write PSKs and PSK identities through a raw AT console (AT%CMNG, types 3 and 4)" + (_client.Channel.HasAt ? " or this shell's 'at' (Connect-Modem -CommandMode Shell)" : string.Empty) + ".");

        private static int? ErrorOf(ShellResponse response)
        {
            foreach (string line in response.Lines)
            {
                Match m = s_error.Match(line);
                if (m.Success && int.TryParse(m.Groups["e"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int e))
                {
                    return e;
                }
            }

            return null;
        }

        /// <summary>A failed <c>cred add</c> / <c>cred del</c> / <c>cred list</c> as an error that says what the firmware said and what to do.</summary>
        private ModemException Failed(ShellResponse response, string doing, CredentialType? type, CommandFamily family = CommandFamily.CredentialWrite)
        {
            // "Failed to add … Error: -1" CR LF "." and "Credential buffer cleared." on the same line: the full stop of the format string comes after its line end.
            string said = string.Join(" ", response.Lines.Select(l => l.Replace("Credential buffer cleared.", string.Empty).Trim()).Where(l => l.Length > 0 && l != "."));
            int? e = ErrorOf(response);
            if (response.Contains("already exists"))
            {
                e = -17;
            }

            if (e == -1 && Backend != CredShellBackend.VolatileOrPsa && Backend != CredShellBackend.Volatile && Backend != CredShellBackend.Psa)
            {
                Learn(CredShellBackend.Modem, "it answered -1 (EPERM), the nRF modem backend's code for CME 518", null);
                if (FunctionalMode is not null)
                {
                    // With 'at' at hand the offline guard switches the modem offline (when allowed) and tries again.
                    var synthetic = new AtResponse(response.Command, response.Lines, response.Unsolicited, AtResultKind.CmeError, 518, "+CME ERROR: 518", response.Duration);
                    return new ModemCommandException(synthetic, family, doing + " through 'cred' (error -1)");
                }

                return _client.Channel.HasAt
                    ? new ModemException(ErrorIds.FunctionalModeActive, ModemErrorCategory.InvalidOperation,
                        doing + " failed: the modem refused it because LTE is active ('" + said + "': error -1, the modem's CME 518). This shell's 'at' cannot read the functional mode, so Nrf91Cmng does not switch it. Nothing was changed.",
                        "Put the modem offline with Set-ModemFunctionalMode -Mode Offline (AT+CFUN=4), run the command again, and bring it back online afterwards.")
                    : new ModemException(ErrorIds.FunctionalModeActive, ModemErrorCategory.InvalidOperation,
                        doing + " failed: the modem refused it because LTE is active ('" + said + "': error -1, the modem's CME 518). This shell has no 'at' command, so Nrf91Cmng cannot switch the modem offline. Nothing was changed.",
                        "Have the application put the modem offline (lte_lc_offline(), i.e. AT+CFUN=4, for example from a shell command of the application, or boot it without connecting), then run the command again.");
            }

            if (e == -22 && (type == CredentialType.Psk || type == CredentialType.PskIdentity) && Backend != CredShellBackend.VolatileOrPsa && Backend != CredShellBackend.Volatile && Backend != CredShellBackend.Psa)
            {
                Learn(CredShellBackend.Modem, "it refused a " + CredentialRules.Describe(type.Value) + " with -22, as the nRF modem backend does (no modem type)", null);
                return PskNotOnModemBackend(type.Value);
            }

            if (response.Contains("No reference slot available") || response.Contains("Not enough heap"))
            {
                Learn(CredShellBackend.Volatile, "it ran out of heap copies, which only the volatile backend makes", null);
                return new ModemException(ErrorIds.ShellCommandFailed, ModemErrorCategory.LimitsExceeded,
                    doing + " failed: the TLS credentials shell has no room left for a heap copy ('" + said + "'). Nothing was stored.",
                    "Delete credentials you no longer need (Remove-ModemCredential), or build the firmware with larger HEAP_MEM_POOL_ADD_SIZE_TLS_CRED_SHELL and TLS_MAX_CREDENTIALS_NUMBER.");
            }

            return new ModemException(ErrorIds.ShellCommandFailed, e == -12 ? ModemErrorCategory.LimitsExceeded : e == -17 || e == -120 ? ModemErrorCategory.ResourceBusy : ModemErrorCategory.DeviceError,
                doing + " failed: the TLS credentials shell answered '" + (said.Length == 0 ? "nothing" : said) + "'" + (e is int code ? Meaning(code, read: false) : "."),
                e switch
                {
                    -12 => "The store is full: delete credentials you no longer need (Remove-ModemCredential), or build the firmware with a larger TLS_MAX_CREDENTIALS_NUMBER (4 by default on the volatile and PSA backends).",
                    -17 => "Another program added it meanwhile: list again (Get-ModemCredential) and replace it with -Force.",
                    -5 => "On PSA protected storage this is a storage failure (a credential above the TF-M asset size limit fails so); on the modem backend the modem answered ERROR. Check the content and the size.",
                    -22 => "The modem refused the content (CME 527 or 50): check that it is a valid certificate or key for this type.",
                    _ => "Check the credential and the firmware's TLS credentials configuration; keep a transcript (Connect-Modem -TranscriptPath) if it repeats.",
                });
        }

        private string Meaning(int e, bool read)
        {
            bool modem = Backend == CredShellBackend.Modem;
            string meaning = e switch
            {
                -1 => "EPERM: on the nRF modem backend the modem's CME 518, LTE active",
                -2 => "ENOENT: not found" + (modem ? " (the modem no longer holds it: deleted by AT after boot)" : string.Empty),
                -5 => "EIO: a storage failure, or on the nRF modem backend a plain ERROR from the modem",
                -7 => "E2BIG: the modem's memory failure (CME 23)",
                -12 => "ENOMEM: the store or its heap is full",
                -13 => "EACCES: the modem refuses access (CME 514)" + (read ? "; it does not return this type" : string.Empty),
                -17 => "EEXIST: already stored",
                -22 => "EINVAL: invalid content or parameters (the modem's CME 527 or 50)",
                -120 => "EALREADY: the modem already holds it (CME 519)",
                -134 => "ENOTSUP: not supported by this build",
                -140 => "ECANCELED: the modem's power-off warning is active (CME 528)",
                _ => "an errno of the firmware",
            };
            return " (error " + e.ToString(CultureInfo.InvariantCulture) + ", " + meaning + ").";
        }
    }
}
