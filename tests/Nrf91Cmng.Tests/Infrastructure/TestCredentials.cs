using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Nrf91Cmng.Tests.Infrastructure;

/// <summary>
/// Credential files for hosted tests, made with .NET's own X.509 API (the test project deliberately
/// does not reference the module's engine or its BouncyCastle): an RSA root CA and a chain, an EC
/// client certificate with its key (plain and encrypted PKCS#8), a key that belongs to nothing, a
/// PSK and identity, and the bad inputs users bring (quote, garbage, over-long, expired).
/// </summary>
public sealed class TestCredentials : IDisposable
{
    public const string Passphrase = "correct horse 42";

    public TestCredentials()
    {
        Directory = Path.Combine(Path.GetTempPath(), "nrf91cmng-tests-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Directory);

        using RSA caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Nrf91Cmng Test Root CA, O=Nrf91Cmng Tests", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        CaPem = ca.ExportCertificatePem() + "\n";
        CaKeyPem = caKey.ExportPkcs8PrivateKeyPem() + "\n";
        EncryptedCaKeyPem = caKey.ExportEncryptedPkcs8PrivateKeyPem(Passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10000)) + "\n";

        using RSA intermediateKey = RSA.Create(2048);
        var intermediateRequest = new CertificateRequest("CN=Nrf91Cmng Test Intermediate", intermediateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 intermediate = intermediateRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5), new byte[] { 2 });
        ChainPem = intermediate.ExportCertificatePem() + "\n" + CaPem;

        using ECDsa clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest("CN=device-0001, O=Nrf91Cmng Tests", clientKey, HashAlgorithmName.SHA256);
        X509SignatureGenerator caSigner = X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1);
        using X509Certificate2 client = clientRequest.Create(ca.SubjectName, caSigner, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2), new byte[] { 3 });
        ClientPem = client.ExportCertificatePem() + "\n";
        KeyPem = clientKey.ExportPkcs8PrivateKeyPem() + "\n";
        EncryptedKeyPem = clientKey.ExportEncryptedPkcs8PrivateKeyPem(Passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10000)) + "\n";
        KeyBody = KeyPem.Split('\n')[1];
        EncryptedKeyBody = EncryptedKeyPem.Split('\n')[1];

        using ECDsa otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        OtherKeyPem = otherKey.ExportPkcs8PrivateKeyPem() + "\n";
        PublicKeyPem = otherKey.ExportSubjectPublicKeyInfoPem() + "\n";

        using X509Certificate2 expired = clientRequest.Create(ca.SubjectName, caSigner, DateTimeOffset.UtcNow.AddYears(-3), DateTimeOffset.UtcNow.AddYears(-1), new byte[] { 4 });
        ExpiredPem = expired.ExportCertificatePem() + "\n";

        Psk = "2B7E151628AED2A6ABF7158809CF4F3C";
        PskIdentity = "nrf91cmng-device-0001";

        var many = new StringBuilder();
        while (many.Length < 5000)
        {
            many.Append(CaPem);
        }

        CaFile = Write("ca.pem", CaPem);
        CaKeyFile = Write("ca.key", CaKeyPem);
        EncryptedCaKeyFile = Write("ca-encrypted.key", EncryptedCaKeyPem);
        PublicKeyFile = Write("public.pem", PublicKeyPem);
        ChainFile = Write("chain.pem", ChainPem);
        ClientFile = Write("client.pem", ClientPem);
        KeyFile = Write("client.key", KeyPem);
        EncryptedKeyFile = Write("client-encrypted.key", EncryptedKeyPem);
        OtherKeyFile = Write("other.key", OtherKeyPem);
        ExpiredFile = Write("expired.pem", ExpiredPem);
        CaCrLfFile = Write("ca-crlf.pem", CaPem.Replace("\n", "\r\n"));
        LongFile = Write("long.pem", many.ToString());
        QuoteFile = Write("quote.pem", CaPem.Insert(CaPem.IndexOf('\n') + 5, "\""));
        EmptyFile = Write("empty.pem", string.Empty);
        DerFile = Path.Combine(Directory, "ca.der");
        File.WriteAllBytes(DerFile, ca.RawData);
        HugeFile = Path.Combine(Directory, "huge.pem");
        using (FileStream huge = File.Create(HugeFile))
        {
            huge.SetLength(10 * 1024 * 1024);
        }

        GarbageFile = Write("garbage.pem", "-----BEGIN CERTIFICATE-----\nTUlJQkdhcmJhZ2VHYXJiYWdl\n-----END CERTIFICATE-----\n");
    }

    public string Directory { get; }

    public string CaPem { get; }

    public string ChainPem { get; }

    public string ClientPem { get; }

    public string KeyPem { get; }

    public string EncryptedKeyPem { get; }

    /// <summary>A line of the private key's base64: must never appear in any output.</summary>
    public string KeyBody { get; }

    public string EncryptedKeyBody { get; }

    public string OtherKeyPem { get; }

    public string ExpiredPem { get; }

    public string Psk { get; }

    public string PskIdentity { get; }

    public string CaFile { get; }

    public string CaKeyPem { get; }

    public string EncryptedCaKeyPem { get; }

    public string CaKeyFile { get; }

    public string EncryptedCaKeyFile { get; }

    public string PublicKeyPem { get; }

    public string PublicKeyFile { get; }

    public string ChainFile { get; }

    public string ClientFile { get; }

    public string KeyFile { get; }

    public string EncryptedKeyFile { get; }

    public string OtherKeyFile { get; }

    public string ExpiredFile { get; }

    public string CaCrLfFile { get; }

    public string LongFile { get; }

    public string QuoteFile { get; }

    public string GarbageFile { get; }

    public string EmptyFile { get; }

    public string DerFile { get; }

    /// <summary>10 MB of zeros.</summary>
    public string HugeFile { get; }

    /// <summary>The passphrase as a SecureString (ConvertTo-SecureString is not in the hosted engine).</summary>
    public System.Security.SecureString SecurePassphrase => Secure(Passphrase);

    public System.Security.SecureString Secure(string text)
    {
        var secure = new System.Security.SecureString();
        foreach (char c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>Uppercase SHA-256 of text as sent (ASCII).</summary>
    public static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(text)));

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
