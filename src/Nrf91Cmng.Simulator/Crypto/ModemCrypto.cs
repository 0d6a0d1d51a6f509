using System.Formats.Cbor;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Nrf91Cmng.Simulator
{
    /// <summary>
    /// The cryptography of the virtual modem: P-256 keys, the %KEYGEN CSR (DER built by hand so the
    /// signature AlgorithmIdentifier matches each firmware byte for byte), the COSE_Sign1 envelopes
    /// of %KEYGEN and %ATTESTTOKEN, and base64url. Layouts were decoded from the real vectors
    /// (transcripts TV-2 and TV-6).
    /// </summary>
    internal static class ModemCrypto
    {
        /// <summary>COSE payload id of a CSR message (CSR_msg_v1).</summary>
        public const int PayloadIdCsr = 9;

        /// <summary>COSE payload id of a public-key message (pubkey_msg_v2).</summary>
        public const int PayloadIdPublicKey = 8;

        /// <summary>keyUsage the modem requests by default: digitalSignature, nonRepudiation, keyEncipherment, keyAgreement.</summary>
        public const int DefaultKeyUsage = KeyUsage.DigitalSignature | KeyUsage.NonRepudiation | KeyUsage.KeyEncipherment | KeyUsage.KeyAgreement;

        private const int CoseTagSign1 = 18;
        private static readonly byte[] s_protectedHeader = { 0xA1, 0x01, 0x26 };
        private static readonly byte[] s_keyId = { 0x21 };

        /// <summary>Subject attribute names %KEYGEN accepts, mapped to their OIDs.</summary>
        private static readonly Dictionary<string, DerObjectIdentifier> s_subjectKeys =
            new Dictionary<string, DerObjectIdentifier>(StringComparer.OrdinalIgnoreCase)
            {
                ["C"] = X509Name.C,
                ["ST"] = X509Name.ST,
                ["L"] = X509Name.L,
                ["O"] = X509Name.O,
                ["OU"] = X509Name.OU,
                ["CN"] = X509Name.CN,
                ["E"] = X509Name.EmailAddress,
                ["emailAddress"] = X509Name.EmailAddress,
                ["serialNumber"] = X509Name.SerialNumber,
                ["DC"] = X509Name.DC,
            };

        /// <summary>Creates a deterministic (seeded) or system random generator for keys and nonces.</summary>
        public static SecureRandom CreateRandom(int? seed)
        {
            if (seed is null)
            {
                return new SecureRandom();
            }

            var random = new SecureRandom(new Org.BouncyCastle.Crypto.Prng.DigestRandomGenerator(new Sha256Digest()));
            random.SetSeed(Encoding.ASCII.GetBytes("nrf91cmng-virtual-modem:" + seed.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            return random;
        }

        /// <summary>A fresh P-256 key pair carrying the named-curve OID (so its SPKI names prime256v1).</summary>
        public static AsymmetricCipherKeyPair GenerateP256(SecureRandom random)
        {
            var generator = new ECKeyPairGenerator("EC");
            generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
            return generator.GenerateKeyPair();
        }

        /// <summary>DER SubjectPublicKeyInfo.</summary>
        public static byte[] SubjectPublicKeyInfoDer(ECPublicKeyParameters key) =>
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key).GetDerEncoded();

        /// <summary>DER PKCS#8 PrivateKeyInfo.</summary>
        public static byte[] Pkcs8Der(ECPrivateKeyParameters key) =>
            PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetDerEncoded();

        /// <summary>PEM text with LF line ends and no final newline.</summary>
        public static string Pem(string label, byte[] der)
        {
            string b64 = Convert.ToBase64String(der);
            var text = new StringBuilder();
            text.Append("-----BEGIN ").Append(label).Append("-----\n");
            for (int i = 0; i < b64.Length; i += 64)
            {
                text.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
            }

            text.Append("-----END ").Append(label).Append("-----");
            return text.ToString();
        }

        /// <summary>Parses %KEYGEN's attribute string (<c>O=Nordic,L=Trondheim,CN=dev</c>); null when malformed.</summary>
        public static X509Name? ParseSubject(string attributes)
        {
            var oids = new List<DerObjectIdentifier>();
            var values = new List<string>();
            foreach (string part in attributes.Split(','))
            {
                int eq = part.IndexOf('=');
                if (eq <= 0)
                {
                    return null;
                }

                string key = part.Substring(0, eq).Trim();
                string value = part.Substring(eq + 1);
                if (!s_subjectKeys.TryGetValue(key, out DerObjectIdentifier? oid) || value.Length == 0)
                {
                    return null;
                }

                oids.Add(oid);
                values.Add(value);
            }

            return oids.Count == 0 ? null : new X509Name(oids, values);
        }

        /// <summary>The default subject: <c>CN=&lt;device uuid, lower case&gt;</c>.</summary>
        public static X509Name DefaultSubject(Guid deviceUuid) =>
            new X509Name(new List<DerObjectIdentifier> { X509Name.CN }, new List<string> { deviceUuid.ToString("D") });

        /// <summary>The DER CertificationRequestInfo of a %KEYGEN CSR (extensionRequest with a non-critical keyUsage).</summary>
        public static byte[] BuildCsrInfo(X509Name subject, SubjectPublicKeyInfo publicKey, int keyUsageBits)
        {
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(X509Extensions.KeyUsage, false, new KeyUsage(keyUsageBits));
            var request = new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions.Generate()));
            var info = new CertificationRequestInfo(subject, publicKey, new DerSet(request));
            return info.GetDerEncoded();
        }

        /// <summary>
        /// A complete DER CSR signed with ecdsa-with-SHA256; <paramref name="explicitNull"/> adds the
        /// NULL parameter the modem firmware emits (<c>30 0C 06 08 2A 86 48 CE 3D 04 03 02 05 00</c>).
        /// </summary>
        public static byte[] BuildCsr(byte[] infoDer, ECPrivateKeyParameters key, bool explicitNull) =>
            AssembleCsr(infoDer, explicitNull, SignDer(key, infoDer));

        /// <summary>SEQUENCE { info, ecdsa-with-SHA256 [NULL], BIT STRING signature }.</summary>
        public static byte[] AssembleCsr(byte[] infoDer, bool explicitNull, byte[] signatureDer)
        {
            var algorithm = explicitNull
                ? new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256, DerNull.Instance)
                : new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256);
            var csr = new DerSequence(
                Asn1Object.FromByteArray(infoDer),
                algorithm,
                new DerBitString(signatureDer));
            return csr.GetDerEncoded();
        }

        /// <summary>ECDSA P-256 over SHA-256 of <paramref name="message"/>, deterministic k (RFC 6979), DER-encoded.</summary>
        public static byte[] SignDer(ECPrivateKeyParameters key, byte[] message)
        {
            BigInteger[] rs = Sign(key, message);
            return new DerSequence(new DerInteger(rs[0]), new DerInteger(rs[1])).GetDerEncoded();
        }

        /// <summary>ECDSA P-256 over SHA-256 of <paramref name="message"/> as raw 64-byte r||s (COSE form).</summary>
        public static byte[] SignRaw(ECPrivateKeyParameters key, byte[] message)
        {
            BigInteger[] rs = Sign(key, message);
            var raw = new byte[64];
            rs[0].ToByteArrayUnsigned().CopyTo(raw, 32 - rs[0].ToByteArrayUnsigned().Length);
            rs[1].ToByteArrayUnsigned().CopyTo(raw, 64 - rs[1].ToByteArrayUnsigned().Length);
            return raw;
        }

        /// <summary>Verifies a raw r||s ECDSA P-256 SHA-256 signature.</summary>
        public static bool VerifyRaw(ECPublicKeyParameters key, byte[] message, byte[] rawSignature)
        {
            if (rawSignature.Length != 64)
            {
                return false;
            }

            var signer = new ECDsaSigner();
            signer.Init(false, key);
            var r = new BigInteger(1, rawSignature, 0, 32);
            var s = new BigInteger(1, rawSignature, 32, 32);
            return signer.VerifySignature(Sha256(message), r, s);
        }

        /// <summary>The %KEYGEN COSE payload: tag 55799 around [id, uuid, bstr(cbor sec_tag), sha256, nonce].</summary>
        public static byte[] KeygenPayload(int payloadId, byte[] deviceUuid, uint secTag, byte[] digest, byte[] nonce)
        {
            var tagWriter = new CborWriter();
            tagWriter.WriteUInt32(secTag);
            byte[] encodedTag = tagWriter.Encode();

            var writer = new CborWriter();
            writer.WriteTag(CborTag.SelfDescribeCbor);
            writer.WriteStartArray(5);
            writer.WriteInt32(payloadId);
            writer.WriteByteString(deviceUuid);
            writer.WriteByteString(encodedTag);
            writer.WriteByteString(digest);
            writer.WriteByteString(nonce);
            writer.WriteEndArray();
            return writer.Encode();
        }

        /// <summary>The %ATTESTTOKEN body: tag 55799 around [1, uuid, device type, firmware uuid, nonce].</summary>
        public static byte[] AttestationBody(byte[] deviceUuid, int deviceType, byte[] firmwareUuid, byte[] nonce)
        {
            var writer = new CborWriter();
            writer.WriteTag(CborTag.SelfDescribeCbor);
            writer.WriteStartArray(5);
            writer.WriteInt32(1);
            writer.WriteByteString(deviceUuid);
            writer.WriteInt32(deviceType);
            writer.WriteByteString(firmwareUuid);
            writer.WriteByteString(nonce);
            writer.WriteEndArray();
            return writer.Encode();
        }

        /// <summary>The COSE Sig_structure <c>["Signature1", h'A10126', h'', payload]</c>.</summary>
        public static byte[] SigStructure(byte[] payload)
        {
            var writer = new CborWriter();
            writer.WriteStartArray(4);
            writer.WriteTextString("Signature1");
            writer.WriteByteString(s_protectedHeader);
            writer.WriteByteString(Array.Empty<byte>());
            writer.WriteByteString(payload);
            writer.WriteEndArray();
            return writer.Encode();
        }

        /// <summary>
        /// A COSE_Sign1 (tag 18): protected <c>{1:-7}</c>, unprotected <c>{4:h'21'}</c>, the payload
        /// (or nil when <paramref name="embedPayload"/> is false: detached) and the raw signature.
        /// </summary>
        public static byte[] CoseSign1(byte[] payload, bool embedPayload, byte[] rawSignature)
        {
            var writer = new CborWriter();
            writer.WriteTag((CborTag)CoseTagSign1);
            writer.WriteStartArray(4);
            writer.WriteByteString(s_protectedHeader);
            writer.WriteStartMap(1);
            writer.WriteInt32(4);
            writer.WriteByteString(s_keyId);
            writer.WriteEndMap();
            if (embedPayload)
            {
                writer.WriteByteString(payload);
            }
            else
            {
                writer.WriteNull();
            }

            writer.WriteByteString(rawSignature);
            writer.WriteEndArray();
            return writer.Encode();
        }

        /// <summary>Signs <paramref name="payload"/> and wraps it in a COSE_Sign1.</summary>
        public static byte[] SignCose(ECPrivateKeyParameters key, byte[] payload, bool embedPayload) =>
            CoseSign1(payload, embedPayload, SignRaw(key, SigStructure(payload)));

        /// <summary>SHA-256.</summary>
        public static byte[] Sha256(byte[] data)
        {
            using (var sha = SHA256.Create())
            {
                return sha.ComputeHash(data);
            }
        }

        /// <summary>Base64url without padding.</summary>
        public static string Base64Url(byte[] data) =>
            Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        /// <summary>Decodes base64url with or without padding.</summary>
        public static byte[] FromBase64Url(string text)
        {
            string b64 = text.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(b64 + new string('=', (4 - (b64.Length % 4)) % 4));
        }

        /// <summary>The 16 bytes of a UUID in RFC 4122 (network) order.</summary>
        public static byte[] RfcBytes(Guid uuid) => SwapGuidFields(uuid.ToByteArray());

        /// <summary>A UUID from 16 bytes in RFC 4122 order.</summary>
        public static Guid GuidFromRfcBytes(byte[] rfc) => new Guid(SwapGuidFields((byte[])rfc.Clone()));

        /// <summary>A UUID from 16 bytes in RFC 4122 order with the version (4) and variant bits set in place.</summary>
        public static Guid Version4Uuid(byte[] rfc)
        {
            rfc[6] = (byte)(0x40 | (rfc[6] & 0x0F));
            rfc[8] = (byte)(0x80 | (rfc[8] & 0x3F));
            return GuidFromRfcBytes(rfc);
        }

        /// <summary>Reverses the first three fields in place (between <see cref="Guid"/> and RFC 4122 byte order, both ways).</summary>
        private static byte[] SwapGuidFields(byte[] b)
        {
            Array.Reverse(b, 0, 4);
            Array.Reverse(b, 4, 2);
            Array.Reverse(b, 6, 2);
            return b;
        }

        private static BigInteger[] Sign(ECPrivateKeyParameters key, byte[] message)
        {
            var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
            signer.Init(true, key);
            return signer.GenerateSignature(Sha256(message));
        }
    }
}
