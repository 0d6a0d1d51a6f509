using System.Xml.Linq;

namespace Nrf91Cmng.Core.Onboarding
{
    /// <summary>
    /// Writes the files a cloud needs after provisioning (see <see cref="OnboardingFormat"/>),
    /// byte for byte as the reference tools do, with their append/replace rules:
    /// <list type="bullet">
    /// <item>an existing file is refused unless <see cref="OnboardingOptions.Append"/> or
    /// <see cref="OnboardingOptions.Overwrite"/> is given (nRF Cloud Utils ask interactively);</item>
    /// <item>when appending, a device whose ID (UUID for claim rows) is already in the files is
    /// refused, unless <see cref="OnboardingOptions.Replace"/>: then the old row is removed and the
    /// new one added at the end; two input devices with the same ID are always refused;</item>
    /// <item>rows beyond the per-file limit go to <c>&lt;stem&gt;-2&lt;ext&gt;</c>, <c>-3</c>, ...
    /// (nRF Cloud: 1,000 rows, the tools' <c>MAX_CSV_ROWS</c>; Azure DPS bulk: 10).</item>
    /// </list>
    /// Existing rows keep their exact bytes (CSV and JSON lines). Nothing is written when a
    /// device is invalid: every check runs before the output is built.
    /// </summary>
    public static partial class OnboardingWriter
    {
        /// <summary>nRF Cloud Utils' <c>MAX_CSV_ROWS</c>.</summary>
        public const int NrfCloudMaxRows = 1000;

        /// <summary>Azure DPS "Run Bulk Operation" takes at most 10 enrollments.</summary>
        public const int AzureDpsMaxEnrollments = 10;

        private static readonly string[] s_firmwareTypes = { "APP", "MODEM", "BOOT", "SOFTDEVICE", "BOOTLOADER", "MDM_FULL" };
        private static readonly Regex s_tag = new Regex("^[a-zA-Z0-9_.@:#-]+$", RegexOptions.CultureInvariant);
        private static readonly Regex s_subType = new Regex("^[a-zA-Z0-9_.,@/:#-]{0,799}$", RegexOptions.CultureInvariant);

        /// <summary>The row limit per file of <paramref name="options"/>.</summary>
        public static int MaxRows(OnboardingOptions options)
        {
            if (options.MaxRowsPerFile is int n)
            {
                if (n < 1)
                {
                    throw Options("MaxRowsPerFile must be at least 1", "Leave it out to use the format's limit.");
                }

                return n;
            }

            return options.Format switch
            {
                OnboardingFormat.NrfCloud => NrfCloudMaxRows,
                OnboardingFormat.AzureDps => AzureDpsMaxEnrollments,
                _ => int.MaxValue,
            };
        }

        /// <summary>The name of part <paramref name="part"/> (1-based) of a file set: the base name, then <c>stem-2.ext</c>, ...</summary>
        public static string PartFileName(string baseName, int part)
        {
            if (part <= 1)
            {
                return baseName;
            }

            string directory = Path.GetDirectoryName(baseName) ?? string.Empty;
            string name = Path.GetFileNameWithoutExtension(baseName) + "-" + part.ToString(CultureInfo.InvariantCulture) + Path.GetExtension(baseName);
            return directory.Length == 0 ? name : Path.Combine(directory, name);
        }

        /// <summary>
        /// Builds the output without touching the file system: <paramref name="existing"/> returns
        /// the bytes of a file of the set by name, or null when there is none.
        /// </summary>
        /// <exception cref="ModemException">OnboardingDeviceInvalid, OnboardingDuplicateDevice, OnboardingFileExists, OnboardingFileInvalid, OnboardingOptionsInvalid.</exception>
        public static OnboardingOutput Build(string baseName, IReadOnlyList<OnboardingDevice> devices, OnboardingOptions options, Func<string, byte[]?> existing)
        {
            if (baseName is null)
            {
                throw new ArgumentNullException(nameof(baseName));
            }

            if (devices is null)
            {
                throw new ArgumentNullException(nameof(devices));
            }

            options ??= new OnboardingOptions();
            existing ??= _ => null;
            int maxRows = MaxRows(options);
            if (options.Format == OnboardingFormat.AzureDps && options.AzureMode != "create" && options.AzureMode != "update")
            {
                throw Options("AzureMode '" + options.AzureMode + "' is not a bulk enrollment mode this writer supports", "Use 'create' or 'update'.");
            }

            if (options.Append && options.Overwrite)
            {
                throw Options("Append and Overwrite exclude each other", "Choose one: add rows to the existing files, or start fresh files.");
            }

            if (devices.Count == 0)
            {
                throw new ModemException(ErrorIds.OnboardingDeviceInvalid, ModemErrorCategory.InvalidArgument,
                    "There are no devices to onboard. Nothing was written.", "Pass the provisioning results or device records to write.");
            }

            var warnings = new List<string>();
            List<Row> fresh = PrepareRows(devices, options, warnings);

            // The existing set: base, -2, -3, ... as long as they exist.
            var existingFiles = new List<(string Name, byte[] Bytes)>();
            for (int part = 1; ; part++)
            {
                string name = PartFileName(baseName, part);
                byte[]? bytes = existing(name);
                if (bytes is null)
                {
                    break;
                }

                existingFiles.Add((name, bytes));
            }

            var kept = new List<Row>();
            var replacedKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (existingFiles.Count > 0 && !options.Append && !options.Overwrite)
            {
                throw new ModemException(ErrorIds.OnboardingFileExists, ModemErrorCategory.InvalidOperation,
                    "The onboarding file " + existingFiles[0].Name + " exists" + (existingFiles.Count > 1 ? " (with " + (existingFiles.Count - 1).ToString(CultureInfo.InvariantCulture) + " more part files)" : string.Empty) + ". Nothing was written.",
                    "Add rows to it with -Append (add -Replace to update devices already in it), overwrite it with -Force, or choose another file.");
            }

            if (options.Append)
            {
                foreach ((string name, byte[] bytes) in existingFiles)
                {
                    kept.AddRange(ReadExisting(name, bytes, options.Format, warnings));
                }

                var known = new Dictionary<string, Row>(StringComparer.OrdinalIgnoreCase);
                foreach (Row r in kept)
                {
                    known[r.Key] = r;
                }

                List<Row> duplicates = fresh.Where(r => known.ContainsKey(r.Key)).ToList();
                if (duplicates.Count > 0 && !options.Replace)
                {
                    throw new ModemException(ErrorIds.OnboardingDuplicateDevice, ModemErrorCategory.InvalidData,
                        "The onboarding files already hold " + Plural(duplicates.Count, "device") + " being added: " + Sample(duplicates.Select(d => d.Key)) + ". Nothing was written.",
                        "Add -Replace to replace their rows (the old row is removed, the new one added at the end), or leave those devices out.");
                }

                foreach (Row d in duplicates)
                {
                    replacedKeys.Add(d.Key);
                }

                kept.RemoveAll(r => replacedKeys.Contains(r.Key));
            }

            List<Row> all = kept.Concat(fresh).ToList();
            var files = new List<OnboardingFile>();
            var placement = new Dictionary<Row, string>();
            int parts = Math.Max(1, (all.Count + maxRows - 1) / maxRows);
            for (int part = 1; part <= parts; part++)
            {
                string name = PartFileName(baseName, part);
                List<Row> chunk = all.Skip((part - 1) * maxRows).Take(maxRows).ToList();
                byte[] content = Encoding.ASCII.GetBytes(Render(chunk, options));
                byte[]? before = existingFiles.Count >= part ? existingFiles[part - 1].Bytes : null;
                files.Add(new OnboardingFile(name, content, chunk.Count, before is not null, before is null || !before.SequenceEqual(content)));
                foreach (Row r in chunk)
                {
                    placement[r] = name;
                }
            }

            List<string> stale = existingFiles.Skip(parts).Select(f => f.Name).ToList();
            if (all.Count > maxRows && options.Format == OnboardingFormat.NrfCloud)
            {
                warnings.Add("The " + all.Count.ToString(CultureInfo.InvariantCulture) + " rows are split into " + parts.ToString(CultureInfo.InvariantCulture) +
                    " files of at most " + maxRows.ToString(CultureInfo.InvariantCulture) + " rows (nrf_cloud_onboard refuses more): upload each file.");
            }

            var rows = fresh.Select(r => new OnboardingRow(r.Key, placement[r], replacedKeys.Contains(r.Key), r.Source)).ToList();
            return new OnboardingOutput(files, stale, rows, warnings);
        }

        /// <summary>
        /// Builds the output for <paramref name="path"/> from the files on disk and writes the
        /// changed files (and removes stale part files after an overwrite).
        /// </summary>
        public static OnboardingOutput Write(string path, IReadOnlyList<OnboardingDevice> devices, OnboardingOptions options)
        {
            string full = Path.GetFullPath(path);
            OnboardingOutput output = Build(full, devices, options, name => File.Exists(name) ? File.ReadAllBytes(name) : null);
            string? directory = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            foreach (OnboardingFile file in output.Files.Where(f => f.Changed))
            {
                File.WriteAllBytes(file.Name, file.GetContent());
            }

            foreach (string stale in output.StaleFiles)
            {
                File.Delete(stale);
            }

            return output;
        }

        /// <summary>
        /// The device ID a device gets under <paramref name="options"/> (its explicit ID, or the
        /// scheme with its prefix), validated; warnings about the choice go to <paramref name="warnings"/>.
        /// </summary>
        public static string ResolveDeviceId(OnboardingDevice device, OnboardingOptions options, IList<string>? warnings = null, string? who = null)
        {
            string name = who ?? "the device";
            string id;
            if (!string.IsNullOrWhiteSpace(device.DeviceId))
            {
                id = device.DeviceId!.Trim();
            }
            else
            {
                Guid? uuid = device.DeviceUuid;
                if (!uuid.HasValue && options.IdScheme == DeviceIdScheme.Uuid && !string.IsNullOrWhiteSpace(device.AttestationToken))
                {
                    uuid = ParseToken(device.AttestationToken!, name).DeviceUuid;
                }

                id = DeviceIds.Compose(options.IdScheme, options.IdPrefix, uuid, device.Imei, name);
            }

            if (!DeviceIds.IsValid(id))
            {
                throw DeviceIds.Invalid(name + " has device ID '" + id + "', which is not 1-128 letters, digits, ':', '_' or '-'",
                    "Give an ID of those characters (nRF Cloud recommends the device UUID).");
            }

            if (options.Format == OnboardingFormat.AzureDps && !DeviceIds.IsValidDpsRegistrationId(id))
            {
                throw DeviceIds.Invalid(name + " has registration ID '" + id + "', which Azure DPS does not accept (it must end in a letter, digit or '-')",
                    "Choose another ID scheme or an explicit ID.");
            }

            if (id.Length > DeviceIds.MaxCommonNameLength)
            {
                warnings?.Add("Device ID '" + id + "' is longer than the " + DeviceIds.MaxCommonNameLength.ToString(CultureInfo.InvariantCulture) + " characters an X.509 CN holds, so no certificate CN can equal it.");
            }

            return id;
        }

        // ---- rows --------------------------------------------------------------------------

        private sealed class Row
        {
            public Row(string key, string text, string? source)
            {
                Key = key;
                Text = text;
                Source = source;
            }

            /// <summary>Duplicate key: device ID, UUID (claim), thing name, registration ID.</summary>
            public string Key { get; }

            /// <summary>CSV record / JSON line with its LF, or the compact JSON of an Azure enrollment.</summary>
            public string Text { get; }

            public string? Source { get; }
        }

        private static List<Row> PrepareRows(IReadOnlyList<OnboardingDevice> devices, OnboardingOptions options, List<string> warnings)
        {
            List<string> defaultFirmwareTypes = CheckFirmwareTypes(options.FirmwareTypes, "the default firmware types");
            if (options.IdPrefix is not null)
            {
                DeviceIds.CheckPrefix(options.IdPrefix);
            }

            DateTimeOffset timestamp = options.Timestamp ?? DateTimeOffset.UtcNow;
            var rows = new List<Row>();
            var cnMismatches = new List<string>();
            int reserved = 0;
            bool tagsIgnored = false;
            for (int i = 0; i < devices.Count; i++)
            {
                OnboardingDevice device = devices[i] ?? throw new ArgumentException("Device " + (i + 1).ToString(CultureInfo.InvariantCulture) + " is null.", nameof(devices));
                string who = device.Describe(i);
                if (options.Format != OnboardingFormat.NrfCloud && (device.Tags.Count > 0 || !string.IsNullOrEmpty(device.SubType)))
                {
                    tagsIgnored = true;
                }

                Row row;
                switch (options.Format)
                {
                    case OnboardingFormat.NrfCloudClaim:
                        row = ClaimRow(device, who, timestamp, warnings);
                        break;
                    default:
                        string id = ResolveDeviceId(device, options, warnings, who);
                        if (DeviceIds.HasReservedPrefix(id))
                        {
                            reserved++;
                        }

                        CertificateInfo cert = DeviceCertificate(device, who, options.Format, warnings);
                        string cn = DeviceIds.CommonName(cert);
                        if (!string.Equals(cn, id, StringComparison.Ordinal))
                        {
                            cnMismatches.Add(id + " (CN '" + cn + "')");
                        }

                        row = options.Format switch
                        {
                            OnboardingFormat.NrfCloud => NrfCloudRow(device, id, cert, who, defaultFirmwareTypes),
                            OnboardingFormat.AwsIot => new Row(id, AwsLine(id, device.Imei, cert) + "\n", device.Source),
                            _ => new Row(id, AzureEnrollment(id, id, cert.Pem), device.Source),
                        };
                        break;
                }

                if (rows.Any(r => string.Equals(r.Key, row.Key, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new ModemException(ErrorIds.OnboardingDuplicateDevice, ModemErrorCategory.InvalidData,
                        "Two devices of the input have the ID '" + row.Key + "' (the second is " + who + "). Nothing was written.",
                        "Each device needs its own ID: check the ID scheme and prefix, or the explicit IDs given.");
                }

                rows.Add(row);
            }

            if (reserved > 0 && !options.NordicHardware)
            {
                warnings.Add(Plural(reserved, "device ID") + (reserved == 1 ? " starts" : " start") + " with 'nrf-', which the nRF Connect SDK reserves on nRF Cloud for Nordic's own boards (nRF9160 DK, Thingy:91); " +
                    "custom hardware should use the device UUID or another prefix (and set CONFIG_NRF_CLOUD_CLIENT_ID_PREFIX to match).");
            }

            if (options.IdScheme == DeviceIdScheme.Uuid && !string.IsNullOrEmpty(options.IdPrefix) && options.Format != OnboardingFormat.NrfCloudClaim)
            {
                warnings.Add("A prefix was given for UUID-based IDs: the SDK's UUID client-ID sources (CONFIG_NRF_CLOUD_CLIENT_ID_SRC_INTERNAL_UUID, ..._MDM_DEVICE_UUID) use the bare UUID, so the firmware must set its client ID another way.");
            }

            if (cnMismatches.Count > 0)
            {
                string what = options.Format == OnboardingFormat.AzureDps
                    ? "Azure DPS takes the registration ID from the leaf certificate CN"
                    : options.Format == OnboardingFormat.AwsIot ? "templates that use the certificate CN as the thing name will not match" : "nRF Cloud Utils take the device ID from the CSR CN and the firmware connects with that ID";
                warnings.Add(Plural(cnMismatches.Count, "device ID") + (cnMismatches.Count == 1 ? " differs" : " differ") + " from the certificate CN (" + what + "): " + Sample(cnMismatches) + ".");
            }

            if (tagsIgnored)
            {
                warnings.Add("Tags and sub types are written only to nRF Cloud onboarding CSV files; they were left out.");
            }

            return rows;
        }

        private static Row NrfCloudRow(OnboardingDevice device, string id, CertificateInfo cert, string who, List<string> defaultFirmwareTypes)
        {
            foreach (string tag in device.Tags)
            {
                if (tag is null || !s_tag.IsMatch(tag))
                {
                    throw DeviceIds.Invalid(who + " has tag '" + tag + "': nRF Cloud tags hold only letters, digits and _ . @ : # -",
                        "Fix the tag (tags are separated by '|' in the file, so one tag cannot contain it).");
                }
            }

            string subType = device.SubType ?? string.Empty;
            if (!s_subType.IsMatch(subType))
            {
                throw DeviceIds.Invalid(who + " has sub type '" + subType + "': nRF Cloud sub types are up to 799 letters, digits and _ . , @ / : # -",
                    "Fix the sub type.");
            }

            List<string> fw = device.FirmwareTypes is null ? defaultFirmwareTypes : CheckFirmwareTypes(device.FirmwareTypes, who + "'s firmware types");
            string record = CsvText.Record(id, subType, string.Join("|", device.Tags), string.Join("|", fw), cert.Pem);
            return new Row(id, record, device.Source);
        }

        private static Row ClaimRow(OnboardingDevice device, string who, DateTimeOffset timestamp, List<string> warnings)
        {
            if (string.IsNullOrWhiteSpace(device.AttestationToken))
            {
                throw DeviceIds.Invalid(who + " has no attestation token", "Read it with AT%ATTESTTOKEN (mfw 1.3.0+; claiming needs nRF91x1 with mfw 2.0.0+).");
            }

            AttestationToken token = ParseToken(device.AttestationToken!, who);
            if (device.DeviceUuid.HasValue && device.DeviceUuid.Value != token.DeviceUuid)
            {
                throw DeviceIds.Invalid(who + "'s attestation token is of device " + token.DeviceUuidString + ", not " + device.DeviceUuid.Value.ToString("D"),
                    "Request the token from the same modem again.");
            }

            if (token.DeviceType >= 1 && token.DeviceType <= 3)
            {
                warnings.Add(who + " is an " + token.DeviceTypeName + ": nRF Cloud Utils refuse to claim nRF9160 devices (the nRF Cloud docs say to contact Nordic support).");
            }

            string imei = (device.Imei ?? string.Empty).Trim();
            if (imei.Length > 0 && !DeviceIds.IsImei(imei))
            {
                throw DeviceIds.Invalid(who + " has IMEI '" + imei + "', which is not 15 digits", "Read the IMEI with AT+CGSN.");
            }

            string uuid = token.DeviceUuidString;
            string line = imei + "," + uuid + "," + token.Text + "," + PythonIsoFormat(timestamp) + "\n";
            return new Row(uuid, line, device.Source);
        }

        private static CertificateInfo DeviceCertificate(OnboardingDevice device, string who, OnboardingFormat format, List<string> warnings)
        {
            if (string.IsNullOrWhiteSpace(device.CertificatePem))
            {
                throw DeviceIds.Invalid(who + " has no device certificate",
                    "Provision it with a Generate entry (the issued certificate is recorded), or pass the certificate PEM.");
            }

            IReadOnlyList<CertificateInfo> chain;
            try
            {
                chain = CertificateInfo.ChainFromPem(device.CertificatePem!);
            }
            catch (ModemException ex)
            {
                throw DeviceIds.Invalid(who + "'s certificate cannot be used: " + ex.Message.TrimEnd('.'), ex.Remedy ?? "Pass the device certificate PEM.");
            }

            CertificateInfo cert = chain[0];
            if (chain.Count > 1 && format != OnboardingFormat.AzureDps)
            {
                warnings.Add(who + "'s certificate text holds " + chain.Count.ToString(CultureInfo.InvariantCulture) + " certificates; only the first (" + cert.Subject + ") is written.");
            }

            if (cert.IsCertificateAuthority)
            {
                throw DeviceIds.Invalid(who + "'s certificate (" + cert.Subject + ") is a CA certificate, not a device certificate", "Pass the certificate issued to the device.");
            }

            if (format == OnboardingFormat.NrfCloud && (cert.PublicKey.Algorithm != "EC" || cert.PublicKey.Curve != "P-256"))
            {
                throw DeviceIds.Invalid(who + "'s certificate key is " + cert.PublicKey.Algorithm + (cert.PublicKey.Curve is null ? string.Empty : " " + cert.PublicKey.Curve) +
                    "; nRF Cloud takes ES256 certificates only (EC P-256 keys, what %KEYGEN makes)", "Generate the key in the modem (%KEYGEN) or on the host as EC P-256.");
            }

            return cert;
        }

        private static AttestationToken ParseToken(string text, string who)
        {
            try
            {
                return AttestationToken.Parse(text);
            }
            catch (ModemException ex)
            {
                throw DeviceIds.Invalid(who + "'s attestation token cannot be read: " + ex.Message.TrimEnd('.'), ex.Remedy ?? "Request the token again.");
            }
        }

        private static List<string> CheckFirmwareTypes(IEnumerable<string> types, string what)
        {
            var result = new List<string>();
            foreach (string t in types ?? Enumerable.Empty<string>())
            {
                string u = (t ?? string.Empty).Trim().ToUpperInvariant();
                if (!s_firmwareTypes.Contains(u))
                {
                    throw Options(what + " include '" + t + "', which is not an nRF Cloud firmware type", "Use APP, MODEM, BOOT, SOFTDEVICE, BOOTLOADER or MDM_FULL.");
                }

                if (!result.Contains(u))
                {
                    result.Add(u);
                }
            }

            return result;
        }

        /// <summary>What Python's <c>datetime.now(timezone.utc).isoformat()</c> prints: microseconds only when not zero, <c>+00:00</c>.</summary>
        internal static string PythonIsoFormat(DateTimeOffset time)
        {
            DateTime utc = time.UtcDateTime;
            long micro = (utc.Ticks % TimeSpan.TicksPerSecond) / 10;
            string text = utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            if (micro != 0)
            {
                text += "." + micro.ToString("D6", CultureInfo.InvariantCulture);
            }

            return text + "+00:00";
        }

        private static string AwsLine(string thingName, string? imei, CertificateInfo cert)
        {
            var line = new JsonObjectBuilder().String("ThingName", thingName);
            string i = (imei ?? string.Empty).Trim();
            if (DeviceIds.IsImei(i))
            {
                line.String("SerialNumber", i);
            }

            return line.String("CertificatePem", cert.Pem).ToCompact();
        }

        private static string AzureEnrollment(string registrationId, string? deviceId, string certificatePem)
        {
            string primary = new JsonObjectBuilder().String("certificate", certificatePem).ToCompact();
            string clientCertificates = new JsonObjectBuilder().Raw("primary", primary).ToCompact();
            string x509 = new JsonObjectBuilder().Raw("clientCertificates", clientCertificates).ToCompact();
            string attestation = new JsonObjectBuilder().String("type", "x509").Raw("x509", x509).ToCompact();
            return new JsonObjectBuilder().String("registrationId", registrationId).String("deviceId", deviceId).Raw("attestation", attestation).ToCompact();
        }

        private static string Render(List<Row> rows, OnboardingOptions options)
        {
            if (options.Format != OnboardingFormat.AzureDps)
            {
                return string.Concat(rows.Select(r => r.Text));
            }

            return new JsonObjectBuilder()
                .String("mode", options.AzureMode)
                .Raw("enrollments", JsonObjectBuilder.IndentedArray(rows.Select(r => r.Text).ToList(), 1))
                .ToIndented() + "\n";
        }

        private static string Plural(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + what + (n == 1 ? string.Empty : "s");

        private static string Sample(IEnumerable<string> items)
        {
            List<string> list = items.ToList();
            return string.Join(", ", list.Take(5)) + (list.Count > 5 ? " and " + (list.Count - 5).ToString(CultureInfo.InvariantCulture) + " more" : string.Empty);
        }

        private static ModemException Options(string what, string remedy) =>
            new ModemException(ErrorIds.OnboardingOptionsInvalid, ModemErrorCategory.InvalidArgument, "The onboarding options are not valid: " + what + ".", remedy);

        private static ModemException FileInvalid(string name, string why, Exception? inner) =>
            new ModemException(ErrorIds.OnboardingFileInvalid, ModemErrorCategory.InvalidData,
                "The existing file " + name + " cannot be appended to: " + why + ". Nothing was written.",
                "Append only to files of the same format written by this module or the reference tools, or start a new file.", inner);
    }
}
