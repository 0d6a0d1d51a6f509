using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.X509;

namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>Key naming, comparison and derivation glue over BouncyCastle key parameters.</summary>
    internal static class KeyUtil
    {
        /// <summary>"EC", "RSA", "Ed25519", ... for a key parameter.</summary>
        public static string AlgorithmName(AsymmetricKeyParameter key) => key switch
        {
            ECKeyParameters _ => "EC",
            RsaKeyParameters _ => "RSA",
            Ed25519PublicKeyParameters _ => "Ed25519",
            Ed25519PrivateKeyParameters _ => "Ed25519",
            Ed448PublicKeyParameters _ => "Ed448",
            Ed448PrivateKeyParameters _ => "Ed448",
            X25519PublicKeyParameters _ => "X25519",
            X25519PrivateKeyParameters _ => "X25519",
            DsaKeyParameters _ => "DSA",
            _ => key.GetType().Name.Replace("PublicKeyParameters", string.Empty).Replace("PrivateKeyParameters", string.Empty).Replace("KeyParameters", string.Empty),
        };

        /// <summary>The curve OID of an EC key, when it uses a named curve.</summary>
        public static DerObjectIdentifier? CurveOid(AsymmetricKeyParameter key)
        {
            if (key is ECKeyParameters ec)
            {
                if (ec.Parameters is ECNamedDomainParameters named)
                {
                    return named.Name;
                }

                // Explicit parameters: find the named curve with the same domain.
                foreach (string name in ECNamedCurveTable.Names)
                {
                    X9ECParameters? x9 = ECNamedCurveTable.GetByName(name);
                    if (x9 != null && x9.Curve.Equals(ec.Parameters.Curve) && x9.G.Equals(ec.Parameters.G) && x9.N.Equals(ec.Parameters.N))
                    {
                        return ECNamedCurveTable.GetOid(name);
                    }
                }
            }

            return null;
        }

        /// <summary>NIST name ("P-256") when there is one, else the SEC/other name ("brainpoolP256r1"), else the OID.</summary>
        public static string? CurveDisplayName(DerObjectIdentifier? oid)
        {
            if (oid is null)
            {
                return null;
            }

            return NistNamedCurves.GetName(oid) ?? SecNamedCurves.GetName(oid) ?? ECNamedCurveTable.GetName(oid) ?? oid.Id;
        }

        /// <summary>The SEC / table name ("secp256r1") of a curve, or null.</summary>
        public static string? CurveTableName(DerObjectIdentifier? oid) =>
            oid is null ? null : SecNamedCurves.GetName(oid) ?? ECNamedCurveTable.GetName(oid);

        /// <summary>Key size in bits (EC: field size; RSA: modulus length; 0 when unknown).</summary>
        public static int KeySize(AsymmetricKeyParameter key) => key switch
        {
            ECKeyParameters ec => ec.Parameters.Curve.FieldSize,
            RsaKeyParameters rsa => rsa.Modulus.BitLength,
            Ed25519PublicKeyParameters _ => 256,
            Ed25519PrivateKeyParameters _ => 256,
            _ => 0,
        };

        /// <summary>The public half of a private key; null for algorithms this module does not derive.</summary>
        public static AsymmetricKeyParameter? PublicFromPrivate(AsymmetricKeyParameter key)
        {
            switch (key)
            {
                case ECPrivateKeyParameters ec:
                    var q = new FixedPointCombMultiplier().Multiply(ec.Parameters.G, ec.D).Normalize();
                    return new ECPublicKeyParameters(ec.AlgorithmName, q, ec.Parameters);
                case RsaPrivateCrtKeyParameters rsa:
                    return new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent);
                case Ed25519PrivateKeyParameters ed:
                    return ed.GeneratePublicKey();
                case Ed448PrivateKeyParameters ed448:
                    return ed448.GeneratePublicKey();
                default:
                    return null;
            }
        }

        /// <summary>True when two public keys are the same key (mathematically, whatever the encoding).</summary>
        public static bool SamePublicKey(AsymmetricKeyParameter a, AsymmetricKeyParameter b)
        {
            switch (a)
            {
                case ECPublicKeyParameters ea when b is ECPublicKeyParameters eb:
                    return ea.Parameters.N.Equals(eb.Parameters.N)
                        && ea.Parameters.Curve.Equals(eb.Parameters.Curve)
                        && ea.Q.Normalize().AffineXCoord.ToBigInteger().Equals(eb.Q.Normalize().AffineXCoord.ToBigInteger())
                        && ea.Q.Normalize().AffineYCoord.ToBigInteger().Equals(eb.Q.Normalize().AffineYCoord.ToBigInteger());
                case RsaKeyParameters ra when b is RsaKeyParameters rb:
                    return ra.Modulus.Equals(rb.Modulus) && ra.Exponent.Equals(rb.Exponent);
                default:
                    try
                    {
                        return Org.BouncyCastle.Utilities.Arrays.AreEqual(
                            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(a).GetDerEncoded(),
                            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(b).GetDerEncoded());
                    }
                    catch (Exception)
                    {
                        return false;
                    }
            }
        }

        /// <summary>The DER SubjectPublicKeyInfo of a public key.</summary>
        public static byte[] SpkiDer(AsymmetricKeyParameter publicKey) =>
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetDerEncoded();

        /// <summary>The public key of a certificate (wraps BouncyCastle's accessor).</summary>
        public static AsymmetricKeyParameter PublicKeyOf(X509Certificate certificate) => certificate.GetPublicKey();

        /// <summary>The DER of an SPKI structure.</summary>
        public static byte[] SpkiDer(SubjectPublicKeyInfo spki) => spki.GetDerEncoded();
    }
}
