using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>
    /// A public key (SubjectPublicKeyInfo): algorithm, curve, size and SHA-256 fingerprint of its
    /// DER, with a normalised PEM. Built from a <c>PUBLIC KEY</c> PEM (also the one-line form users
    /// paste), a DER SubjectPublicKeyInfo, or the key inside a certificate or CSR.
    /// </summary>
    public sealed class PublicKeyInfo
    {
        private readonly byte[] _der;
        private readonly SubjectPublicKeyInfo? _spki;
        private readonly RsaPublicKeyStructure? _rsa;
        private AsymmetricKeyParameter? _key;

        private PublicKeyInfo(byte[] der, AsymmetricKeyParameter key)
        {
            _der = der;
            _key = key;
            Algorithm = KeyUtil.AlgorithmName(key);
            DerObjectIdentifier? curve = KeyUtil.CurveOid(key);
            Curve = KeyUtil.CurveDisplayName(curve);
            CurveName = KeyUtil.CurveTableName(curve);
            CurveOid = curve?.Id;
            KeySize = KeyUtil.KeySize(key);
            Fingerprint = Encodings.Sha256Hex(der);
            Pem = PemText.Encode("PUBLIC KEY", der);
        }

        // An RSA key described from its structure alone. BouncyCastle's RsaKeyParameters runs a
        // Miller-Rabin test on the modulus each time one is made (three 2048-bit modular
        // exponentiations: about 35 ms on a desktop, 90 ms on the 2-core CI machine, the largest
        // single cost of validating a provisioning plan), which only matters when the key is used
        // for arithmetic. The BouncyCastle key (and that test) is made when Key is first used.
        private PublicKeyInfo(byte[] der, SubjectPublicKeyInfo spki, RsaPublicKeyStructure rsa)
        {
            _der = der;
            _spki = spki;
            _rsa = rsa;
            Algorithm = "RSA";
            KeySize = rsa.Modulus.BitLength;
            Fingerprint = Encodings.Sha256Hex(der);
            Pem = PemText.Encode("PUBLIC KEY", der);
        }

        /// <summary>"EC", "RSA", "Ed25519", ...</summary>
        public string Algorithm { get; }

        /// <summary>The curve of an EC key: NIST name when there is one ("P-256"), else its table name; null for other algorithms.</summary>
        public string? Curve { get; }

        /// <summary>The SEC / table name of the curve ("secp256r1"), or null.</summary>
        public string? CurveName { get; }

        /// <summary>The curve OID ("1.2.840.10045.3.1.7"), or null.</summary>
        public string? CurveOid { get; }

        /// <summary>Key size in bits (EC field size, RSA modulus length).</summary>
        public int KeySize { get; }

        /// <summary>Uppercase hex SHA-256 of the DER SubjectPublicKeyInfo.</summary>
        public string Fingerprint { get; }

        /// <summary>The key as <c>PUBLIC KEY</c> PEM: LF line ends, 64-character lines, trailing newline.</summary>
        public string Pem { get; }

        /// <summary>The BouncyCastle key, made on first use for an RSA key (see the RSA constructor).</summary>
        internal AsymmetricKeyParameter Key => _key ??= PublicKeyFactory.CreateKey(_spki!);

        /// <summary>The DER SubjectPublicKeyInfo (a copy).</summary>
        public byte[] GetDer() => (byte[])_der.Clone();

        /// <summary>True when <paramref name="other"/> is the same key (whatever its encoding).</summary>
        public bool Matches(PublicKeyInfo other)
        {
            if (other is null)
            {
                throw new ArgumentNullException(nameof(other));
            }

            if (_rsa is not null && other._rsa is not null)
            {
                // What KeyUtil.SamePublicKey compares for RSA, without making the keys.
                return _rsa.Modulus.Equals(other._rsa.Modulus) && _rsa.PublicExponent.Equals(other._rsa.PublicExponent);
            }

            return KeyUtil.SamePublicKey(Key, other.Key);
        }

        /// <inheritdoc />
        public override string ToString() =>
            Algorithm + (Curve != null ? " " + Curve : " " + KeySize.ToString(CultureInfo.InvariantCulture)) + " SHA256:" + Fingerprint;

        /// <summary>
        /// Reads a public key from text: a <c>PUBLIC KEY</c> PEM (line-broken or on one line), an
        /// <c>RSA PUBLIC KEY</c> (PKCS#1), a <c>CERTIFICATE</c> or <c>CERTIFICATE REQUEST</c> (their
        /// subject key), or bare base64 of a DER SubjectPublicKeyInfo.
        /// </summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.PemNotFound"/>, <see cref="ErrorIds.PemWrongType"/>, <see cref="ErrorIds.PemMalformed"/>, <see cref="ErrorIds.PublicKeyInvalid"/>.</exception>
        public static PublicKeyInfo FromPem(string pem)
        {
            if (pem is null)
            {
                throw new ArgumentNullException(nameof(pem));
            }

            IReadOnlyList<PemBlock> blocks = PemText.Parse(pem);
            if (blocks.Count == 0)
            {
                string trimmed = pem.Trim().Trim('"').Trim();
                byte[]? raw = trimmed.Length > 0 ? Encodings.TryFromBase64Url(RemoveWhitespace(trimmed)) : null;
                if (raw != null && CryptoErrors.TryReadDer(raw) != null)
                {
                    return FromDer(raw);
                }

                throw CryptoErrors.InvalidData(ErrorIds.PemNotFound,
                    "No public key found: the text has no '-----BEGIN PUBLIC KEY-----' block.",
                    "Give the public key in PEM form, from '-----BEGIN PUBLIC KEY-----' to '-----END PUBLIC KEY-----' (openssl pkey -pubout writes it).");
            }

            foreach (PemBlock block in blocks)
            {
                switch (block.Label)
                {
                    case "PUBLIC KEY":
                        return FromDer(block.Der);
                    case "RSA PUBLIC KEY":
                        return FromRsaPkcs1(block.Der);
                    case "CERTIFICATE":
                        return CertificateInfo.FromDer(block.Der).PublicKey;
                    case "CERTIFICATE REQUEST":
                    case "NEW CERTIFICATE REQUEST":
                        return CertificateRequestInfo.FromDer(block.Der).PublicKey;
                }
            }

            throw CryptoErrors.InvalidData(ErrorIds.PemWrongType,
                "No public key found: the text holds " + DescribeLabels(blocks) + ", not a PUBLIC KEY.",
                "Give the public key ('-----BEGIN PUBLIC KEY-----'); from a private key, openssl pkey -in key.pem -pubout writes it.");
        }

        /// <summary>Reads a DER SubjectPublicKeyInfo.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.PublicKeyInvalid"/>.</exception>
        public static PublicKeyInfo FromDer(byte[] der)
        {
            if (der is null)
            {
                throw new ArgumentNullException(nameof(der));
            }

            Asn1Object? obj = CryptoErrors.TryReadDer(der);
            if (obj is null)
            {
                throw Invalid("the data is not one DER structure", null);
            }

            try
            {
                SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.GetInstance(obj);
                return FromSpki(spki);
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw Invalid("it is not a SubjectPublicKeyInfo the key factory understands", e);
            }
        }

        internal static PublicKeyInfo FromSpki(SubjectPublicKeyInfo spki)
        {
            try
            {
                if (PkcsObjectIdentifiers.RsaEncryption.Equals(spki.Algorithm.Algorithm))
                {
                    // The checks BouncyCastle makes before its modulus test: a malformed key fails here
                    // as it did, with the same message.
                    RsaPublicKeyStructure rsa = RsaPublicKeyStructure.GetInstance(spki.ParsePublicKey());
                    if (rsa.Modulus.SignValue <= 0 || !rsa.Modulus.TestBit(0) || rsa.PublicExponent.SignValue <= 0 || !rsa.PublicExponent.TestBit(0))
                    {
                        throw new ArgumentException("Not a valid RSA modulus or public exponent");
                    }

                    return new PublicKeyInfo(spki.GetDerEncoded(), spki, rsa);
                }

                AsymmetricKeyParameter key = PublicKeyFactory.CreateKey(spki);
                if (key.IsPrivate)
                {
                    throw Invalid("it holds a private key", null);
                }

                return new PublicKeyInfo(spki.GetDerEncoded(), key);
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw Invalid("the key does not parse (" + e.GetType().Name + ")", e);
            }
        }

        internal static PublicKeyInfo FromKey(AsymmetricKeyParameter key) =>
            FromSpki(Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key));

        /// <summary>An RSA public key from its numbers, encoded as BouncyCastle's SubjectPublicKeyInfoFactory does, without making a BouncyCastle key.</summary>
        internal static PublicKeyInfo FromRsa(Org.BouncyCastle.Math.BigInteger modulus, Org.BouncyCastle.Math.BigInteger publicExponent) =>
            FromSpki(new SubjectPublicKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance), new RsaPublicKeyStructure(modulus, publicExponent)));

        private static PublicKeyInfo FromRsaPkcs1(byte[] der)
        {
            Asn1Object? obj = CryptoErrors.TryReadDer(der);
            if (obj is null)
            {
                throw Invalid("the RSA PUBLIC KEY block is not one DER structure", null);
            }

            try
            {
                RsaPublicKeyStructure rsa = RsaPublicKeyStructure.GetInstance(obj);
                return FromRsa(rsa.Modulus, rsa.PublicExponent);
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw Invalid("the RSA PUBLIC KEY block is not a PKCS#1 RSA public key", e);
            }
        }

        internal static string DescribeLabels(IReadOnlyList<PemBlock> blocks)
        {
            var labels = new List<string>();
            foreach (PemBlock b in blocks)
            {
                if (!labels.Contains(b.Label))
                {
                    labels.Add(b.Label);
                }
            }

            return "a " + string.Join(" and a ", labels.ConvertAll(l => "'" + l + "'")) + " block";
        }

        private static string RemoveWhitespace(string s)
        {
            var chars = new List<char>(s.Length);
            foreach (char c in s)
            {
                if (!char.IsWhiteSpace(c))
                {
                    chars.Add(c);
                }
            }

            return new string(chars.ToArray());
        }

        private static ModemException Invalid(string why, Exception? inner) =>
            CryptoErrors.InvalidData(ErrorIds.PublicKeyInvalid,
                "The public key is not valid: " + why + ".",
                "Give a PEM 'PUBLIC KEY' (SubjectPublicKeyInfo), e.g. from openssl pkey -in key.pem -pubout.", inner);
    }
}
