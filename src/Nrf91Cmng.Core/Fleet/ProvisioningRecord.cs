using System.Xml;
using System.Xml.Linq;
using Nrf91Cmng.Core.Onboarding;

namespace Nrf91Cmng.Core.Fleet
{
    /// <summary>
    /// One (sec_tag, type) as the modem listed it after a provisioning run. For a key generated
    /// in the modem (<c>%KEYGEN</c>) it also carries the public key of the certificate issued for
    /// it and that certificate's listed digest: the only way to notice later that the key was
    /// regenerated (a new <c>%KEYGEN</c> replaces the key silently, the old certificate stays).
    /// </summary>
    public sealed class RecordedCredential
    {
        /// <summary>Creates an entry.</summary>
        public RecordedCredential(uint secTag, CredentialType type, string? sha256, bool generated = false, string? publicKey = null,
            string? certificateSha256 = null, string? certificate = null)
        {
            SecTag = secTag;
            Type = type;
            Sha256 = NormalizeOptionalDigest(sha256);
            Generated = generated;
            PublicKey = publicKey;
            CertificateSha256 = NormalizeOptionalDigest(certificateSha256);
            Certificate = certificate;
        }

        /// <summary>The sec_tag.</summary>
        public uint SecTag { get; }

        /// <summary>The credential type (a number in the JSON file).</summary>
        public CredentialType Type { get; }

        /// <summary>The digest the modem listed after the run (64 uppercase hex), or null when it printed none or a placeholder.</summary>
        public string? Sha256 { get; }

        /// <summary>True for a private key generated in the modem (<c>%KEYGEN</c>).</summary>
        public bool Generated { get; }

        /// <summary>For a generated key: the issued certificate's public key, base64 of the DER SubjectPublicKeyInfo.</summary>
        public string? PublicKey { get; }

        /// <summary>For a generated key: the digest the modem listed for the certificate written with it (type 1, same sec_tag).</summary>
        public string? CertificateSha256 { get; }

        /// <summary>For a generated key: the issued certificate (PEM), when it was recorded.</summary>
        public string? Certificate { get; }

        /// <summary>The recorded public key, parsed.</summary>
        /// <exception cref="ModemException">When <see cref="PublicKey"/> does not parse.</exception>
        public PublicKeyInfo? GetPublicKey() => PublicKey is null ? null : PublicKeyInfo.FromPem(PublicKey);

        /// <inheritdoc />
        public override string ToString() =>
            SecTag.ToString(CultureInfo.InvariantCulture) + "," + ((int)Type).ToString(CultureInfo.InvariantCulture) + "," + (Sha256 ?? "-") + (Generated ? " (generated)" : string.Empty);

        internal static string? NormalizeOptionalDigest(string? digest) =>
            string.IsNullOrWhiteSpace(digest) ? null : CredentialContent.NormalizeDigest(digest!);
    }

    /// <summary>A key generated in the modem during the run and the certificate issued for it.</summary>
    public sealed class GeneratedKeyRecord
    {
        /// <summary>Creates the pair.</summary>
        public GeneratedKeyRecord(uint secTag, string certificatePem)
        {
            SecTag = secTag;
            CertificatePem = certificatePem ?? throw new ArgumentNullException(nameof(certificatePem));
        }

        /// <summary>The sec_tag of the key (type 2) and its certificate (type 1).</summary>
        public uint SecTag { get; }

        /// <summary>The certificate issued for the generated key.</summary>
        public string CertificatePem { get; }
    }

    /// <summary>
    /// What a provisioning run left on one modem: its identity, the time, and per (sec_tag, type)
    /// the digest the modem listed afterwards. Written as a small JSON file per modem
    /// (<see cref="ProvisioningRecordFile"/>), read back by later runs and by the readiness check.
    /// </summary>
    /// <remarks>
    /// File layout (schema version 1), LF line ends, ASCII:
    /// <code>
    /// {
    ///   "schema": "nrf91cmng-provisioning-record",
    ///   "schemaVersion": 1,
    ///   "imei": "352656100000000",
    ///   "deviceUuid": "50363154-3932-4834-802b-0908718314dc",
    ///   "firmware": "mfw_nrf91x1_2.0.2",
    ///   "model": "nRF9151-LACA",
    ///   "provisionedAt": "2026-03-01T12:00:00.0000000+00:00",
    ///   "credentials": [
    ///     { "secTag": 42, "type": 0, "sha256": "2C43…" },
    ///     { "secTag": 42, "type": 2, "sha256": "372A…", "generated": true,
    ///       "publicKey": "MFkw…", "certificateSha256": "C5B8…", "certificate": "-----BEGIN CERTIFICATE-----\n…" }
    ///   ]
    /// }
    /// </code>
    /// Readers ignore members they do not know; a newer <c>schemaVersion</c> is refused.
    /// </remarks>
    public sealed class ProvisioningRecord
    {
        /// <summary>The value of the <c>schema</c> member that marks a file as a provisioning record.</summary>
        public const string SchemaName = "nrf91cmng-provisioning-record";

        /// <summary>The schema version this module writes and the newest it reads.</summary>
        public const int CurrentSchemaVersion = 1;

        /// <summary>Creates a record.</summary>
        public ProvisioningRecord(string? imei, string? deviceUuid, string? firmware, string? model, DateTimeOffset provisionedAt,
            IEnumerable<RecordedCredential> credentials, int schemaVersion = CurrentSchemaVersion)
        {
            Imei = string.IsNullOrWhiteSpace(imei) ? null : imei!.Trim();
            DeviceUuid = NormalizeUuid(deviceUuid);
            Firmware = string.IsNullOrWhiteSpace(firmware) ? null : firmware;
            Model = string.IsNullOrWhiteSpace(model) ? null : model;
            ProvisionedAt = provisionedAt;
            SchemaVersion = schemaVersion;
            Credentials = (credentials ?? throw new ArgumentNullException(nameof(credentials)))
                .OrderBy(c => c.SecTag).ThenBy(c => c.Type).ToList();
        }

        /// <summary>The schema version the record was read with or will be written as.</summary>
        public int SchemaVersion { get; }

        /// <summary>IMEI (<c>AT+CGSN</c>), or null.</summary>
        public string? Imei { get; }

        /// <summary>Device UUID, lowercase with dashes, or null.</summary>
        public string? DeviceUuid { get; }

        /// <summary>Modem firmware (<c>AT+CGMR</c>), or null.</summary>
        public string? Firmware { get; }

        /// <summary>Model (<c>AT+CGMM</c>), or null.</summary>
        public string? Model { get; }

        /// <summary>When the run finished.</summary>
        public DateTimeOffset ProvisionedAt { get; }

        /// <summary>Every recorded (sec_tag, type), sorted.</summary>
        public IReadOnlyList<RecordedCredential> Credentials { get; }

        /// <summary>The entry of (sec_tag, type), or null.</summary>
        public RecordedCredential? Find(uint secTag, CredentialType type) => Credentials.FirstOrDefault(c => c.SecTag == secTag && c.Type == type);

        /// <summary>The generated-key entry at <paramref name="secTag"/>, or null.</summary>
        public RecordedCredential? FindGenerated(uint secTag) => Credentials.FirstOrDefault(c => c.SecTag == secTag && c.Type == CredentialType.ClientPrivateKey && c.Generated);

        /// <summary>
        /// Builds the record of a finished run from the list the modem gave afterwards.
        /// <paramref name="secTags"/> limits it to the tags the run touched (null: every user tag
        /// listed). A key generated in this run is described by <paramref name="generated"/> (pass
        /// only pairs whose certificate was written and verified); a generated key from an earlier
        /// run keeps its entry from <paramref name="previous"/> while the key's digest or the
        /// certificate's digest is still the recorded one, so that a key replaced under its
        /// certificate is judged <see cref="GeneratedKeyState.KeyCertificateMismatch"/> later (the
        /// entry then carries the key digest recorded with the certificate, not the one listed now).
        /// </summary>
        public static ProvisioningRecord Create(string? imei, Guid? deviceUuid, string? firmware, string? model, DateTimeOffset time,
            IReadOnlyList<CredentialEntry> listedAfterRun, IEnumerable<GeneratedKeyRecord>? generated = null,
            IEnumerable<uint>? secTags = null, ProvisioningRecord? previous = null)
        {
            if (listedAfterRun is null)
            {
                throw new ArgumentNullException(nameof(listedAfterRun));
            }

            HashSet<uint>? tags = secTags is null ? null : new HashSet<uint>(secTags);
            Dictionary<uint, GeneratedKeyRecord> fresh = (generated ?? Enumerable.Empty<GeneratedKeyRecord>()).GroupBy(g => g.SecTag).ToDictionary(g => g.Key, g => g.Last());
            var credentials = new List<RecordedCredential>();
            foreach (CredentialEntry entry in listedAfterRun)
            {
                if (entry.IsModemOwnedTag || (tags is not null && !tags.Contains(entry.SecTag)) || credentials.Any(c => c.SecTag == entry.SecTag && c.Type == entry.Type))
                {
                    continue;
                }

                string? digest = entry.IsPlaceholderDigest ? null : entry.Sha256;
                if (entry.Type == CredentialType.ClientPrivateKey)
                {
                    string? certDigest = listedAfterRun.FirstOrDefault(e => e.SecTag == entry.SecTag && e.Type == CredentialType.ClientCertificate) is CredentialEntry c && !c.IsPlaceholderDigest ? c.Sha256 : null;
                    if (fresh.TryGetValue(entry.SecTag, out GeneratedKeyRecord? g))
                    {
                        CertificateInfo cert = CertificateInfo.FromPem(g.CertificatePem);
                        credentials.Add(new RecordedCredential(entry.SecTag, entry.Type, digest, true,
                            Convert.ToBase64String(cert.PublicKey.GetDer()), certDigest, cert.Pem));
                        continue;
                    }

                    // An earlier pair stays recorded while its key is unchanged, and also while its
                    // certificate is still the one stored: a key replaced under that certificate (a
                    // %KEYGEN whose certificate was never written) must stay visible as a mismatch
                    // instead of turning into an unverifiable plain entry.
                    RecordedCredential? old = previous?.FindGenerated(entry.SecTag);
                    if (old is not null && ((digest is not null && string.Equals(old.Sha256, digest, StringComparison.Ordinal))
                        || (certDigest is not null && string.Equals(old.CertificateSha256, certDigest, StringComparison.Ordinal))))
                    {
                        credentials.Add(old);
                        continue;
                    }
                }

                credentials.Add(new RecordedCredential(entry.SecTag, entry.Type, digest));
            }

            return new ProvisioningRecord(imei, deviceUuid?.ToString("D"), firmware, model, time, credentials);
        }

        /// <summary>
        /// Checks that the record belongs to the modem with <paramref name="imei"/> and
        /// <paramref name="deviceUuid"/> (each compared only when both sides know it).
        /// </summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.ProvisioningRecordMismatch"/>.</exception>
        public void EnsureBelongsTo(string? imei, Guid? deviceUuid, string source)
        {
            string? uuid = deviceUuid?.ToString("D");
            if (DeviceUuid is not null && uuid is not null && !string.Equals(DeviceUuid, uuid, StringComparison.OrdinalIgnoreCase))
            {
                throw Mismatch(source, "device UUID " + DeviceUuid, "device UUID " + uuid);
            }

            if (Imei is not null && !string.IsNullOrWhiteSpace(imei) && !string.Equals(Imei, imei!.Trim(), StringComparison.Ordinal))
            {
                throw Mismatch(source, "IMEI " + Imei, "IMEI " + imei.Trim());
            }
        }

        /// <summary>The record as JSON (LF line ends, ASCII, trailing newline).</summary>
        public string ToJson()
        {
            var items = new List<string>();
            foreach (RecordedCredential c in Credentials)
            {
                var item = new JsonObjectBuilder()
                    .Number("secTag", c.SecTag)
                    .Number("type", (int)c.Type);
                item.Raw("sha256", c.Sha256 is null ? "null" : JsonText.Quote(c.Sha256));
                if (c.Generated)
                {
                    item.Boolean("generated", true)
                        .String("publicKey", c.PublicKey)
                        .String("certificateSha256", c.CertificateSha256)
                        .String("certificate", c.Certificate);
                }

                items.Add(item.ToCompact());
            }

            var root = new JsonObjectBuilder()
                .String("schema", SchemaName)
                .Number("schemaVersion", CurrentSchemaVersion)
                .String("imei", Imei)
                .String("deviceUuid", DeviceUuid)
                .String("firmware", Firmware)
                .String("model", Model)
                .String("provisionedAt", ProvisionedAt.ToString("o", CultureInfo.InvariantCulture))
                .Raw("credentials", JsonObjectBuilder.IndentedArray(items, 1));
            return root.ToIndented() + "\n";
        }

        /// <summary>Reads a record from JSON text; <paramref name="source"/> names it in messages (a path).</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.ProvisioningRecordInvalid"/>.</exception>
        public static ProvisioningRecord Parse(string json, string source)
        {
            if (json is null)
            {
                throw new ArgumentNullException(nameof(json));
            }

            if (json.Trim().Length == 0)
            {
                throw Invalid(source, "it is empty", null);
            }

            XElement root;
            try
            {
                root = JsonText.Parse(json);
            }
            catch (Exception ex) when (ex is XmlException || ex is FormatException || ex is DecoderFallbackException)
            {
                throw Invalid(source, "it is not valid JSON (" + ex.Message + ")", ex);
            }

            if (JsonText.TypeOf(root) != "object")
            {
                throw Invalid(source, "it is a JSON " + JsonText.TypeOf(root) + ", not an object" +
                    (JsonText.TypeOf(root) == "array" ? " (a provisioning plan in JSON is an array; a record is one object per modem)" : string.Empty), null);
            }

            Dictionary<string, XElement> m = JsonText.Members(root);
            if (!m.TryGetValue("schema", out XElement? schema) || JsonText.TypeOf(schema) != "string" || schema.Value != SchemaName)
            {
                string what = m.ContainsKey("Entries") ? " (it looks like a provisioning plan)" : string.Empty;
                throw Invalid(source, "it has no \"schema\": \"" + SchemaName + "\" member, so it is not a provisioning record written by this module" + what, null);
            }

            int version = RequireInt(m, "schemaVersion", source);
            if (version > CurrentSchemaVersion)
            {
                throw Invalid(source, "it has schema version " + version.ToString(CultureInfo.InvariantCulture) + ", newer than the " +
                    CurrentSchemaVersion.ToString(CultureInfo.InvariantCulture) + " this module reads (written by a newer Nrf91Cmng)", null);
            }

            if (version < 1)
            {
                throw Invalid(source, "its schema version " + version.ToString(CultureInfo.InvariantCulture) + " is not valid", null);
            }

            string? imei = OptionalString(m, "imei", source);
            string? uuid = OptionalString(m, "deviceUuid", source);
            if (uuid is not null && !Guid.TryParse(uuid, out _))
            {
                throw Invalid(source, "\"deviceUuid\" '" + uuid + "' is not a UUID", null);
            }

            string? time = OptionalString(m, "provisionedAt", source) ?? throw Invalid(source, "it has no \"provisionedAt\" time", null);
            if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset at))
            {
                throw Invalid(source, "\"provisionedAt\" '" + time + "' is not an ISO 8601 time", null);
            }

            if (!m.TryGetValue("credentials", out XElement? list) || JsonText.TypeOf(list) != "array")
            {
                throw Invalid(source, "it has no \"credentials\" array", null);
            }

            var credentials = new List<RecordedCredential>();
            int index = 0;
            foreach (XElement item in list.Elements())
            {
                index++;
                string where = "credentials[" + index.ToString(CultureInfo.InvariantCulture) + "]";
                if (JsonText.TypeOf(item) != "object")
                {
                    throw Invalid(source, where + " is not an object", null);
                }

                Dictionary<string, XElement> f = JsonText.Members(item);
                long tag = RequireLong(f, "secTag", source, where);
                if (tag < 0 || tag > uint.MaxValue)
                {
                    throw Invalid(source, where + ".secTag " + tag.ToString(CultureInfo.InvariantCulture) + " is outside 0-4294967295", null);
                }

                long type = RequireLong(f, "type", source, where);
                if (type < 0 || type > 255)
                {
                    throw Invalid(source, where + ".type " + type.ToString(CultureInfo.InvariantCulture) + " is not a credential type", null);
                }

                string? sha = OptionalString(f, "sha256", source, where);
                bool generated = f.TryGetValue("generated", out XElement? g) && JsonText.TypeOf(g) == "boolean" && g.Value == "true";
                string? publicKey = OptionalString(f, "publicKey", source, where);
                string? certSha = OptionalString(f, "certificateSha256", source, where);
                string? cert = OptionalString(f, "certificate", source, where);
                try
                {
                    var credential = new RecordedCredential((uint)tag, (CredentialType)type, sha, generated, publicKey, certSha, cert);
                    credential.GetPublicKey();
                    if (cert is not null)
                    {
                        CertificateInfo.FromPem(cert);
                    }

                    credentials.Add(credential);
                }
                catch (ModemException ex)
                {
                    throw Invalid(source, where + " is not valid: " + ex.Message, ex);
                }
            }

            if (credentials.GroupBy(c => (c.SecTag, c.Type)).FirstOrDefault(x => x.Count() > 1) is IGrouping<(uint, CredentialType), RecordedCredential> dup)
            {
                throw Invalid(source, "it lists sec_tag " + dup.Key.Item1.ToString(CultureInfo.InvariantCulture) + " type " + ((int)dup.Key.Item2).ToString(CultureInfo.InvariantCulture) + " twice", null);
            }

            return new ProvisioningRecord(imei, uuid, OptionalString(m, "firmware", source), OptionalString(m, "model", source), at, credentials, version);
        }

        /// <summary>Reads a record file.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.ProvisioningRecordInvalid"/>, also when the file cannot be read.</exception>
        public static ProvisioningRecord Load(string path)
        {
            string text;
            try
            {
                byte[] bytes = File.ReadAllBytes(path);
                text = new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ModemException(ErrorIds.ProvisioningRecordInvalid, ex is FileNotFoundException || ex is DirectoryNotFoundException ? ModemErrorCategory.ObjectNotFound : ModemErrorCategory.InvalidData,
                    "The provisioning record " + path + " cannot be read: " + ex.Message,
                    "Check the path given for the records folder (-RecordPath).", ex);
            }
            catch (DecoderFallbackException ex)
            {
                throw Invalid(path, "it is not UTF-8 text", ex);
            }

            return Parse(text, path);
        }

        /// <summary>Writes the record to <paramref name="path"/> (through a temporary file, so a crash never leaves half a record).</summary>
        public void Save(string path)
        {
            string full = Path.GetFullPath(path);
            string? directory = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            string temp = full + ".tmp";
            File.WriteAllBytes(temp, Encoding.ASCII.GetBytes(ToJson()));
            if (File.Exists(full))
            {
                File.Replace(temp, full, null);
            }
            else
            {
                File.Move(temp, full);
            }
        }

        /// <inheritdoc />
        public override string ToString() =>
            (DeviceUuid ?? Imei ?? "unknown modem") + " provisioned " + ProvisionedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + ", " +
            Credentials.Count.ToString(CultureInfo.InvariantCulture) + " credentials";

        private static string? NormalizeUuid(string? uuid)
        {
            if (string.IsNullOrWhiteSpace(uuid))
            {
                return null;
            }

            return Guid.TryParse(uuid, out Guid g) ? g.ToString("D") : uuid!.Trim();
        }

        private static int RequireInt(Dictionary<string, XElement> m, string name, string source)
        {
            long v = RequireLong(m, name, source, null);
            if (v < int.MinValue || v > int.MaxValue)
            {
                throw Invalid(source, "\"" + name + "\" is out of range", null);
            }

            return (int)v;
        }

        private static long RequireLong(Dictionary<string, XElement> m, string name, string source, string? where)
        {
            string label = where is null ? "\"" + name + "\"" : where + "." + name;
            if (!m.TryGetValue(name, out XElement? e))
            {
                throw Invalid(source, "it has no " + label, null);
            }

            if (JsonText.TypeOf(e) != "number" || !long.TryParse(e.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
            {
                throw Invalid(source, label + " is not a whole number", null);
            }

            return v;
        }

        private static string? OptionalString(Dictionary<string, XElement> m, string name, string source, string? where = null)
        {
            if (!m.TryGetValue(name, out XElement? e) || JsonText.TypeOf(e) == "null")
            {
                return null;
            }

            if (JsonText.TypeOf(e) != "string")
            {
                throw Invalid(source, (where is null ? "\"" + name + "\"" : where + "." + name) + " is not a string", null);
            }

            return e.Value.Length == 0 ? null : e.Value;
        }

        private static ModemException Invalid(string source, string why, Exception? inner) =>
            new ModemException(ErrorIds.ProvisioningRecordInvalid, ModemErrorCategory.InvalidData,
                "The provisioning record " + source + " cannot be used: " + why + ".",
                "Point -RecordPath at the folder of records this module wrote (one <uuid-...|imei-...>.json per modem). Move foreign or damaged files away; the next provisioning run writes a fresh record.", inner);

        private static ModemException Mismatch(string source, string recorded, string actual) =>
            new ModemException(ErrorIds.ProvisioningRecordMismatch, ModemErrorCategory.InvalidData,
                "The provisioning record " + source + " belongs to another modem: it records " + recorded + ", the connected modem has " + actual + ".",
                "Records are named after the device UUID or IMEI; check that the file was not copied or renamed. Delete it to start a fresh record for this modem.");
    }
}
