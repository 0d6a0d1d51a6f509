using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;

namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>
    /// A PKCS#10 certificate signing request: subject, public key, requested key usage and
    /// whether its self-signature verifies. Parses what nRF91 firmware emits, including the
    /// explicit NULL after <c>ecdsa-with-SHA256</c> in the signature AlgorithmIdentifier
    /// (mfw 1.3.7, 2.0.2): BouncyCastle 2.7 parses and verifies it as it is.
    /// </summary>
    public sealed class CertificateRequestInfo
    {
        private static readonly string[] s_keyUsageNames =
        {
            "DigitalSignature", "NonRepudiation", "KeyEncipherment", "DataEncipherment", "KeyAgreement",
            "KeyCertSign", "CrlSign", "EncipherOnly", "DecipherOnly",
        };

        private readonly byte[] _der;

        private CertificateRequestInfo(Pkcs10CertificationRequest request, byte[] der)
        {
            _der = der;
            Request = request;
            CertificationRequestInfo info = request.GetCertificationRequestInfo();
            Subject = CertificateInfo.FormatName(info.Subject);
            PublicKey = PublicKeyInfo.FromSpki(info.SubjectPublicKeyInfo);
            AlgorithmIdentifier alg = request.SignatureAlgorithm;
            SignatureAlgorithm = CertificateInfo.SignatureAlgorithmName(alg.Algorithm.Id, null);
            HasExplicitNullSignatureParameters = alg.Parameters is Asn1Null;
            RequestedExtensions = ReadExtensions(request);
            KeyUsage = ReadKeyUsage(RequestedExtensions);
            SignatureValid = VerifySelfSignature(request);
            Sha256 = Encodings.Sha256Hex(der);
            Pem = PemText.Encode("CERTIFICATE REQUEST", der);
        }

        /// <summary>The subject ("CN=50363154-3932-4834-802b-0908718314dc").</summary>
        public string Subject { get; }

        /// <summary>The public key to be certified.</summary>
        public PublicKeyInfo PublicKey { get; }

        /// <summary>Signature algorithm ("SHA-256withECDSA").</summary>
        public string SignatureAlgorithm { get; }

        /// <summary>True when the signature AlgorithmIdentifier carries explicit NULL parameters (nRF91 firmware does).</summary>
        public bool HasExplicitNullSignatureParameters { get; }

        /// <summary>True when the self-signature verifies with the request's own key.</summary>
        public bool SignatureValid { get; }

        /// <summary>Key usage requested in the extensionRequest attribute ("DigitalSignature", ...), empty when none.</summary>
        public IReadOnlyList<string> KeyUsage { get; }

        /// <summary>Uppercase hex SHA-256 of the DER.</summary>
        public string Sha256 { get; }

        /// <summary>The request as <c>CERTIFICATE REQUEST</c> PEM (LF, trailing newline).</summary>
        public string Pem { get; }

        internal Pkcs10CertificationRequest Request { get; }

        internal X509Extensions? RequestedExtensions { get; }

        /// <summary>The DER encoding (a copy).</summary>
        public byte[] GetDer() => (byte[])_der.Clone();

        /// <summary>Throws <see cref="ErrorIds.CsrSignatureInvalid"/> unless the self-signature verifies.</summary>
        public void EnsureSignatureValid()
        {
            if (!SignatureValid)
            {
                throw CryptoErrors.InvalidData(ErrorIds.CsrSignatureInvalid,
                    "The certificate signing request's signature does not verify with its own public key: it was altered or damaged.",
                    "Generate the request again (New-ModemKey / AT%KEYGEN) and use it unchanged.");
            }
        }

        /// <inheritdoc />
        public override string ToString() => Subject + " (" + PublicKey + ")";

        /// <summary>Reads a PEM <c>CERTIFICATE REQUEST</c> (or bare base64 of the DER).</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.PemNotFound"/>, <see cref="ErrorIds.PemWrongType"/>, <see cref="ErrorIds.PemMalformed"/>, <see cref="ErrorIds.CsrInvalid"/>.</exception>
        public static CertificateRequestInfo FromPem(string pem)
        {
            if (pem is null)
            {
                throw new ArgumentNullException(nameof(pem));
            }

            IReadOnlyList<PemBlock> blocks = PemText.Parse(pem);
            foreach (PemBlock block in blocks)
            {
                if (block.Label == "CERTIFICATE REQUEST" || block.Label == "NEW CERTIFICATE REQUEST")
                {
                    return FromDer(block.Der);
                }
            }

            if (blocks.Count == 0)
            {
                byte[]? raw = Encodings.TryFromBase64Url(pem.Trim().Trim('"').Replace("\r", string.Empty).Replace("\n", string.Empty).Trim());
                if (raw != null && CryptoErrors.TryReadDer(raw) != null)
                {
                    return FromDer(raw);
                }

                throw CryptoErrors.InvalidData(ErrorIds.PemNotFound,
                    "No certificate signing request found: the text has no '-----BEGIN CERTIFICATE REQUEST-----' block.",
                    "Give the CSR in PEM form, or its DER bytes.");
            }

            throw CryptoErrors.InvalidData(ErrorIds.PemWrongType,
                "No certificate signing request found: the text holds " + PublicKeyInfo.DescribeLabels(blocks) + ".",
                "Give the CSR ('-----BEGIN CERTIFICATE REQUEST-----').");
        }

        /// <summary>Reads a DER PKCS#10 request.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.CsrInvalid"/>.</exception>
        public static CertificateRequestInfo FromDer(byte[] der)
        {
            if (der is null)
            {
                throw new ArgumentNullException(nameof(der));
            }

            Asn1Object? obj = CryptoErrors.TryReadDer(der);
            if (obj is null)
            {
                throw Invalid("the data is not one DER structure (cut short?)", null);
            }

            try
            {
                var request = new Pkcs10CertificationRequest(Asn1Sequence.GetInstance(obj));
                request.GetCertificationRequestInfo();
                return new CertificateRequestInfo(request, der);
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw Invalid("it does not parse as PKCS#10 (" + e.GetType().Name + ")", e);
            }
        }

        private static bool VerifySelfSignature(Pkcs10CertificationRequest request)
        {
            try
            {
                return request.Verify();
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                // Should BouncyCastle ever refuse explicit NULL parameters after an ECDSA OID, verify
                // a copy whose AlgorithmIdentifier has none; the request itself stays as it was.
                AlgorithmIdentifier alg = request.SignatureAlgorithm;
                if (alg.Parameters is null)
                {
                    return false;
                }

                try
                {
                    var normalised = new Pkcs10CertificationRequest(new DerSequence(
                        request.GetCertificationRequestInfo(),
                        new AlgorithmIdentifier(alg.Algorithm),
                        request.Signature));
                    return normalised.Verify();
                }
                catch (Exception e2) when (CryptoErrors.IsParseFailure(e2))
                {
                    return false;
                }
            }
        }

        private static X509Extensions? ReadExtensions(Pkcs10CertificationRequest request)
        {
            try
            {
                return request.GetRequestedExtensions();
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw Invalid("its extensionRequest attribute does not parse", e);
            }
        }

        private static IReadOnlyList<string> ReadKeyUsage(X509Extensions? extensions)
        {
            var names = new List<string>();
            X509Extension? ext = extensions?.GetExtension(X509Extensions.KeyUsage);
            if (ext is null)
            {
                return names;
            }

            try
            {
                DerBitString bits = DerBitString.GetInstance(X509Extension.ConvertValueToObject(ext));
                byte[] bytes = bits.GetBytes();
                for (int i = 0; i < s_keyUsageNames.Length && i / 8 < bytes.Length; i++)
                {
                    if ((bytes[i / 8] & (0x80 >> (i % 8))) != 0)
                    {
                        names.Add(s_keyUsageNames[i]);
                    }
                }
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw Invalid("its requested keyUsage does not parse", e);
            }

            return names;
        }

        private static ModemException Invalid(string why, Exception? inner) =>
            CryptoErrors.InvalidData(ErrorIds.CsrInvalid,
                "The certificate signing request is not valid: " + why + ".",
                "Use the CSR exactly as the modem (AT%KEYGEN) or OpenSSL produced it.", inner);
    }
}
