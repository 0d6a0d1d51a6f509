using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;
using X509Certificate = Org.BouncyCastle.X509.X509Certificate;

namespace Nrf91Cmng.Core.Tests.Crypto
{
    /// <summary>Keys, certificates and CSRs made with BouncyCastle for the tests.</summary>
    internal static class TestPki
    {
        private static readonly SecureRandom s_random = new SecureRandom();
        private static readonly Lazy<AsymmetricCipherKeyPair> s_rsa = new Lazy<AsymmetricCipherKeyPair>(() => NewRsaKey(2048));
        private static readonly Lazy<AsymmetricCipherKeyPair> s_rsa2 = new Lazy<AsymmetricCipherKeyPair>(() => NewRsaKey(2048));
        private static readonly Lazy<TestCa> s_ecCa = new Lazy<TestCa>(() => NewCa("CN=Test EC CA, O=Nrf91Cmng Tests", NewEcKey()));

        /// <summary>A shared RSA-2048 key pair (RSA generation is slow).</summary>
        public static AsymmetricCipherKeyPair Rsa => s_rsa.Value;

        /// <summary>A second shared RSA-2048 key pair.</summary>
        public static AsymmetricCipherKeyPair Rsa2 => s_rsa2.Value;

        /// <summary>A shared EC P-256 CA.</summary>
        public static TestCa EcCa => s_ecCa.Value;

        public static AsymmetricCipherKeyPair NewEcKey(string curve = "P-256")
        {
            var generator = new ECKeyPairGenerator();
            generator.Init(new ECKeyGenerationParameters(ECNamedCurveTable.GetOid(curve), s_random));
            return generator.GenerateKeyPair();
        }

        public static AsymmetricCipherKeyPair NewRsaKey(int bits)
        {
            var generator = new RsaKeyPairGenerator();
            generator.Init(new RsaKeyGenerationParameters(BcBigInteger.ValueOf(65537), s_random, bits, 80));
            return generator.GenerateKeyPair();
        }

        public static string SignatureAlgorithm(AsymmetricKeyParameter key) => key switch
        {
            ECPrivateKeyParameters ec when ec.Parameters.Curve.FieldSize == 384 => "SHA384WITHECDSA",
            ECPrivateKeyParameters _ => "SHA256WITHECDSA",
            _ => "SHA256WITHRSA",
        };

        public static TestCa NewCa(string subject, AsymmetricCipherKeyPair key, bool basicConstraints = true, bool isCa = true, bool keyCertSign = true,
            DateTime? notBefore = null, DateTime? notAfter = null)
        {
            var generator = new X509V3CertificateGenerator();
            generator.SetSerialNumber(BcBigInteger.ValueOf(DateTime.UtcNow.Ticks));
            generator.SetIssuerDN(new X509Name(subject));
            generator.SetSubjectDN(new X509Name(subject));
            generator.SetNotBefore(notBefore ?? DateTime.UtcNow.AddDays(-1));
            generator.SetNotAfter(notAfter ?? DateTime.UtcNow.AddYears(20));
            generator.SetPublicKey(key.Public);
            if (basicConstraints)
            {
                generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(isCa));
            }

            generator.AddExtension(X509Extensions.KeyUsage, true,
                new KeyUsage(keyCertSign ? KeyUsage.KeyCertSign | KeyUsage.CrlSign : KeyUsage.DigitalSignature));
            generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(key.Public));
            X509Certificate cert = generator.Generate(new Asn1SignatureFactory(SignatureAlgorithm(key.Private), key.Private, s_random));
            return new TestCa(cert, key);
        }

        /// <summary>A leaf certificate for <paramref name="subjectKey"/> signed by <paramref name="ca"/>.</summary>
        public static X509Certificate NewLeaf(TestCa ca, AsymmetricKeyParameter subjectKey, string subject, DateTime? notBefore = null, DateTime? notAfter = null,
            BcBigInteger? serial = null)
        {
            var generator = new X509V3CertificateGenerator();
            generator.SetSerialNumber(serial ?? BcBigInteger.ValueOf(1000 + s_random.Next(100000)));
            generator.SetIssuerDN(ca.Certificate.SubjectDN);
            generator.SetSubjectDN(new X509Name(subject));
            generator.SetNotBefore(notBefore ?? DateTime.UtcNow.AddDays(-1));
            generator.SetNotAfter(notAfter ?? DateTime.UtcNow.AddYears(1));
            generator.SetPublicKey(subjectKey);
            generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            return generator.Generate(new Asn1SignatureFactory(SignatureAlgorithm(ca.Key.Private), ca.Key.Private, s_random));
        }

        /// <summary>A CSR; <paramref name="keyUsage"/> adds an extensionRequest.</summary>
        public static Pkcs10CertificationRequest NewCsr(AsymmetricCipherKeyPair key, string subject, int? keyUsage = null)
        {
            Asn1Set? attributes = null;
            if (keyUsage.HasValue)
            {
                var extensions = new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension>
                {
                    [X509Extensions.KeyUsage] = new X509Extension(true, new DerOctetString(new KeyUsage(keyUsage.Value))),
                });
                attributes = new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions)));
            }

            return new Pkcs10CertificationRequest(SignatureAlgorithm(key.Private), new X509Name(subject), key.Public, attributes, key.Private);
        }

        public static string Pem(object obj)
        {
            using var writer = new StringWriter();
            var pem = new PemWriter(writer);
            pem.WriteObject(obj);
            pem.Writer.Flush();
            return writer.ToString().Replace("\r\n", "\n");
        }

        /// <summary>PKCS#1 (RSA) or SEC1 (EC) PEM.</summary>
        public static string TraditionalPem(AsymmetricKeyParameter privateKey) => Pem(privateKey);

        /// <summary>Unencrypted PKCS#8 PEM.</summary>
        public static string Pkcs8Pem(AsymmetricKeyParameter privateKey) => Pem(new Pkcs8Generator(privateKey).Generate());

        /// <summary>Encrypted PKCS#8 PEM made by BouncyCastle (PKCS#12 PBE with SHA-1 and 3DES).</summary>
        public static string EncryptedPkcs8Pem(AsymmetricKeyParameter privateKey, string password) =>
            Pem(new Pkcs8Generator(privateKey, Pkcs8Generator.PbeWithShaAnd3KeyTripleDesCbc) { Password = password.ToCharArray(), SecureRandom = s_random }.Generate());

        /// <summary>Encrypted PKCS#8 PEM with PBES2 / AES-256-CBC / PBKDF2-SHA256 (OpenSSL's default), made by .NET.</summary>
        public static string EncryptedPkcs8PemAes(AsymmetricKeyParameter privateKey, string password)
        {
            byte[] pkcs8 = PrivateKeyInfoFactory.CreatePrivateKeyInfo(privateKey).GetDerEncoded();
            var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 2048);
            if (privateKey is RsaKeyParameters)
            {
                using var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                return rsa.ExportEncryptedPkcs8PrivateKeyPem(password, pbe) + "\n";
            }

            using var ec = ECDsa.Create();
            ec.ImportPkcs8PrivateKey(pkcs8, out _);
            return ec.ExportEncryptedPkcs8PrivateKeyPem(password, pbe) + "\n";
        }

        /// <summary>OpenSSL legacy encrypted PEM (Proc-Type: 4,ENCRYPTED).</summary>
        public static string LegacyEncryptedPem(AsymmetricKeyParameter privateKey, string password)
        {
            using var writer = new StringWriter();
            var pem = new PemWriter(writer);
            pem.WriteObject(privateKey, "AES-128-CBC", password.ToCharArray(), s_random);
            pem.Writer.Flush();
            return writer.ToString().Replace("\r\n", "\n");
        }

        public static string PublicKeyPem(AsymmetricKeyParameter publicKey) => Pem(publicKey);

        public static byte[] SpkiDer(AsymmetricKeyParameter publicKey) =>
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetDerEncoded();
    }

    /// <summary>A CA certificate with its key.</summary>
    internal sealed class TestCa
    {
        public TestCa(X509Certificate certificate, AsymmetricCipherKeyPair key)
        {
            Certificate = certificate;
            Key = key;
        }

        public X509Certificate Certificate { get; }

        public AsymmetricCipherKeyPair Key { get; }

        public string CertificatePem => TestPki.Pem(Certificate);

        public string KeyPem => TestPki.Pkcs8Pem(Key.Private);
    }
}
