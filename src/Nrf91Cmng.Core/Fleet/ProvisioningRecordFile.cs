namespace Nrf91Cmng.Core.Fleet
{
    /// <summary>
    /// Names and finds provisioning record files: <c>uuid-&lt;device uuid&gt;.json</c> when the
    /// device UUID is known, else <c>imei-&lt;imei&gt;.json</c>. Names hold only lowercase letters,
    /// digits and <c>-</c>, so they are valid on Windows, macOS and Linux and never collide with
    /// reserved Windows names (CON, NUL, COM1...).
    /// </summary>
    public static class ProvisioningRecordFile
    {
        /// <summary>The extension of record files.</summary>
        public const string Extension = ".json";

        /// <summary>The file name for a modem (pure: no file system access).</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.ProvisioningRecordNoIdentity"/> when neither is usable.</exception>
        public static string GetFileName(Guid? deviceUuid, string? imei)
        {
            if (deviceUuid.HasValue && deviceUuid.Value != Guid.Empty)
            {
                return "uuid-" + deviceUuid.Value.ToString("D") + Extension;
            }

            string safe = Sanitize(imei);
            if (safe.Length > 0)
            {
                return "imei-" + safe + Extension;
            }

            throw new ModemException(ErrorIds.ProvisioningRecordNoIdentity, ModemErrorCategory.InvalidOperation,
                "The modem reports neither a device UUID nor an IMEI, so its provisioning record cannot be named.",
                "Leave -RecordPath out for this modem, or update its firmware (the device UUID needs mfw 1.3.0 or later; PTI parts without a written IMEI answer ERROR to AT+CGSN).");
        }

        /// <summary>The file name for a modem whose UUID is given as text (any UUID form; unparsable text is ignored).</summary>
        public static string GetFileName(string? deviceUuid, string? imei) =>
            GetFileName(Guid.TryParse(deviceUuid ?? string.Empty, out Guid g) ? g : (Guid?)null, imei);

        /// <summary>
        /// The existing record of a modem in <paramref name="directory"/>: the UUID-named file,
        /// else the IMEI-named one (a record written before the UUID was known), else null.
        /// </summary>
        public static string? Find(string directory, Guid? deviceUuid, string? imei)
        {
            if (deviceUuid.HasValue && deviceUuid.Value != Guid.Empty)
            {
                string byUuid = Path.Combine(directory, GetFileName(deviceUuid, null));
                if (File.Exists(byUuid))
                {
                    return byUuid;
                }
            }

            if (Sanitize(imei).Length > 0)
            {
                string byImei = Path.Combine(directory, GetFileName((Guid?)null, imei));
                if (File.Exists(byImei))
                {
                    return byImei;
                }
            }

            return null;
        }

        /// <summary>Reads the record of a modem from <paramref name="directory"/> and checks it belongs to it; null when there is none.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.ProvisioningRecordInvalid"/>, <see cref="ErrorIds.ProvisioningRecordMismatch"/>.</exception>
        public static ProvisioningRecord? Load(string directory, Guid? deviceUuid, string? imei)
        {
            string? path = Find(directory, deviceUuid, imei);
            if (path is null)
            {
                return null;
            }

            ProvisioningRecord record = ProvisioningRecord.Load(path);
            record.EnsureBelongsTo(imei, deviceUuid, path);
            return record;
        }

        /// <summary>Writes the record of a modem into <paramref name="directory"/> under its name; returns the path.</summary>
        public static string Save(string directory, ProvisioningRecord record)
        {
            if (record is null)
            {
                throw new ArgumentNullException(nameof(record));
            }

            string path = Path.Combine(directory, GetFileName(record.DeviceUuid, record.Imei));
            record.Save(path);
            return path;
        }

        /// <summary>
        /// Every record in <paramref name="directory"/> (files named <c>uuid-*.json</c> or
        /// <c>imei-*.json</c>; other files are ignored), sorted by file name. A damaged or foreign
        /// file with a record name stops the read with its path in the message.
        /// </summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.ProvisioningRecordInvalid"/>.</exception>
        public static IReadOnlyList<ProvisioningRecord> LoadAll(string directory)
        {
            if (!Directory.Exists(directory))
            {
                throw new ModemException(ErrorIds.ProvisioningRecordInvalid, ModemErrorCategory.ObjectNotFound,
                    "The records folder " + directory + " does not exist.", "Give the folder that -RecordPath wrote to.");
            }

            var records = new List<ProvisioningRecord>();
            foreach (string path in Directory.GetFiles(directory, "*" + Extension).OrderBy(p => p, StringComparer.Ordinal))
            {
                string name = Path.GetFileName(path);
                if (name.StartsWith("uuid-", StringComparison.Ordinal) || name.StartsWith("imei-", StringComparison.Ordinal))
                {
                    records.Add(ProvisioningRecord.Load(path));
                }
            }

            return records;
        }

        private static string Sanitize(string? text)
        {
            var sb = new StringBuilder();
            foreach (char c in (text ?? string.Empty).Trim())
            {
                char l = char.ToLowerInvariant(c);
                if ((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9'))
                {
                    sb.Append(l);
                }
                else if (sb.Length > 0 && sb[sb.Length - 1] != '-')
                {
                    sb.Append('-');
                }
            }

            return sb.ToString().Trim('-');
        }
    }
}
