namespace Nrf91Cmng.Core.Onboarding
{
    /// <summary>Which cloud-side file to write after provisioning.</summary>
    public enum OnboardingFormat
    {
        /// <summary>
        /// nRF Cloud onboarding CSV (what <c>device_credentials_installer --csv</c> writes and
        /// <c>nrf_cloud_onboard</c> uploads): no header; device ID, sub type, tags, firmware types,
        /// certificate PEM; LF rows; at most 1,000 rows per file.
        /// </summary>
        NrfCloud,

        /// <summary>
        /// nRF Cloud attestation-token CSV for claiming (what <c>gather_attestation_tokens</c> writes
        /// and <c>claim_devices</c> reads): no header, unquoted <c>IMEI,UUID,token,timestamp</c> rows.
        /// </summary>
        NrfCloudClaim,

        /// <summary>
        /// AWS IoT bulk registration input (<c>StartThingRegistrationTask</c>): newline-delimited JSON,
        /// one object per device with the template parameters <c>ThingName</c>, <c>SerialNumber</c>
        /// (the IMEI, when known) and <c>CertificatePem</c>.
        /// </summary>
        AwsIot,

        /// <summary>
        /// Azure DPS individual enrollments with X.509 attestation, as bodies of the
        /// "Individual Enrollment - Run Bulk Operation" REST call (<c>{"mode","enrollments"}</c>),
        /// at most 10 enrollments per file (the operation's limit).
        /// </summary>
        AzureDps,
    }

    /// <summary>Where a device ID comes from.</summary>
    public enum DeviceIdScheme
    {
        /// <summary>
        /// The device UUID (lowercase, with dashes), as nRF Cloud's installer takes it from the CSR
        /// CN of a plain <c>%KEYGEN</c> and as firmware derives it with
        /// <c>CONFIG_NRF_CLOUD_CLIENT_ID_SRC_INTERNAL_UUID</c> / <c>..._MDM_DEVICE_UUID</c>. The default.
        /// </summary>
        Uuid,

        /// <summary>
        /// Prefix + the 15-digit IMEI (<c>--id-imei --id-str &lt;prefix&gt;</c>; firmware
        /// <c>CONFIG_NRF_CLOUD_CLIENT_ID_SRC_IMEI</c> with <c>CONFIG_NRF_CLOUD_CLIENT_ID_PREFIX</c>, default <c>nrf-</c>).
        /// </summary>
        Imei,
    }

    /// <summary>
    /// One device to onboard, in neutral terms (filled by the cmdlet from provisioning results or
    /// from pipeline objects): identity parts, certificate, attestation token, tags.
    /// </summary>
    public sealed class OnboardingDevice
    {
        /// <summary>An explicit device ID; when set it is used as is instead of the scheme.</summary>
        public string? DeviceId { get; set; }

        /// <summary>The 15-digit IMEI.</summary>
        public string? Imei { get; set; }

        /// <summary>The device UUID.</summary>
        public Guid? DeviceUuid { get; set; }

        /// <summary>The device certificate (PEM; the first certificate block is used).</summary>
        public string? CertificatePem { get; set; }

        /// <summary>The attestation token (<c>%ATTESTTOKEN</c> line, quoted payload or bare <c>A.B</c>).</summary>
        public string? AttestationToken { get; set; }

        /// <summary>nRF Cloud tags (letters, digits and <c>_ . @ : # -</c>).</summary>
        public IList<string> Tags { get; set; } = new List<string>();

        /// <summary>nRF Cloud sub type (custom device type); empty by default.</summary>
        public string? SubType { get; set; }

        /// <summary>nRF Cloud firmware types; null takes <see cref="OnboardingOptions.FirmwareTypes"/>.</summary>
        public IList<string>? FirmwareTypes { get; set; }

        /// <summary>Where the device came from, for messages (port, plan row, pipeline index).</summary>
        public string? Source { get; set; }

        /// <summary>
        /// A device from a provisioning record: its IMEI and UUID, and the certificate issued for
        /// the key generated at <paramref name="secTag"/> (null: the first generated key recorded).
        /// </summary>
        public static OnboardingDevice FromRecord(Fleet.ProvisioningRecord record, uint? secTag = null)
        {
            if (record is null)
            {
                throw new ArgumentNullException(nameof(record));
            }

            Fleet.RecordedCredential? generated = secTag.HasValue
                ? record.FindGenerated(secTag.Value)
                : System.Linq.Enumerable.FirstOrDefault(record.Credentials, c => c.Generated);
            return new OnboardingDevice
            {
                Imei = record.Imei,
                DeviceUuid = Guid.TryParse(record.DeviceUuid ?? string.Empty, out Guid uuid) ? uuid : (Guid?)null,
                CertificatePem = generated?.Certificate,
                Source = "record " + (record.DeviceUuid ?? record.Imei ?? "?"),
            };
        }

        internal string Describe(int index) =>
            "device " + (index + 1).ToString(CultureInfo.InvariantCulture) + (Source is null ? string.Empty : " (" + Source + ")");
    }

    /// <summary>How onboarding files are written.</summary>
    public sealed class OnboardingOptions
    {
        /// <summary>The file format.</summary>
        public OnboardingFormat Format { get; set; } = OnboardingFormat.NrfCloud;

        /// <summary>Where device IDs come from (for devices without an explicit ID).</summary>
        public DeviceIdScheme IdScheme { get; set; } = DeviceIdScheme.Uuid;

        /// <summary>
        /// Prefix of generated device IDs. Null: <c>nrf-</c> for <see cref="DeviceIdScheme.Imei"/>
        /// (the SDK's <c>CONFIG_NRF_CLOUD_CLIENT_ID_PREFIX</c> default), none for <see cref="DeviceIdScheme.Uuid"/>.
        /// </summary>
        public string? IdPrefix { get; set; }

        /// <summary>True for Nordic's own boards (DKs, Thingy:91): the reserved <c>nrf-</c> prefix is not warned about.</summary>
        public bool NordicHardware { get; set; }

        /// <summary>Add rows to existing files (duplicates refused unless <see cref="Replace"/>).</summary>
        public bool Append { get; set; }

        /// <summary>With <see cref="Append"/>: an existing row with the same device ID is removed and the new row added at the end.</summary>
        public bool Replace { get; set; }

        /// <summary>Start fresh files even when they exist (their extra part files are removed too).</summary>
        public bool Overwrite { get; set; }

        /// <summary>nRF Cloud firmware types for devices without their own; default <c>APP|MODEM</c>.</summary>
        public IList<string> FirmwareTypes { get; set; } = new List<string> { "APP", "MODEM" };

        /// <summary>Rows per file; null: the format's limit (nRF Cloud 1,000; Azure DPS bulk 10; no limit otherwise).</summary>
        public int? MaxRowsPerFile { get; set; }

        /// <summary>Time written into claim rows; null: now (UTC).</summary>
        public DateTimeOffset? Timestamp { get; set; }

        /// <summary>Azure DPS bulk operation mode: <c>create</c> (default) or <c>update</c> (create or replace in DPS).</summary>
        public string AzureMode { get; set; } = "create";
    }

    /// <summary>One file of the output.</summary>
    public sealed class OnboardingFile
    {
        internal OnboardingFile(string name, byte[] content, int rows, bool existed, bool changed)
        {
            Name = name;
            _content = content;
            Rows = rows;
            Existed = existed;
            Changed = changed;
        }

        private readonly byte[] _content;

        /// <summary>File name (the base name, or <c>&lt;stem&gt;-&lt;n&gt;&lt;ext&gt;</c> for part n ≥ 2).</summary>
        public string Name { get; }

        /// <summary>How many devices it holds.</summary>
        public int Rows { get; }

        /// <summary>True when a file of that name existed.</summary>
        public bool Existed { get; }

        /// <summary>True when the bytes differ from the existing file (or it is new).</summary>
        public bool Changed { get; }

        /// <summary>The exact bytes to write (ASCII).</summary>
        public byte[] GetContent() => (byte[])_content.Clone();

        /// <summary>The content as text.</summary>
        public string Text => System.Text.Encoding.ASCII.GetString(_content);

        /// <inheritdoc />
        public override string ToString() => Name + " (" + Rows.ToString(CultureInfo.InvariantCulture) + " rows" + (Changed ? ", changed" : string.Empty) + ")";
    }

    /// <summary>What happened to one input device.</summary>
    public sealed class OnboardingRow
    {
        internal OnboardingRow(string deviceId, string fileName, bool replaced, string? source)
        {
            DeviceId = deviceId;
            FileName = fileName;
            Replaced = replaced;
            Source = source;
        }

        /// <summary>The device ID written (thing name, registration ID, or the UUID for claim rows).</summary>
        public string DeviceId { get; }

        /// <summary>The file that holds its row.</summary>
        public string FileName { get; }

        /// <summary>True when it replaced an existing row.</summary>
        public bool Replaced { get; }

        /// <summary>The device's <see cref="OnboardingDevice.Source"/>.</summary>
        public string? Source { get; }
    }

    /// <summary>The files to write, the warnings, and where each device went.</summary>
    public sealed class OnboardingOutput
    {
        internal OnboardingOutput(IReadOnlyList<OnboardingFile> files, IReadOnlyList<string> staleFiles, IReadOnlyList<OnboardingRow> rows, IReadOnlyList<string> warnings)
        {
            Files = files;
            StaleFiles = staleFiles;
            Rows = rows;
            Warnings = warnings;
        }

        /// <summary>Every file of the set, in order (unchanged ones included, with <see cref="OnboardingFile.Changed"/> false).</summary>
        public IReadOnlyList<OnboardingFile> Files { get; }

        /// <summary>Existing part files no longer part of the set (after an overwrite with fewer rows): to delete.</summary>
        public IReadOnlyList<string> StaleFiles { get; }

        /// <summary>One per input device.</summary>
        public IReadOnlyList<OnboardingRow> Rows { get; }

        /// <summary>Things to tell the user (reserved prefix, CN not equal to the ID, ...).</summary>
        public IReadOnlyList<string> Warnings { get; }
    }
}
