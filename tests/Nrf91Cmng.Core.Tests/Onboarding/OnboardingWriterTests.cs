using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.VisualBasic.FileIO;
using Nrf91Cmng.Core.Onboarding;
using Nrf91Cmng.Core.Tests.Crypto;
using Nrf91Cmng.Core.Tests.Fleet;

namespace Nrf91Cmng.Core.Tests.Onboarding
{
    public class OnboardingWriterTests
    {
        private static readonly Guid s_tv2Uuid = Guid.Parse("50363154-3932-4834-802b-0908718314dc");

        // The nRF Cloud ProvisionDevices certificate pattern as the spec states it: a line break
        // right after the BEGIN line, before the END line and after the END line.
        private static readonly Regex s_certificatePattern = new Regex(
            "^-----BEGIN CERTIFICATE-----(\r\n|\r|\n)([\\s\\S]*)(\r\n|\r|\n)-----END CERTIFICATE-----(\r\n|\r|\n)$");

        private static readonly Dictionary<string, byte[]> s_noFiles = new();

        private static OnboardingOutput Build(IReadOnlyList<OnboardingDevice> devices, OnboardingOptions options, IDictionary<string, byte[]>? files = null, string name = "onboard.csv") =>
            OnboardingWriter.Build(name, devices, options, n => files is not null && files.TryGetValue(n, out byte[]? b) ? b : null);

        private static OnboardingDevice Tv2Device(string? id = null) =>
            new OnboardingDevice { DeviceUuid = s_tv2Uuid, Imei = "352656109480783", CertificatePem = Vectors.Tv2ClientCertificate, DeviceId = id };

        private static Dictionary<string, byte[]> AsFiles(OnboardingOutput output) =>
            output.Files.ToDictionary(f => f.Name, f => f.GetContent());

        // ---- nRF Cloud CSV ---------------------------------------------------------------------

        [Fact]
        public void NrfCloud_csv_is_byte_for_byte_what_python_csv_writes_for_the_utils()
        {
            var devices = new[]
            {
                Tv2Device(),
                new OnboardingDevice
                {
                    DeviceId = "acme-352656109480783", CertificatePem = Vectors.Tv2ClientCertificate.Replace("\n", "\r\n"),
                    SubType = "gateway,v2", Tags = { "line-a", "batch:7" }, FirmwareTypes = new[] { "app", "MODEM", "BOOT" },
                },
            };
            OnboardingOutput output = Build(devices, new OnboardingOptions());

            OnboardingFile file = Assert.Single(output.Files);
            Assert.Equal("onboard.csv", file.Name);
            Assert.Equal(File.ReadAllBytes(TestFiles.Fixture("onboard-tv2.csv")), file.GetContent());
            Assert.Equal(2, file.Rows);
            Assert.Contains(output.Warnings, w => w.Contains("acme-352656109480783 (CN '50363154-3932-4834-802b-0908718314dc')"));
        }

        [Fact]
        public void NrfCloud_csv_reads_back_as_five_columns_with_a_strict_reader()
        {
            var devices = new[] { Tv2Device(), Tv2Device("second") };
            devices[1].Tags.Add("t1");
            devices[1].Tags.Add("t.2@x");
            string text = Build(devices, new OnboardingOptions()).Files[0].Text;

            Assert.DoesNotContain("\r", text);
            List<string[]> records = Rfc4180.Read(text);
            Assert.Equal(2, records.Count);
            Assert.All(records, r => Assert.Equal(5, r.Length));
            Assert.Equal(new[] { "50363154-3932-4834-802b-0908718314dc", string.Empty, string.Empty, "APP|MODEM" }, records[0].Take(4));
            Assert.Equal("t1|t.2@x", records[1][2]);
            foreach (string[] r in records)
            {
                Assert.Matches(s_certificatePattern, r[4]);
                Assert.EndsWith("-----END CERTIFICATE-----\n", r[4]);
                Assert.False(r[4].EndsWith("\n\n", StringComparison.Ordinal));
                Assert.Equal(CertificateInfo.FromPem(Vectors.Tv2ClientCertificate).Sha256Fingerprint, CertificateInfo.FromPem(r[4]).Sha256Fingerprint);
                Assert.All(r[4].Split('\n').Where(l => !l.StartsWith("-----") && l.Length > 0), l => Assert.True(l.Length <= 64));
            }

            // A well-known second rule set: VB's TextFieldParser.
            using var parser = new TextFieldParser(new StringReader(text)) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
            parser.SetDelimiters(",");
            string[] first = parser.ReadFields()!;
            Assert.Equal(5, first.Length);
            Assert.Equal(Vectors.Tv2ClientCertificate.TrimEnd('\n'), first[4].TrimEnd('\n'));
        }

        [Fact]
        public void NrfCloud_rows_split_at_1000_into_predictably_named_files()
        {
            var devices = Enumerable.Range(0, 2345).Select(i => Tv2Device("dev-" + i.ToString("D5"))).ToList();
            OnboardingOutput output = Build(devices, new OnboardingOptions());

            Assert.Equal(new[] { "onboard.csv", "onboard-2.csv", "onboard-3.csv" }, output.Files.Select(f => f.Name));
            Assert.Equal(new[] { 1000, 1000, 345 }, output.Files.Select(f => f.Rows));
            Assert.Equal(new[] { 1000, 1000, 345 }, output.Files.Select(f => Rfc4180.Read(f.Text).Count));
            Assert.Equal("dev-00999", Rfc4180.Read(output.Files[0].Text)[999][0]);
            Assert.Equal("dev-01000", Rfc4180.Read(output.Files[1].Text)[0][0]);
            Assert.Equal("onboard-3.csv", output.Rows[2344].FileName);
            Assert.Contains(output.Warnings, w => w.Contains("split into 3 files"));
            Assert.Equal(Path.Combine("out", "batch-2.csv"), OnboardingWriter.PartFileName(Path.Combine("out", "batch.csv"), 2));
        }

        [Fact]
        public void Appending_fills_the_last_file_to_1000_and_keeps_existing_bytes()
        {
            var first = Build(Enumerable.Range(0, 999).Select(i => Tv2Device("old-" + i)).ToList(), new OnboardingOptions());
            Dictionary<string, byte[]> files = AsFiles(first);
            byte[] before = files["onboard.csv"];

            OnboardingOutput output = Build(new[] { Tv2Device("new-a"), Tv2Device("new-b"), Tv2Device("new-c") }, new OnboardingOptions { Append = true }, files);

            Assert.Equal(new[] { 1000, 2 }, output.Files.Select(f => f.Rows));
            Assert.True(output.Files.All(f => f.Changed));
            Assert.Equal(before, output.Files[0].GetContent().Take(before.Length));
            Assert.Equal("new-a", Rfc4180.Read(output.Files[0].Text)[999][0]);
            Assert.Equal(new[] { "new-b", "new-c" }, Rfc4180.Read(output.Files[1].Text).Select(r => r[0]));

            // Appending more leaves the full first file untouched.
            OnboardingOutput again = Build(new[] { Tv2Device("new-d") }, new OnboardingOptions { Append = true }, AsFiles(output));
            Assert.False(again.Files[0].Changed);
            Assert.True(again.Files[1].Changed);
        }

        [Fact]
        public void Existing_file_needs_append_or_overwrite()
        {
            Dictionary<string, byte[]> files = AsFiles(Build(new[] { Tv2Device() }, new OnboardingOptions()));
            ModemException ex = Assert.Throws<ModemException>(() => Build(new[] { Tv2Device("x") }, new OnboardingOptions(), files));
            Assert.Equal(ErrorIds.OnboardingFileExists, ex.ErrorId);
            Assert.Contains("-Append", ex.Remedy);

            OnboardingOutput output = Build(new[] { Tv2Device("x") }, new OnboardingOptions { Overwrite = true }, files);
            Assert.Equal("x", Rfc4180.Read(Assert.Single(output.Files).Text).Single()[0]);
            Assert.True(output.Files[0].Existed);
            Assert.Equal(ErrorIds.OnboardingOptionsInvalid, Assert.Throws<ModemException>(() => Build(new[] { Tv2Device() }, new OnboardingOptions { Append = true, Overwrite = true }, files)).ErrorId);
        }

        [Fact]
        public void Overwrite_with_fewer_rows_lists_the_stale_part_files()
        {
            Dictionary<string, byte[]> files = AsFiles(Build(Enumerable.Range(0, 1500).Select(i => Tv2Device("d" + i)).ToList(), new OnboardingOptions()));
            OnboardingOutput output = Build(new[] { Tv2Device() }, new OnboardingOptions { Overwrite = true }, files);
            Assert.Single(output.Files);
            Assert.Equal(new[] { "onboard-2.csv" }, output.StaleFiles);
        }

        [Fact]
        public void Duplicates_are_refused_unless_replace_which_moves_the_row_to_the_end()
        {
            Dictionary<string, byte[]> files = AsFiles(Build(new[] { Tv2Device("a"), Tv2Device("b"), Tv2Device("c") }, new OnboardingOptions()));

            ModemException ex = Assert.Throws<ModemException>(() => Build(new[] { Tv2Device("B") }, new OnboardingOptions { Append = true }, files));
            Assert.Equal(ErrorIds.OnboardingDuplicateDevice, ex.ErrorId);
            Assert.Contains("-Replace", ex.Remedy);

            var replacement = Tv2Device("b");
            replacement.Tags.Add("v2");
            OnboardingOutput output = Build(new[] { replacement }, new OnboardingOptions { Append = true, Replace = true }, files);
            List<string[]> rows = Rfc4180.Read(output.Files[0].Text);
            Assert.Equal(new[] { "a", "c", "b" }, rows.Select(r => r[0]));
            Assert.Equal("v2", rows[2][2]);
            Assert.True(Assert.Single(output.Rows).Replaced);

            ModemException twice = Assert.Throws<ModemException>(() => Build(new[] { Tv2Device("z"), Tv2Device("Z") }, new OnboardingOptions()));
            Assert.Equal(ErrorIds.OnboardingDuplicateDevice, twice.ErrorId);
        }

        [Fact]
        public void Appending_to_a_foreign_file_is_refused()
        {
            var files = new Dictionary<string, byte[]> { ["onboard.csv"] = Encoding.ASCII.GetBytes("device_id,imei,fw\nabc,1,2\n") };
            ModemException ex = Assert.Throws<ModemException>(() => Build(new[] { Tv2Device() }, new OnboardingOptions { Append = true }, files));
            Assert.Equal(ErrorIds.OnboardingFileInvalid, ex.ErrorId);
            Assert.Contains("3 fields instead of 5", ex.Message);

            files["onboard.csv"] = Encoding.ASCII.GetBytes("a,,,APP,\"-----BEGIN CERTIFICATE-----\n");
            Assert.Contains("never closed", Assert.Throws<ModemException>(() => Build(new[] { Tv2Device() }, new OnboardingOptions { Append = true }, files)).Message);
        }

        [Fact]
        public void Existing_crlf_rows_and_blank_lines_are_normalised_with_a_warning()
        {
            string lf = Build(new[] { Tv2Device("a") }, new OnboardingOptions()).Files[0].Text;
            string crlfEnd = lf.Substring(0, lf.Length - 1) + "\r\n\n";
            var files = new Dictionary<string, byte[]> { ["onboard.csv"] = Encoding.ASCII.GetBytes(crlfEnd) };
            OnboardingOutput output = Build(new[] { Tv2Device("b") }, new OnboardingOptions { Append = true }, files);
            Assert.Equal(lf + Build(new[] { Tv2Device("b") }, new OnboardingOptions()).Files[0].Text, output.Files[0].Text);
            Assert.Contains(output.Warnings, w => w.Contains("blank lines"));
            Assert.Contains(output.Warnings, w => w.Contains("CR LF"));
        }

        // ---- device IDs ------------------------------------------------------------------------

        [Fact]
        public void Uuid_scheme_is_the_default_and_gives_the_lowercase_uuid()
        {
            OnboardingOutput output = Build(new[] { Tv2Device() }, new OnboardingOptions());
            Assert.Equal("50363154-3932-4834-802b-0908718314dc", output.Rows[0].DeviceId);
            Assert.Empty(output.Warnings);
        }

        [Fact]
        public void Imei_scheme_defaults_to_the_reserved_nrf_prefix_and_warns_for_custom_hardware()
        {
            OnboardingOutput output = Build(new[] { Tv2Device() }, new OnboardingOptions { IdScheme = DeviceIdScheme.Imei });
            Assert.Equal("nrf-352656109480783", output.Rows[0].DeviceId);
            Assert.Contains(output.Warnings, w => w.Contains("'nrf-'") && w.Contains("reserves") && w.Contains("CONFIG_NRF_CLOUD_CLIENT_ID_PREFIX"));

            OnboardingOutput nordic = Build(new[] { Tv2Device() }, new OnboardingOptions { IdScheme = DeviceIdScheme.Imei, NordicHardware = true });
            Assert.DoesNotContain(nordic.Warnings, w => w.Contains("reserves"));

            OnboardingOutput acme = Build(new[] { Tv2Device() }, new OnboardingOptions { IdScheme = DeviceIdScheme.Imei, IdPrefix = "acme-" });
            Assert.Equal("acme-352656109480783", acme.Rows[0].DeviceId);
            Assert.DoesNotContain(acme.Warnings, w => w.Contains("reserves"));

            OnboardingOutput explicitNrf = Build(new[] { Tv2Device("NRF-352656109480783") }, new OnboardingOptions());
            Assert.Contains(explicitNrf.Warnings, w => w.Contains("reserves"));
        }

        [Fact]
        public void Uuid_scheme_with_a_prefix_warns_that_firmware_uses_the_bare_uuid()
        {
            OnboardingOutput output = Build(new[] { Tv2Device() }, new OnboardingOptions { IdPrefix = "x-" });
            Assert.Equal("x-50363154-3932-4834-802b-0908718314dc", output.Rows[0].DeviceId);
            Assert.Contains(output.Warnings, w => w.Contains("bare UUID"));
        }

        [Theory]
        [InlineData("Uuid", null, null, "no device UUID")]
        [InlineData("Imei", "35265610948078", null, "not 15 digits")]
        [InlineData("Imei", null, null, "no IMEI")]
        [InlineData("Uuid", null, "bad id!", "not 1-128 letters")]
        public void Missing_or_invalid_ids_are_errors(string scheme, string? imei, string? explicitId, string expected)
        {
            var device = new OnboardingDevice { Imei = imei, DeviceId = explicitId, CertificatePem = Vectors.Tv2ClientCertificate, Source = "COM7" };
            ModemException ex = Assert.Throws<ModemException>(() => Build(new[] { device }, new OnboardingOptions { IdScheme = Enum.Parse<DeviceIdScheme>(scheme) }));
            Assert.Equal(ErrorIds.OnboardingDeviceInvalid, ex.ErrorId);
            Assert.Contains(expected, ex.Message);
            Assert.Contains("device 1 (COM7)", ex.Message);
        }

        [Fact]
        public void Invalid_prefix_and_long_ids()
        {
            Assert.Equal(ErrorIds.OnboardingOptionsInvalid, Assert.Throws<ModemException>(() => Build(new[] { Tv2Device() }, new OnboardingOptions { IdScheme = DeviceIdScheme.Imei, IdPrefix = "a b" })).ErrorId);
            OnboardingOutput output = Build(new[] { Tv2Device(new string('a', 70)) }, new OnboardingOptions());
            Assert.Contains(output.Warnings, w => w.Contains("longer than the 64 characters"));
            Assert.Throws<ModemException>(() => Build(new[] { Tv2Device(new string('a', 129)) }, new OnboardingOptions()));
        }

        [Fact]
        public void Uuid_comes_from_the_attestation_token_when_not_given()
        {
            var device = new OnboardingDevice { AttestationToken = Vectors.Tv6AttestationToken, CertificatePem = Vectors.Tv2ClientCertificate };
            Assert.Equal("50363154-3931-44f0-8022-121b6401627d", Build(new[] { device }, new OnboardingOptions()).Rows[0].DeviceId);
        }

        [Fact]
        public void NrfCloud_needs_an_es256_device_certificate()
        {
            string rsa = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, TestPki.Rsa.Public, "CN=rsa-device"));
            ModemException ex = Assert.Throws<ModemException>(() => Build(new[] { new OnboardingDevice { DeviceId = "rsa-device", CertificatePem = rsa } }, new OnboardingOptions()));
            Assert.Contains("ES256", ex.Message);
            Assert.Contains("no device certificate", Assert.Throws<ModemException>(() => Build(new[] { new OnboardingDevice { DeviceId = "x" } }, new OnboardingOptions())).Message);
            Assert.Contains("CA certificate", Assert.Throws<ModemException>(() => Build(new[] { new OnboardingDevice { DeviceId = "x", CertificatePem = TestPki.EcCa.CertificatePem } }, new OnboardingOptions())).Message);
        }

        [Theory]
        [InlineData("tag|pipe")]
        [InlineData("")]
        [InlineData("sp ace")]
        public void Bad_tags_are_refused(string tag)
        {
            var device = Tv2Device();
            device.Tags.Add(tag);
            Assert.Equal(ErrorIds.OnboardingDeviceInvalid, Assert.Throws<ModemException>(() => Build(new[] { device }, new OnboardingOptions())).ErrorId);
        }

        [Fact]
        public void Bad_firmware_type_is_refused()
        {
            Assert.Equal(ErrorIds.OnboardingOptionsInvalid, Assert.Throws<ModemException>(() => Build(new[] { Tv2Device() }, new OnboardingOptions { FirmwareTypes = new[] { "APP", "RADIO" } })).ErrorId);
        }

        // ---- claim CSV ---------------------------------------------------------------------------

        [Fact]
        public void Claim_csv_is_the_gather_attestation_tokens_row()
        {
            var device = new OnboardingDevice { Imei = "352656109480783", AttestationToken = Vectors.Tv6AttestationToken };
            var options = new OnboardingOptions { Format = OnboardingFormat.NrfCloudClaim, Timestamp = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(1234560) };
            OnboardingOutput output = Build(new[] { device }, options, null, "attestation_tokens.csv");
            Assert.Equal(File.ReadAllBytes(TestFiles.Fixture("attestation-tv6.csv")), output.Files[0].GetContent());
            Assert.Equal("50363154-3931-44f0-8022-121b6401627d", output.Rows[0].DeviceId);
            Assert.Contains(output.Warnings, w => w.Contains("nRF9160"));
            Assert.Equal(4, Rfc4180.Read(output.Files[0].Text)[0].Length);

            Assert.Equal("2026-03-01T12:00:00+00:00", OnboardingWriter.PythonIsoFormat(new DateTimeOffset(2026, 3, 1, 13, 0, 0, TimeSpan.FromHours(1))));
        }

        [Fact]
        public void Claim_rows_are_keyed_by_uuid_and_a_9151_token_has_no_warning()
        {
            var key = TestPki.NewEcKey();
            string token = CoseTestBuilder.Attestation(CoseTestBuilder.AttestationBody("50363154-3931-44f0-8022-121b64016200", 6, "1aff3acb-f1a6-4764-a263-4c2646c1c654"), key.Private);
            var options = new OnboardingOptions { Format = OnboardingFormat.NrfCloudClaim, Timestamp = DateTimeOffset.UnixEpoch };
            Dictionary<string, byte[]> files = AsFiles(Build(new[] { new OnboardingDevice { AttestationToken = token } }, options));
            Assert.Empty(Build(new[] { new OnboardingDevice { AttestationToken = token } }, options).Warnings);
            Assert.StartsWith(",50363154-3931-44f0-8022-121b64016200," + token + ",1970-01-01T00:00:00+00:00\n", Encoding.ASCII.GetString(files["onboard.csv"]));

            options.Append = true;
            Assert.Equal(ErrorIds.OnboardingDuplicateDevice, Assert.Throws<ModemException>(() => Build(new[] { new OnboardingDevice { AttestationToken = token, Imei = "352656109480783" } }, options, files)).ErrorId);
            options.Replace = true;
            OnboardingOutput replaced = Build(new[] { new OnboardingDevice { AttestationToken = token, Imei = "352656109480783" } }, options, files);
            Assert.StartsWith("352656109480783,", replaced.Files[0].Text);
            Assert.Single(Rfc4180.Read(replaced.Files[0].Text));

            var mismatch = new OnboardingDevice { AttestationToken = token, DeviceUuid = Guid.NewGuid() };
            Assert.Contains("attestation token is of device", Assert.Throws<ModemException>(() => Build(new[] { mismatch }, new OnboardingOptions { Format = OnboardingFormat.NrfCloudClaim })).Message);
            Assert.Contains("no attestation token", Assert.Throws<ModemException>(() => Build(new[] { Tv2Device() }, new OnboardingOptions { Format = OnboardingFormat.NrfCloudClaim })).Message);
        }

        // ---- AWS IoT and Azure DPS ---------------------------------------------------------------

        [Fact]
        public void Aws_bulk_registration_is_one_json_object_per_line()
        {
            var devices = new[] { Tv2Device(), new OnboardingDevice { DeviceId = "thing-2", CertificatePem = Vectors.Tv2ClientCertificate } };
            OnboardingOutput output = Build(devices, new OnboardingOptions { Format = OnboardingFormat.AwsIot }, null, "things.jsonl");
            string text = output.Files[0].Text;
            string[] lines = text.Split('\n');
            Assert.Equal(3, lines.Length);
            Assert.Equal(string.Empty, lines[2]);
            using JsonDocument first = JsonDocument.Parse(lines[0]);
            Assert.Equal("50363154-3932-4834-802b-0908718314dc", first.RootElement.GetProperty("ThingName").GetString());
            Assert.Equal("352656109480783", first.RootElement.GetProperty("SerialNumber").GetString());
            Assert.Equal(Vectors.Tv2ClientCertificate, first.RootElement.GetProperty("CertificatePem").GetString());
            using JsonDocument second = JsonDocument.Parse(lines[1]);
            Assert.False(second.RootElement.TryGetProperty("SerialNumber", out _));

            OnboardingOutput appended = Build(new[] { Tv2Device("thing-3") }, new OnboardingOptions { Format = OnboardingFormat.AwsIot, Append = true }, AsFiles(output), "things.jsonl");
            Assert.StartsWith(text, appended.Files[0].Text);
            Assert.Equal(ErrorIds.OnboardingDuplicateDevice, Assert.Throws<ModemException>(() => Build(new[] { Tv2Device("thing-2") }, new OnboardingOptions { Format = OnboardingFormat.AwsIot, Append = true }, AsFiles(output), "things.jsonl")).ErrorId);
        }

        [Fact]
        public void Azure_dps_enrollments_are_bulk_operations_of_at_most_10()
        {
            var devices = Enumerable.Range(0, 23).Select(i => Tv2Device("dev-" + i)).ToList();
            OnboardingOutput output = Build(devices, new OnboardingOptions { Format = OnboardingFormat.AzureDps }, null, "enroll.json");
            Assert.Equal(new[] { "enroll.json", "enroll-2.json", "enroll-3.json" }, output.Files.Select(f => f.Name));
            Assert.Equal(new[] { 10, 10, 3 }, output.Files.Select(f => f.Rows));

            using JsonDocument doc = JsonDocument.Parse(output.Files[2].Text);
            Assert.Equal("create", doc.RootElement.GetProperty("mode").GetString());
            JsonElement e = doc.RootElement.GetProperty("enrollments")[0];
            Assert.Equal("dev-20", e.GetProperty("registrationId").GetString());
            Assert.Equal("dev-20", e.GetProperty("deviceId").GetString());
            JsonElement attestation = e.GetProperty("attestation");
            Assert.Equal("x509", attestation.GetProperty("type").GetString());
            Assert.Equal(Vectors.Tv2ClientCertificate, attestation.GetProperty("x509").GetProperty("clientCertificates").GetProperty("primary").GetProperty("certificate").GetString());
            Assert.Contains(output.Warnings, w => w.Contains("Azure DPS takes the registration ID from the leaf certificate CN"));

            OnboardingOutput appended = Build(new[] { Tv2Device("dev-23") }, new OnboardingOptions { Format = OnboardingFormat.AzureDps, Append = true }, AsFiles(output), "enroll.json");
            Assert.Equal(new[] { false, false, true }, appended.Files.Select(f => f.Changed));
            Assert.Equal(4, appended.Files[2].Rows);
            Assert.Equal(ErrorIds.OnboardingDeviceInvalid, Assert.Throws<ModemException>(() => Build(new[] { Tv2Device("ends-with_") }, new OnboardingOptions { Format = OnboardingFormat.AzureDps })).ErrorId);
        }

        [Fact]
        public void Tags_for_other_clouds_are_dropped_with_a_warning()
        {
            var device = Tv2Device();
            device.Tags.Add("x");
            Assert.Contains(Build(new[] { device }, new OnboardingOptions { Format = OnboardingFormat.AwsIot }).Warnings, w => w.Contains("Tags"));
        }

        [Fact]
        public void Write_puts_the_files_on_disk_and_removes_stale_parts()
        {
            string dir = TestFiles.NewTempDirectory();
            try
            {
                string path = Path.Combine(dir, "sub", "onboard.csv");
                OnboardingWriter.Write(path, Enumerable.Range(0, 1001).Select(i => Tv2Device("d" + i)).ToList(), new OnboardingOptions());
                Assert.True(File.Exists(Path.Combine(dir, "sub", "onboard-2.csv")));
                OnboardingWriter.Write(path, new[] { Tv2Device() }, new OnboardingOptions { Overwrite = true });
                Assert.False(File.Exists(Path.Combine(dir, "sub", "onboard-2.csv")));
                Assert.Single(Rfc4180.Read(File.ReadAllText(path)));
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void No_devices_is_an_error()
        {
            Assert.Equal(ErrorIds.OnboardingDeviceInvalid, Assert.Throws<ModemException>(() => Build(Array.Empty<OnboardingDevice>(), new OnboardingOptions())).ErrorId);
        }
    }
}

namespace Nrf91Cmng.Core.Tests.Onboarding
{
    using Nrf91Cmng.Core.Credentials;
    using Nrf91Cmng.Core.Fleet;

    public class OnboardingFromRecordsTests
    {
        [Fact]
        public void Records_folder_becomes_an_onboarding_file()
        {
            string dir = TestFiles.NewTempDirectory();
            try
            {
                var uuid = Guid.Parse("50363154-3932-4834-802b-0908718314dc");
                var listed = new[] { new CredentialEntry(42, (CredentialType)1, Vectors.Tv2ClientCertificateSha256, false, null), new CredentialEntry(42, (CredentialType)2, Vectors.AmazonRootCa1Sha256, false, null) };
                ProvisioningRecordFile.Save(dir, ProvisioningRecord.Create("352656109480783", uuid, "mfw_nrf91x1_2.0.2", null, DateTimeOffset.UnixEpoch, listed, new[] { new GeneratedKeyRecord(42, Vectors.Tv2ClientCertificate) }));
                File.WriteAllText(Path.Combine(dir, "notes.json"), "{}");

                IReadOnlyList<ProvisioningRecord> records = ProvisioningRecordFile.LoadAll(dir);
                OnboardingDevice device = OnboardingDevice.FromRecord(Assert.Single(records));
                Assert.Equal(uuid, device.DeviceUuid);
                Assert.Equal(CertificateInfo.FromPem(Vectors.Tv2ClientCertificate).Pem, device.CertificatePem);
                Assert.Null(OnboardingDevice.FromRecord(records[0], 7).CertificatePem);

                OnboardingOutput output = OnboardingWriter.Build("onboard.csv", new[] { device }, new OnboardingOptions(), _ => null);
                Assert.Equal("50363154-3932-4834-802b-0908718314dc,,,APP|MODEM,\"" + Vectors.Tv2ClientCertificate + "\"\n", output.Files[0].Text);

                File.WriteAllText(Path.Combine(dir, "imei-1.json"), "[]");
                ModemException ex = Assert.Throws<ModemException>(() => ProvisioningRecordFile.LoadAll(dir));
                Assert.Equal(ErrorIds.ProvisioningRecordInvalid, ex.ErrorId);
                Assert.Contains("imei-1.json", ex.Message);
                Assert.Equal(ModemErrorCategory.ObjectNotFound, Assert.Throws<ModemException>(() => ProvisioningRecordFile.LoadAll(Path.Combine(dir, "missing"))).Category);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }
    }
}
