namespace Nrf91Cmng.Core.Modem
{
    /// <summary>
    /// What a modem firmware name says: <c>mfw_nrf9160_1.3.5</c>, <c>mfw_nrf91x1_2.0.2</c>,
    /// <c>mfw-pti_nrf91x1_2.3.3</c>, <c>mfw_nrf9160_0.7.0-29.alpha</c>; and what that firmware can do.
    /// </summary>
    public sealed class FirmwareInfo
    {
        private static readonly Regex s_name = new Regex(@"^mfw(?<variant>[-_][a-z]+)?_(?<family>nrf[0-9a-z]+?)(?:-(?<sub>[a-z]+))?_(?<version>\d+\.\d+\.\d+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private FirmwareInfo(string name, string family, Version? version)
        {
            Name = name;
            Family = family;
            Version = version;
        }

        /// <summary>The name as the modem printed it.</summary>
        public string Name { get; }

        /// <summary><c>nrf9160</c>, <c>nrf91x1</c>, <c>nrf9151-ntn</c> ... or <c>unknown</c>.</summary>
        public string Family { get; }

        /// <summary>The version, when it could be read.</summary>
        public Version? Version { get; }

        /// <summary>nRF9161/9151/9131 firmware (2.x).</summary>
        public bool Is91x1 => Family.StartsWith("nrf91x1", StringComparison.OrdinalIgnoreCase)
            || Family.StartsWith("nrf9151", StringComparison.OrdinalIgnoreCase)
            || Family.StartsWith("nrf9161", StringComparison.OrdinalIgnoreCase)
            || Family.StartsWith("nrf9131", StringComparison.OrdinalIgnoreCase);

        /// <summary>Lists print real SHA-256 digests (nRF Cloud trusts them from 1.3.2; earlier firmware may print placeholders).</summary>
        public bool HasRealDigests => Is91x1 || AtLeast(1, 3, 0);

        /// <summary><c>%KEYGEN</c> and <c>%ATTESTTOKEN</c> exist (1.3.0+ and 91x1).</summary>
        public bool HasKeyGeneration => Is91x1 || AtLeast(1, 3, 0);

        /// <summary>Types 6-11 exist (1.3+ and 91x1).</summary>
        public bool HasExtendedTypes => Is91x1 || AtLeast(1, 3, 0);

        /// <summary>Firmware that validates certificates and answers 527 (91x1 2.0.2+).</summary>
        public bool ValidatesCertificates => Is91x1 && (Version is null || Version >= new Version(2, 0, 2));

        /// <summary><c>%DEVICEUUID</c> exists (91x1).</summary>
        public bool HasDeviceUuidCommand => Is91x1;

        /// <summary>Parses a firmware name; unknown names give family <c>unknown</c>.</summary>
        public static FirmwareInfo Parse(string? name)
        {
            string text = (name ?? string.Empty).Trim();
            Match m = s_name.Match(text);
            if (!m.Success)
            {
                return new FirmwareInfo(text, "unknown", null);
            }

            string family = m.Groups["family"].Value.ToLowerInvariant();
            if (m.Groups["sub"].Success)
            {
                family += "-" + m.Groups["sub"].Value.ToLowerInvariant();
            }

            Version.TryParse(m.Groups["version"].Value, out Version? version);
            return new FirmwareInfo(text, family, version);
        }

        /// <inheritdoc />
        public override string ToString() => Name;

        private bool AtLeast(int major, int minor, int build) =>
            Version is not null && Version >= new Version(major, minor, build);

        internal string VersionText => Version?.ToString(3) ?? "?";

        internal static string Describe(FirmwareInfo f) =>
            string.Format(CultureInfo.InvariantCulture, "{0} ({1} {2})", f.Name, f.Family, f.VersionText);
    }
}
