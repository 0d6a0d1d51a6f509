using Nrf91Cmng.Core.Fleet;
using Nrf91Cmng.Core.Onboarding;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes the file a cloud ingests to onboard provisioned devices: the nRF Cloud onboarding CSV, the nRF Cloud claim-token CSV, AWS IoT bulk registration JSON lines or Azure DPS bulk enrollments.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "ModemOnboarding", HelpUri = HelpLinks.Base + "Export-ModemOnboarding.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(OnboardingExport))]
    public sealed class ExportModemOnboardingCommand : ModemCmdletBase
    {
        private readonly List<OnboardingDevice> _devices = new List<OnboardingDevice>();
        private bool _inputFailed;

        /// <summary>
        /// The devices: Invoke-ModemProvisioning results, sessions, Get-ModemInfo objects,
        /// Get-ModemAttestationToken objects (claim CSV), New-ModemClientCertificate objects, or
        /// objects or hashtables with Imei, DeviceUuid, DeviceId, Certificate and Token. Objects of
        /// the same device (same UUID or IMEI) are merged.
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        [AllowNull]
        public object[]? InputObject { get; set; }

        /// <summary>NrfCloud (onboarding CSV), NrfCloudClaim (attestation-token CSV), AwsIot (bulk registration JSON lines) or AzureDps (bulk enrollment JSON).</summary>
        [Parameter(Mandatory = true)]
        [ValidateSet("NrfCloud", "NrfCloudClaim", "AwsIot", "AzureDps", IgnoreCase = true)]
        public string Format { get; set; } = "NrfCloud";

        /// <summary>The file to write. Rows beyond a file's limit go to &lt;name&gt;-2&lt;ext&gt;, -3, ...</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Add rows to an existing file; a device already in it is refused (use -Replace).</summary>
        [Parameter]
        public SwitchParameter Append { get; set; }

        /// <summary>Add rows to an existing file, replacing the rows of devices already in it (the old row is removed, the new one added at the end).</summary>
        [Parameter]
        public SwitchParameter Replace { get; set; }

        /// <summary>Overwrite an existing file (and remove its extra part files).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Where device IDs come from: Uuid (default; the device UUID, what nRF Cloud recommends) or Imei (prefix + IMEI).</summary>
        [Parameter]
        [ValidateSet("Uuid", "Imei", IgnoreCase = true)]
        public string DeviceId { get; set; } = "Uuid";

        /// <summary>The prefix of device IDs (default: nrf- for Imei, which nRF Cloud reserves for Nordic's boards and warns about; none for Uuid).</summary>
        [Parameter]
        [AllowEmptyString]
        public string? DeviceIdPrefix { get; set; }

        /// <summary>A folder of provisioning records (Invoke-ModemProvisioning -RecordPath): the certificate of a device that comes without one is taken from its record; without pipeline input every record in the folder is exported.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RecordPath { get; set; }

        /// <summary>The sec_tag whose generated key's certificate is exported from records (default: the first generated key of each record).</summary>
        [Parameter]
        [SecTagTransformation]
        public uint? SecTag { get; set; }

        /// <summary>nRF Cloud tags for every device (letters, digits and _ . @ : # -).</summary>
        [Parameter]
        [ValidateNotNull]
        public string[]? Tag { get; set; }

        /// <summary>nRF Cloud sub type (custom device type) for every device.</summary>
        [Parameter]
        [ValidateNotNull]
        public string? SubType { get; set; }

        /// <summary>nRF Cloud firmware types (default APP, MODEM).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? FirmwareType { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            foreach (object? item in InputObject ?? Array.Empty<object>())
            {
                if (item is null)
                {
                    continue;
                }

                if (OnboardingInput.NotProvisioned(item) is string why)
                {
                    WriteWarning(why);
                    continue;
                }

                OnboardingDevice? device = null;
                if (!Guard(item, () => device = OnboardingInput.ToDevice(item, Log, CancelToken)))
                {
                    _inputFailed = true;
                }

                if (device is not null)
                {
                    OnboardingInput.Merge(_devices, device);
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            string path = GetUnresolvedProviderPathFromPSPath(Path);
            var options = new OnboardingOptions
            {
                Format = (OnboardingFormat)Enum.Parse(typeof(OnboardingFormat), Format, ignoreCase: true),
                IdScheme = (DeviceIdScheme)Enum.Parse(typeof(DeviceIdScheme), DeviceId, ignoreCase: true),
                IdPrefix = DeviceIdPrefix,
                Append = Append || Replace,
                Replace = Replace,
                Overwrite = Force && !(Append || Replace),
            };
            if (FirmwareType is not null)
            {
                options.FirmwareTypes = FirmwareType.ToList();
            }

            Guard(path, () =>
            {
                if (_inputFailed)
                {
                    throw new ModemException(ErrorIds.OnboardingDeviceInvalid, ModemErrorCategory.InvalidArgument,
                        "Some input could not be read as a device (see the errors above). Nothing was written to " + path + ".",
                        "Leave out or fix that input and run again: an onboarding file is written whole or not at all.");
                }

                AddRecords();
                foreach (OnboardingDevice device in _devices)
                {
                    if (Tag is not null)
                    {
                        device.Tags = Tag.ToList();
                    }

                    device.SubType = SubType ?? device.SubType;
                }

                OnboardingExport? result = OnboardingInput.Write(this, path, _devices, options, "Export devices to the " + Format + " onboarding file");
                if (result is not null)
                {
                    WriteObject(result);
                }
            }, terminating: true);
            base.EndProcessing();
        }

        private void AddRecords()
        {
            if (RecordPath is null)
            {
                return;
            }

            string folder = GetUnresolvedProviderPathFromPSPath(RecordPath);
            if (_devices.Count == 0)
            {
                foreach (ProvisioningRecord record in ProvisioningRecordFile.LoadAll(folder))
                {
                    _devices.Add(OnboardingDevice.FromRecord(record, SecTag));
                }

                return;
            }

            foreach (OnboardingDevice device in _devices.Where(d => d.CertificatePem is null))
            {
                ProvisioningRecord? record = ProvisioningRecordFile.Load(folder, device.DeviceUuid, device.Imei);
                if (record is not null)
                {
                    OnboardingDevice fromRecord = OnboardingDevice.FromRecord(record, SecTag);
                    device.CertificatePem = fromRecord.CertificatePem;
                    device.DeviceUuid ??= fromRecord.DeviceUuid;
                    device.Imei ??= fromRecord.Imei;
                }
            }
        }
    }
}
