using Nrf91Cmng.Core.Fleet;
using Nrf91Cmng.Core.Onboarding;

namespace Nrf91Cmng.Commands
{
    /// <summary>Turns pipeline objects into onboarding devices, and writes the files (shared with Invoke-ModemProvisioning -OnboardingPath).</summary>
    internal static class OnboardingInput
    {
        /// <summary>Invoke-ModemProvisioning -OnboardingPath: the modems of a run that hold a client certificate, appended to the onboarding file (replacing their earlier rows).</summary>
        public static void WriteResults(ModemCmdletBase cmdlet, string path, string format, ProvisioningResult[] results)
        {
            var devices = new List<OnboardingDevice>();
            var left = new List<string>();
            foreach (ProvisioningResult result in results)
            {
                OnboardingDevice? device = result.Outcome == ModemStatus.Failed ? null : ToDevice(result, cmdlet.Log, cmdlet.CancelToken);
                if (device?.CertificatePem is null)
                {
                    left.Add(result.PortName + " (" + (result.Outcome == ModemStatus.Failed ? "failed" : "no client certificate known") + ")");
                    continue;
                }

                devices.Add(device);
            }

            if (left.Count > 0)
            {
                cmdlet.WriteWarning(left.Count.ToString(CultureInfo.InvariantCulture) + " modem(s) are left out of the onboarding file " + path + ": " + string.Join(", ", left.Take(10)) + (left.Count > 10 ? ", ..." : string.Empty) + ".");
            }

            if (devices.Count == 0)
            {
                return;
            }

            var options = new OnboardingOptions
            {
                Format = (OnboardingFormat)Enum.Parse(typeof(OnboardingFormat), format, ignoreCase: true),
                Append = true,
                Replace = true,
            };
            cmdlet.Guard(path, () =>
            {
                OnboardingExport? export = Write(cmdlet, path, devices, options, "Write the " + format + " onboarding file");
                if (export is not null)
                {
                    cmdlet.WriteVerbose("Onboarding file " + export.Path + ": " + export.DeviceCount.ToString(CultureInfo.InvariantCulture) + " device(s) written, " + export.Rows.ToString(CultureInfo.InvariantCulture) + " row(s) in all.");
                }
            });
        }

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
            return Enum.TryParse(status, out ModemStatus outcome) && (outcome == ModemStatus.Failed || outcome == ModemStatus.WhatIf)
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

            bool whatIf = cmdlet.WhatIfRequested;
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
