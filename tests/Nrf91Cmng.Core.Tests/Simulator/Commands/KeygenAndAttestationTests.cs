using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>%KEYGEN and %ATTESTTOKEN: the encoders against the real vectors, and the modem's output checked with independent code.</summary>
    public sealed class KeygenAndAttestationTests
    {
        private static readonly byte[] s_ecdsaWithSha256Null = Convert.FromHexString("300C06082A8648CE3D0403020500");
        private static readonly byte[] s_ecdsaWithSha256 = Convert.FromHexString("300A06082A8648CE3D040302");

        public static IEnumerable<object[]> KeygenProfiles() =>
            FirmwareProfile.All.Where(p => p.SupportsKeyGeneration).Select(p => new object[] { p.Name });

        [Fact]
        public void CsrEncoderReproducesTheRealTv2CsrByteForByte()
        {
            byte[] real = ModemCrypto.FromBase64Url(Vectors.Tv2Keygen.Split('.')[0]);
            var parsed = new Pkcs10CertificationRequest(real);
            Assert.True(parsed.Verify());
            CertificationRequestInfo info = parsed.GetCertificationRequestInfo();
            Assert.Equal("CN=50363154-3932-4834-802b-0908718314dc", info.Subject.ToString());

            byte[] rebuiltInfo = ModemCrypto.BuildCsrInfo(
                ModemCrypto.DefaultSubject(Guid.Parse("50363154-3932-4834-802b-0908718314dc")),
                info.SubjectPublicKeyInfo,
                ModemCrypto.DefaultKeyUsage);
            Assert.Equal(info.GetDerEncoded(), rebuiltInfo);

            byte[] signature = parsed.GetSignatureOctets();
            Assert.Equal(real, ModemCrypto.AssembleCsr(rebuiltInfo, explicitNull: true, signature));
            Assert.Equal(Convert.ToHexString(real), Convert.ToHexString(ModemCrypto.AssembleCsr(rebuiltInfo, true, signature)));
        }

        [Fact]
        public void CsrEncoderReproducesTheTv6CsrWithASubject()
        {
            byte[] real = ModemCrypto.FromBase64Url(Vectors.Tv6KeygenWithSubject.Split('.')[0]);
            var parsed = new Pkcs10CertificationRequest(real);
            Assert.True(parsed.Verify());
            X509Name subject = ModemCrypto.ParseSubject("CN=nrf-355025930000000")!;
            byte[] info = ModemCrypto.BuildCsrInfo(subject, parsed.GetCertificationRequestInfo().SubjectPublicKeyInfo, ModemCrypto.DefaultKeyUsage);
            Assert.Equal(real, ModemCrypto.AssembleCsr(info, true, parsed.GetSignatureOctets()));
        }

        [Theory]
        [InlineData(Vectors.Tv2Keygen, 42u)]
        [InlineData(Vectors.Tv6Keygen, 52u)]
        [InlineData(Vectors.Tv6KeygenWithSubject, 52u)]
        public void CoseEncoderReproducesTheRealKeygenEnvelopes(string vector, uint secTag)
        {
            string[] parts = vector.Split('.');
            byte[] csr = ModemCrypto.FromBase64Url(parts[0]);
            byte[] cose = ModemCrypto.FromBase64Url(parts[1]);
            CoseSign1 decoded = CoseSign1.Decode(cose);
            KeygenPayload payload = KeygenPayload.Decode(decoded.Payload!);
            Assert.Equal(9, payload.Id);
            Assert.Equal(secTag, payload.SecTag);
            Assert.Equal(SHA256.HashData(csr), payload.Digest);

            Assert.Equal(decoded.Payload, ModemCrypto.KeygenPayload(9, payload.DeviceUuid, secTag, SHA256.HashData(csr), payload.Nonce));
            Assert.Equal(cose, ModemCrypto.CoseSign1(decoded.Payload!, embedPayload: true, decoded.Signature));
        }

        [Fact]
        public void AttestationEncoderReproducesTheTv6Token()
        {
            string[] parts = Vectors.Tv6AttestToken.Split('.');
            byte[] body = ModemCrypto.FromBase64Url(parts[0]);
            byte[] cose = ModemCrypto.FromBase64Url(parts[1]);
            AttestationBody decoded = AttestationBody.Decode(body);
            Assert.Equal(Guid.Parse("50363154-3931-44f0-8022-121b6401627d"), ModemCrypto.GuidFromRfcBytes(decoded.DeviceUuid));
            Assert.Equal(3, decoded.DeviceType);
            Assert.Equal(Guid.Parse("1aff3acb-f1a6-4764-a263-4c2646c1c654"), ModemCrypto.GuidFromRfcBytes(decoded.FirmwareUuid));

            Assert.Equal(body, ModemCrypto.AttestationBody(decoded.DeviceUuid, decoded.DeviceType, decoded.FirmwareUuid, decoded.Nonce));
            CoseSign1 envelope = CoseSign1.Decode(cose);
            Assert.Null(envelope.Payload);
            Assert.Equal(cose, ModemCrypto.CoseSign1(body, embedPayload: false, envelope.Signature));
        }

        [Theory]
        [MemberData(nameof(KeygenProfiles))]
        public void KeygenCsrParsesAndEverySignatureVerifies(string firmware)
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Firmware = firmware, Seed = 40 });
            Assert.Equal("OK\r\n", modem.Execute("AT+CFUN=4"));
            string reply = modem.Execute("AT%KEYGEN=42,2,0");
            Match m = Regex.Match(reply, "^%KEYGEN: \"([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)\"\r\nOK\r\n$");
            Assert.True(m.Success, reply);
            byte[] csrDer = ModemCrypto.FromBase64Url(m.Groups[1].Value);
            byte[] coseBytes = ModemCrypto.FromBase64Url(m.Groups[2].Value);

            // The CSR: BouncyCastle parses and verifies it; default subject, keyUsage 03 02 03 E8.
            var csr = new Pkcs10CertificationRequest(csrDer);
            Assert.True(csr.Verify());
            Assert.Equal("CN=" + modem.DeviceUuid.ToString("D"), csr.GetCertificationRequestInfo().Subject.ToString());
            Assert.Contains("300B0603551D0F0404030203E8", Convert.ToHexString(csrDer));
            bool explicitNull = modem.Profile.CsrSignatureHasNullParameters;
            Assert.Equal(explicitNull, Convert.ToHexString(csrDer).Contains(Convert.ToHexString(s_ecdsaWithSha256Null)));
            Assert.True(explicitNull, "Every firmware with %KEYGEN (1.3.5 included, as a real nRF9160 DK on 1.3.5 signs) writes the explicit NULL.");
            Assert.Equal(explicitNull ? s_ecdsaWithSha256Null : s_ecdsaWithSha256, csr.SignatureAlgorithm.GetDerEncoded());

            // The COSE_Sign1: payload describes the CSR, signature verifies with the identity key (.NET's own ECDSA).
            CoseSign1 cose = CoseSign1.Decode(coseBytes);
            Assert.Equal(Convert.FromHexString("A10126"), cose.Protected);
            KeygenPayload payload = KeygenPayload.Decode(cose.Payload!);
            Assert.Equal(9, payload.Id);
            Assert.Equal(42u, payload.SecTag);
            Assert.Equal(Convert.FromHexString("182A"), payload.EncodedSecTag);
            Assert.Equal(modem.DeviceUuid, ModemCrypto.GuidFromRfcBytes(payload.DeviceUuid));
            Assert.Equal(SHA256.HashData(csrDer), payload.Digest);
            Assert.Equal(16, payload.Nonce.Length);
            Assert.True(VerifyCose(modem, cose, cose.Payload!));
            Assert.Matches("^d9d9f7850950[0-9a-f]{32}42182a5820[0-9a-f]{64}50[0-9a-f]{32}$", Convert.ToHexString(cose.Payload!).ToLowerInvariant());

            // The private key stays in the modem at (42, 2), digest = SHA-256 of its PKCS#8 DER, and matches the CSR.
            VirtualCredential key = modem.Credentials.Single(c => c.SecTag == 42 && c.Type == 2);
            Assert.Equal(CredentialOrigin.Generated, key.Origin);
            string pem = Raw.Text(modem.GetStoredBytes(42, 2)!, modem.GetStoredBytes(42, 2)!.Length);
            byte[] pkcs8 = Convert.FromBase64String(Regex.Replace(pem, "-----[^-]+-----|\\s", string.Empty));
            Assert.Equal(Convert.ToHexString(SHA256.HashData(pkcs8)), key.Sha256);
            Assert.Contains("%CMNG: 42,2,\"" + key.Sha256 + "\"\r\n", modem.Execute("AT%CMNG=1"));
            var priv = (ECPrivateKeyParameters)PrivateKeyFactory.CreateKey(pkcs8);
            var pub = (ECPublicKeyParameters)csr.GetPublicKey();
            Assert.Equal(pub.Q.Normalize(), priv.Parameters.G.Multiply(priv.D).Normalize());
            Assert.Equal("+CME ERROR: 514\r\n", modem.Execute("AT+CMEE=1;%CMNG=2,42,2"));
        }

        [Fact]
        public void KeygenPublicKeyResponseAttributesAndKeyUsage()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Firmware = "mfw_nrf91x1_2.0.2", Seed = 41 });
            Assert.Equal("OK\r\n", modem.Execute("AT+CMEE=1"));

            string reply = modem.Execute("AT%KEYGEN=7,2,1");
            string[] parts = reply.Substring(10, reply.IndexOf('"', 10) - 10).Split('.');
            byte[] spki = ModemCrypto.FromBase64Url(parts[0]);
            Assert.IsType<ECPublicKeyParameters>(PublicKeyFactory.CreateKey(spki));
            CoseSign1 cose = CoseSign1.Decode(ModemCrypto.FromBase64Url(parts[1]));
            KeygenPayload payload = KeygenPayload.Decode(cose.Payload!);
            Assert.Equal(8, payload.Id);
            Assert.Equal(SHA256.HashData(spki), payload.Digest);
            Assert.True(VerifyCose(modem, cose, cose.Payload!));

            reply = modem.Execute("AT%KEYGEN=8,2,0,\"O=Nordic Semiconductor,L=Trondheim,C=no,CN=mydevice\",\"101000000\"");
            var csr = new Pkcs10CertificationRequest(ModemCrypto.FromBase64Url(reply.Substring(10).Split('.')[0]));
            Assert.Equal("O=Nordic Semiconductor,L=Trondheim,C=no,CN=mydevice", csr.GetCertificationRequestInfo().Subject.ToString());
            Assert.Contains("300B0603551D0F0404030205A0", Convert.ToHexString(csr.GetEncoded()));
            Assert.True(csr.Verify());

            // key_type 8 reuses the endorsement key.
            string first = modem.Execute("AT%KEYGEN=9,8,1");
            string second = modem.Execute("AT%KEYGEN=9,8,1");
            Assert.Equal(first.Substring(0, first.IndexOf('.')), second.Substring(0, second.IndexOf('.')));
            Assert.Equal(CredentialOrigin.Generated, modem.Credentials.Single(c => c.SecTag == 9 && c.Type == 8).Origin);

            Assert.Equal("+CME ERROR: 50\r\n", modem.Execute("AT%KEYGEN=9,3,0"));
            Assert.Equal("+CME ERROR: 50\r\n", modem.Execute("AT%KEYGEN=9,2,2"));
            Assert.Equal("+CME ERROR: 50\r\n", modem.Execute("AT%KEYGEN=9,2,0,\"XX=1\""));
            Assert.Equal("+CME ERROR: 50\r\n", modem.Execute("AT%KEYGEN=9,2,0,\"CN=a\",\"100000001\""));
            Assert.Equal("+CME ERROR: 50\r\n", modem.Execute("AT%KEYGEN=9,2,0,\"CN=a\",\"10000000\""));
            Assert.Equal("+CME ERROR: 514\r\n", modem.Execute("AT%KEYGEN=4294967293,2,0"));
            Assert.Equal("ERROR\r\n", modem.Execute("AT%KEYGEN?"));
        }

        [Theory]
        [MemberData(nameof(KeygenProfiles))]
        public void AttestationTokenCarriesIdentityAndVerifies(string firmware)
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Firmware = firmware, Seed = 42 });
            string reply = modem.Execute("AT%ATTESTTOKEN");
            Match m = Regex.Match(reply, "^%ATTESTTOKEN: \"([A-Za-z0-9_-]+)\\.([A-Za-z0-9_-]+)\"\r\nOK\r\n$");
            Assert.True(m.Success, reply);
            byte[] body = ModemCrypto.FromBase64Url(m.Groups[1].Value);
            AttestationBody decoded = AttestationBody.Decode(body);
            Assert.Equal(modem.DeviceUuid, ModemCrypto.GuidFromRfcBytes(decoded.DeviceUuid));
            Assert.Equal(modem.Profile.AttestationDeviceType, decoded.DeviceType);
            Assert.Equal(modem.Profile.FirmwareUuid, ModemCrypto.GuidFromRfcBytes(decoded.FirmwareUuid));
            Assert.Equal("%XMODEMUUID: " + modem.Profile.FirmwareUuid.ToString("D") + "\r\nOK\r\n", modem.Execute("AT%XMODEMUUID"));
            CoseSign1 cose = CoseSign1.Decode(ModemCrypto.FromBase64Url(m.Groups[2].Value));
            Assert.Null(cose.Payload);
            Assert.True(VerifyCose(modem, cose, body));

            reply = modem.Execute("AT%ATTESTTOKEN=\"00112233445566778899AABBCCDDEEFF\"");
            byte[] body2 = ModemCrypto.FromBase64Url(reply.Substring(15).Split('.')[0]);
            Assert.Equal(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), AttestationBody.Decode(body2).Nonce);
            Assert.Equal("ERROR\r\n", modem.Execute("AT%ATTESTTOKEN=\"0011\""));
        }

        private static bool VerifyCose(VirtualModem modem, CoseSign1 cose, byte[] payload)
        {
            using ECDsa ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(modem.IdentityPublicKeyInfo, out _);
            var writer = new CborWriter();
            writer.WriteStartArray(4);
            writer.WriteTextString("Signature1");
            writer.WriteByteString(cose.Protected);
            writer.WriteByteString(Array.Empty<byte>());
            writer.WriteByteString(payload);
            writer.WriteEndArray();
            return ecdsa.VerifyData(writer.Encode(), cose.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        /// <summary>An independent COSE_Sign1 reader (tag 18, [protected, {4: kid}, payload|nil, signature]).</summary>
        private sealed record CoseSign1(byte[] Protected, byte[]? Payload, byte[] Signature)
        {
            public static CoseSign1 Decode(byte[] bytes)
            {
                var reader = new CborReader(bytes);
                Assert.Equal((CborTag)18, reader.ReadTag());
                Assert.Equal(4, reader.ReadStartArray());
                byte[] prot = reader.ReadByteString();
                Assert.Equal(1, reader.ReadStartMap());
                Assert.Equal(4, reader.ReadInt32());
                Assert.Equal(new byte[] { 0x21 }, reader.ReadByteString());
                reader.ReadEndMap();
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
                Assert.Equal(64, signature.Length);
                reader.ReadEndArray();
                Assert.Equal(0, reader.BytesRemaining);
                return new CoseSign1(prot, payload, signature);
            }
        }

        private sealed record KeygenPayload(int Id, byte[] DeviceUuid, byte[] EncodedSecTag, uint SecTag, byte[] Digest, byte[] Nonce)
        {
            public static KeygenPayload Decode(byte[] bytes)
            {
                var reader = new CborReader(bytes);
                Assert.Equal(CborTag.SelfDescribeCbor, reader.ReadTag());
                Assert.Equal(5, reader.ReadStartArray());
                int id = reader.ReadInt32();
                byte[] uuid = reader.ReadByteString();
                byte[] encodedTag = reader.ReadByteString();
                uint tag = new CborReader(encodedTag).ReadUInt32();
                byte[] digest = reader.ReadByteString();
                byte[] nonce = reader.ReadByteString();
                reader.ReadEndArray();
                Assert.Equal(16, uuid.Length);
                Assert.Equal(32, digest.Length);
                Assert.Equal(16, nonce.Length);
                return new KeygenPayload(id, uuid, encodedTag, tag, digest, nonce);
            }
        }

        private sealed record AttestationBody(byte[] DeviceUuid, int DeviceType, byte[] FirmwareUuid, byte[] Nonce)
        {
            public static AttestationBody Decode(byte[] bytes)
            {
                var reader = new CborReader(bytes);
                Assert.Equal(CborTag.SelfDescribeCbor, reader.ReadTag());
                Assert.Equal(5, reader.ReadStartArray());
                Assert.Equal(1, reader.ReadInt32());
                byte[] uuid = reader.ReadByteString();
                int type = reader.ReadInt32();
                byte[] fw = reader.ReadByteString();
                byte[] nonce = reader.ReadByteString();
                reader.ReadEndArray();
                return new AttestationBody(uuid, type, fw, nonce);
            }
        }
    }
}
