namespace Nrf91Cmng.Simulator
{
    /// <summary>
    /// What a modem firmware release answers and allows: identity strings, which commands exist,
    /// which credential types and tags are writable, how digests look and how %KEYGEN encodes its
    /// CSR. Profiles are immutable and looked up by name (case-insensitive) with <see cref="Get"/>.
    /// </summary>
    public sealed class FirmwareProfile
    {
        private static readonly int[] s_modes9160 = { 0, 1, 4, 20, 21, 30, 31, 40, 41, 44 };
        private static readonly int[] s_modes91x1 = { 0, 1, 2, 4, 20, 21, 30, 31, 40, 41, 44 };
        private static readonly List<FirmwareProfile> s_all = new List<FirmwareProfile>();
        private static readonly Dictionary<string, FirmwareProfile> s_byName =
            new Dictionary<string, FirmwareProfile>(StringComparer.OrdinalIgnoreCase);

        static FirmwareProfile()
        {
            // NCS 1.0 era: no SHA in list output, no key generation, public-key slot 0 taken at
            // the factory (devzone 48688 got 519 writing another key), no content validation.
            Register(new FirmwareProfile(
                name: "mfw_nrf9160_0.7.0",
                revision: "mfw_nrf9160_0.7.0-29.alpha",
                model: "nRF9160-SICA",
                hardwareVersion: null,
                is91x1: false,
                attestationDeviceType: 1,
                imeiTac: "35265610",
                bootBanner: "***** Booting Zephyr OS build v1.14.99-ncs2 *****",
                placeholderDigests: true,
                supportsKeyGeneration: false,
                supportsPublicKeyManagement: true,
                hasFactoryPublicKey: true,
                supportsPowerOffWarning: false,
                hasModemOwnedCredentials: false,
                highestCredentialType: 7,
                publicKeyTypeWritableWithCmng: false,
                validatesCertificates: false,
                csrSignatureHasNullParameters: false));

            // nRF9160 1.3.x: the same answers and rules, a newer SDK banner.
            Register(Nrf9160Release13("1.3.5", "2.4.0"));
            Register(Nrf9160Release13("1.3.7", "2.8.0"));

            // %XPMNG is kept on 91x1 although its reference page was not found: a devzone user saw
            // AT%XPMNG=0 answer OK on mfw_nrf91x1 2.0.4 (spec §3).
            Register(ModernRelease(
                name: "mfw_nrf91x1_2.0.2",
                model: "nRF9161-LACA",
                hardwareVersion: "nRF9161 LACA A0A",
                is91x1: true,
                attestationDeviceType: 4,
                imeiTac: "35502593",
                bootBanner: "*** Booting nRF Connect SDK v2.9.0-7787b2649840 ***",
                validatesCertificates: true));
        }

        private FirmwareProfile(
            string name,
            string revision,
            string model,
            string? hardwareVersion,
            bool is91x1,
            int attestationDeviceType,
            string imeiTac,
            string bootBanner,
            bool placeholderDigests,
            bool supportsKeyGeneration,
            bool supportsPublicKeyManagement,
            bool hasFactoryPublicKey,
            bool supportsPowerOffWarning,
            bool hasModemOwnedCredentials,
            int highestCredentialType,
            bool publicKeyTypeWritableWithCmng,
            bool validatesCertificates,
            bool csrSignatureHasNullParameters)
        {
            Name = name;
            Revision = revision;
            Model = model;
            HardwareVersion = hardwareVersion;
            Is91x1 = is91x1;
            AttestationDeviceType = attestationDeviceType;
            ImeiTac = imeiTac;
            BootBanner = bootBanner;
            PlaceholderDigests = placeholderDigests;
            SupportsKeyGeneration = supportsKeyGeneration;
            SupportsAttestationToken = supportsKeyGeneration;
            SupportsPublicKeyManagement = supportsPublicKeyManagement;
            HasFactoryPublicKey = hasFactoryPublicKey;
            SupportsPowerOffWarning = supportsPowerOffWarning;
            HasModemOwnedCredentials = hasModemOwnedCredentials;
            HighestCredentialType = highestCredentialType;
            PublicKeyTypeWritableWithCmng = publicKeyTypeWritableWithCmng;
            ValidatesCertificates = validatesCertificates;
            AllowsTlsDecryptTags = is91x1;
            CsrSignatureHasNullParameters = csrSignatureHasNullParameters;
            SupportsDeviceUuidCommand = is91x1;
            FunctionalModes = is91x1 ? s_modes91x1 : s_modes9160;
            FirmwareUuid = NameBasedUuid(revision);
        }

        /// <summary>The profile every virtual modem uses unless told otherwise: <c>mfw_nrf9160_1.3.5</c>.</summary>
        public static FirmwareProfile Default => Get("mfw_nrf9160_1.3.5");

        /// <summary>The registered profile names, oldest firmware first.</summary>
        public static IReadOnlyList<string> Names
        {
            get
            {
                lock (s_all)
                {
                    return s_all.Select(p => p.Name).ToArray();
                }
            }
        }

        /// <summary>Every registered profile, oldest firmware first.</summary>
        public static IReadOnlyList<FirmwareProfile> All
        {
            get
            {
                lock (s_all)
                {
                    return s_all.ToArray();
                }
            }
        }

        /// <summary>Registry name, e.g. <c>mfw_nrf9160_1.3.5</c>.</summary>
        public string Name { get; }

        /// <summary>What <c>AT+CGMR</c> answers, e.g. <c>mfw_nrf9160_0.7.0-29.alpha</c>.</summary>
        public string Revision { get; }

        /// <summary>What <c>AT+CGMM</c> answers, e.g. <c>nRF9161-LACA</c>.</summary>
        public string Model { get; }

        /// <summary>The text after <c>%HWVERSION: </c>; null where the firmware lacks the command.</summary>
        public string? HardwareVersion { get; }

        /// <summary>True for the nRF91x1 family (nRF9161/9151/9131, <c>mfw_nrf91x1_*</c>).</summary>
        public bool Is91x1 { get; }

        /// <summary>The device type in <c>%ATTESTTOKEN</c> (1/3 nRF9160 SIAA, 2 SIBA, 4 nRF9161 LACA, 5 nRF9131, 6 nRF9151).</summary>
        public int AttestationDeviceType { get; }

        /// <summary>Type allocation code (first 8 IMEI digits) of generated IMEIs.</summary>
        public string ImeiTac { get; }

        /// <summary>First boot banner line printed after a reset.</summary>
        public string BootBanner { get; }

        /// <summary>True when <c>%CMNG=1</c> shows the type number repeated instead of a SHA-256 (pre-1.3 firmware).</summary>
        public bool PlaceholderDigests { get; }

        /// <summary>True when <c>%KEYGEN</c> exists (mfw 1.3.0+, 91x1).</summary>
        public bool SupportsKeyGeneration { get; }

        /// <summary>True when <c>%ATTESTTOKEN</c> exists (mfw 1.3.0+, 91x1).</summary>
        public bool SupportsAttestationToken { get; }

        /// <summary>True when <c>%XPMNG</c> exists.</summary>
        public bool SupportsPublicKeyManagement { get; }

        /// <summary>True when public-key slot 0 holds a key from the factory (so <c>%XPMNG=0</c> answers 519).</summary>
        public bool HasFactoryPublicKey { get; }

        /// <summary>True when a power-off warning blocks writes with <c>+CME ERROR: 528</c> (1.3.2+, 91x1).</summary>
        public bool SupportsPowerOffWarning { get; }

        /// <summary>True when the list shows the modem's own entries (4294967293,10 / 4294967294,6 / 4294967292,11).</summary>
        public bool HasModemOwnedCredentials { get; }

        /// <summary>Highest credential type the firmware knows; higher types are bad parameters (CME 50).</summary>
        public int HighestCredentialType { get; }

        /// <summary>True when type 5 (public key) may be written with <c>%CMNG=0</c> (1.3+); before, only <c>%XPMNG</c> writes it.</summary>
        public bool PublicKeyTypeWritableWithCmng { get; }

        /// <summary>True when type 0/1 content must parse as a PEM certificate (<c>+CME ERROR: 527</c>, 91x1 2.0.2+).</summary>
        public bool ValidatesCertificates { get; }

        /// <summary>True when the TLS-decrypt tags 2147483648 … 2147483667 are writable (91x1).</summary>
        public bool AllowsTlsDecryptTags { get; }

        /// <summary>True when the %KEYGEN CSR's ecdsa-with-SHA256 AlgorithmIdentifier carries an explicit NULL parameter.</summary>
        public bool CsrSignatureHasNullParameters { get; }

        /// <summary>True when <c>%DEVICEUUID</c> exists (91x1).</summary>
        public bool SupportsDeviceUuidCommand { get; }

        /// <summary>The functional modes <c>AT+CFUN=</c> accepts, as the test form lists them.</summary>
        public IReadOnlyList<int> FunctionalModes { get; }

        /// <summary>The firmware build UUID (<c>%XMODEMUUID</c>, also in <c>%ATTESTTOKEN</c>); synthetic, derived from the revision.</summary>
        public Guid FirmwareUuid { get; }

        /// <summary>Finds a profile by name or by its <see cref="Revision"/> text, ignoring case.</summary>
        /// <exception cref="ArgumentException">No such profile; the message lists the known names.</exception>
        public static FirmwareProfile Get(string name)
        {
            if (TryGet(name, out FirmwareProfile? profile))
            {
                return profile!;
            }

            throw new ArgumentException(
                "Unknown modem firmware profile '" + name + "'. Known profiles: " + string.Join(", ", Names) + ".",
                nameof(name));
        }

        /// <summary>Finds a profile by name or revision text, ignoring case.</summary>
        public static bool TryGet(string? name, out FirmwareProfile? profile)
        {
            profile = null;
            if (string.IsNullOrWhiteSpace(name))
            {
                return false;
            }

            lock (s_all)
            {
                return s_byName.TryGetValue(name!.Trim(), out profile);
            }
        }

        /// <summary>True when LTE is active in <paramref name="mode"/>, i.e. credential writes answer 518.</summary>
        public bool IsLteActive(int mode) => mode == 1 || mode == 21 || (Is91x1 && mode == 2);

        /// <inheritdoc />
        public override string ToString() => Name;

        private static FirmwareProfile Nrf9160Release13(string version, string sdk) => ModernRelease(
            name: "mfw_nrf9160_" + version,
            model: "nRF9160-SICA",
            hardwareVersion: "nRF9160 SICA B1A",
            is91x1: false,
            attestationDeviceType: 3,
            imeiTac: "35265610",
            bootBanner: "*** Booting nRF Connect SDK v" + sdk + " ***",
            validatesCertificates: false);

        // A release with the modern credential rules (1.3.x and later): real digests, %KEYGEN,
        // no factory public key, modem-owned credentials, types up to 11, the revision equal to
        // the name and a CSR signature with NULL parameters.
        private static FirmwareProfile ModernRelease(
            string name,
            string model,
            string hardwareVersion,
            bool is91x1,
            int attestationDeviceType,
            string imeiTac,
            string bootBanner,
            bool validatesCertificates) => new FirmwareProfile(
            name: name,
            revision: name,
            model: model,
            hardwareVersion: hardwareVersion,
            is91x1: is91x1,
            attestationDeviceType: attestationDeviceType,
            imeiTac: imeiTac,
            bootBanner: bootBanner,
            placeholderDigests: false,
            supportsKeyGeneration: true,
            supportsPublicKeyManagement: true,
            hasFactoryPublicKey: false,
            supportsPowerOffWarning: true,
            hasModemOwnedCredentials: true,
            highestCredentialType: 11,
            publicKeyTypeWritableWithCmng: true,
            validatesCertificates: validatesCertificates,
            csrSignatureHasNullParameters: true);

        private static void Register(FirmwareProfile profile)
        {
            lock (s_all)
            {
                s_all.Add(profile);
                s_byName[profile.Name] = profile;
                s_byName[profile.Revision] = profile;
            }
        }

        private static Guid NameBasedUuid(string text)
        {
            byte[] hash = ModemCrypto.Sha256(Encoding.ASCII.GetBytes("nrf91cmng-simulator-firmware:" + text));
            var bytes = new byte[16];
            Array.Copy(hash, bytes, 16);
            return ModemCrypto.Version4Uuid(bytes);
        }
    }
}
