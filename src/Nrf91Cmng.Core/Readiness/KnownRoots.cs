namespace Nrf91Cmng.Core.Readiness
{
    /// <summary>
    /// A server root CA recognised by its public key: the SHA-256 of its DER SubjectPublicKeyInfo
    /// (what Amazon Trust Services publishes and HPKP-style pins use). A root re-issued with the
    /// same key (new dates, cross-signs) keeps its fingerprint.
    /// </summary>
    public sealed class TrustedRoot
    {
        internal TrustedRoot(string name, string spkiSha256, string keyType, DateTimeOffset? notAfter, string source)
        {
            Name = name;
            SpkiSha256 = spkiSha256;
            KeyType = keyType;
            NotAfter = notAfter;
            Source = source;
        }

        /// <summary>The root's common name.</summary>
        public string Name { get; }

        /// <summary>Uppercase hex SHA-256 of the DER SubjectPublicKeyInfo.</summary>
        public string SpkiSha256 { get; }

        /// <summary>"RSA 2048", "EC P-256", ...</summary>
        public string KeyType { get; }

        /// <summary>End of validity of the self-signed certificate the fingerprint was taken from, when known.</summary>
        public DateTimeOffset? NotAfter { get; }

        /// <summary>Where the fingerprint comes from.</summary>
        public string Source { get; }

        /// <inheritdoc />
        public override string ToString() => Name + " (" + KeyType + ", SPKI SHA-256 " + SpkiSha256 + ")";
    }

    /// <summary>
    /// Public-key fingerprints of the server roots the readiness check knows, shipped as data.
    /// Every value was taken from a published source or computed (openssl x509 -pubkey | openssl
    /// pkey -pubin -outform der | sha256) from a PEM found in a vendor repository, and where
    /// possible cross-checked against a second source; the test suite recomputes the ones whose
    /// PEMs are committed as fixtures. Values that could not be confirmed are not listed.
    /// </summary>
    public static class KnownRoots
    {
        // Amazon Trust Services repository, table "SHA-256 Hash of Subject Public Key Information"
        // (https://www.amazontrust.com/repository/); Root CA 1 also recomputed from the PEM in
        // nRFCloud/utils src/nrfcloud_utils/ca_certs.py (aws_ca) and shared/spec transcripts TV-2.
        private const string AmazonSource = "https://www.amazontrust.com/repository/ (SHA-256 Hash of Subject Public Key Information)";

        /// <summary>Amazon Root CA 1 (RSA 2048): AWS IoT Core ATS endpoints with RSA suites; nRF Cloud MQTT, REST and downloads.</summary>
        public static TrustedRoot AmazonRootCa1 { get; } = new TrustedRoot("Amazon Root CA 1", "FBE3018031F9586BCBF41727E417B7D1C45C2F47F93BE372A17B96B50757D5A2", "RSA 2048",
            new DateTimeOffset(2038, 1, 17, 0, 0, 0, TimeSpan.Zero), AmazonSource + "; recomputed from nRFCloud/utils ca_certs.py");

        /// <summary>Amazon Root CA 2 (RSA 4096; AWS: reserved for future use).</summary>
        public static TrustedRoot AmazonRootCa2 { get; } = new TrustedRoot("Amazon Root CA 2", "7F4296FC5B6A4E3B35D3C369623E364AB1AF381D8FA7121533C9D6C633EA2461", "RSA 4096", null, AmazonSource);

        /// <summary>Amazon Root CA 3 (EC P-256): AWS IoT Core ATS endpoints with ECDSA suites.</summary>
        public static TrustedRoot AmazonRootCa3 { get; } = new TrustedRoot("Amazon Root CA 3", "36ABC32656ACFC645C61B71613C4BF21C787F5CABBEE48348D58597803D7ABC9", "EC P-256", null, AmazonSource);

        /// <summary>Amazon Root CA 4 (EC P-384; AWS: reserved for future use).</summary>
        public static TrustedRoot AmazonRootCa4 { get; } = new TrustedRoot("Amazon Root CA 4", "F7ECDED5C66047D28ED6466B543C40E0743ABE81D109254DCF845D4C2C7853C5", "EC P-384", null, AmazonSource);

        /// <summary>Starfield Services Root Certificate Authority - G2 (cross-signs the Amazon roots).</summary>
        public static TrustedRoot StarfieldServicesRootG2 { get; } = new TrustedRoot("Starfield Services Root Certificate Authority - G2", "2B071C59A0A0AE76B0EADB2BAD23BAD4580B69C3601B630C2EAF0613AFA83F92", "RSA 2048", null, AmazonSource);

        // nRF Cloud CoAP roots: computed from the PEMs in nRFCloud/utils src/nrfcloud_utils/ca_certs.py
        // (nrf_cloud_coap_ca, _dev, _beta; commit 9605f7a); the production PEM is identical in
        // hello-nrfcloud and other public copies (search index hits for its first base64 line).
        private const string CoapSource = "computed from the PEM in nRFCloud/utils src/nrfcloud_utils/ca_certs.py";

        /// <summary>nRF Cloud CoAP CA, "CN=nRF Cloud" (EC P-256): coap.nrfcloud.com.</summary>
        public static TrustedRoot NrfCloudCoapCa { get; } = new TrustedRoot("nRF Cloud (CoAP CA)", "965D9F2E3A36EA07F8421B9AED53D1545941F904BD31C5DD4E035AB41DA4ECA4", "EC P-256",
            new DateTimeOffset(2048, 12, 30, 12, 35, 32, TimeSpan.Zero), CoapSource + " (nrf_cloud_coap_ca)");

        /// <summary>nRF Cloud CoAP CA of the dev stage, "CN=nRF Cloud - Dev".</summary>
        public static TrustedRoot NrfCloudCoapCaDev { get; } = new TrustedRoot("nRF Cloud - Dev (CoAP CA, dev stage)", "B20B2725DB3D535DE01C6CC7758CC2C60B415ED4F2E53C33523248F4F201D02D", "EC P-256",
            new DateTimeOffset(2048, 12, 31, 12, 13, 55, TimeSpan.Zero), CoapSource + " (nrf_cloud_coap_ca_dev)");

        /// <summary>nRF Cloud CoAP CA of the beta stage, "CN=nRF Cloud - Beta".</summary>
        public static TrustedRoot NrfCloudCoapCaBeta { get; } = new TrustedRoot("nRF Cloud - Beta (CoAP CA, beta stage)", "085EFE69AA00352A7737A57CE29E139FE1766B313EDE7565DA7A9E50B3644BE4", "EC P-256",
            new DateTimeOffset(2048, 12, 31, 8, 28, 7, TimeSpan.Zero), CoapSource + " (nrf_cloud_coap_ca_beta)");

        // Azure: computed from the PEMs in Azure/azure-iot-sdk-c certs/certs.c (HEAD c86b2d6,
        // USE_AZURE_CLOUD_RSA_CERT / _ECC_CERT sections). Cross-checked: the base64 of these
        // hashes are the published HPKP pins (Baltimore: Microsoft's Office 365 certificate-chain
        // page "Pin (SHA-256)"; DigiCert G2 and Microsoft RSA 2017: pin lists that cite
        // learn.microsoft.com azure/security/fundamentals/tls-certificate-changes).
        private const string AzureSource = "computed from the PEM in Azure/azure-iot-sdk-c certs/certs.c";

        /// <summary>DigiCert Global Root G2 (RSA 2048): Azure IoT Hub and DPS since the 2023 migration.</summary>
        public static TrustedRoot DigiCertGlobalRootG2 { get; } = new TrustedRoot("DigiCert Global Root G2", "8BB593A93BE1D0E8A822BB887C547890C3E706AAD2DAB76254F97FB36B82FC26", "RSA 2048",
            new DateTimeOffset(2038, 1, 15, 12, 0, 0, TimeSpan.Zero), AzureSource + "; pin i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY=");

        /// <summary>Microsoft RSA Root Certificate Authority 2017 (RSA 4096): Microsoft's second root for Azure.</summary>
        public static TrustedRoot MicrosoftRsaRoot2017 { get; } = new TrustedRoot("Microsoft RSA Root Certificate Authority 2017", "B2F7298B52BF2C3CAC4DDFE72DE4D682AC58957595982F2B62301AF597C699C5", "RSA 4096",
            new DateTimeOffset(2042, 7, 18, 23, 0, 23, TimeSpan.Zero), AzureSource + "; pin svcpi1K/LDysTd/nLeTWgqxYlXWVmC8rYjAa9ZfGmcU=");

        /// <summary>DigiCert Global Root G3 (EC P-384): Azure ECC server certificates.</summary>
        public static TrustedRoot DigiCertGlobalRootG3 { get; } = new TrustedRoot("DigiCert Global Root G3", "B94C198300CEC5C057AD0727B70BBE91816992256439A7B32F4598119DDA9C97", "EC P-384",
            new DateTimeOffset(2038, 1, 15, 12, 0, 0, TimeSpan.Zero), AzureSource + "; pin uUwZgwDOxcBXrQcntwu+kYFpkiVkOaezL0WYEZ3anJc=");

        /// <summary>Microsoft ECC Root Certificate Authority 2017 (EC P-384).</summary>
        public static TrustedRoot MicrosoftEccRoot2017 { get; } = new TrustedRoot("Microsoft ECC Root Certificate Authority 2017", "35F53CE1264611E03340FE37E1EC7D4CC986C5613DCA70FD04AA44545F2DAF28", "EC P-384",
            new DateTimeOffset(2042, 7, 18, 23, 16, 4, TimeSpan.Zero), AzureSource);

        /// <summary>Baltimore CyberTrust Root (RSA 2048): Azure IoT's root before 2023; expired 2025-05-12.</summary>
        public static TrustedRoot BaltimoreCyberTrustRoot { get; } = new TrustedRoot("Baltimore CyberTrust Root", "63D9AF9B47B1064D49A10E7B7FD566DBC8CAA399459BFC2829C571AD8C6EF34A", "RSA 2048",
            new DateTimeOffset(2025, 5, 12, 23, 59, 0, TimeSpan.Zero), AzureSource + "; pin Y9mvm0exBk1JoQ57f9Vm28jKo5lFm/woKcVxrYxu80o= (Microsoft Office 365 encryption chains page)");

        /// <summary>DigiCert Global Root CA (RSA 2048): Azure China (portal.azure.cn) in the Azure SDK list.</summary>
        public static TrustedRoot DigiCertGlobalRootCa { get; } = new TrustedRoot("DigiCert Global Root CA", "AFF988906DDE12955D9BEBBF928FDCC31CCE328D5B9384F21C8941CA26E20391", "RSA 2048",
            new DateTimeOffset(2031, 11, 10, 0, 0, 0, TimeSpan.Zero), AzureSource + "; pin r/mIkG3eEpVdm+u/ko/cwxzOMo1bk4TyHIlByibiA5E=");

        /// <summary>Every known root.</summary>
        public static IReadOnlyList<TrustedRoot> All { get; } = new[]
        {
            AmazonRootCa1, AmazonRootCa2, AmazonRootCa3, AmazonRootCa4, StarfieldServicesRootG2,
            NrfCloudCoapCa, NrfCloudCoapCaDev, NrfCloudCoapCaBeta,
            DigiCertGlobalRootG2, MicrosoftRsaRoot2017, DigiCertGlobalRootG3, MicrosoftEccRoot2017, BaltimoreCyberTrustRoot, DigiCertGlobalRootCa,
        };

        /// <summary>The known root with that public-key fingerprint, or null.</summary>
        public static TrustedRoot? Find(string spkiSha256) =>
            All.FirstOrDefault(r => string.Equals(r.SpkiSha256, spkiSha256, StringComparison.OrdinalIgnoreCase));

        internal static string Names(IEnumerable<TrustedRoot> roots) => string.Join(" or ", roots.Select(r => r.Name));

        internal static string Date(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
