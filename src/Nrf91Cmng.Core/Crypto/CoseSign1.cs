using System.Formats.Cbor;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>
    /// A COSE_Sign1 message (RFC 9052, CBOR tag 18) as the nRF91 modem emits it after %KEYGEN
    /// and %ATTESTTOKEN: protected header <c>{1: -7}</c> (ES256), unprotected <c>{4: h'21'}</c>
    /// (kid), payload (or nil when detached) and a raw 64-byte r||s signature.
    /// </summary>
    public sealed class CoseSign1
    {
        /// <summary>CBOR tag of COSE_Sign1.</summary>
        public const ulong Tag = 18;

        private readonly byte[] _encoded;
        private readonly byte[] _protected;
        private readonly byte[]? _payload;
        private readonly byte[] _signature;
        private readonly byte[]? _keyId;

        private CoseSign1(byte[] encoded, byte[] protectedHeader, int? algorithm, byte[]? keyId, byte[]? payload, byte[] signature)
        {
            _encoded = encoded;
            _protected = protectedHeader;
            Algorithm = algorithm;
            _keyId = keyId;
            _payload = payload;
            _signature = signature;
        }

        /// <summary>The COSE algorithm from the protected header (-7 = ES256), or null.</summary>
        public int? Algorithm { get; }

        /// <summary>The key id from the unprotected header as uppercase hex ("21"), or null.</summary>
        public string? KeyId => _keyId is null ? null : Encodings.ToHex(_keyId);

        /// <summary>True when the payload is nil (detached; the attestation token carries it beside).</summary>
        public bool IsDetached => _payload is null;

        /// <summary>Length of the signature in bytes (64 for ES256).</summary>
        public int SignatureLength => _signature.Length;

        /// <summary>The whole COSE_Sign1 as received (a copy).</summary>
        public byte[] GetEncoded() => (byte[])_encoded.Clone();

        /// <summary>The serialized protected header (a copy).</summary>
        public byte[] GetProtectedHeader() => (byte[])_protected.Clone();

        /// <summary>The payload (a copy), or null when detached.</summary>
        public byte[]? GetPayload() => _payload is null ? null : (byte[])_payload.Clone();

        /// <summary>The raw signature (a copy).</summary>
        public byte[] GetSignature() => (byte[])_signature.Clone();

        internal byte[]? Payload => _payload;

        /// <summary>
        /// Verifies the signature with <paramref name="publicKey"/> (for the modem's messages, the
        /// device identity key). A detached message needs <paramref name="detachedPayload"/>.
        /// Returns false when the signature does not verify.
        /// </summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.CoseVerificationUnsupported"/> for a key or algorithm that cannot verify ES256/384/512.</exception>
        public bool VerifySignature(PublicKeyInfo publicKey, byte[]? detachedPayload = null)
        {
            if (publicKey is null)
            {
                throw new ArgumentNullException(nameof(publicKey));
            }

            byte[]? payload = _payload ?? detachedPayload;
            if (payload is null)
            {
                throw new ArgumentException("The COSE payload is detached: pass it as detachedPayload.", nameof(detachedPayload));
            }

            string signer;
            int size;
            switch (Algorithm)
            {
                case -7:
                    signer = "SHA-256withPLAIN-ECDSA";
                    size = 256;
                    break;
                case -35:
                    signer = "SHA-384withPLAIN-ECDSA";
                    size = 384;
                    break;
                case -36:
                    signer = "SHA-512withPLAIN-ECDSA";
                    size = 521;
                    break;
                default:
                    throw new ModemException(ErrorIds.CoseVerificationUnsupported, ModemErrorCategory.InvalidArgument,
                        "The COSE signature uses algorithm " + (Algorithm?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)") + ", which this module does not verify (ES256, ES384, ES512 only).",
                        "Verify it with a COSE library that supports the algorithm.");
            }

            if (!(publicKey.Key is ECPublicKeyParameters ec) || ec.Parameters.Curve.FieldSize != size)
            {
                throw new ModemException(ErrorIds.CoseVerificationUnsupported, ModemErrorCategory.InvalidArgument,
                    "The key (" + publicKey + ") cannot verify an " + (size == 256 ? "ES256" : size == 384 ? "ES384" : "ES512") + " signature: an EC key on the matching curve is needed.",
                    "Give the device identity public key (EC P-256) of the modem that produced the message.");
            }

            int half = (size + 7) / 8;
            if (_signature.Length != 2 * half)
            {
                return false;
            }

            byte[] toBeSigned = SigStructure(_protected, payload);
            ISigner verifier = SignerUtilities.GetSigner(signer);
            verifier.Init(false, ec);
            verifier.BlockUpdate(toBeSigned, 0, toBeSigned.Length);
            try
            {
                return verifier.VerifySignature(_signature);
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                return false;
            }
        }

        /// <summary>Sig_structure = ["Signature1", protected, external_aad h'', payload] (RFC 9052 §4.4).</summary>
        internal static byte[] SigStructure(byte[] protectedHeader, byte[] payload)
        {
            var writer = new CborWriter(CborConformanceMode.Strict);
            writer.WriteStartArray(4);
            writer.WriteTextString("Signature1");
            writer.WriteByteString(protectedHeader);
            writer.WriteByteString(Array.Empty<byte>());
            writer.WriteByteString(payload);
            writer.WriteEndArray();
            return writer.Encode();
        }

        /// <summary>Decodes a COSE_Sign1; on failure returns null and says why.</summary>
        internal static CoseSign1? TryDecode(byte[] encoded, out string why)
        {
            try
            {
                var reader = new CborReader(encoded, CborConformanceMode.Lax);
                if (reader.PeekState() == CborReaderState.Tag)
                {
                    CborTag tag = reader.ReadTag();
                    if ((ulong)tag != Tag)
                    {
                        why = "it carries CBOR tag " + ((ulong)tag).ToString(System.Globalization.CultureInfo.InvariantCulture) + ", not 18 (COSE_Sign1)";
                        return null;
                    }
                }

                int? count = reader.ReadStartArray();
                if (count != 4)
                {
                    why = "it is not an array of 4 items";
                    return null;
                }

                byte[] protectedHeader = reader.ReadByteString();
                int? algorithm = ReadAlgorithm(protectedHeader);
                byte[]? keyId = ReadKeyId(reader);
                byte[]? payload = null;
                if (reader.PeekState() == CborReaderState.Null)
                {
                    reader.ReadNull();
                }
                else
                {
                    payload = reader.ReadByteString();
                }

                byte[] signature = reader.ReadByteString();
                reader.ReadEndArray();
                if (reader.BytesRemaining != 0)
                {
                    why = "bytes follow the COSE_Sign1";
                    return null;
                }

                if (signature.Length == 0)
                {
                    why = "the signature is empty";
                    return null;
                }

                why = string.Empty;
                return new CoseSign1(encoded, protectedHeader, algorithm, keyId, payload, signature);
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                why = "its CBOR does not have the COSE_Sign1 shape (" + e.GetType().Name + ")";
                return null;
            }
        }

        private static int? ReadAlgorithm(byte[] protectedHeader)
        {
            if (protectedHeader.Length == 0)
            {
                return null;
            }

            var reader = new CborReader(protectedHeader, CborConformanceMode.Lax);
            int? algorithm = null;
            reader.ReadStartMap();
            while (reader.PeekState() != CborReaderState.EndMap)
            {
                if (reader.PeekState() == CborReaderState.UnsignedInteger || reader.PeekState() == CborReaderState.NegativeInteger)
                {
                    long key = reader.ReadInt64();
                    if (key == 1 && (reader.PeekState() == CborReaderState.NegativeInteger || reader.PeekState() == CborReaderState.UnsignedInteger))
                    {
                        algorithm = reader.ReadInt32();
                        continue;
                    }
                }
                else
                {
                    reader.SkipValue();
                }

                reader.SkipValue();
            }

            reader.ReadEndMap();
            if (reader.BytesRemaining != 0)
            {
                throw new CborContentException("bytes follow the protected header");
            }

            return algorithm;
        }

        private static byte[]? ReadKeyId(CborReader reader)
        {
            byte[]? keyId = null;
            reader.ReadStartMap();
            while (reader.PeekState() != CborReaderState.EndMap)
            {
                if (reader.PeekState() == CborReaderState.UnsignedInteger || reader.PeekState() == CborReaderState.NegativeInteger)
                {
                    long key = reader.ReadInt64();
                    if (key == 4 && reader.PeekState() == CborReaderState.ByteString)
                    {
                        keyId = reader.ReadByteString();
                        continue;
                    }
                }
                else
                {
                    reader.SkipValue();
                }

                reader.SkipValue();
            }

            reader.ReadEndMap();
            return keyId;
        }
    }
}
