using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>
    /// Decoded facts of an X.509 certificate: subject, issuer, validity, serial, fingerprints.
    /// <see cref="FromPem"/> describes the first certificate of a PEM text and counts the others,
    /// tolerating CR LF, one-line PEM and the raw content read back from a modem (<c>AT%CMNG=2</c>).
    /// </summary>
    public sealed class CertificateInfo
    {
        private readonly byte[] _der;
        private string? _thumbprint;
        private string? _signatureAlgorithm;

        private CertificateInfo(X509Certificate certificate, byte[] der, int index, int count)
        {
            _der = der;
            Certificate = certificate;
            Subject = FormatName(certificate.SubjectDN);
            Issuer = FormatName(certificate.IssuerDN);
            NotBefore = new DateTimeOffset(DateTime.SpecifyKind(certificate.NotBefore, DateTimeKind.Utc));
            NotAfter = new DateTimeOffset(DateTime.SpecifyKind(certificate.NotAfter, DateTimeKind.Utc));
            SerialNumber = Encodings.ToHex(certificate.CertificateStructure.SerialNumber.Value.ToByteArray());
            Sha256Fingerprint = Encodings.Sha256Hex(der);
            Index = index;
            CertificateCount = count;
            Version = certificate.Version;
            IsCertificateAuthority = certificate.GetBasicConstraints() >= 0;
            HasBasicConstraints = certificate.GetExtensionValue(X509Extensions.BasicConstraints) != null;
            IsSelfIssued = certificate.SubjectDN.Equivalent(certificate.IssuerDN, true);
            PublicKey = PublicKeyInfo.FromSpki(certificate.SubjectPublicKeyInfo);
            Pem = PemText.Encode("CERTIFICATE", der);
        }

        /// <summary>Subject, most specific part first ("CN=Amazon Root CA 1, O=Amazon, C=US").</summary>
        public string Subject { get; }

        /// <summary>Issuer, in the same form as <see cref="Subject"/>.</summary>
        public string Issuer { get; }

        /// <summary>Start of validity (UTC).</summary>
        public DateTimeOffset NotBefore { get; }

        /// <summary>End of validity (UTC).</summary>
        public DateTimeOffset NotAfter { get; }

        /// <summary>Serial number as uppercase hex of its DER integer bytes (as .NET and %CERTEXPIRY print it).</summary>
        public string SerialNumber { get; }

        /// <summary>SHA-1 of the DER, uppercase hex (the thumbprint Windows shows). Computed on first use.</summary>
        public string Thumbprint => _thumbprint ??= Encodings.Sha1Hex(_der);

        /// <summary>SHA-256 of the DER, uppercase hex.</summary>
        public string Sha256Fingerprint { get; }

        /// <summary>Position of this certificate in the PEM text (0 = first).</summary>
        public int Index { get; }

        /// <summary>How many certificates the PEM text holds (1 for a single certificate).</summary>
        public int CertificateCount { get; }

        /// <summary>X.509 version (1 or 3).</summary>
        public int Version { get; }

        /// <summary>True when basicConstraints says cA.</summary>
        public bool IsCertificateAuthority { get; }

        /// <summary>True when the certificate has a basicConstraints extension at all (v1 roots do not).</summary>
        public bool HasBasicConstraints { get; }

        /// <summary>True when subject and issuer are the same name (a root, or self-signed).</summary>
        public bool IsSelfIssued { get; }

        /// <summary>
        /// Signature algorithm ("SHA256withECDSA", "SHA256withRSA", ...). Named on first use: the
        /// naming tables of BouncyCastle (SignerUtilities, X509SignatureUtilities) take about 20 ms to
        /// build and validating a credential does not need them.
        /// </summary>
        public string SignatureAlgorithm => _signatureAlgorithm ??= SignatureAlgorithmName(Certificate.SigAlgOid, Certificate.SigAlgName);

        /// <summary>The subject public key.</summary>
        public PublicKeyInfo PublicKey { get; }

        /// <summary>The certificate as PEM with LF line ends and a trailing newline.</summary>
        public string Pem { get; }

        internal X509Certificate Certificate { get; }

        /// <summary>The DER encoding (a copy).</summary>
        public byte[] GetDer() => (byte[])_der.Clone();

        /// <summary>True when <paramref name="time"/> lies within NotBefore..NotAfter.</summary>
        public bool IsValidAt(DateTimeOffset time) => time >= NotBefore && time <= NotAfter;

        /// <inheritdoc />
        public override string ToString() =>
            Subject + " (issuer " + Issuer + ", valid " + NotBefore.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " to " +
            NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ")";

        /// <summary>Describes the first certificate of <paramref name="pem"/>; <see cref="CertificateCount"/> counts them all.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.PemNotFound"/>, <see cref="ErrorIds.PemWrongType"/>, <see cref="ErrorIds.PemMalformed"/>, <see cref="ErrorIds.CertificateInvalid"/>.</exception>
        public static CertificateInfo FromPem(string pem) => ChainFromPem(pem)[0];

        /// <summary>As <see cref="FromPem"/>, but returns null with the reason instead of throwing.</summary>
        public static CertificateInfo? TryFromPem(string pem, out ModemException? error)
        {
            try
            {
                error = null;
                return FromPem(pem);
            }
            catch (ModemException ex)
            {
                error = ex;
                return null;
            }
        }

        /// <summary>Describes every certificate of <paramref name="pem"/>, in order (blocks of other kinds are skipped).</summary>
        /// <exception cref="ModemException">As <see cref="FromPem"/>.</exception>
        public static IReadOnlyList<CertificateInfo> ChainFromPem(string pem)
        {
            if (pem is null)
            {
                throw new ArgumentNullException(nameof(pem));
            }

            IReadOnlyList<PemBlock> blocks = PemText.Parse(pem);
            var certs = new List<PemBlock>();
            foreach (PemBlock block in blocks)
            {
                if (IsCertificateLabel(block.Label))
                {
                    certs.Add(block);
                }
            }

            if (certs.Count == 0)
            {
                if (blocks.Count == 0)
                {
                    throw CryptoErrors.InvalidData(ErrorIds.PemNotFound,
                        "No certificate found: the text has no '-----BEGIN CERTIFICATE-----' block.",
                        "Give a PEM certificate. A binary (DER) file converts with: openssl x509 -inform der -in cert.der -out cert.pem");
                }

                throw CryptoErrors.InvalidData(ErrorIds.PemWrongType,
                    "No certificate found: the text holds " + PublicKeyInfo.DescribeLabels(blocks) + ", not a CERTIFICATE.",
                    "Give the certificate file ('-----BEGIN CERTIFICATE-----').");
            }

            var result = new List<CertificateInfo>(certs.Count);
            for (int i = 0; i < certs.Count; i++)
            {
                result.Add(Parse(certs[i].Der, i, certs.Count));
            }

            return result;
        }

        /// <summary>Describes one DER certificate.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.CertificateInvalid"/>.</exception>
        public static CertificateInfo FromDer(byte[] der)
        {
            if (der is null)
            {
                throw new ArgumentNullException(nameof(der));
            }

            return Parse(der, 0, 1);
        }

        internal static bool IsCertificateLabel(string label) => label == "CERTIFICATE" || label == "X509 CERTIFICATE";

        internal static CertificateInfo Parse(byte[] der, int index, int count)
        {
            string which = count > 1
                ? "Certificate " + (index + 1).ToString(CultureInfo.InvariantCulture) + " of " + count.ToString(CultureInfo.InvariantCulture)
                : "The certificate";
            Asn1Object? obj = CryptoErrors.TryReadDer(der);
            if (obj is null)
            {
                throw Invalid(which + " is not one DER structure (cut short, or not a certificate)", null);
            }

            try
            {
                var certificate = new X509Certificate(X509CertificateStructure.GetInstance(obj));
                return new CertificateInfo(certificate, der, index, count);
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                throw Invalid(which + " does not parse as X.509 (" + e.GetType().Name + ")", e);
            }
        }

        private static ModemException Invalid(string what, Exception? inner) =>
            CryptoErrors.InvalidData(ErrorIds.CertificateInvalid, what + ".",
                "Check that the file is the certificate the CA issued, unchanged; re-download or re-export it (openssl x509 -in cert.pem -text shows whether it parses).", inner);

        /// <summary>"CN=x, O=y, C=z": RDNs most specific first, values escaped as in RFC 4514.</summary>
        internal static string FormatName(X509Name name)
        {
            IList<DerObjectIdentifier> oids = name.GetOidList();
            IList<string> values = name.GetValueList();
            var parts = new List<string>(oids.Count);
            for (int i = oids.Count - 1; i >= 0; i--)
            {
                string key = X509Name.DefaultSymbols.TryGetValue(oids[i], out string? symbol) ? symbol : oids[i].Id;
                parts.Add(key + "=" + Escape(values[i]));
            }

            return string.Join(", ", parts);
        }

        private static string Escape(string value)
        {
            var sb = new StringBuilder(value.Length);
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';' || c == '=' ||
                    (i == 0 && (c == '#' || c == ' ')) || (i == value.Length - 1 && c == ' '))
                {
                    sb.Append('\\');
                }

                sb.Append(c);
            }

            return sb.ToString();
        }

        internal static string SignatureAlgorithmName(string oid, string? bcName)
        {
            try
            {
                string? name = SignerUtilities.GetEncodingName(new DerObjectIdentifier(oid));
                if (!string.IsNullOrEmpty(name))
                {
                    return name!;
                }
            }
            catch (Exception e) when (CryptoErrors.IsParseFailure(e))
            {
                // Fall through to BouncyCastle's own name.
            }

            return string.IsNullOrEmpty(bcName) ? oid : bcName!;
        }
    }
}
