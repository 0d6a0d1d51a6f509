using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>How a PEM private key is packaged.</summary>
    public enum PrivateKeyFormat
    {
        /// <summary><c>RSA PRIVATE KEY</c> (PKCS#1).</summary>
        Pkcs1,

        /// <summary><c>EC PRIVATE KEY</c> (SEC1 / RFC 5915).</summary>
        Sec1,

        /// <summary><c>PRIVATE KEY</c> (PKCS#8, unencrypted).</summary>
        Pkcs8,

        /// <summary><c>ENCRYPTED PRIVATE KEY</c> (PKCS#8, needs a passphrase).</summary>
        EncryptedPkcs8,
    }

    /// <summary>
    /// What a PEM private key is, without its secret: format, algorithm, curve or size, and the
    /// public key derived from it. Never prints key material or the passphrase.
    /// </summary>
    public sealed class PrivateKeyDetails
    {
        private PrivateKeyDetails(PrivateKeyFormat format, AsymmetricKeyParameter privateKey, PublicKeyInfo? publicKey)
        {
            Format = format;
            PrivateKey = privateKey;
            Algorithm = KeyUtil.AlgorithmName(privateKey);
            DerObjectIdentifier? curve = KeyUtil.CurveOid(privateKey);
            Curve = KeyUtil.CurveDisplayName(curve);
            KeySize = KeyUtil.KeySize(privateKey);
            PublicKey = publicKey;
        }

        /// <summary>The packaging.</summary>
        public PrivateKeyFormat Format { get; }

        /// <summary>True for <see cref="PrivateKeyFormat.EncryptedPkcs8"/>: %CMNG needs the passphrase too.</summary>
        public bool IsEncrypted => Format == PrivateKeyFormat.EncryptedPkcs8;

        /// <summary>"EC", "RSA", ...</summary>
        public string Algorithm { get; }

        /// <summary>The curve of an EC key ("P-256"), or null.</summary>
        public string? Curve { get; }

        /// <summary>Key size in bits.</summary>
        public int KeySize { get; }

        /// <summary>The public half, derived from the private key (null for algorithms this module does not derive).</summary>
        public PublicKeyInfo? PublicKey { get; }

        internal AsymmetricKeyParameter PrivateKey { get; }

        /// <inheritdoc />
        public override string ToString() =>
            Format + " " + Algorithm + " " + (Curve ?? KeySize.ToString(CultureInfo.InvariantCulture)) + " private key";

        /// <summary>
        /// Reads the first private key of <paramref name="pem"/> (PKCS#1 RSA, SEC1 EC, PKCS#8 or
        /// encrypted PKCS#8, which needs <paramref name="passphrase"/>).
        /// </summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.PemNotFound"/>, <see cref="ErrorIds.PemWrongType"/>,
        /// <see cref="ErrorIds.PrivateKeyInvalid"/>, <see cref="ErrorIds.PrivateKeyLegacyEncryption"/>,
        /// <see cref="ErrorIds.PrivateKeyPassphraseRequired"/>, <see cref="ErrorIds.PrivateKeyPassphraseIncorrect"/>.</exception>
        public static PrivateKeyDetails FromPem(string pem, string? passphrase = null)
        {
            if (pem is null)
            {
                throw new ArgumentNullException(nameof(pem));
            }

            IReadOnlyList<PemBlock> blocks = PemText.Parse(pem);
            foreach (PemBlock block in blocks)
            {
                if (IsPrivateKeyLabel(block.Label))
                {
                    return Parse(block, passphrase);
                }
            }

            if (blocks.Count == 0)
            {
                throw CryptoErrors.InvalidData(ErrorIds.PemNotFound,
                    "No private key found: the text has no '-----BEGIN ... PRIVATE KEY-----' block.",
                    "Give a PEM private key. A binary (DER) key converts with: openssl pkey -inform der -in key.der -out key.pem");
            }

            throw CryptoErrors.InvalidData(ErrorIds.PemWrongType,
                "No private key found: the text holds " + PublicKeyInfo.DescribeLabels(blocks) + ", not a PRIVATE KEY.",
                "Give the private key file ('-----BEGIN PRIVATE KEY-----', 'EC PRIVATE KEY', 'RSA PRIVATE KEY' or 'ENCRYPTED PRIVATE KEY').");
        }

        internal static bool IsPrivateKeyLabel(string label) =>
            label == "PRIVATE KEY" || label == "ENCRYPTED PRIVATE KEY" || label == "RSA PRIVATE KEY" || label == "EC PRIVATE KEY";

        internal static PrivateKeyDetails Parse(PemBlock block, string? passphrase)
        {
            if (block.IsLegacyEncrypted)
            {
                throw CryptoErrors.InvalidData(ErrorIds.PrivateKeyLegacyEncryption,
                    "The private key uses OpenSSL's legacy PEM encryption (Proc-Type: 4,ENCRYPTED), which the modem does not take: it accepts unencrypted keys and encrypted PKCS#8.",
                    "Convert it to encrypted PKCS#8 (openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key-p8.pem) and give the new passphrase, or to an unencrypted key (openssl pkey -in key.pem -out key-plain.pem).");
            }

            Asn1Object? obj = CryptoErrors.TryReadDer(block.Der);
            if (obj is null)
            {
                throw Invalid("the '" + block.Label + "' block is not one DER structure (cut short?)");
            }

            switch (block.Label)
            {
                case "RSA PRIVATE KEY":
                    return Build(PrivateKeyFormat.Pkcs1, () =>
                    {
                        RsaPrivateKeyStructure rsa = RsaPrivateKeyStructure.GetInstance(obj);
                        return new PrivateKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance), rsa);
                    });
                case "EC PRIVATE KEY":
                    return Build(PrivateKeyFormat.Sec1, () =>
                    {
                        ECPrivateKeyStructure ec = ECPrivateKeyStructure.GetInstance(obj);
                        Asn1Encodable? parameters = ec.Parameters;
                        if (parameters is null)
                        {
                            throw Invalid("the EC PRIVATE KEY does not name its curve");
                        }

                        return new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, parameters), ec);
                    });
                case "PRIVATE KEY":
                    return Build(PrivateKeyFormat.Pkcs8, () => PrivateKeyInfo.GetInstance(obj));
                case "ENCRYPTED PRIVATE KEY":
                    return Build(PrivateKeyFormat.EncryptedPkcs8, () => Decrypt(obj, passphrase));
                default:
                    throw Invalid("a '" + block.Label + "' block is not a private key");
            }
        }

        private static PrivateKeyInfo Decrypt(Asn1Object obj, string? passphrase)
        {
            EncryptedPrivateKeyInfo encrypted;
            try
            {
                encrypted = EncryptedPrivateKeyInfo.GetInstance(obj);
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw Invalid("the ENCRYPTED PRIVATE KEY is not an EncryptedPrivateKeyInfo");
            }

            if (string.IsNullOrEmpty(passphrase))
            {
                throw new ModemException(ErrorIds.PrivateKeyPassphraseRequired, ModemErrorCategory.InvalidArgument,
                    "The private key is encrypted (ENCRYPTED PRIVATE KEY) and no passphrase was given.",
                    "Give the passphrase that opens it (-Passphrase), or write an unencrypted key (openssl pkey -in key.pem -out key-plain.pem).");
            }

            try
            {
                return PrivateKeyInfoFactory.CreatePrivateKeyInfo(passphrase!.ToCharArray(), encrypted);
            }
            catch (SecurityUtilityException)
            {
                throw Invalid("its encryption scheme (" + encrypted.EncryptionAlgorithm.Algorithm.Id + ") is not supported");
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw new ModemException(ErrorIds.PrivateKeyPassphraseIncorrect, ModemErrorCategory.InvalidArgument,
                    "The passphrase does not open the encrypted private key.",
                    "Check the passphrase (case, keyboard layout); openssl pkey -in key.pem -noout asks for it and tells whether it is right.");
            }
        }

        private static PrivateKeyDetails Build(PrivateKeyFormat format, Func<PrivateKeyInfo> info)
        {
            AsymmetricKeyParameter key;
            try
            {
                key = PrivateKeyFactory.CreateKey(info());
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                // No inner exception: parser messages could quote key bytes.
                throw Invalid("it does not parse as a " + format + " key (" + e.GetType().Name + ")");
            }

            if (!key.IsPrivate)
            {
                throw Invalid("it holds no private key");
            }

            PublicKeyInfo? publicKey = null;
            try
            {
                if (key is Org.BouncyCastle.Crypto.Parameters.RsaPrivateCrtKeyParameters rsa)
                {
                    // The public half is two numbers of the private key: no BouncyCastle public key (and
                    // its modulus test, see PublicKeyInfo) is needed to describe it.
                    publicKey = PublicKeyInfo.FromRsa(rsa.Modulus, rsa.PublicExponent);
                }
                else
                {
                    AsymmetricKeyParameter? pub = KeyUtil.PublicFromPrivate(key);
                    publicKey = pub is null ? null : PublicKeyInfo.FromKey(pub);
                }
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw Invalid("its public key cannot be derived (" + e.GetType().Name + ")");
            }

            return new PrivateKeyDetails(format, key, publicKey);
        }

        private static ModemException Invalid(string why) =>
            CryptoErrors.InvalidData(ErrorIds.PrivateKeyInvalid,
                "The private key is not valid: " + why + ".",
                "Give the key file exactly as OpenSSL or the CA wrote it; openssl pkey -in key.pem -noout tells whether it parses.");
    }
}
