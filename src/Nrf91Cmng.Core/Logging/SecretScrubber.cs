namespace Nrf91Cmng.Core.Logging
{
    /// <summary>
    /// A second line of defence behind command redaction: masks anything that looks like a PEM
    /// private key block or a quoted PSK in text bound for a log or transcript.
    /// </summary>
    public static class SecretScrubber
    {
        private static readonly Regex s_privateKeyBlock = new Regex(
            "-----BEGIN ((?:ENCRYPTED |RSA |EC )?PRIVATE KEY)-----.*?(-----END \\1-----|$)",
            RegexOptions.CultureInvariant | RegexOptions.Singleline);

        private static readonly Regex s_pskWrite = new Regex(
            "(AT%CMNG=0\\s*,\\s*\\d+\\s*,\\s*3\\s*,\\s*\")([0-9A-Fa-f]+)(\")",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>Returns <paramref name="text"/> with private keys and PSKs replaced by a marker.</summary>
        public static string Scrub(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            string result = text.IndexOf("PRIVATE KEY", System.StringComparison.Ordinal) >= 0
                ? s_privateKeyBlock.Replace(text, "<private key hidden>")
                : text;
            return result.IndexOf("%CMNG", System.StringComparison.OrdinalIgnoreCase) >= 0
                ? s_pskWrite.Replace(result, "$1<PSK hidden>$3")
                : result;
        }
    }
}
