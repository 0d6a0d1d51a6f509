namespace Nrf91Cmng.Core.Onboarding
{
    /// <summary>
    /// Device-ID rules of nRF Cloud (REST <c>ProvisionDevices</c> as quoted by the hello-nrfcloud
    /// API helpers; nRF Cloud Utils' installer) and the SDK's client-ID sources. Pure functions,
    /// shared by the onboarding writers and the readiness check (R12).
    /// </summary>
    public static class DeviceIds
    {
        /// <summary>The prefix the SDK uses for IMEI-based client IDs by default and reserves for Nordic's own boards.</summary>
        public const string ReservedNordicPrefix = "nrf-";

        /// <summary>nRF Cloud device IDs are at most this long.</summary>
        public const int MaxLength = 128;

        /// <summary>An X.509 common name holds at most 64 characters (the installer's limit for prefix + IMEI).</summary>
        public const int MaxCommonNameLength = 64;

        private static readonly Regex s_deviceId = new Regex("^[a-zA-Z0-9:_-]{1," + MaxLength.ToString(CultureInfo.InvariantCulture) + "}$", RegexOptions.CultureInvariant);
        private static readonly Regex s_prefix = new Regex("^[a-zA-Z0-9:_-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex s_imei = new Regex("^[0-9]{15}$", RegexOptions.CultureInvariant);
        private static readonly Regex s_dpsRegistrationId = new Regex("^[a-zA-Z0-9._:-]{0,127}[a-zA-Z0-9-]$", RegexOptions.CultureInvariant);

        /// <summary>True for 1-128 letters, digits, <c>:</c>, <c>_</c>, <c>-</c> (nRF Cloud device IDs; also AWS IoT thing names).</summary>
        public static bool IsValid(string? id) => id is not null && s_deviceId.IsMatch(id);

        /// <summary>True for an Azure DPS registration ID: up to 128 letters, digits and <c>- . _ :</c>, ending in a letter, digit or dash.</summary>
        public static bool IsValidDpsRegistrationId(string? id) => id is not null && s_dpsRegistrationId.IsMatch(id);

        /// <summary>True for 15 digits.</summary>
        public static bool IsImei(string? text) => text is not null && s_imei.IsMatch(text);

        /// <summary>True when <paramref name="id"/> starts with the reserved <c>nrf-</c> (any case).</summary>
        public static bool HasReservedPrefix(string? id) => id is not null && id.StartsWith(ReservedNordicPrefix, StringComparison.OrdinalIgnoreCase);

        /// <summary>The prefix used when none is given: <c>nrf-</c> for IMEI IDs, none for UUID IDs.</summary>
        public static string DefaultPrefix(DeviceIdScheme scheme) => scheme == DeviceIdScheme.Imei ? ReservedNordicPrefix : string.Empty;

        /// <summary>
        /// The ID of a device under <paramref name="scheme"/>: prefix + lowercase UUID with dashes,
        /// or prefix + IMEI. Throws <see cref="ErrorIds.OnboardingDeviceInvalid"/> when the part is missing.
        /// </summary>
        public static string Compose(DeviceIdScheme scheme, string? prefix, Guid? deviceUuid, string? imei, string who = "the device")
        {
            string p = prefix ?? DefaultPrefix(scheme);
            CheckPrefix(p);
            if (scheme == DeviceIdScheme.Uuid)
            {
                if (!deviceUuid.HasValue || deviceUuid.Value == Guid.Empty)
                {
                    throw Invalid(who + " has no device UUID for a UUID-based ID",
                        "Read it from the modem (%DEVICEUUID on nRF91x1, or the attestation token on mfw 1.3.0+), or choose the IMEI scheme for firmware without one.");
                }

                return p + deviceUuid.Value.ToString("D");
            }

            string i = (imei ?? string.Empty).Trim();
            if (!IsImei(i))
            {
                throw Invalid(who + (i.Length == 0 ? " has no IMEI" : " has IMEI '" + i + "', which is not 15 digits") + " for an IMEI-based ID",
                    "Read the IMEI with AT+CGSN, or choose the UUID scheme.");
            }

            return p + i;
        }

        /// <summary>Throws <see cref="ErrorIds.OnboardingOptionsInvalid"/> when a prefix holds characters device IDs do not allow.</summary>
        public static void CheckPrefix(string prefix)
        {
            if (!s_prefix.IsMatch(prefix) || prefix.Length > MaxLength - 15)
            {
                throw new ModemException(ErrorIds.OnboardingOptionsInvalid, ModemErrorCategory.InvalidArgument,
                    "The device ID prefix '" + prefix + "' is not usable: device IDs hold only letters, digits, ':', '_' and '-', at most " + MaxLength.ToString(CultureInfo.InvariantCulture) + " characters.",
                    "Choose a prefix of letters, digits, ':', '_' or '-' (e.g. 'acme-').");
            }
        }

        /// <summary>
        /// Judges a certificate common name against the ID a scheme gives, for the readiness check:
        /// null when it matches, else the finding in words.
        /// </summary>
        public static string? DescribeCommonNameMismatch(string commonName, Guid? deviceUuid, string? imei, string? prefix, DeviceIdScheme? scheme)
        {
            var candidates = new List<string>();
            if (scheme != DeviceIdScheme.Imei && deviceUuid.HasValue)
            {
                candidates.Add((scheme.HasValue ? prefix ?? string.Empty : string.Empty) + deviceUuid.Value.ToString("D"));
            }

            if (scheme != DeviceIdScheme.Uuid && IsImei(imei))
            {
                if (scheme.HasValue)
                {
                    candidates.Add((prefix ?? ReservedNordicPrefix) + imei);
                }
                else
                {
                    candidates.Add(ReservedNordicPrefix + imei);
                    candidates.Add(imei!);
                    if (!string.IsNullOrEmpty(prefix))
                    {
                        candidates.Add(prefix + imei);
                    }
                }
            }

            if (candidates.Count == 0)
            {
                return null;
            }

            foreach (string c in candidates)
            {
                if (string.Equals(c, commonName, StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }
            }

            return "the certificate CN '" + commonName + "' is none of the IDs the firmware can derive (" + string.Join(", ", candidates) + ")";
        }

        internal static string CommonName(CertificateInfo cert)
        {
            string? cn = CommonNameOrNull(cert);
            return cn ?? string.Empty;
        }

        internal static string? CommonNameOrNull(CertificateInfo cert)
        {
            var values = cert.Certificate.SubjectDN.GetValueList(Org.BouncyCastle.Asn1.X509.X509Name.CN);
            return values.Count > 0 ? values[values.Count - 1] : null;
        }

        internal static ModemException Invalid(string what, string remedy) =>
            new ModemException(ErrorIds.OnboardingDeviceInvalid, ModemErrorCategory.InvalidData, what + ". Nothing was written.", remedy);
    }
}
