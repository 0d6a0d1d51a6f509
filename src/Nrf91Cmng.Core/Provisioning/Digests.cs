using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Nrf91Cmng.Core.Provisioning
{
    /// <summary>Digest and naming helpers shared by the write paths.</summary>
    public static class Digests
    {
        /// <summary>Uppercase hex SHA-256 of the bytes of <paramref name="content"/> (one byte per char, as sent).</summary>
        public static string Sha256Hex(string content)
        {
            var bytes = new byte[content.Length];
            for (int i = 0; i < content.Length; i++)
            {
                bytes[i] = (byte)content[i];
            }

            using SHA256 sha = SHA256.Create();
            byte[] digest = sha.ComputeHash(bytes);
            var hex = new StringBuilder(64);
            foreach (byte b in digest)
            {
                hex.Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }

            return hex.ToString();
        }

        /// <summary>"root CA certificate", "client private key", ...</summary>
        public static string TypeWords(int type) => type switch
        {
            0 => "root CA certificate",
            1 => "client certificate",
            2 => "client private key",
            3 => "PSK",
            4 => "PSK identity",
            5 => "public key",
            6 => "device identity public key",
            8 => "endorsement key",
            9 => "ownership key",
            10 => "Nordic identity root CA",
            11 => "Nordic base public key",
            _ => "type " + type.ToString(CultureInfo.InvariantCulture) + " credential",
        };
    }
}
