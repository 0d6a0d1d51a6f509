using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Nrf91Cmng.Core.Errors;
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

    /// <summary>Turns pipeline objects into onboarding devices, and writes the files (shared with Invoke-ModemProvisioning -OnboardingPath).</summary>
    internal static class OnboardingInput
    {
        /// <summary>The device an input object describes, or null when it says nothing about one.</summary>
        public static OnboardingDevice? ToDevice(object item, Core.Logging.IModemLog log, System.Threading.CancellationToken cancellationToken)
        {
            object value = item is PSObject pso ? pso.BaseObject : item;
            if (value is ModemSession session)
            {
                Guid? uuid;
                using (session.Client.Exclusive())
                {
                    uuid = session.Client.TryReadDeviceUuid(log, cancellationToken);
                }

                return new OnboardingDevice { Imei = session.Imei, DeviceUuid = uuid, Source = session.PortName };
            }

            if (value is string text)
            {
                if (text.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) >= 0)
                {
                    return new OnboardingDevice { CertificatePem = text, Source = "a certificate" };
                }

                if (text.Trim().Length > 0 && text.IndexOf('.') > 0)
                {
                    return new OnboardingDevice { AttestationToken = text.Trim(), Source = "a token" };
                }

                throw Invalid("'" + (text.Length > 40 ? text.Substring(0, 40) + "..." : text) + "' is neither a certificate (PEM) nor an attestation token");
            }

            Func<string, object?> get = Properties(item);
            var device = new OnboardingDevice
            {
                DeviceId = Text(get("DeviceId")),
                Imei = Text(get("Imei")),
                DeviceUuid = Guid.TryParse(Text(get("DeviceUuid")) ?? string.Empty, out Guid g) && g != Guid.Empty ? g : (Guid?)null,
                AttestationToken = Text(get("Token")) ?? Text(get("AttestationToken")),
                CertificatePem = Certificate(get("Certificate")) ?? Certificate(get("CertificatePem")) ?? Certificate(get("Content")) ?? EntriesCertificate(get("Entries")),
                Source = Text(get("PortName")) ?? Text(get("Source")),
            };
            if (device.DeviceId is null && device.Imei is null && device.DeviceUuid is null && device.AttestationToken is null && device.CertificatePem is null)
            {
                throw Invalid("a " + PSObject.AsPSObject(item).TypeNames.FirstOrDefault() + " says nothing about a device (no Imei, DeviceUuid, DeviceId, Certificate or Token)");
            }

            return device;
        }

        /// <summary>Why a provisioning result is left out (its modem failed, or -WhatIf wrote nothing), or null.</summary>
        public static string? NotProvisioned(object item)
        {
            Func<string, object?> get = Properties(item);
            string? status = get("Entries") is null ? null : Text(get("Status"));
            return status == "Failed" || status == "WhatIf"
                ? "The modem on " + (Text(get("PortName")) ?? "?") + (Text(get("Imei")) is string imei ? " (IMEI " + imei + ")" : string.Empty) + " was not provisioned (" + status + "); it is left out of the onboarding file."
                : null;
        }

        /// <summary>Adds <paramref name="device"/>, or fills the gaps of an earlier object of the same device (same UUID, else same IMEI).</summary>
        public static void Merge(List<OnboardingDevice> devices, OnboardingDevice device)
        {
            OnboardingDevice? same = devices.FirstOrDefault(d =>
                (d.DeviceUuid.HasValue && device.DeviceUuid.HasValue && d.DeviceUuid == device.DeviceUuid)
                || (!(d.DeviceUuid.HasValue && device.DeviceUuid.HasValue) && d.Imei is not null && string.Equals(d.Imei, device.Imei, StringComparison.Ordinal)));
            if (same is null)
            {
                devices.Add(device);
                return;
            }

            same.DeviceId ??= device.DeviceId;
            same.Imei ??= device.Imei;
            same.DeviceUuid ??= device.DeviceUuid;
            same.AttestationToken ??= device.AttestationToken;
            same.CertificatePem ??= device.CertificatePem;
            same.Source ??= device.Source;
        }

        /// <summary>
        /// Builds the file set, asks ShouldProcess, writes the changed files and removes stale
        /// parts; warnings go to the warning stream. Null when the user declined (or -WhatIf).
        /// </summary>
        public static OnboardingExport? Write(ModemCmdletBase cmdlet, string path, IReadOnlyList<OnboardingDevice> devices, OnboardingOptions options, string action)
        {
            string full = System.IO.Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                throw new ModemException(ErrorIds.OnboardingOptionsInvalid, ModemErrorCategory.InvalidArgument,
                    full + " is a folder; the onboarding output is a file.", "Give a file name, e.g. " + System.IO.Path.Combine(full, DefaultName(options.Format)) + ".");
            }

            OnboardingOutput output = OnboardingWriter.Build(full, devices, options, name => File.Exists(name) ? File.ReadAllBytes(name) : null);
            foreach (string warning in output.Warnings)
            {
                cmdlet.WriteWarning(warning);
            }

            bool whatIf = cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w) && w is SwitchParameter ws && ws.IsPresent;
            List<OnboardingFile> changed = output.Files.Where(f => f.Changed).ToList();
            string what = devices.Count.ToString(CultureInfo.InvariantCulture) + " device(s), " + output.Files.Sum(f => f.Rows).ToString(CultureInfo.InvariantCulture) + " row(s) in all";
            if (!cmdlet.ShouldProcess(string.Join(", ", output.Files.Select(f => f.Name)), action + " (" + what + ")") || whatIf)
            {
                return null;
            }

            string? directory = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            try
            {
                foreach (OnboardingFile file in changed)
                {
                    File.WriteAllBytes(file.Name, file.GetContent());
                }

                foreach (string stale in output.StaleFiles)
                {
                    File.Delete(stale);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ModemException(ErrorIds.OnboardingFileInvalid, ModemErrorCategory.WriteError,
                    "The onboarding file " + full + " could not be written: " + ex.Message, "Check that the folder is writable and the file is not open in another program, then run again.", ex);
            }

            return new OnboardingExport
            {
                Format = options.Format.ToString(),
                Path = full,
                Files = new TextLines(output.Files.Select(f => f.Name).ToArray()),
                Written = new TextLines(changed.Select(f => f.Name).ToArray()),
                Rows = output.Files.Sum(f => f.Rows),
                DeviceCount = output.Rows.Count,
                ReplacedCount = output.Rows.Count(r => r.Replaced),
                DeviceIds = new TextLines(output.Rows.Select(r => r.DeviceId).ToArray()),
                Warnings = new TextLines(output.Warnings.ToArray()),
            };
        }

        /// <summary>The file name the reference tools use.</summary>
        public static string DefaultName(OnboardingFormat format) => format switch
        {
            OnboardingFormat.NrfCloud => "onboard.csv",
            OnboardingFormat.NrfCloudClaim => "attestation_tokens.csv",
            OnboardingFormat.AwsIot => "bulk-registration.jsonl",
            _ => "enrollments.json",
        };

        private static Func<string, object?> Properties(object item)
        {
            object value = item is PSObject pso ? pso.BaseObject : item;
            if (value is IDictionary dictionary)
            {
                return name =>
                {
                    foreach (DictionaryEntry e in dictionary)
                    {
                        if (string.Equals(e.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase))
                        {
                            return e.Value;
                        }
                    }

                    return null;
                };
            }

            PSObject ps = PSObject.AsPSObject(item);
            return name => ps.Properties[name]?.Value;
        }

        private static string? Text(object? value)
        {
            object? v = value is PSObject pso ? pso.BaseObject : value;
            string? s = v?.ToString();
            return string.IsNullOrWhiteSpace(s) ? null : s!.Trim();
        }

        private static string? Certificate(object? value)
        {
            string? text = (value is PSObject pso ? pso.BaseObject : value) as string;
            return text is not null && text.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) >= 0 ? text : null;
        }

        /// <summary>The certificate of a provisioning result: its Generate entry's, else any client certificate entry's.</summary>
        private static string? EntriesCertificate(object? entries)
        {
            if (!((entries is PSObject pso ? pso.BaseObject : entries) is IEnumerable list) || entries is string)
            {
                return null;
            }

            var found = new List<(bool Generate, string Pem)>();
            foreach (object? entry in list)
            {
                if (entry is null)
                {
                    continue;
                }

                Func<string, object?> get = Properties(entry);
                if (Certificate(get("Certificate")) is string pem)
                {
                    object? generate = get("Generate");
                    found.Add((LanguagePrimitives.IsTrue(generate is PSObject g ? g.BaseObject : generate), pem));
                }
            }

            return found.OrderByDescending(f => f.Generate).Select(f => f.Pem).FirstOrDefault();
        }

        private static ModemException Invalid(string what) =>
            new ModemException(ErrorIds.OnboardingDeviceInvalid, ModemErrorCategory.InvalidArgument,
                "Export-ModemOnboarding cannot use the input: " + what + ".",
                "Pipe Invoke-ModemProvisioning results, sessions, Get-ModemInfo or Get-ModemAttestationToken objects, or objects with Imei, DeviceUuid, Certificate and Token.");
    }
}
