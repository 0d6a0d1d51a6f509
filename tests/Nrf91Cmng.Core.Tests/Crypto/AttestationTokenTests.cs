using Org.BouncyCastle.Crypto;

namespace Nrf91Cmng.Core.Tests.Crypto
{
    public class AttestationTokenTests
    {
        [Fact]
        public void Tv6_token_decodes_to_the_documented_values()
        {
            AttestationToken t = AttestationToken.Parse(Vectors.Tv6AttestationToken);
            Assert.Equal(1, t.MessageType);
            Assert.Equal(new Guid("50363154-3931-44f0-8022-121b6401627d"), t.DeviceUuid);
            Assert.Equal("50363154-3931-44f0-8022-121b6401627d", t.DeviceUuidString);
            Assert.Equal(3, t.DeviceType);
            Assert.Equal("nRF9160 SIAA", t.DeviceTypeName);
            Assert.Equal(new Guid("1aff3acb-f1a6-4764-a263-4c2646c1c654"), t.FirmwareUuid);
            Assert.Equal("1aff3acb-f1a6-4764-a263-4c2646c1c654", t.FirmwareUuidString);
            Assert.Equal("D3EFDD7F04F1FC60E5858B2087343D6A", t.Nonce);
            Assert.True(t.Cose.IsDetached);
            Assert.Null(t.Cose.GetPayload());
            Assert.Equal(-7, t.Cose.Algorithm);
            Assert.Equal("21", t.Cose.KeyId);
            Assert.Equal(64, t.Cose.SignatureLength);
            Assert.Equal(0xD9, t.GetBody()[0]);
            Assert.Equal(0xD2, t.GetCose()[0]);
            Assert.Equal(Vectors.Payload(Vectors.Tv6AttestationToken), t.Text);
            Assert.Contains("nRF9160 SIAA", t.ToString());
        }

        [Fact]
        public void Accepts_quoted_and_bare_payloads()
        {
            string payload = Vectors.Payload(Vectors.Tv6AttestationToken);
            Assert.Equal(3, AttestationToken.Parse(payload).DeviceType);
            Assert.Equal(3, AttestationToken.Parse("\"" + payload + "\"").DeviceType);
        }

        [Theory]
        [InlineData(1, "nRF9160 SIAA")]
        [InlineData(2, "nRF9160 SIBA")]
        [InlineData(3, "nRF9160 SIAA")]
        [InlineData(4, "nRF9161 LACA")]
        [InlineData(5, "nRF9131 LACA")]
        [InlineData(6, "nRF9151 LACA")]
        [InlineData(7, "unknown device type 7")]
        [InlineData(0, "unknown device type 0")]
        public void Device_types(int type, string name)
        {
            Assert.Equal(name, AttestationToken.DescribeDeviceType(type));
        }

        [Fact]
        public void Detached_signature_verifies_over_the_body()
        {
            AsymmetricCipherKeyPair device = TestPki.NewEcKey();
            byte[] body = CoseTestBuilder.AttestationBody("50363154-3931-44f0-8022-121b6401627d", 6, "1aff3acb-f1a6-4764-a263-4c2646c1c654");
            AttestationToken t = AttestationToken.Parse("%ATTESTTOKEN: \"" + CoseTestBuilder.Attestation(body, device.Private) + "\"");
            Assert.Equal("nRF9151 LACA", t.DeviceTypeName);
            Assert.True(t.VerifySignature(PublicKeyInfo.FromDer(TestPki.SpkiDer(device.Public))));
            Assert.True(t.VerifySignature(TestPki.PublicKeyPem(device.Public)));
            Assert.False(t.VerifySignature(PublicKeyInfo.FromDer(TestPki.SpkiDer(TestPki.NewEcKey().Public))));
            Assert.False(AttestationToken.Parse(Vectors.Tv6AttestationToken).VerifySignature(PublicKeyInfo.FromDer(TestPki.SpkiDer(device.Public))));
        }

        [Theory]
        [InlineData("", ErrorIds.AttestationTokenMalformed)]
        [InlineData("2dn3hQFQ", ErrorIds.AttestationTokenMalformed)]
        [InlineData("\"2dn3hQFQ.0oRD", ErrorIds.AttestationTokenMalformed)]
        [InlineData("2dn3.0oRD.x", ErrorIds.AttestationTokenMalformed)]
        [InlineData("2dn3hQFQ.AAAA", ErrorIds.AttestationCoseInvalid)]
        public void Garbage_gives_typed_errors(string text, string id)
        {
            var e = Assert.Throws<ModemException>(() => AttestationToken.Parse(text));
            Assert.Equal(id, e.ErrorId);
            Assert.Equal(ModemErrorCategory.ParserError, e.Category);
        }

        [Fact]
        public void Bad_bodies_are_body_invalid()
        {
            string cose = Vectors.Payload(Vectors.Tv6AttestationToken).Split('.')[1];
            string body = Vectors.Payload(Vectors.Tv6AttestationToken).Split('.')[0];
            Assert.Equal(ErrorIds.AttestationBodyInvalid, Assert.Throws<ModemException>(() => AttestationToken.Parse(body.Substring(0, 30) + "." + cose)).ErrorId);
            Assert.Equal(ErrorIds.AttestationBodyInvalid, Assert.Throws<ModemException>(() => AttestationToken.Parse("AAAA." + cose)).ErrorId);
            // A %KEYGEN CSR in place of the body.
            string csr = Vectors.Payload(Vectors.Tv2Keygen).Split('.')[0];
            Assert.Equal(ErrorIds.AttestationBodyInvalid, Assert.Throws<ModemException>(() => AttestationToken.Parse(csr + "." + cose)).ErrorId);
        }
    }
}
