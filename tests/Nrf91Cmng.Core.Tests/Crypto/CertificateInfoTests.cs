using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Nrf91Cmng.Core.Tests.Crypto
{
    public class CertificateInfoTests
    {
        [Fact]
        public void Amazon_root_ca_1()
        {
            CertificateInfo c = CertificateInfo.FromPem(Vectors.AmazonRootCa1);
            Assert.Equal("CN=Amazon Root CA 1, O=Amazon, C=US", c.Subject);
            Assert.Equal(c.Subject, c.Issuer);
            Assert.Equal(new DateTimeOffset(2015, 5, 26, 0, 0, 0, TimeSpan.Zero), c.NotBefore);
            Assert.Equal(new DateTimeOffset(2038, 1, 17, 0, 0, 0, TimeSpan.Zero), c.NotAfter);
            Assert.Equal("066C9FCF99BF8C0A39E2F0788A43E696365BCA", c.SerialNumber);
            Assert.Equal("8ECDE6884F3D87B1125BA31AC3FCB13D7016DE7F57CC904FE1CB97C6AE98196E", c.Sha256Fingerprint);
            Assert.Equal(40, c.Thumbprint.Length);
            Assert.Equal(1, c.CertificateCount);
            Assert.Equal(0, c.Index);
            Assert.Equal(3, c.Version);
            Assert.True(c.IsCertificateAuthority);
            Assert.True(c.IsSelfIssued);
            Assert.Equal("RSA", c.PublicKey.Algorithm);
            Assert.Equal(2048, c.PublicKey.KeySize);
            Assert.Contains("RSA", c.SignatureAlgorithm, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(Vectors.AmazonRootCa1, c.Pem);
            Assert.True(c.IsValidAt(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            Assert.False(c.IsValidAt(new DateTimeOffset(2039, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            Assert.Contains("Amazon Root CA 1", c.ToString());
        }

        [Fact]
        public void Tv2_client_certificate_is_a_v1_leaf()
        {
            CertificateInfo c = CertificateInfo.FromPem(Vectors.Tv2ClientCertificate);
            Assert.Equal("CN=50363154-3932-4834-802b-0908718314dc", c.Subject);
            Assert.Equal("E=peter.skeggs@nordicsemi.no, CN=nordicsemi.com, OU=RD, O=Nordic Semiconductor, L=Portland, ST=OR, C=US", c.Issuer);
            Assert.Equal("3817420CA36A5141C3ACA9AB7046292FE3430E20", c.SerialNumber);
            Assert.Equal(1, c.Version);
            Assert.False(c.IsCertificateAuthority);
            Assert.False(c.HasBasicConstraints);
            Assert.Equal(new DateTimeOffset(2031, 8, 22, 0, 16, 20, TimeSpan.Zero), c.NotAfter);

            // The key of the certificate is the key of the CSR from the same session.
            Assert.True(c.PublicKey.Matches(KeygenResponse.Parse(Vectors.Tv2Keygen).PublicKey));
        }

        [Theory]
        [InlineData("crlf")]
        [InlineData("modem-read")]
        [InlineData("one-line")]
        [InlineData("indented")]
        [InlineData("cr-only")]
        public void Tolerates_what_users_paste_and_modems_return(string form)
        {
            string pem = Vectors.AmazonRootCa1;
            string text = form switch
            {
                "crlf" => pem.Replace("\n", "\r\n"),
                "modem-read" => "%CMNG: 42,0,\"" + Vectors.AmazonRootCa1Sha256 + "\",\"" + pem.Replace("\n", "\r\n") + "\"",
                "one-line" => pem.Replace("\n", string.Empty),
                "indented" => "  " + pem.Replace("\n", "\n    "),
                "cr-only" => pem.Replace('\n', '\r'),
                _ => throw new ArgumentException(form),
            };
            Assert.Equal("8ECDE6884F3D87B1125BA31AC3FCB13D7016DE7F57CC904FE1CB97C6AE98196E", CertificateInfo.FromPem(text).Sha256Fingerprint);
        }

        [Fact]
        public void Chains_are_counted()
        {
            IReadOnlyList<CertificateInfo> chain = CertificateInfo.ChainFromPem(Vectors.Tv2ClientCertificate + "\n" + Vectors.AmazonRootCa1);
            Assert.Equal(2, chain.Count);
            Assert.All(chain, c => Assert.Equal(2, c.CertificateCount));
            Assert.Equal(2, CertificateInfo.FromPem(Vectors.Tv2ClientCertificate + Vectors.AmazonRootCa1).CertificateCount);
            Assert.Equal("CN=Amazon Root CA 1, O=Amazon, C=US", chain[1].Subject);
        }

        [Fact]
        public void Serial_with_the_high_bit_set_keeps_its_leading_zero_byte()
        {
            var cert = TestPki.NewLeaf(TestPki.EcCa, TestPki.NewEcKey().Public, "CN=x", serial: new BcBigInteger("AEF87681FA968B61", 16));
            Assert.Equal("00AEF87681FA968B61", CertificateInfo.FromDer(cert.GetEncoded()).SerialNumber);
        }

        [Fact]
        public void Names_are_escaped()
        {
            var cert = TestPki.NewLeaf(TestPki.EcCa, TestPki.NewEcKey().Public, "CN=a\\,b,O=x\\+y");
            Assert.Equal("O=x\\+y, CN=a\\,b", CertificateInfo.FromDer(cert.GetEncoded()).Subject);
        }

        [Fact]
        public void Errors_are_typed()
        {
            Assert.Equal(ErrorIds.PemNotFound, Assert.Throws<ModemException>(() => CertificateInfo.FromPem("nothing here")).ErrorId);
            Assert.Equal(ErrorIds.PemWrongType, Assert.Throws<ModemException>(() => CertificateInfo.FromPem(TestPki.Pkcs8Pem(TestPki.NewEcKey().Private))).ErrorId);
            Assert.Equal(ErrorIds.PemMalformed, Assert.Throws<ModemException>(() => CertificateInfo.FromPem(Vectors.AmazonRootCa1.Substring(0, 300))).ErrorId);
            Assert.Equal(ErrorIds.CertificateInvalid, Assert.Throws<ModemException>(() => CertificateInfo.FromDer(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 })).ErrorId);
            Assert.Equal(ErrorIds.CertificateInvalid, Assert.Throws<ModemException>(() => CertificateInfo.FromDer(Array.Empty<byte>())).ErrorId);
            byte[] der = CertificateInfo.FromPem(Vectors.AmazonRootCa1).GetDer();
            Assert.Equal(ErrorIds.CertificateInvalid, Assert.Throws<ModemException>(() => CertificateInfo.FromDer(der.Take(der.Length - 1).ToArray())).ErrorId);
            Assert.Equal(ErrorIds.CertificateInvalid, Assert.Throws<ModemException>(() => CertificateInfo.FromDer(der.Concat(new byte[] { 0 }).ToArray())).ErrorId);
        }
    }
}
