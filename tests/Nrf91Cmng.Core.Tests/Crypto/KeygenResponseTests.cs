using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace Nrf91Cmng.Core.Tests.Crypto
{
    public class KeygenResponseTests
    {
        [Fact]
        public void Tv2_real_thingy91_response_decodes()
        {
            KeygenResponse r = KeygenResponse.Parse(Vectors.Tv2Keygen);
            Assert.Equal(KeygenOutputKind.Csr, r.Kind);
            Assert.Equal(42, r.SecTag);
            Assert.Equal(new Guid("50363154-3932-4834-802b-0908718314dc"), r.DeviceUuid);
            Assert.Equal("50363154-3932-4834-802b-0908718314dc", r.DeviceUuidString);
            Assert.Equal("CN=" + r.DeviceUuidString, r.Subject);
            Assert.Equal(KeygenResponse.CsrPayloadId, r.PayloadId);
            Assert.Equal("9459394BFC1054EBC83EF9BEAA39D84B8059E260A0EC1B1FDDC0152067A53C63", r.Sha256);
            Assert.Equal(r.Sha256, r.EmbeddedDigest);
            Assert.True(r.DigestValid);
            r.EnsureDigestValid();
            Assert.Equal(270, r.GetDer().Length);
            Assert.Equal(32, r.Nonce.Length);
            Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----\nMIIBCjCBrwIBADAv", r.Pem);
            Assert.EndsWith("-----END CERTIFICATE REQUEST-----\n", r.Pem);
            Assert.DoesNotContain("\r", r.Pem);
            Assert.Equal(-7, r.Cose.Algorithm);
            Assert.Equal("21", r.Cose.KeyId);
            Assert.Equal(64, r.Cose.SignatureLength);
            Assert.False(r.Cose.IsDetached);
            Assert.Equal(r.GetCose(), r.Cose.GetEncoded());
            Assert.Equal("EC", r.PublicKey.Algorithm);
            Assert.Equal("P-256", r.PublicKey.Curve);
            Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", r.PublicKeyPem);
            Assert.Contains("42", r.ToString());
        }

        [Fact]
        public void Firmware_csr_with_explicit_null_parses_and_its_self_signature_verifies()
        {
            foreach (string vector in new[] { Vectors.Tv2Keygen, Vectors.Tv6Keygen, Vectors.Tv6KeygenWithSubject })
            {
                CertificateRequestInfo csr = KeygenResponse.Parse(vector).Request!;
                Assert.True(csr.HasExplicitNullSignatureParameters);
                Assert.True(csr.SignatureValid);
                csr.EnsureSignatureValid();
                Assert.Equal(new[] { "DigitalSignature", "NonRepudiation", "KeyEncipherment", "KeyAgreement" }, csr.KeyUsage);
                Assert.Contains("ECDSA", csr.SignatureAlgorithm, StringComparison.OrdinalIgnoreCase);
                Assert.Equal(csr.Sha256, Org.BouncyCastle.Utilities.Encoders.Hex.ToHexString(System.Security.Cryptography.SHA256.HashData(csr.GetDer())).ToUpperInvariant());
            }
        }

        [Fact]
        public void Tv6_responses_decode()
        {
            KeygenResponse first = KeygenResponse.Parse(Vectors.Tv6Keygen);
            Assert.Equal(52, first.SecTag);
            Assert.Equal("50363953-3234-4723-80b9-1503d88271bf", first.DeviceUuidString);
            Assert.Equal("CN=50363953-3234-4723-80b9-1503d88271bf", first.Subject);
            Assert.Equal("4DA6BB67D2BEF1B40FCF7606E68FE1DF6AAE36BD051C4B675F9569119FBC81F9", first.Sha256);
            Assert.True(first.DigestValid);

            KeygenResponse second = KeygenResponse.Parse(Vectors.Tv6KeygenWithSubject);
            Assert.Equal(52, second.SecTag);
            Assert.Equal("CN=nrf-355025930000000", second.Subject);
            Assert.Equal("50343956-3037-4738-800d-1f29e0a0f7bf", second.DeviceUuidString);
            Assert.Equal("977CA093FFE5FA967D8ED96C7F4032B8526545A684A2E8736206AEDB339C1F00", second.Sha256);
            Assert.Equal(second.Sha256, second.EmbeddedDigest);
            Assert.True(second.DigestValid);
        }

        [Fact]
        public void Accepts_the_line_the_quoted_payload_and_the_bare_payload()
        {
            string payload = Vectors.Payload(Vectors.Tv2Keygen);
            foreach (string form in new[] { Vectors.Tv2Keygen, "\"" + payload + "\"", payload, "  " + Vectors.Tv2Keygen + "\r\n" })
            {
                KeygenResponse r = KeygenResponse.Parse(form);
                Assert.Equal(42, r.SecTag);
                Assert.Equal(payload, r.Text);
            }
        }

        [Fact]
        public void Cose_signature_verifies_with_the_signing_key_only()
        {
            AsymmetricCipherKeyPair device = TestPki.NewEcKey();
            AsymmetricCipherKeyPair other = TestPki.NewEcKey();
            byte[] csr = TestPki.NewCsr(TestPki.NewEcKey(), "CN=50363154-3932-4834-802b-0908718314dc").GetEncoded();
            string text = CoseTestBuilder.Keygen(csr, 9, "50363154-3932-4834-802b-0908718314dc", 16842753, device.Private);
            KeygenResponse r = KeygenResponse.Parse(text);
            Assert.Equal(16842753, r.SecTag);
            Assert.True(r.VerifySignature(PublicKeyInfo.FromDer(TestPki.SpkiDer(device.Public))));
            Assert.True(r.VerifySignature(TestPki.PublicKeyPem(device.Public)));
            Assert.False(r.VerifySignature(PublicKeyInfo.FromDer(TestPki.SpkiDer(other.Public))));

            // The real vector is signed by the device identity key, not by the CSR key.
            KeygenResponse real = KeygenResponse.Parse(Vectors.Tv2Keygen);
            Assert.False(real.VerifySignature(real.PublicKey));
        }

        [Fact]
        public void Verification_with_an_unsuitable_key_or_algorithm_is_a_typed_error()
        {
            KeygenResponse real = KeygenResponse.Parse(Vectors.Tv2Keygen);
            var e = Assert.Throws<ModemException>(() => real.VerifySignature(PublicKeyInfo.FromDer(TestPki.SpkiDer(TestPki.Rsa.Public))));
            Assert.Equal(ErrorIds.CoseVerificationUnsupported, e.ErrorId);
            e = Assert.Throws<ModemException>(() => real.VerifySignature(PublicKeyInfo.FromDer(TestPki.SpkiDer(TestPki.NewEcKey("P-384").Public))));
            Assert.Equal(ErrorIds.CoseVerificationUnsupported, e.ErrorId);

            AsymmetricCipherKeyPair key384 = TestPki.NewEcKey("P-384");
            byte[] csr = TestPki.NewCsr(TestPki.NewEcKey(), "CN=x").GetEncoded();
            KeygenResponse es384 = KeygenResponse.Parse(CoseTestBuilder.Keygen(csr, 9, "50363154-3932-4834-802b-0908718314dc", 1, key384.Private, alg: -35));
            Assert.Equal(-35, es384.Cose.Algorithm);
            Assert.True(es384.VerifySignature(PublicKeyInfo.FromDer(TestPki.SpkiDer(key384.Public))));

            KeygenResponse unknown = KeygenResponse.Parse(CoseTestBuilder.Keygen(csr, 9, "50363154-3932-4834-802b-0908718314dc", 1, TestPki.NewEcKey().Private, alg: -8));
            Assert.Equal(ErrorIds.CoseVerificationUnsupported,
                Assert.Throws<ModemException>(() => unknown.VerifySignature(PublicKeyInfo.FromDer(TestPki.SpkiDer(TestPki.NewEcKey().Public)))).ErrorId);
        }

        [Fact]
        public void Public_key_response_decodes()
        {
            AsymmetricCipherKeyPair key = TestPki.NewEcKey();
            byte[] spki = TestPki.SpkiDer(key.Public);
            KeygenResponse r = KeygenResponse.Parse("%KEYGEN: \"" + CoseTestBuilder.Keygen(spki, 8, "50363154-3932-4834-802b-0908718314dc", 7, TestPki.NewEcKey().Private) + "\"");
            Assert.Equal(KeygenOutputKind.PublicKey, r.Kind);
            Assert.Null(r.Subject);
            Assert.Null(r.Request);
            Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", r.Pem);
            Assert.Equal(r.Pem, r.PublicKeyPem);
            Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(spki)), r.PublicKey.Fingerprint);
            Assert.True(r.DigestValid);
        }

        [Fact]
        public void Unknown_payload_id_falls_back_to_the_der_shape()
        {
            byte[] csr = TestPki.NewCsr(TestPki.NewEcKey(), "CN=x").GetEncoded();
            Assert.Equal(KeygenOutputKind.Csr, KeygenResponse.Parse(CoseTestBuilder.Keygen(csr, 99, "50363154-3932-4834-802b-0908718314dc", 1, TestPki.NewEcKey().Private)).Kind);
            byte[] spki = TestPki.SpkiDer(TestPki.NewEcKey().Public);
            Assert.Equal(KeygenOutputKind.PublicKey, KeygenResponse.Parse(CoseTestBuilder.Keygen(spki, 99, "50363154-3932-4834-802b-0908718314dc", 1, TestPki.NewEcKey().Private)).Kind);
        }

        [Fact]
        public void Digest_mismatch_is_reported_not_thrown_at_parse()
        {
            byte[] csr = TestPki.NewCsr(TestPki.NewEcKey(), "CN=x").GetEncoded();
            KeygenResponse r = KeygenResponse.Parse(CoseTestBuilder.Keygen(csr, 9, "50363154-3932-4834-802b-0908718314dc", 1, TestPki.NewEcKey().Private, digest: new byte[32]));
            Assert.False(r.DigestValid);
            Assert.Equal(new string('0', 64), r.EmbeddedDigest);
            var e = Assert.Throws<ModemException>(r.EnsureDigestValid);
            Assert.Equal(ErrorIds.KeygenDigestMismatch, e.ErrorId);
            Assert.Equal(ModemErrorCategory.ParserError, e.Category);
        }

        [Theory]
        [InlineData("", ErrorIds.KeygenResponseMalformed)]
        [InlineData("%KEYGEN: \"abc", ErrorIds.KeygenResponseMalformed)]
        [InlineData("MIIBCjCBrwIBADAv", ErrorIds.KeygenResponseMalformed)]
        [InlineData("a.b.c", ErrorIds.KeygenResponseMalformed)]
        [InlineData(".0oRDoQEm", ErrorIds.KeygenResponseMalformed)]
        [InlineData("MIIB*.0oRDoQEm", ErrorIds.KeygenResponseMalformed)]
        [InlineData("MIIB.0oRD!", ErrorIds.KeygenResponseMalformed)]
        [InlineData("MIIB.A", ErrorIds.KeygenResponseMalformed)]
        [InlineData("MIIB.0oRDoQEm", ErrorIds.KeygenCoseInvalid)]
        [InlineData("MIIB.2dn3hQFQ", ErrorIds.KeygenCoseInvalid)]
        public void Garbage_gives_typed_errors(string text, string id)
        {
            var e = Assert.Throws<ModemException>(() => KeygenResponse.Parse(text));
            Assert.Equal(id, e.ErrorId);
            Assert.Equal(ModemErrorCategory.ParserError, e.Category);
            Assert.False(string.IsNullOrEmpty(e.Remedy));
        }

        [Fact]
        public void Bad_der_with_a_good_cose_is_keygen_der_invalid()
        {
            string cose = Vectors.Payload(Vectors.Tv2Keygen).Split('.')[1];
            var e = Assert.Throws<ModemException>(() => KeygenResponse.Parse("MIIBCjCBrwIBADAv." + cose));
            Assert.Equal(ErrorIds.KeygenDerInvalid, e.ErrorId);
            string good = Vectors.Payload(Vectors.Tv2Keygen).Split('.')[0];
            var truncated = Assert.Throws<ModemException>(() => KeygenResponse.Parse(good.Substring(0, 200) + "." + cose));
            Assert.Equal(ErrorIds.KeygenDerInvalid, truncated.ErrorId);
        }

        [Fact]
        public void Detached_cose_is_refused_for_keygen()
        {
            byte[] body = CoseTestBuilder.AttestationBody("50363154-3931-44f0-8022-121b6401627d", 3, "1aff3acb-f1a6-4764-a263-4c2646c1c654");
            string text = Vectors.Payload(Vectors.Tv2Keygen).Split('.')[0] + "." + CoseTestBuilder.Attestation(body, TestPki.NewEcKey().Private).Split('.')[1];
            Assert.Equal(ErrorIds.KeygenCoseInvalid, Assert.Throws<ModemException>(() => KeygenResponse.Parse(text)).ErrorId);
        }

        [Fact]
        public void Vectors_match_the_shared_transcripts_when_present()
        {
            string path = Path.Combine(AppContext.BaseDirectory, "Vectors", "transcripts.md");
            if (!File.Exists(path))
            {
                return;
            }

            string transcripts = File.ReadAllText(path);
            foreach (string vector in new[] { Vectors.Tv2Keygen, Vectors.Tv6Keygen, Vectors.Tv6KeygenWithSubject, Vectors.Tv6AttestationToken })
            {
                Assert.Contains(vector, transcripts);
            }

            Assert.Contains(Vectors.AmazonRootCa1.TrimEnd('\n'), transcripts);
            Assert.Contains(Vectors.Tv2ClientCertificate.TrimEnd('\n'), transcripts);
        }
    }
}
