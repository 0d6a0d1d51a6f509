namespace Nrf91Cmng.Core.Keys
{
    /// <summary>
    /// The arguments <c>AT%KEYGEN</c> and <c>AT%ATTESTTOKEN</c> take, checked before anything is sent:
    /// the CSR subject, the 9-flag key usage string, the attestation challenge, and how to tell a
    /// CSR or a %KEYGEN reply from a file name.
    /// </summary>
    public static class KeyGenerationRules
    {
        /// <summary>The X.509 keyUsage bits in the order of the modem's 9-character flag string.</summary>
        public static readonly string[] KeyUsageNames =
        {
            "DigitalSignature", "NonRepudiation", "KeyEncipherment", "DataEncipherment", "KeyAgreement", "KeyCertSign", "CrlSign", "EncipherOnly", "DecipherOnly",
        };

        private static readonly Regex s_flags = new Regex("^[01]{9}$", RegexOptions.CultureInvariant);
        private static readonly Regex s_distinguishedName = new Regex(@"^\s*[A-Za-z][A-Za-z0-9.]*\s*=[^=]", RegexOptions.CultureInvariant);
        private static readonly Regex s_challenge = new Regex("^[0-9A-Fa-f]{32}$", RegexOptions.CultureInvariant);
        private static readonly Regex s_keygenReply = new Regex("^(%KEYGEN:\\s*)?\"?[A-Za-z0-9_-]{40,}\\.[A-Za-z0-9_-]{40,}\"?$", RegexOptions.CultureInvariant);

        /// <summary>The subject as sent (trimmed), or null for the modem's default (CN=&lt;device UUID&gt;).</summary>
        public static string? CheckSubject(string? subject)
        {
            if (subject is null)
            {
                return null;
            }

            if (subject.IndexOf('"') >= 0 || subject.Any(c => c < 0x20 || c > 0x7E))
            {
                throw Invalid("The subject '" + subject + "' cannot be sent: it holds a double quote or a character outside printable ASCII.",
                    "Write the subject as comma-separated RDNs in printable ASCII, e.g. 'CN=nrf-352656100000000,O=Example,C=NO'.");
            }

            if (!s_distinguishedName.IsMatch(subject))
            {
                throw Invalid("The subject '" + subject + "' is not a distinguished name.", "Write it as comma-separated name=value pairs, e.g. 'CN=device-1,O=Example'.");
            }

            return subject.Trim();
        }

        /// <summary>
        /// The modem's 9-character key usage flags from names (DigitalSignature, KeyAgreement, ...,
        /// also comma-separated) or from the flag string itself; null for the modem's default.
        /// </summary>
        public static string? KeyUsageFlags(string[]? usages)
        {
            if (usages is null)
            {
                return null;
            }

            if (usages.Length == 1 && s_flags.IsMatch(usages[0]))
            {
                if (usages[0][8] == '1')
                {
                    throw Invalid("The key usage string '" + usages[0] + "' sets decipherOnly, which the modem refuses.", "Leave the ninth flag 0.");
                }

                return usages[0];
            }

            char[] bits = "000000000".ToCharArray();
            foreach (string usage in usages.SelectMany(u => u.Split(',')).Select(u => u.Trim()).Where(u => u.Length > 0))
            {
                int index = Array.FindIndex(KeyUsageNames, b => string.Equals(b, usage, StringComparison.OrdinalIgnoreCase));
                if (index < 0 || index == 8)
                {
                    throw Invalid("'" + usage + "' is not a key usage the modem accepts.",
                        "Use " + string.Join(", ", KeyUsageNames.Take(8)) + ", or a 9-character string of 0 and 1 (decipherOnly, the ninth, must be 0).");
                }

                bits[index] = '1';
            }

            return new string(bits);
        }

        /// <summary>Throws unless <paramref name="challenge"/> is null or 32 hexadecimal digits.</summary>
        public static void CheckChallenge(string? challenge)
        {
            if (challenge is not null && !s_challenge.IsMatch(challenge))
            {
                throw new ModemException(ErrorIds.AttestationChallengeInvalid, ModemErrorCategory.InvalidArgument,
                    "The challenge must be 32 hexadecimal digits (16 bytes); got " + challenge.Length.ToString(CultureInfo.InvariantCulture) + " characters.",
                    "Give 16 random bytes as hex, e.g. (1..16 | ForEach-Object { '{0:X2}' -f (Get-Random -Maximum 256) }) -join ''.");
            }
        }

        /// <summary>True when <paramref name="text"/> is CSR text itself (PEM, or a %KEYGEN reply) rather than the name of a file.</summary>
        public static bool IsCsrText(string text) =>
            text.IndexOf("-----BEGIN", StringComparison.Ordinal) >= 0 || s_keygenReply.IsMatch(text.Trim());

        /// <summary>True when the modem did not know the command (bare ERROR, CME 0 or CME 60 on early firmware).</summary>
        public static bool IsUnknownCommand(ModemCommandException ex) =>
            ex.Code is null || ex.Code == 0 || ex.Code == 60 || ex.Response.Result == AtResultKind.Error;

        private static ModemException Invalid(string message, string remedy) =>
            new ModemException(ErrorIds.KeyGenerationArgumentInvalid, ModemErrorCategory.InvalidArgument, message, remedy);
    }
}
