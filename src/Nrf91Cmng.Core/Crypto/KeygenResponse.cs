using System.Formats.Cbor;
using Org.BouncyCastle.Asn1;

namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>What a %KEYGEN response carries.</summary>
    public enum KeygenOutputKind
    {
        /// <summary>A PKCS#10 certificate signing request (response_content 0, COSE payload_id 9).</summary>
        Csr,

        /// <summary>A SubjectPublicKeyInfo (response_content 1, COSE payload_id 8).</summary>
        PublicKey,
    }

    /// <summary>
    /// A decoded <c>%KEYGEN: "&lt;A&gt;.&lt;B&gt;"</c> response (spec §4): A is the DER CSR or
    /// public key, B a COSE_Sign1 whose payload (CBOR tag 55799) is
    /// <c>[payload_id, device_uuid(16), bstr(CBOR uint sec_tag), sha256(A), nonce(16)]</c>.
    /// </summary>
    public sealed class KeygenResponse
    {
        /// <summary>COSE payload_id of a CSR message (CSR_msg_v1).</summary>
        public const int CsrPayloadId = 9;

        /// <summary>COSE payload_id of a public key message (pubkey_msg_v2).</summary>
        public const int PublicKeyPayloadId = 8;

        private const ulong SelfDescribeTag = 55799;
        private readonly byte[] _der;
        private readonly byte[] _nonce;

        private KeygenResponse(string text, KeygenOutputKind kind, byte[] der, CertificateRequestInfo? request, PublicKeyInfo publicKey,
            CoseSign1 cose, int payloadId, Guid deviceUuid, long secTag, byte[] digest, byte[] nonce)
        {
            Text = text;
            Kind = kind;
            _der = der;
            Request = request;
            PublicKey = publicKey;
            Cose = cose;
            PayloadId = payloadId;
            DeviceUuid = deviceUuid;
            SecTag = secTag;
            EmbeddedDigest = Encodings.ToHex(digest);
            _nonce = nonce;
            Sha256 = Encodings.Sha256Hex(der);
            DigestValid = string.Equals(Sha256, EmbeddedDigest, StringComparison.Ordinal);
            Pem = PemText.Encode(kind == KeygenOutputKind.Csr ? "CERTIFICATE REQUEST" : "PUBLIC KEY", der);
        }

        /// <summary>The <c>&lt;A&gt;.&lt;B&gt;</c> payload as received.</summary>
        public string Text { get; }

        /// <summary>CSR or public key.</summary>
        public KeygenOutputKind Kind { get; }

        /// <summary>The CSR (<c>CERTIFICATE REQUEST</c>) or public key (<c>PUBLIC KEY</c>) as PEM, LF line ends, trailing newline.</summary>
        public string Pem { get; }

        /// <summary>The decoded CSR, or null for a public key response.</summary>
        public CertificateRequestInfo? Request { get; }

        /// <summary>The CSR's subject ("CN=&lt;device uuid&gt;" by default), or null for a public key response.</summary>
        public string? Subject => Request?.Subject;

        /// <summary>The generated key pair's public key.</summary>
        public PublicKeyInfo PublicKey { get; }

        /// <summary>The public key as <c>PUBLIC KEY</c> PEM.</summary>
        public string PublicKeyPem => PublicKey.Pem;

        /// <summary>The device UUID from the COSE payload.</summary>
        public Guid DeviceUuid { get; }

        /// <summary>The device UUID printed lowercase with dashes ("50363154-3932-4834-802b-0908718314dc").</summary>
        public string DeviceUuidString => DeviceUuid.ToString("D");

        /// <summary>The sec_tag the key was generated at (from the COSE payload).</summary>
        public long SecTag { get; }

        /// <summary>COSE payload_id: 9 = CSR, 8 = public key.</summary>
        public int PayloadId { get; }

        /// <summary>Uppercase hex SHA-256 of <see cref="GetDer"/>.</summary>
        public string Sha256 { get; }

        /// <summary>The SHA-256 the modem put into the COSE payload, uppercase hex.</summary>
        public string EmbeddedDigest { get; }

        /// <summary>True when <see cref="EmbeddedDigest"/> equals <see cref="Sha256"/>.</summary>
        public bool DigestValid { get; }

        /// <summary>The 16-byte nonce from the COSE payload, uppercase hex.</summary>
        public string Nonce => Encodings.ToHex(_nonce);

        /// <summary>The COSE_Sign1.</summary>
        public CoseSign1 Cose { get; }

        /// <summary>The DER of the CSR or public key (a copy).</summary>
        public byte[] GetDer() => (byte[])_der.Clone();

        /// <summary>The raw COSE_Sign1 bytes (a copy).</summary>
        public byte[] GetCose() => Cose.GetEncoded();

        /// <summary>Verifies the COSE signature with the device identity public key.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.CoseVerificationUnsupported"/>.</exception>
        public bool VerifySignature(PublicKeyInfo deviceIdentityKey) => Cose.VerifySignature(deviceIdentityKey);

        /// <summary>Verifies the COSE signature with a PEM public key.</summary>
        public bool VerifySignature(string deviceIdentityKeyPem) => Cose.VerifySignature(PublicKeyInfo.FromPem(deviceIdentityKeyPem));

        /// <summary>Throws <see cref="ErrorIds.KeygenDigestMismatch"/> unless the embedded digest matches.</summary>
        public void EnsureDigestValid()
        {
            if (!DigestValid)
            {
                throw CryptoErrors.Parser(ErrorIds.KeygenDigestMismatch,
                    "The %KEYGEN response is inconsistent: the digest in its COSE payload (" + EmbeddedDigest + ") is not the SHA-256 of its " +
                    (Kind == KeygenOutputKind.Csr ? "CSR" : "public key") + " (" + Sha256 + ").",
                    "The response was damaged on the way (serial noise, a truncated line): run the key generation again.");
            }
        }

        /// <inheritdoc />
        public override string ToString() =>
            Kind + " sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture) + " device " + DeviceUuidString + (Subject is null ? string.Empty : " " + Subject);

        /// <summary>
        /// Parses a %KEYGEN response: the whole line (<c>%KEYGEN: "A.B"</c>), the quoted payload or
        /// the bare <c>A.B</c>.
        /// </summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.KeygenResponseMalformed"/>, <see cref="ErrorIds.KeygenDerInvalid"/>, <see cref="ErrorIds.KeygenCoseInvalid"/>.</exception>
        public static KeygenResponse Parse(string text)
        {
            CoseSign1 cose = ModemTokenText.DecodeSigned(text, "%KEYGEN:", Malformed, CoseInvalid, out string payload, out byte[] a);

            if (cose.Payload is null)
            {
                throw CoseInvalid("the COSE_Sign1 has no payload");
            }

            (int payloadId, Guid uuid, long secTag, byte[] digest, byte[] nonce) = ReadPayload(cose.Payload);

            KeygenOutputKind kind = payloadId == CsrPayloadId ? KeygenOutputKind.Csr
                : payloadId == PublicKeyPayloadId ? KeygenOutputKind.PublicKey
                : LooksLikeCsr(a) ? KeygenOutputKind.Csr : KeygenOutputKind.PublicKey;

            CertificateRequestInfo? request = null;
            PublicKeyInfo publicKey;
            try
            {
                if (kind == KeygenOutputKind.Csr)
                {
                    request = CertificateRequestInfo.FromDer(a);
                    publicKey = request.PublicKey;
                }
                else
                {
                    publicKey = PublicKeyInfo.FromDer(a);
                }
            }
            catch (ModemException e)
            {
                throw CryptoErrors.Parser(ErrorIds.KeygenDerInvalid,
                    "The %KEYGEN response's first part is not a valid " + (kind == KeygenOutputKind.Csr ? "DER certificate signing request" : "DER public key") + ": " + e.Message,
                    "The response was damaged on the way or comes from unknown firmware: run the key generation again; if it persists, report the firmware version.", e);
            }

            return new KeygenResponse(payload, kind, a, request, publicKey, cose, payloadId, uuid, secTag, digest, nonce);
        }

        private static (int PayloadId, Guid Uuid, long SecTag, byte[] Digest, byte[] Nonce) ReadPayload(byte[] payload)
        {
            try
            {
                var reader = new CborReader(payload, CborConformanceMode.Lax);
                if (reader.PeekState() == CborReaderState.Tag)
                {
                    CborTag tag = reader.ReadTag();
                    if ((ulong)tag != SelfDescribeTag)
                    {
                        throw CoseInvalid("the COSE payload carries CBOR tag " + ((ulong)tag).ToString(CultureInfo.InvariantCulture) + " instead of 55799");
                    }
                }

                int? count = reader.ReadStartArray();
                if (count.HasValue && count.Value < 5)
                {
                    throw CoseInvalid("the COSE payload array has " + count.Value.ToString(CultureInfo.InvariantCulture) + " items instead of 5");
                }

                int payloadId = reader.ReadInt32();
                byte[] uuid = reader.ReadByteString();
                if (uuid.Length != 16)
                {
                    throw CoseInvalid("the device UUID in the COSE payload has " + uuid.Length.ToString(CultureInfo.InvariantCulture) + " bytes instead of 16");
                }

                byte[] secTagCbor = reader.ReadByteString();
                var inner = new CborReader(secTagCbor, CborConformanceMode.Lax);
                ulong secTag = inner.ReadUInt64();
                if (inner.BytesRemaining != 0 || secTag > uint.MaxValue)
                {
                    throw CoseInvalid("the sec_tag in the COSE payload is not one CBOR unsigned 32-bit integer");
                }

                byte[] digest = reader.ReadByteString();
                if (digest.Length != 32)
                {
                    throw CoseInvalid("the digest in the COSE payload has " + digest.Length.ToString(CultureInfo.InvariantCulture) + " bytes instead of 32");
                }

                byte[] nonce = reader.ReadByteString();
                while (reader.PeekState() != CborReaderState.EndArray)
                {
                    reader.SkipValue();
                }

                reader.ReadEndArray();
                if (reader.BytesRemaining != 0)
                {
                    throw CoseInvalid("bytes follow the COSE payload array");
                }

                return (payloadId, Encodings.GuidFromBigEndian(uuid), (long)secTag, digest, nonce);
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw CoseInvalid("the COSE payload is not [payload_id, uuid, sec_tag, sha256, nonce] (" + e.GetType().Name + ")");
            }
        }

        private static bool LooksLikeCsr(byte[] der)
        {
            // CertificationRequest ::= SEQUENCE { SEQUENCE { INTEGER version, ... }, ... };
            // SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { OID, ... }, BIT STRING }.
            Asn1Object? obj = CryptoErrors.TryReadDer(der);
            return obj is Asn1Sequence outer && outer.Count > 0 && outer[0] is Asn1Sequence first && first.Count > 0 && first[0] is DerInteger;
        }

        private static ModemException Malformed(string why) =>
            CryptoErrors.Parser(ErrorIds.KeygenResponseMalformed,
                "The %KEYGEN response is not '<base64url>.<base64url>': " + why + ".",
                "Pass the whole '%KEYGEN: \"...\"' line or the text between its quotes, unchanged; if the line was cut, run the key generation again.");

        private static ModemException CoseInvalid(string why) =>
            CryptoErrors.Parser(ErrorIds.KeygenCoseInvalid,
                "The %KEYGEN response's COSE part is not valid: " + why + ".",
                "The response was damaged on the way or comes from unknown firmware: run the key generation again; if it persists, report the firmware version.");
    }
}
