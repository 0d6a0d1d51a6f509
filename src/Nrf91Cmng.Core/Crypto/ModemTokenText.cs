namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>Glue: the <c>&lt;A&gt;.&lt;B&gt;</c> payload of a %KEYGEN / %ATTESTTOKEN line.</summary>
    internal static class ModemTokenText
    {
        /// <summary>
        /// Strips an optional <c>%PREFIX:</c>, surrounding whitespace and one pair of quotes.
        /// Returns null when the quotes are unbalanced.
        /// </summary>
        public static string? ExtractPayload(string text, string prefix)
        {
            string s = text.Trim();
            if (s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                s = s.Substring(prefix.Length).Trim();
            }

            if (s.Length > 0 && s[0] == '"')
            {
                if (s.Length < 2 || s[s.Length - 1] != '"')
                {
                    return null;
                }

                s = s.Substring(1, s.Length - 2).Trim();
            }

            return s.IndexOf('"') >= 0 ? null : s;
        }

        /// <summary>Splits <c>A.B</c> and decodes both parts; Why is non-empty when the shape or base64url is wrong.</summary>
        public static (byte[] First, byte[] Second, string Why) Split(string payload)
        {
            string[] parts = payload.Split('.');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                return (Array.Empty<byte>(), Array.Empty<byte>(), parts.Length == 1
                    ? "it has no '.' between the two parts"
                    : "it does not have exactly two non-empty parts separated by '.'");
            }

            byte[]? first = Encodings.TryFromBase64Url(parts[0]);
            if (first is null)
            {
                return (Array.Empty<byte>(), Array.Empty<byte>(), "the part before the '.' is not base64url");
            }

            byte[]? second = Encodings.TryFromBase64Url(parts[1]);
            if (second is null)
            {
                return (Array.Empty<byte>(), Array.Empty<byte>(), "the part after the '.' is not base64url");
            }

            return (first, second, string.Empty);
        }
    
        /// <summary>
        /// Splits a <c>%PREFIX: "A.B"</c> reply (whole line, quoted payload or bare) into the decoded
        /// first part (and the A.B text) and the COSE_Sign1 of the second; <paramref name="malformed"/> and
        /// <paramref name="coseInvalid"/> make the caller's typed errors from a reason.
        /// </summary>
        public static CoseSign1 DecodeSigned(string text, string prefix, Func<string, Exception> malformed, Func<string, Exception> coseInvalid, out string payload, out byte[] first)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            payload = ExtractPayload(text, prefix) ?? throw malformed("its quotes are unbalanced");
            (byte[] a, byte[] b, string why) = Split(payload);
            if (why.Length != 0)
            {
                throw malformed(why);
            }

            CoseSign1? cose = CoseSign1.TryDecode(b, out string coseWhy);
            if (cose is null)
            {
                throw coseInvalid("the second part is not a COSE_Sign1: " + coseWhy);
            }

            first = a;
            return cose;
        }
    }
}
