namespace Nrf91Cmng.Core.Readiness
{
    /// <summary>The servers the readiness check knows.</summary>
    public enum ServerProfileKind
    {
        /// <summary>AWS IoT Core (ATS endpoints): Amazon Root CA 1 (RSA suites) or 3 (ECDSA suites); X.509 client authentication.</summary>
        AwsIot,

        /// <summary>nRF Cloud over MQTT (AWS IoT underneath): Amazon Root CA 1; ES256 device certificate.</summary>
        NrfCloudMqtt,

        /// <summary>nRF Cloud over CoAP/DTLS: the nRF Cloud CoAP CA (plus Amazon Root CA 1 for REST and downloads, as nRF Cloud Utils write it); the device signs JWTs with its key.</summary>
        NrfCloudCoap,

        /// <summary>Azure IoT Hub / DPS: DigiCert Global Root G2 (Microsoft RSA Root CA 2017 as the second root); X.509 or SAS-token authentication.</summary>
        AzureIot,

        /// <summary>A server whose root CA the user gives as a file.</summary>
        Custom,
    }

    /// <summary>How the server authenticates the device.</summary>
    public enum ClientAuthentication
    {
        /// <summary>A client certificate and its key (mutual TLS).</summary>
        Certificate,

        /// <summary>A key only: the device signs tokens (nRF Cloud CoAP JWTs); a certificate is optional.</summary>
        KeyOnly,

        /// <summary>Client credentials are optional (Azure SAS tokens, plain server authentication).</summary>
        Optional,
    }

    /// <summary>A set of roots of which the type-0 bundle should hold at least one.</summary>
    public sealed class RootRequirement
    {
        internal RootRequirement(IReadOnlyList<TrustedRoot> anyOf, bool required, string purpose)
        {
            AnyOf = anyOf;
            Required = required;
            Purpose = purpose;
        }

        /// <summary>Acceptable roots.</summary>
        public IReadOnlyList<TrustedRoot> AnyOf { get; }

        /// <summary>True: missing is a failure; false: a warning.</summary>
        public bool Required { get; }

        /// <summary>What the root is for.</summary>
        public string Purpose { get; }
    }

    /// <summary>What a server expects of a sec_tag: root CAs (by public key), client authentication, key type.</summary>
    public sealed class ServerProfile
    {
        private ServerProfile(ServerProfileKind kind, string name, IReadOnlyList<RootRequirement> requirements, IReadOnlyList<TrustedRoot> deprecated,
            ClientAuthentication clientAuthentication, bool requiresEs256)
        {
            Kind = kind;
            Name = name;
            Requirements = requirements;
            Deprecated = deprecated;
            ClientAuthentication = clientAuthentication;
            RequiresEs256 = requiresEs256;
        }

        /// <summary>The profile.</summary>
        public ServerProfileKind Kind { get; }

        /// <summary>Its name in messages.</summary>
        public string Name { get; }

        /// <summary>Root requirements (each satisfied by any of its roots).</summary>
        public IReadOnlyList<RootRequirement> Requirements { get; }

        /// <summary>Roots the server used to present and no longer does (Baltimore for Azure).</summary>
        public IReadOnlyList<TrustedRoot> Deprecated { get; }

        /// <summary>How the device authenticates.</summary>
        public ClientAuthentication ClientAuthentication { get; }

        /// <summary>True when the device key must be EC P-256 (nRF Cloud signs and verifies ES256).</summary>
        public bool RequiresEs256 { get; }

        /// <summary>Every root that satisfies some requirement.</summary>
        public IEnumerable<TrustedRoot> AcceptedRoots => Requirements.SelectMany(r => r.AnyOf);

        /// <summary>The built-in profile of <paramref name="kind"/> (not <see cref="ServerProfileKind.Custom"/>).</summary>
        public static ServerProfile Get(ServerProfileKind kind)
        {
            switch (kind)
            {
                case ServerProfileKind.AwsIot:
                    return new ServerProfile(kind, "AWS IoT Core",
                        new[]
                        {
                            new RootRequirement(new[] { KnownRoots.AmazonRootCa1, KnownRoots.AmazonRootCa3, KnownRoots.StarfieldServicesRootG2 }, true,
                                "AWS IoT Core ATS endpoints present a chain to Amazon Root CA 1 (RSA suites) or Amazon Root CA 3 (ECDSA suites), cross-signed by Starfield"),
                        },
                        Array.Empty<TrustedRoot>(), ClientAuthentication.Certificate, false);
                case ServerProfileKind.NrfCloudMqtt:
                    return new ServerProfile(kind, "nRF Cloud (MQTT)",
                        new[] { new RootRequirement(new[] { KnownRoots.AmazonRootCa1 }, true, "nRF Cloud MQTT, REST and downloads use Amazon Root CA 1 (what nRF Cloud Utils write)") },
                        Array.Empty<TrustedRoot>(), ClientAuthentication.Certificate, true);
                case ServerProfileKind.NrfCloudCoap:
                    return new ServerProfile(kind, "nRF Cloud (CoAP)",
                        new[]
                        {
                            new RootRequirement(new[] { KnownRoots.NrfCloudCoapCa }, true, "coap.nrfcloud.com presents the nRF Cloud CoAP CA"),
                            new RootRequirement(new[] { KnownRoots.AmazonRootCa1 }, false, "REST calls and firmware downloads over HTTPS need Amazon Root CA 1 (nRF Cloud Utils write both in one entry)"),
                        },
                        Array.Empty<TrustedRoot>(), ClientAuthentication.KeyOnly, true);
                case ServerProfileKind.AzureIot:
                    return new ServerProfile(kind, "Azure IoT Hub / DPS",
                        new[]
                        {
                            new RootRequirement(new[] { KnownRoots.DigiCertGlobalRootG2, KnownRoots.MicrosoftRsaRoot2017, KnownRoots.DigiCertGlobalRootG3, KnownRoots.MicrosoftEccRoot2017 }, true,
                                "Azure IoT Hub and DPS present DigiCert Global Root G2 since the 2023 root migration (Microsoft's 2017 roots are the announced alternatives)"),
                            new RootRequirement(new[] { KnownRoots.DigiCertGlobalRootG2 }, false, "DigiCert Global Root G2 is the root Azure IoT endpoints present today"),
                        },
                        new[] { KnownRoots.BaltimoreCyberTrustRoot }, ClientAuthentication.Optional, false);
                default:
                    throw new ArgumentOutOfRangeException(nameof(kind), kind, "Custom profiles are made with FromCaPem.");
            }
        }

        /// <summary>The profile named like <see cref="ServerProfileKind"/> (case-insensitive).</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.ReadinessProfileInvalid"/>.</exception>
        public static ServerProfile Get(string name)
        {
            if (Enum.TryParse(name?.Trim(), true, out ServerProfileKind kind) && Enum.IsDefined(typeof(ServerProfileKind), kind) && kind != ServerProfileKind.Custom)
            {
                return Get(kind);
            }

            throw new ModemException(ErrorIds.ReadinessProfileInvalid, ModemErrorCategory.InvalidArgument,
                "'" + name + "' is not a server profile.", "Use AwsIot, NrfCloudMqtt, NrfCloudCoap or AzureIot, or give the server's root CA file.");
        }

        /// <summary>
        /// A profile for a server whose root CA (one or more certificates) is given as PEM: the
        /// type-0 bundle must hold one of them (matched by public key, not bytes).
        /// </summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.ReadinessProfileInvalid"/>.</exception>
        public static ServerProfile FromCaPem(string pem, string name, ClientAuthentication clientAuthentication = ClientAuthentication.Optional)
        {
            IReadOnlyList<CertificateInfo> certs;
            try
            {
                certs = CertificateInfo.ChainFromPem(pem ?? throw new ArgumentNullException(nameof(pem)));
            }
            catch (ModemException ex)
            {
                throw new ModemException(ErrorIds.ReadinessProfileInvalid, ModemErrorCategory.InvalidData,
                    "The server CA file " + name + " cannot be used: " + ex.Message, ex.Remedy ?? "Give the server's root CA certificate in PEM form.", ex);
            }

            var roots = certs.Select(c => KnownRoots.Find(c.PublicKey.Fingerprint)
                ?? new TrustedRoot(FirstName(c.Subject), c.PublicKey.Fingerprint, c.PublicKey.Algorithm + " " + (c.PublicKey.Curve ?? c.PublicKey.KeySize.ToString(System.Globalization.CultureInfo.InvariantCulture)), c.NotAfter, name)).ToList();
            return new ServerProfile(ServerProfileKind.Custom, "the server of " + name,
                new[] { new RootRequirement(roots, true, "the server's certificate chains to the CA in " + name) },
                Array.Empty<TrustedRoot>(), clientAuthentication, false);
        }

        /// <inheritdoc />
        public override string ToString() => Name;

        private static string FirstName(string subject)
        {
            int cn = subject.IndexOf("CN=", StringComparison.Ordinal);
            if (cn < 0)
            {
                return subject;
            }

            int end = subject.IndexOf(", ", cn, StringComparison.Ordinal);
            return end < 0 ? subject.Substring(cn + 3) : subject.Substring(cn + 3, end - cn - 3);
        }
    }
}
