using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509.Extension;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace Nrf91Cmng.Core.Tests.Crypto
{
    public class CertificateIssuerTests
    {
        private const string Passphrase = "ca secret";

        public static IEnumerable<object[]> FirmwareCsrs() => new[]
        {
            new object[] { Vectors.Tv2Keygen },
            new object[] { Vectors.Tv6Keygen },
            new object[] { Vectors.Tv6KeygenWithSubject },
        };

        private static X509Certificate Parse(IssuedCertificate issued) => new X509Certificate(issued.GetDer());

        [Theory]
        [MemberData(nameof(FirmwareCsrs))]
        public void Signs_the_firmware_csrs_with_a_generated_ca(string vector)
        {
            KeygenResponse keygen = KeygenResponse.Parse(vector);
            TestCa ca = TestPki.EcCa;
            IssuedCertificate issued = CertificateIssuer.Sign(keygen.GetDer(), ca.CertificatePem, ca.KeyPem, null, 3650);

            X509Certificate cert = Parse(issued);
            cert.Verify(ca.Key.Public);
            Assert.Equal(keygen.Subject, issued.Subject);
            Assert.Equal(CertificateInfo.FromPem(ca.CertificatePem).Subject, issued.Issuer);
            Assert.True(issued.Certificate.PublicKey.Matches(keygen.PublicKey));
            Assert.Equal(keygen.PublicKey.Fingerprint, issued.Certificate.PublicKey.Fingerprint);
            Assert.Equal(TimeSpan.FromDays(3650), issued.NotAfter - issued.NotBefore);
            Assert.InRange(DateTimeOffset.UtcNow - issued.NotBefore, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6));
            Assert.Equal("SHA-256withECDSA", issued.SignatureAlgorithm);

            // Extensions: CA:false, keyUsage as requested (critical), SKI, AKI = CA's SKI.
            Assert.Equal(-1, cert.GetBasicConstraints());
            Assert.True(cert.GetCriticalExtensionOids().Contains(X509Extensions.BasicConstraints.Id));
            Assert.True(cert.GetCriticalExtensionOids().Contains(X509Extensions.KeyUsage.Id));
            bool[] usage = cert.GetKeyUsage();
            Assert.True(usage[0] && usage[1] && usage[2] && usage[4]);
            Assert.False(usage[3] || usage[5]);
            SubjectKeyIdentifier ski = X509ExtensionUtilities.GetSubjectKeyIdentifier(cert);
            Assert.NotNull(ski);
            AuthorityKeyIdentifier aki = X509ExtensionUtilities.GetAuthorityKeyIdentifier(cert);
            Assert.Equal(X509ExtensionUtilities.GetSubjectKeyIdentifier(ca.Certificate).GetKeyIdentifier(), aki.KeyIdentifier.GetOctets());

            // Serial: random, positive.
            Assert.True(cert.SerialNumber.SignValue > 0);
            Assert.InRange(cert.SerialNumber.BitLength, 64, 127);

            // PEM: LF only, trailing newline, and it validates as a client certificate.
            Assert.DoesNotContain("\r", issued.Pem);
            Assert.EndsWith("-----END CERTIFICATE-----\n", issued.Pem);
            CredentialValidationResult v = CredentialValidator.Validate(CredentialType.ClientCertificate, issued.Pem);
            Assert.Empty(v.Warnings);
            Assert.Empty(issued.Warnings);
        }

        [Fact]
        public void Accepts_the_keygen_line_and_pem_and_honours_serial_and_start()
        {
            TestCa ca = TestPki.EcCa;
            var start = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
            IssuedCertificate fromLine = CertificateIssuer.Sign(Vectors.Tv2Keygen, ca.CertificatePem, ca.KeyPem, null, 30, new System.Numerics.BigInteger(4660), start);
            Assert.Equal("1234", fromLine.SerialNumber);
            Assert.Equal(start, fromLine.NotBefore);
            Assert.Equal(start.AddDays(30), fromLine.NotAfter);
            Assert.Equal("CN=50363154-3932-4834-802b-0908718314dc", fromLine.Subject);

            IssuedCertificate fromPem = CertificateIssuer.Sign(KeygenResponse.Parse(Vectors.Tv6KeygenWithSubject).Pem, ca.CertificatePem, ca.KeyPem, null, 1);
            Assert.Equal("CN=nrf-355025930000000", fromPem.Subject);
            Assert.NotEqual(fromPem.SerialNumber, CertificateIssuer.Sign(Vectors.Tv6KeygenWithSubject, ca.CertificatePem, ca.KeyPem, null, 1).SerialNumber);
        }

        [Fact]
        public void Round_trip_with_a_generated_client_key_matches()
        {
            AsymmetricCipherKeyPair device = TestPki.NewEcKey();
            var csr = TestPki.NewCsr(device, "O=Test, CN=device-1");
            IssuedCertificate issued = CertificateIssuer.Sign(csr.GetEncoded(), TestPki.EcCa.CertificatePem, TestPki.EcCa.KeyPem, null, 365);
            Assert.True(CredentialValidator.KeyMatchesCertificate(issued.Pem, TestPki.TraditionalPem(device.Private)));
            bool[] usage = Parse(issued).GetKeyUsage();
            Assert.True(usage[0] && usage[4]);
            Assert.False(usage[2]);
        }

        [Fact]
        public void Requested_extended_key_usage_and_san_are_copied()
        {
            AsymmetricCipherKeyPair device = TestPki.NewEcKey();
            var extensions = new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension>
            {
                [X509Extensions.ExtendedKeyUsage] = new X509Extension(false, new DerOctetString(new ExtendedKeyUsage(KeyPurposeID.id_kp_clientAuth))),
                [X509Extensions.SubjectAlternativeName] = new X509Extension(false, new DerOctetString(new GeneralNames(new GeneralName(GeneralName.DnsName, "device.example")))),
            });
            var attributes = new DerSet(new Org.BouncyCastle.Asn1.Pkcs.AttributePkcs(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions)));
            var csr = new Org.BouncyCastle.Pkcs.Pkcs10CertificationRequest("SHA256WITHECDSA", new X509Name("CN=d"), device.Public, attributes, device.Private);
            X509Certificate cert = Parse(CertificateIssuer.Sign(csr.GetEncoded(), TestPki.EcCa.CertificatePem, TestPki.EcCa.KeyPem, null, 10));
            Assert.Contains(KeyPurposeID.id_kp_clientAuth.Id, cert.GetExtendedKeyUsage().Select(o => o.Id));
            Assert.NotNull(cert.GetSubjectAlternativeNames());
        }

        [Fact]
        public void Signature_algorithm_follows_the_ca_key()
        {
            TestCa rsaCa = TestPki.NewCa("CN=RSA CA", TestPki.Rsa);
            IssuedCertificate rsa = CertificateIssuer.Sign(Vectors.Tv2Keygen, rsaCa.CertificatePem, TestPki.TraditionalPem(rsaCa.Key.Private), null, 10);
            Assert.Equal("SHA-256withRSA", rsa.SignatureAlgorithm);
            Parse(rsa).Verify(rsaCa.Key.Public);

            TestCa p384 = TestPki.NewCa("CN=P-384 CA", TestPki.NewEcKey("P-384"));
            IssuedCertificate ec384 = CertificateIssuer.Sign(Vectors.Tv6Keygen, p384.CertificatePem, TestPki.EncryptedPkcs8PemAes(p384.Key.Private, Passphrase), Passphrase, 10);
            Assert.Equal("SHA-384withECDSA", ec384.SignatureAlgorithm);
            Parse(ec384).Verify(p384.Key.Public);

            TestCa p521 = TestPki.NewCa("CN=P-521 CA", TestPki.NewEcKey("P-521"));
            Assert.Equal("SHA-512withECDSA", CertificateIssuer.Sign(Vectors.Tv6Keygen, p521.CertificatePem, p521.KeyPem, null, 10).SignatureAlgorithm);
        }

        [Fact]
        public void Refuses_a_ca_that_is_not_a_ca()
        {
            AsymmetricCipherKeyPair key = TestPki.NewEcKey();
            TestCa leafAsCa = TestPki.NewCa("CN=not a CA", key, isCa: false);
            var e = Assert.Throws<ModemException>(() => CertificateIssuer.Sign(Vectors.Tv2Keygen, leafAsCa.CertificatePem, leafAsCa.KeyPem, null, 10));
            Assert.Equal(ErrorIds.CaCertificateNotCa, e.ErrorId);
            Assert.Contains("CN=not a CA", e.Message);

            TestCa noConstraints = TestPki.NewCa("CN=v3 without constraints", key, basicConstraints: false);
            Assert.Equal(ErrorIds.CaCertificateNotCa, Assert.Throws<ModemException>(() => CertificateIssuer.Sign(Vectors.Tv2Keygen, noConstraints.CertificatePem, noConstraints.KeyPem, null, 10)).ErrorId);

            TestCa noCertSign = TestPki.NewCa("CN=no keyCertSign", key, keyCertSign: false);
            Assert.Equal(ErrorIds.CaCertificateCannotSign, Assert.Throws<ModemException>(() => CertificateIssuer.Sign(Vectors.Tv2Keygen, noCertSign.CertificatePem, noCertSign.KeyPem, null, 10)).ErrorId);

            Assert.Equal(ErrorIds.CaCertificateInvalid, Assert.Throws<ModemException>(() => CertificateIssuer.Sign(Vectors.Tv2Keygen, "no cert", TestPki.EcCa.KeyPem, null, 10)).ErrorId);
        }

        [Fact]
        public void Refuses_a_key_that_does_not_match_the_ca()
        {
            var e = Assert.Throws<ModemException>(() => CertificateIssuer.Sign(Vectors.Tv2Keygen, TestPki.EcCa.CertificatePem, TestPki.Pkcs8Pem(TestPki.NewEcKey().Private), null, 10));
            Assert.Equal(ErrorIds.CaKeyMismatch, e.ErrorId);
            Assert.Equal(ErrorIds.CaKeyMismatch, Assert.Throws<ModemException>(() => CertificateIssuer.Sign(Vectors.Tv2Keygen, TestPki.EcCa.CertificatePem, TestPki.TraditionalPem(TestPki.Rsa.Private), null, 10)).ErrorId);
        }

        [Fact]
        public void Encrypted_ca_key_needs_its_passphrase()
        {
            TestCa ca = TestPki.EcCa;
            string encrypted = TestPki.EncryptedPkcs8Pem(ca.Key.Private, Passphrase);
            Assert.NotNull(CertificateIssuer.Sign(Vectors.Tv2Keygen, ca.CertificatePem, encrypted, Passphrase, 10));
            Assert.Equal(ErrorIds.PrivateKeyPassphraseRequired, Assert.Throws<ModemException>(() => CertificateIssuer.Sign(Vectors.Tv2Keygen, ca.CertificatePem, encrypted, null, 10)).ErrorId);
            var wrong = Assert.Throws<ModemException>(() => CertificateIssuer.Sign(Vectors.Tv2Keygen, ca.CertificatePem, encrypted, "wrong one", 10));
            Assert.Equal(ErrorIds.PrivateKeyPassphraseIncorrect, wrong.ErrorId);
            Assert.DoesNotContain("wrong one", wrong.ToString());
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-5)]
        [InlineData(36501)]
        public void Validity_must_be_in_range(int days)
        {
            Assert.Equal(ErrorIds.IssueValidityOutOfRange,
                Assert.Throws<ModemException>(() => CertificateIssuer.Sign(Vectors.Tv2Keygen, TestPki.EcCa.CertificatePem, TestPki.EcCa.KeyPem, null, days)).ErrorId);
        }

        [Fact]
        public void Serial_must_be_positive_and_short()
        {
            foreach (System.Numerics.BigInteger serial in new[] { System.Numerics.BigInteger.Zero, System.Numerics.BigInteger.MinusOne, System.Numerics.BigInteger.Pow(2, 160) })
            {
                Assert.Equal(ErrorIds.IssueSerialNumberInvalid,
                    Assert.Throws<ModemException>(() => CertificateIssuer.Sign(Vectors.Tv2Keygen, TestPki.EcCa.CertificatePem, TestPki.EcCa.KeyPem, null, 1, serial)).ErrorId);
            }

            System.Numerics.BigInteger max = System.Numerics.BigInteger.Pow(2, 159) - 1;
            Assert.Equal(20, Convert.FromHexString(CertificateIssuer.Sign(Vectors.Tv2Keygen, TestPki.EcCa.CertificatePem, TestPki.EcCa.KeyPem, null, 1, max).SerialNumber).Length);
        }

        [Fact]
        public void Tampered_csr_is_refused()
        {
            byte[] der = KeygenResponse.Parse(Vectors.Tv2Keygen).GetDer();
            der[^5] ^= 0x01;
            Assert.Equal(ErrorIds.CsrSignatureInvalid,
                Assert.Throws<ModemException>(() => CertificateIssuer.Sign(der, TestPki.EcCa.CertificatePem, TestPki.EcCa.KeyPem, null, 1)).ErrorId);
        }

        [Fact]
        public void Public_key_keygen_cannot_be_signed()
        {
            string text = CoseTestBuilder.Keygen(TestPki.SpkiDer(TestPki.NewEcKey().Public), 8, "50363154-3932-4834-802b-0908718314dc", 1, TestPki.NewEcKey().Private);
            Assert.Equal(ErrorIds.CsrInvalid,
                Assert.Throws<ModemException>(() => CertificateIssuer.Sign(text, TestPki.EcCa.CertificatePem, TestPki.EcCa.KeyPem, null, 1)).ErrorId);
        }

        [Fact]
        public void Outliving_the_ca_is_a_warning()
        {
            TestCa shortCa = TestPki.NewCa("CN=short CA", TestPki.NewEcKey(), notAfter: DateTime.UtcNow.AddDays(30));
            IssuedCertificate issued = CertificateIssuer.Sign(Vectors.Tv2Keygen, shortCa.CertificatePem, shortCa.KeyPem, null, 365);
            Assert.Contains(issued.Warnings, w => w.Contains("after its CA expires"));
        }
    }
}
