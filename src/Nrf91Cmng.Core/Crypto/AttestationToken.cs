using System.Formats.Cbor;

namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>
    /// A decoded <c>%ATTESTTOKEN: "&lt;A&gt;.&lt;B&gt;"</c> (spec §5): A is CBOR tag 55799 around
    /// <c>[msg_type 1, device_uuid(16), device_type, fw_uuid(16), nonce(16)]</c>, B a COSE_Sign1
    /// with a detached (nil) payload that signs A.
    /// </summary>
    public sealed class AttestationToken
    {
        private const ulong SelfDescribeTag = 55799;
        private readonly byte[] _body;
        private readonly byte[]? _nonce;

        private AttestationToken(string text, byte[] body, int messageType, Guid deviceUuid, int deviceType, Guid firmwareUuid, byte[]? nonce, CoseSign1 cose)
        {
            Text = text;
            _body = body;
            MessageType = messageType;
            DeviceUuid = deviceUuid;
            DeviceType = deviceType;
            FirmwareUuid = firmwareUuid;
            _nonce = nonce;
            Cose = cose;
        }

        /// <summary>The <c>&lt;A&gt;.&lt;B&gt;</c> payload as received.</summary>
        public string Text { get; }

        /// <summary>Message type (1 = device identity message v1).</summary>
        public int MessageType { get; }

        /// <summary>The device UUID.</summary>
        public Guid DeviceUuid { get; }

        /// <summary>The device UUID printed lowercase with dashes.</summary>
        public string DeviceUuidString => DeviceUuid.ToString("D");

        /// <summary>The device type number.</summary>
        public int DeviceType { get; }

        /// <summary>The device type in words ("nRF9160 SIAA"; unknown numbers say so).</summary>
        public string DeviceTypeName => DescribeDeviceType(DeviceType);

        /// <summary>The modem firmware UUID.</summary>
        public Guid FirmwareUuid { get; }

        /// <summary>The firmware UUID printed lowercase with dashes.</summary>
        public string FirmwareUuidString => FirmwareUuid.ToString("D");

        /// <summary>The nonce as uppercase hex, or null when the body has none.</summary>
        public string? Nonce => _nonce is null ? null : Encodings.ToHex(_nonce);

        /// <summary>The COSE_Sign1 (detached payload).</summary>
        public CoseSign1 Cose { get; }

        /// <summary>The CBOR body (part A) as received (a copy).</summary>
        public byte[] GetBody() => (byte[])_body.Clone();

        /// <summary>The raw COSE_Sign1 bytes (a copy).</summary>
        public byte[] GetCose() => Cose.GetEncoded();

        /// <summary>Verifies the COSE signature over the body with the device identity public key.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.CoseVerificationUnsupported"/>.</exception>
        public bool VerifySignature(PublicKeyInfo deviceIdentityKey) => Cose.VerifySignature(deviceIdentityKey, _body);

        /// <summary>Verifies the COSE signature with a PEM public key.</summary>
        public bool VerifySignature(string deviceIdentityKeyPem) => VerifySignature(PublicKeyInfo.FromPem(deviceIdentityKeyPem));

        /// <inheritdoc />
        public override string ToString() => DeviceUuidString + " " + DeviceTypeName + " firmware " + FirmwareUuidString;

        /// <summary>The name of a device type number: 1 and 3 nRF9160 SIAA, 2 nRF9160 SIBA, 4 nRF9161 LACA, 5 nRF9131 LACA, 6 nRF9151 LACA.</summary>
        public static string DescribeDeviceType(int deviceType)
        {
            switch (deviceType)
            {
                case 1:
                case 3:
                    return "nRF9160 SIAA";
                case 2:
                    return "nRF9160 SIBA";
                case 4:
                    return "nRF9161 LACA";
                case 5:
                    return "nRF9131 LACA";
                case 6:
                    return "nRF9151 LACA";
                default:
                    return "unknown device type " + deviceType.ToString(CultureInfo.InvariantCulture);
            }
        }

        /// <summary>Parses the whole <c>%ATTESTTOKEN: "A.B"</c> line, the quoted payload or the bare <c>A.B</c>.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.AttestationTokenMalformed"/>, <see cref="ErrorIds.AttestationBodyInvalid"/>, <see cref="ErrorIds.AttestationCoseInvalid"/>.</exception>
        public static AttestationToken Parse(string text)
        {
            CoseSign1 cose = ModemTokenText.DecodeSigned(text, "%ATTESTTOKEN:", Malformed,
                why => CryptoErrors.Parser(ErrorIds.AttestationCoseInvalid, "The attestation token is damaged: " + why + ".", "Request the token again; if it persists, report the firmware version."),
                out string payload, out byte[] a);

            try
            {
                var reader = new CborReader(a, CborConformanceMode.Lax);
                if (reader.PeekState() == CborReaderState.Tag)
                {
                    CborTag tag = reader.ReadTag();
                    if ((ulong)tag != SelfDescribeTag)
                    {
                        throw BodyInvalid("it carries CBOR tag " + ((ulong)tag).ToString(CultureInfo.InvariantCulture) + " instead of 55799");
                    }
                }

                int? count = reader.ReadStartArray();
                if (count.HasValue && count.Value < 4)
                {
                    throw BodyInvalid("its array has " + count.Value.ToString(CultureInfo.InvariantCulture) + " items; at least 4 are expected");
                }

                int messageType = reader.ReadInt32();
                byte[] uuid = ReadUuid(reader, "device UUID");
                int deviceType = reader.ReadInt32();
                byte[] fwUuid = ReadUuid(reader, "firmware UUID");
                byte[]? nonce = null;
                if (reader.PeekState() == CborReaderState.ByteString)
                {
                    nonce = reader.ReadByteString();
                }

                while (reader.PeekState() != CborReaderState.EndArray)
                {
                    reader.SkipValue();
                }

                reader.ReadEndArray();
                if (reader.BytesRemaining != 0)
                {
                    throw BodyInvalid("bytes follow its array");
                }

                return new AttestationToken(payload, a, messageType, Encodings.GuidFromBigEndian(uuid), deviceType, Encodings.GuidFromBigEndian(fwUuid), nonce, cose);
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw BodyInvalid("it is not [msg_type, device_uuid, device_type, fw_uuid, nonce] (" + e.GetType().Name + ")");
            }
        }

        private static byte[] ReadUuid(CborReader reader, string what)
        {
            byte[] uuid = reader.ReadByteString();
            if (uuid.Length != 16)
            {
                throw BodyInvalid("its " + what + " has " + uuid.Length.ToString(CultureInfo.InvariantCulture) + " bytes instead of 16");
            }

            return uuid;
        }

        private static ModemException Malformed(string why) =>
            CryptoErrors.Parser(ErrorIds.AttestationTokenMalformed,
                "The attestation token is not '<base64url>.<base64url>': " + why + ".",
                "Pass the whole '%ATTESTTOKEN: \"...\"' line or the text between its quotes, unchanged.");

        private static ModemException BodyInvalid(string why) =>
            CryptoErrors.Parser(ErrorIds.AttestationBodyInvalid,
                "The attestation token's body is not valid: " + why + ".",
                "Request the token again; if it persists, report the firmware version.");
    }
}
