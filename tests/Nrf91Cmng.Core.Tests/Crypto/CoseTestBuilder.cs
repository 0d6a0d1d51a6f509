using System.Formats.Cbor;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace Nrf91Cmng.Core.Tests.Crypto
{
    /// <summary>Builds modem-shaped %KEYGEN and %ATTESTTOKEN payloads signed with a test key.</summary>
    internal static class CoseTestBuilder
    {
        public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static byte[] Uuid(string uuid) => Convert.FromHexString(uuid.Replace("-", string.Empty));

        public static string Keygen(byte[] der, int payloadId, string uuid, uint secTag, AsymmetricKeyParameter signingKey, byte[]? digest = null, int alg = -7)
        {
            var inner = new CborWriter();
            inner.WriteUInt32(secTag);
            var payload = new CborWriter();
            payload.WriteTag((CborTag)55799);
            payload.WriteStartArray(5);
            payload.WriteInt32(payloadId);
            payload.WriteByteString(Uuid(uuid));
            payload.WriteByteString(inner.Encode());
            payload.WriteByteString(digest ?? SHA256.HashData(der));
            payload.WriteByteString(RandomNumberGenerator.GetBytes(16));
            payload.WriteEndArray();
            return Base64Url(der) + "." + Base64Url(Sign1(payload.Encode(), attach: true, signingKey, alg));
        }

        public static byte[] AttestationBody(string uuid, int deviceType, string fwUuid, int messageType = 1)
        {
            var body = new CborWriter();
            body.WriteTag((CborTag)55799);
            body.WriteStartArray(5);
            body.WriteInt32(messageType);
            body.WriteByteString(Uuid(uuid));
            body.WriteInt32(deviceType);
            body.WriteByteString(Uuid(fwUuid));
            body.WriteByteString(RandomNumberGenerator.GetBytes(16));
            body.WriteEndArray();
            return body.Encode();
        }

        public static string Attestation(byte[] body, AsymmetricKeyParameter signingKey) =>
            Base64Url(body) + "." + Base64Url(Sign1(body, attach: false, signingKey, -7));

        public static byte[] Sign1(byte[] payload, bool attach, AsymmetricKeyParameter signingKey, int alg)
        {
            var protectedHeader = new CborWriter();
            protectedHeader.WriteStartMap(1);
            protectedHeader.WriteInt32(1);
            protectedHeader.WriteInt32(alg);
            protectedHeader.WriteEndMap();
            byte[] prot = protectedHeader.Encode();

            var sigStructure = new CborWriter();
            sigStructure.WriteStartArray(4);
            sigStructure.WriteTextString("Signature1");
            sigStructure.WriteByteString(prot);
            sigStructure.WriteByteString(Array.Empty<byte>());
            sigStructure.WriteByteString(payload);
            sigStructure.WriteEndArray();
            byte[] tbs = sigStructure.Encode();
            ISigner signer = SignerUtilities.GetSigner(alg == -35 ? "SHA-384withPLAIN-ECDSA" : "SHA-256withPLAIN-ECDSA");
            signer.Init(true, signingKey);
            signer.BlockUpdate(tbs, 0, tbs.Length);
            byte[] signature = signer.GenerateSignature();

            var cose = new CborWriter();
            cose.WriteTag((CborTag)18);
            cose.WriteStartArray(4);
            cose.WriteByteString(prot);
            cose.WriteStartMap(1);
            cose.WriteInt32(4);
            cose.WriteByteString(new byte[] { 0x21 });
            cose.WriteEndMap();
            if (attach)
            {
                cose.WriteByteString(payload);
            }
            else
            {
                cose.WriteNull();
            }

            cose.WriteByteString(signature);
            cose.WriteEndArray();
            return cose.Encode();
        }
    }
}
