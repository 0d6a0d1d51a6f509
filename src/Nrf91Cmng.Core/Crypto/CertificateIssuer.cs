using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>A certificate issued by <see cref="CertificateIssuer"/>.</summary>
    public sealed class IssuedCertificate
    {
        internal IssuedCertificate(CertificateInfo certificate, IReadOnlyList<string> warnings)
        {
            Certificate = certificate;
            Warnings = warnings;
        }

        /// <summary>The certificate as PEM: LF line ends, trailing newline (ready for ClientCertificate).</summary>
        public string Pem => Certificate.Pem;

        /// <summary>Subject (from the CSR).</summary>
        public string Subject => Certificate.Subject;

        /// <summary>Issuer (the CA's subject).</summary>
        public string Issuer => Certificate.Issuer;

        /// <summary>Start of validity (UTC).</summary>
        public DateTimeOffset NotBefore => Certificate.NotBefore;

        /// <summary>End of validity (UTC).</summary>
        public DateTimeOffset NotAfter => Certificate.NotAfter;

        /// <summary>Serial number, uppercase hex of its DER integer bytes.</summary>
        public string SerialNumber => Certificate.SerialNumber;

        /// <summary>SHA-256 of the DER, uppercase hex.</summary>
        public string Sha256Fingerprint => Certificate.Sha256Fingerprint;

        /// <summary>Signature algorithm used ("SHA256withECDSA", ...).</summary>
        public string SignatureAlgorithm => Certificate.SignatureAlgorithm;

        /// <summary>The decoded certificate.</summary>
        public CertificateInfo Certificate { get; }

        /// <summary>Things to know (the certificate outlives its CA, the CA is expired...).</summary>
        public IReadOnlyList<string> Warnings { get; }

        /// <summary>The DER encoding (a copy).</summary>
        public byte[] GetDer() => Certificate.GetDer();

        /// <inheritdoc />
        public override string ToString() => Certificate.ToString();
    }

    /// <summary>
    /// Signs a certificate signing request (from %KEYGEN or OpenSSL) with a CA certificate and
    /// key, the way a small provisioning CA does: subject and public key from the CSR (whose
    /// self-signature is verified first), issuer from the CA, basicConstraints CA:false,
    /// subject and authority key identifiers, keyUsage (and extendedKeyUsage, subjectAltName)
    /// as the CSR requests, and a signature algorithm that matches the CA key.
    /// </summary>
    public static class CertificateIssuer
    {
        /// <summary>Longest validity accepted (100 years).</summary>
        public const int MaxValidityDays = 36500;

        /// <summary>How far NotBefore is set back from now when none is given, for clock skew.</summary>
        public static readonly TimeSpan DefaultBackdate = TimeSpan.FromMinutes(5);

        private static readonly SecureRandom s_random = new SecureRandom();

        /// <summary>Signs a DER CSR.</summary>
        /// <param name="csrDer">The CSR (DER), e.g. <see cref="KeygenResponse.GetDer"/>.</param>
        /// <param name="caCertificatePem">The CA certificate (PEM; the first certificate is used).</param>
        /// <param name="caPrivateKeyPem">The CA private key (PEM: PKCS#1, SEC1, PKCS#8 or encrypted PKCS#8).</param>
        /// <param name="caKeyPassphrase">Passphrase of an encrypted CA key, or null.</param>
        /// <param name="validityDays">Validity in days from NotBefore (1-36500).</param>
        /// <param name="serialNumber">Serial number (positive, at most 20 bytes); null for a random 127-bit one.</param>
        /// <param name="notBefore">Start of validity; null for now less <see cref="DefaultBackdate"/>.</param>
        /// <exception cref="ModemException">Csr*, CaCertificate*, CaKey*, PrivateKey*, Issue* ids.</exception>
        public static IssuedCertificate Sign(byte[] csrDer, string caCertificatePem, string caPrivateKeyPem, string? caKeyPassphrase, int validityDays,
            System.Numerics.BigInteger? serialNumber = null, DateTimeOffset? notBefore = null)
        {
            if (csrDer is null)
            {
                throw new ArgumentNullException(nameof(csrDer));
            }

            return Sign(CertificateRequestInfo.FromDer(csrDer), caCertificatePem, caPrivateKeyPem, caKeyPassphrase, validityDays, serialNumber, notBefore);
        }

        /// <summary>
        /// Signs a CSR given as text: PEM (<c>CERTIFICATE REQUEST</c>), bare base64 of the DER, or a
        /// whole %KEYGEN response (<c>%KEYGEN: "A.B"</c> or <c>A.B</c>).
        /// </summary>
        /// <exception cref="ModemException">As <see cref="Sign(byte[], string, string, string?, int, System.Numerics.BigInteger?, DateTimeOffset?)"/>, plus Pem* and Keygen* ids.</exception>
        public static IssuedCertificate Sign(string csr, string caCertificatePem, string caPrivateKeyPem, string? caKeyPassphrase, int validityDays,
            System.Numerics.BigInteger? serialNumber = null, DateTimeOffset? notBefore = null)
        {
            if (csr is null)
            {
                throw new ArgumentNullException(nameof(csr));
            }

            CertificateRequestInfo request;
            if (!PemText.ContainsPem(csr) && csr.IndexOf('.') >= 0)
            {
                KeygenResponse keygen = KeygenResponse.Parse(csr);
                request = keygen.Request ?? throw CryptoErrors.InvalidData(ErrorIds.CsrInvalid,
                    "The %KEYGEN response holds a public key, not a certificate signing request.",
                    "Generate with response_content 0 (CSR): AT%KEYGEN=<tag>,2,0.");
            }
            else
            {
                request = CertificateRequestInfo.FromPem(csr);
            }

            return Sign(request, caCertificatePem, caPrivateKeyPem, caKeyPassphrase, validityDays, serialNumber, notBefore);
        }

        /// <summary>Signs a parsed CSR.</summary>
        /// <exception cref="ModemException">As <see cref="Sign(byte[], string, string, string?, int, System.Numerics.BigInteger?, DateTimeOffset?)"/>.</exception>
        public static IssuedCertificate Sign(CertificateRequestInfo request, string caCertificatePem, string caPrivateKeyPem, string? caKeyPassphrase, int validityDays,
            System.Numerics.BigInteger? serialNumber = null, DateTimeOffset? notBefore = null)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            if (caCertificatePem is null)
            {
                throw new ArgumentNullException(nameof(caCertificatePem));
            }

            if (caPrivateKeyPem is null)
            {
                throw new ArgumentNullException(nameof(caPrivateKeyPem));
            }

            if (validityDays < 1 || validityDays > MaxValidityDays)
            {
                throw new ModemException(ErrorIds.IssueValidityOutOfRange, ModemErrorCategory.InvalidArgument,
                    "A validity of " + validityDays.ToString(CultureInfo.InvariantCulture) + " days is out of range: 1 to " + MaxValidityDays.ToString(CultureInfo.InvariantCulture) + " days are accepted.",
                    "Give a validity in days, e.g. 3650 for ten years.");
            }

            BcBigInteger serial = serialNumber.HasValue ? CheckSerial(serialNumber.Value) : RandomSerial();
            request.EnsureSignatureValid();

            CertificateInfo ca;
            try
            {
                ca = CertificateInfo.FromPem(caCertificatePem);
            }
            catch (ModemException e)
            {
                throw CryptoErrors.InvalidData(ErrorIds.CaCertificateInvalid, "The CA certificate cannot be used: " + e.Message, e.Remedy ?? "Give the CA certificate in PEM form.", e);
            }

            if (!ca.IsCertificateAuthority)
            {
                throw CryptoErrors.InvalidData(ErrorIds.CaCertificateNotCa,
                    "The CA certificate (" + ca.Subject + ") is not a CA: it has no basicConstraints extension with cA set, so certificates it signs would not verify.",
                    "Give a CA certificate (openssl x509 -text shows 'CA:TRUE'), or create one with basicConstraints=critical,CA:TRUE and keyUsage=keyCertSign.");
            }

            bool[]? usage = ca.Certificate.GetKeyUsage();
            if (usage != null && (usage.Length <= 5 || !usage[5]))
            {
                throw CryptoErrors.InvalidData(ErrorIds.CaCertificateCannotSign,
                    "The CA certificate (" + ca.Subject + ") has a keyUsage without keyCertSign, so certificates it signs would not verify.",
                    "Use a CA certificate whose keyUsage includes keyCertSign.");
            }

            PrivateKeyDetails caKey = PrivateKeyDetails.FromPem(caPrivateKeyPem, string.IsNullOrEmpty(caKeyPassphrase) ? null : caKeyPassphrase);
            if (caKey.PublicKey is null || !ca.PublicKey.Matches(caKey.PublicKey))
            {
                throw CryptoErrors.InvalidData(ErrorIds.CaKeyMismatch,
                    "The CA private key does not belong to the CA certificate (" + ca.Subject + "): their public keys differ.",
                    "Give the key the CA certificate was made for (compare openssl x509 -pubkey -noout -in ca.pem with openssl pkey -pubout -in ca-key.pem).");
            }

            string algorithm = SignatureAlgorithmFor(caKey);
            DateTimeOffset start = TruncateToSeconds(notBefore ?? DateTimeOffset.UtcNow - DefaultBackdate);
            DateTimeOffset end = start.AddDays(validityDays);

            var generator = new X509V3CertificateGenerator();
            generator.SetSerialNumber(serial);
            generator.SetIssuerDN(ca.Certificate.SubjectDN);
            generator.SetSubjectDN(request.Request.GetCertificationRequestInfo().Subject);
            generator.SetNotBefore(start.UtcDateTime);
            generator.SetNotAfter(end.UtcDateTime);
            SubjectPublicKeyInfo spki = request.Request.GetCertificationRequestInfo().SubjectPublicKeyInfo;
            generator.SetSubjectPublicKeyInfo(spki);
            generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            AddKeyUsage(generator, request);
            CopyRequested(generator, request, X509Extensions.ExtendedKeyUsage);
            CopyRequested(generator, request, X509Extensions.SubjectAlternativeName);
            generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(spki));
            generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, AuthorityKeyIdentifierFor(ca));

            X509Certificate issued;
            try
            {
                issued = generator.Generate(new Asn1SignatureFactory(algorithm, caKey.PrivateKey, s_random));
                issued.Verify(ca.Certificate.GetPublicKey());
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw CryptoErrors.InvalidData(ErrorIds.CaKeyUnsupported,
                    "Signing with the CA key failed (" + e.GetType().Name + ").",
                    "Use an ECDSA P-256/P-384/P-521 or RSA CA key.");
            }

            CertificateInfo info = CertificateInfo.FromDer(issued.GetEncoded());
            var warnings = new List<string>();
            DateTimeOffset now = DateTimeOffset.UtcNow;
            if (info.NotAfter > ca.NotAfter)
            {
                warnings.Add("The certificate is valid until " + Date(info.NotAfter) + ", after its CA expires (" + Date(ca.NotAfter) + "); it stops verifying when the CA does.");
            }

            if (!ca.IsValidAt(now))
            {
                warnings.Add("The CA certificate is not valid now (valid " + Date(ca.NotBefore) + " to " + Date(ca.NotAfter) + ").");
            }

            return new IssuedCertificate(info, warnings);
        }

        private static string SignatureAlgorithmFor(PrivateKeyDetails key)
        {
            switch (key.PrivateKey)
            {
                case ECPrivateKeyParameters ec:
                    switch (ec.Parameters.Curve.FieldSize)
                    {
                        case 256:
                            return "SHA256WITHECDSA";
                        case 384:
                            return "SHA384WITHECDSA";
                        case 521:
                            return "SHA512WITHECDSA";
                    }

                    break;
                case RsaKeyParameters rsa when rsa.Modulus.BitLength >= 2048:
                    return "SHA256WITHRSA";
                case RsaKeyParameters _:
                    throw CryptoErrors.InvalidData(ErrorIds.CaKeyUnsupported,
                        "The CA key is RSA with " + key.KeySize.ToString(CultureInfo.InvariantCulture) + " bits; at least 2048 are needed.",
                        "Use an RSA key of 2048 bits or more, or an ECDSA P-256 key.");
            }

            throw CryptoErrors.InvalidData(ErrorIds.CaKeyUnsupported,
                "The CA key is " + key.Algorithm + (key.Curve is null ? string.Empty : " " + key.Curve) + "; this module signs with ECDSA P-256, P-384, P-521 or RSA.",
                "Use an ECDSA P-256 (SHA-256), P-384 (SHA-384) or RSA (SHA-256) CA key.");
        }

        private static void AddKeyUsage(X509V3CertificateGenerator generator, CertificateRequestInfo request)
        {
            X509Extension? requested = request.RequestedExtensions?.GetExtension(X509Extensions.KeyUsage);
            if (requested != null)
            {
                generator.AddExtension(X509Extensions.KeyUsage, true, X509Extension.ConvertValueToObject(requested));
                return;
            }

            // No request: what a TLS client key needs.
            int bits = request.PublicKey.Algorithm == "RSA"
                ? KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment
                : KeyUsage.DigitalSignature | KeyUsage.KeyAgreement;
            generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(bits));
        }

        private static void CopyRequested(X509V3CertificateGenerator generator, CertificateRequestInfo request, DerObjectIdentifier oid)
        {
            X509Extension? requested = request.RequestedExtensions?.GetExtension(oid);
            if (requested != null)
            {
                generator.AddExtension(oid, requested.IsCritical, X509Extension.ConvertValueToObject(requested));
            }
        }

        private static AuthorityKeyIdentifier AuthorityKeyIdentifierFor(CertificateInfo ca)
        {
            Asn1OctetString? ski = ca.Certificate.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
            if (ski != null)
            {
                SubjectKeyIdentifier id = SubjectKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(ski));
                return new AuthorityKeyIdentifier(id.GetKeyIdentifier());
            }

            return new AuthorityKeyIdentifier(X509ExtensionUtilities.CreateSubjectKeyIdentifier(ca.Certificate.SubjectPublicKeyInfo).GetKeyIdentifier());
        }

        private static BcBigInteger CheckSerial(System.Numerics.BigInteger serial)
        {
            byte[] bytes = serial.ToByteArray();
            if (serial.Sign <= 0 || bytes.Length > 20)
            {
                throw new ModemException(ErrorIds.IssueSerialNumberInvalid, ModemErrorCategory.InvalidArgument,
                    "The serial number must be positive and at most 20 bytes long (RFC 5280).",
                    "Leave the serial number out for a random one, or give a positive number below 2^159.");
            }

            return new BcBigInteger(serial.ToString(CultureInfo.InvariantCulture), 10);
        }

        private static BcBigInteger RandomSerial()
        {
            byte[] bytes = new byte[16];
            s_random.NextBytes(bytes);
            bytes[0] &= 0x7F;
            bytes[0] |= 0x40;
            return new BcBigInteger(1, bytes);
        }

        private static DateTimeOffset TruncateToSeconds(DateTimeOffset t)
        {
            DateTime utc = t.UtcDateTime;
            return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second, TimeSpan.Zero);
        }

        private static string Date(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
