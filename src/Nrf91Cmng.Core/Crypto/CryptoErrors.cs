using Org.BouncyCastle.Asn1;

namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>Shared error construction and safe ASN.1 entry points for the crypto parsers.</summary>
    internal static class CryptoErrors
    {
        public static ModemException InvalidData(string errorId, string message, string remedy, Exception? inner = null) =>
            new ModemException(errorId, ModemErrorCategory.InvalidData, message, remedy, inner);

        public static ModemException Parser(string errorId, string message, string remedy, Exception? inner = null) =>
            new ModemException(errorId, ModemErrorCategory.ParserError, message, remedy, inner);

        /// <summary>Parses exactly one DER object (no trailing bytes); null when it is not one.</summary>
        public static Asn1Object? TryReadDer(byte[] der)
        {
            if (der.Length < 2 || der.Length > 1 << 20)
            {
                return null;
            }

            try
            {
                using (var stream = new MemoryStream(der, writable: false))
                using (var input = new Asn1InputStream(stream, der.Length))
                {
                    Asn1Object? obj = input.ReadObject();
                    if (obj is null || stream.Position != der.Length)
                    {
                        return null;
                    }

                    return obj;
                }
            }
            catch (Exception e) when (IsParseFailure(e))
            {
                return null;
            }
        }

        /// <summary>
        /// True for the exceptions BouncyCastle and System.Formats.Cbor raise on bad input. Our own
        /// <see cref="ModemException"/>s and fatal runtime errors are not parse failures.
        /// </summary>
        public static bool IsParseFailure(Exception e) =>
            !(e is ModemException) && !(e is OutOfMemoryException) && !(e is StackOverflowException) && !(e is OperationCanceledException);
    }
}
