using System;

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
    }
}
