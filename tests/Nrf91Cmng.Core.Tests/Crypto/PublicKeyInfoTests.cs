using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Nrf91Cmng.Core.Tests.Crypto
{
    public class PublicKeyInfoTests
    {
        private static readonly byte[] s_tv2Key = KeygenResponse.Parse(Vectors.Tv2Keygen).PublicKey.GetDer();

        [Fact]
        public void One_line_pem_as_users_paste_it()
        {
            string oneLine = "-----BEGIN PUBLIC KEY-----" + Convert.ToBase64String(s_tv2Key) + "-----END PUBLIC KEY-----";
            Assert.StartsWith("-----BEGIN PUBLIC KEY-----MFkw", oneLine);
            PublicKeyInfo k = PublicKeyInfo.FromPem(oneLine);
            Assert.Equal("EC", k.Algorithm);
            Assert.Equal("P-256", k.Curve);
            Assert.Equal("secp256r1", k.CurveName);
            Assert.Equal("1.2.840.10045.3.1.7", k.CurveOid);
            Assert.Equal(256, k.KeySize);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(s_tv2Key)), k.Fingerprint);
            Assert.Equal(s_tv2Key, k.GetDer());
            Assert.Equal("-----BEGIN PUBLIC KEY-----\n" + Convert.ToBase64String(s_tv2Key).Substring(0, 64) + "\n" + Convert.ToBase64String(s_tv2Key).Substring(64) + "\n-----END PUBLIC KEY-----\n", k.Pem);
            Assert.Contains("P-256", k.ToString());
        }

        [Fact]
        public void Other_forms_give_the_same_key()
        {
            PublicKeyInfo k = PublicKeyInfo.FromDer(s_tv2Key);
            Assert.Equal(k.Fingerprint, PublicKeyInfo.FromPem(k.Pem.Replace("\n", "\r\n")).Fingerprint);
            Assert.Equal(k.Fingerprint, PublicKeyInfo.FromPem(Convert.ToBase64String(s_tv2Key)).Fingerprint);
            Assert.Equal(k.Fingerprint, PublicKeyInfo.FromPem(Vectors.Tv2ClientCertificate).Fingerprint);
            Assert.Equal(k.Fingerprint, PublicKeyInfo.FromPem(KeygenResponse.Parse(Vectors.Tv2Keygen).Pem).Fingerprint);
            Assert.True(k.Matches(PublicKeyInfo.FromPem(Vectors.Tv2ClientCertificate)));
        }

        [Fact]
        public void Rsa_and_other_curves()
        {
            PublicKeyInfo rsa = PublicKeyInfo.FromPem(TestPki.PublicKeyPem(TestPki.Rsa.Public));
            Assert.Equal("RSA", rsa.Algorithm);
            Assert.Null(rsa.Curve);
            Assert.Equal(2048, rsa.KeySize);
            Assert.False(rsa.Matches(PublicKeyInfo.FromDer(s_tv2Key)));

            string pkcs1 = "-----BEGIN RSA PUBLIC KEY-----\n" +
                Convert.ToBase64String(Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(TestPki.Rsa.Public).ParsePublicKey().GetDerEncoded()) +
                "\n-----END RSA PUBLIC KEY-----\n";
            Assert.Equal(rsa.Fingerprint, PublicKeyInfo.FromPem(pkcs1).Fingerprint);

            AsymmetricCipherKeyPair p384 = TestPki.NewEcKey("P-384");
            PublicKeyInfo k384 = PublicKeyInfo.FromDer(TestPki.SpkiDer(p384.Public));
            Assert.Equal("P-384", k384.Curve);
            Assert.Equal("secp384r1", k384.CurveName);
            AsymmetricCipherKeyPair bp = TestPki.NewEcKey("brainpoolP256r1");
            Assert.Equal("brainpoolP256r1", PublicKeyInfo.FromDer(TestPki.SpkiDer(bp.Public)).Curve);
        }

        [Fact]
        public void Errors_are_typed()
        {
            Assert.Equal(ErrorIds.PemNotFound, Assert.Throws<ModemException>(() => PublicKeyInfo.FromPem("hello")).ErrorId);
            Assert.Equal(ErrorIds.PemWrongType, Assert.Throws<ModemException>(() => PublicKeyInfo.FromPem(TestPki.Pkcs8Pem(TestPki.NewEcKey().Private))).ErrorId);
            Assert.Equal(ErrorIds.PublicKeyInvalid, Assert.Throws<ModemException>(() => PublicKeyInfo.FromDer(new byte[] { 0x30, 0x00 })).ErrorId);
            Assert.Equal(ErrorIds.PublicKeyInvalid, Assert.Throws<ModemException>(() => PublicKeyInfo.FromDer(s_tv2Key.Take(40).ToArray())).ErrorId);
            Assert.Equal(ErrorIds.PublicKeyInvalid, Assert.Throws<ModemException>(() => PublicKeyInfo.FromDer(CertificateInfo.FromPem(Vectors.AmazonRootCa1).GetDer())).ErrorId);
            byte[] badPoint = (byte[])s_tv2Key.Clone();
            badPoint[^1] ^= 0x01;
            Assert.Equal(ErrorIds.PublicKeyInvalid, Assert.Throws<ModemException>(() => PublicKeyInfo.FromDer(badPoint)).ErrorId);
        }

        [Fact]
        public void Private_key_details_never_show_the_key()
        {
            AsymmetricCipherKeyPair k = TestPki.NewEcKey();
            string pem = TestPki.Pkcs8Pem(k.Private);
            PrivateKeyDetails d = PrivateKeyDetails.FromPem(pem);
            Assert.Equal("Pkcs8 EC P-256 private key", d.ToString());
            Assert.Equal(PublicKeyInfo.FromDer(TestPki.SpkiDer(k.Public)).Fingerprint, d.PublicKey!.Fingerprint);
            Assert.Equal(ErrorIds.PemNotFound, Assert.Throws<ModemException>(() => PrivateKeyDetails.FromPem("x")).ErrorId);
            Assert.Equal(ErrorIds.PemWrongType, Assert.Throws<ModemException>(() => PrivateKeyDetails.FromPem(Vectors.AmazonRootCa1)).ErrorId);
        }

        [Fact]
        public void Csr_info_from_pem_and_der()
        {
            var csr = TestPki.NewCsr(TestPki.NewEcKey(), "O=Test, CN=dev", Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature);
            CertificateRequestInfo info = CertificateRequestInfo.FromPem(TestPki.Pem(csr));
            Assert.Equal("CN=dev, O=Test", info.Subject);
            Assert.Equal(new[] { "DigitalSignature" }, info.KeyUsage);
            Assert.True(info.SignatureValid);
            Assert.False(info.HasExplicitNullSignatureParameters);
            Assert.Equal(info.Sha256, CertificateRequestInfo.FromDer(csr.GetEncoded()).Sha256);
            Assert.Equal(info.Sha256, CertificateRequestInfo.FromPem(Convert.ToBase64String(csr.GetEncoded())).Sha256);
            Assert.Empty(CertificateRequestInfo.FromDer(TestPki.NewCsr(TestPki.NewEcKey(), "CN=x").GetEncoded()).KeyUsage);

            byte[] tampered = csr.GetEncoded();
            tampered[^3] ^= 0x5A;
            CertificateRequestInfo bad = CertificateRequestInfo.FromDer(tampered);
            Assert.False(bad.SignatureValid);
            Assert.Equal(ErrorIds.CsrSignatureInvalid, Assert.Throws<ModemException>(bad.EnsureSignatureValid).ErrorId);
            Assert.Equal(ErrorIds.CsrInvalid, Assert.Throws<ModemException>(() => CertificateRequestInfo.FromDer(new byte[] { 0x30, 0x00 })).ErrorId);
            Assert.Equal(ErrorIds.PemWrongType, Assert.Throws<ModemException>(() => CertificateRequestInfo.FromPem(Vectors.AmazonRootCa1)).ErrorId);
            Assert.Equal(ErrorIds.PemNotFound, Assert.Throws<ModemException>(() => CertificateRequestInfo.FromPem("nope")).ErrorId);
        }
    }
}
