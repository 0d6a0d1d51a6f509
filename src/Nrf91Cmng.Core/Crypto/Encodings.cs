using System.Security.Cryptography;

namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>Hex, base64url and digest glue shared by the crypto parsers.</summary>
    internal static class Encodings
    {
        private const string HexDigits = "0123456789ABCDEF";

        /// <summary>Uppercase hex of <paramref name="bytes"/>.</summary>
        public static string ToHex(byte[] bytes)
        {
            var sb = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes)
            {
                sb.Append(HexDigits[b >> 4]).Append(HexDigits[b & 0xF]);
            }

            return sb.ToString();
        }

        /// <summary>Uppercase hex SHA-256 of <paramref name="bytes"/>.</summary>
        public static string Sha256Hex(byte[] bytes) => ToHex(Sha256(bytes));

        /// <summary>SHA-256 of <paramref name="bytes"/>.</summary>
        public static byte[] Sha256(byte[] bytes)
        {
            using (var sha = SHA256.Create())
            {
                return sha.ComputeHash(bytes);
            }
        }

        /// <summary>Uppercase hex SHA-1 of <paramref name="bytes"/> (certificate thumbprints).</summary>
        public static string Sha1Hex(byte[] bytes)
        {
            using (var sha = SHA1.Create())
            {
                return ToHex(sha.ComputeHash(bytes));
            }
        }

        /// <summary>True when <paramref name="c"/> is 0-9, a-f or A-F.</summary>
        public static bool IsHexDigit(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

        /// <summary>Parses an even-length hex string; null when it is not one.</summary>
        public static byte[]? TryFromHex(string hex)
        {
            if (hex.Length % 2 != 0)
            {
                return null;
            }

            var result = new byte[hex.Length / 2];
            for (int i = 0; i < result.Length; i++)
            {
                int hi = HexValue(hex[2 * i]);
                int lo = HexValue(hex[(2 * i) + 1]);
                if (hi < 0 || lo < 0)
                {
                    return null;
                }

                result[i] = (byte)((hi << 4) | lo);
            }

            return result;
        }

        private static int HexValue(char c) =>
            c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

        /// <summary>
        /// Decodes base64url (RFC 4648 §5) with or without padding; standard base64 characters
        /// are accepted too. Returns null on any other character or an impossible length.
        /// </summary>
        public static byte[]? TryFromBase64Url(string text)
        {
            if (text.Length == 0)
            {
                return null;
            }

            var sb = new StringBuilder(text.Length + 3);
            foreach (char c in text)
            {
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/')
                {
                    sb.Append(c);
                }
                else if (c == '-')
                {
                    sb.Append('+');
                }
                else if (c == '_')
                {
                    sb.Append('/');
                }
                else if (c != '=')
                {
                    return null;
                }
            }

            switch (sb.Length % 4)
            {
                case 1:
                    return null;
                case 2:
                    sb.Append("==");
                    break;
                case 3:
                    sb.Append('=');
                    break;
            }

            try
            {
                return Convert.FromBase64String(sb.ToString());
            }
            catch (FormatException)
            {
                return null;
            }
        }

        /// <summary>A GUID from 16 bytes in network (RFC 4122) order.</summary>
        public static Guid GuidFromBigEndian(byte[] bytes)
        {
            if (bytes.Length != 16)
            {
                throw new ArgumentException("A UUID has 16 bytes.", nameof(bytes));
            }

            return new Guid(ToHex(bytes));
        }
    }
}
