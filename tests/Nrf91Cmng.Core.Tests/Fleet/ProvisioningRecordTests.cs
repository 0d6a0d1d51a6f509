using Nrf91Cmng.Core.Fleet;
using Nrf91Cmng.Core.Tests.Crypto;

namespace Nrf91Cmng.Core.Tests.Fleet
{
    public class ProvisioningRecordTests
    {
        private const string KeyDigest = "66E7C82B49BB291DD09C8E020448311C4A7BB96AEB5C5DB769F66812B13A50B5";
        private const string OtherKeyDigest = "FCA046CA96FABDC57856C287F889F3A2A20DC3192ABEFA0443AE0E6505595FDF";
        private static readonly Guid s_uuid = Guid.Parse("50363154-3932-4834-802b-0908718314dc");
        private static readonly DateTimeOffset s_time = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        private static CredentialEntry Listed(uint tag, int type, string? sha) =>
            new CredentialEntry(tag, (CredentialType)type, sha, false, null);

        private static (string Pem, string Sha) IssuedCertificate(string cn = "CN=50363154-3932-4834-802b-0908718314dc")
        {
            string pem = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, TestPki.NewEcKey().Public, cn));
            return (pem, CredentialContent.ComputeDigest(pem, CredentialType.ClientCertificate));
        }

        private static ProvisioningRecord RecordWithGeneratedKey(string certPem, string certSha) =>
            ProvisioningRecord.Create("352656109480783", s_uuid, "mfw_nrf91x1_2.0.2", "nRF9151-LACA", s_time,
                new[] { Listed(42, 0, Vectors.AmazonRootCa1Sha256), Listed(42, 1, certSha), Listed(42, 2, KeyDigest) },
                new[] { new GeneratedKeyRecord(42, certPem) });

        [Fact]
        public void Create_records_listed_digests_and_the_generated_pair()
        {
            (string pem, string sha) = IssuedCertificate();
            ProvisioningRecord record = RecordWithGeneratedKey(pem, sha);

            Assert.Equal(3, record.Credentials.Count);
            Assert.Equal(Vectors.AmazonRootCa1Sha256, record.Find(42, CredentialType.RootCA)!.Sha256);
            RecordedCredential key = record.FindGenerated(42)!;
            Assert.True(key.Generated);
            Assert.Equal(KeyDigest, key.Sha256);
            Assert.Equal(sha, key.CertificateSha256);
            Assert.Equal(CertificateInfo.FromPem(pem).PublicKey.Fingerprint, key.GetPublicKey()!.Fingerprint);
            Assert.Equal("50363154-3932-4834-802b-0908718314dc", record.DeviceUuid);
        }

        [Fact]
        public void Create_skips_modem_owned_tags_placeholders_and_other_tags()
        {
            var listed = new[]
            {
                Listed(42, 0, Vectors.AmazonRootCa1Sha256),
                Listed(7, 0, Vectors.AmazonRootCa1Sha256),
                Listed(4294967292, 11, KeyDigest),
                new CredentialEntry(42, (CredentialType)4, "0404040404040404040404040404040404040404040404040404040404040404", true, null),
            };
            ProvisioningRecord record = ProvisioningRecord.Create(null, null, null, null, s_time, listed, null, new uint[] { 42 });
            Assert.Equal(2, record.Credentials.Count);
            Assert.Null(record.Find(42, CredentialType.PskIdentity)!.Sha256);
            Assert.Null(record.Find(7, CredentialType.RootCA));
        }

        [Fact]
        public void Json_round_trip_keeps_every_field()
        {
            (string pem, string sha) = IssuedCertificate();
            ProvisioningRecord record = RecordWithGeneratedKey(pem, sha);
            string json = record.ToJson();

            Assert.StartsWith("{\n  \"schema\": \"nrf91cmng-provisioning-record\",\n  \"schemaVersion\": 1,\n", json);
            Assert.EndsWith("}\n", json);
            Assert.DoesNotContain("\r", json);
            Assert.All(json, c => Assert.True(c < 0x7F));

            ProvisioningRecord back = ProvisioningRecord.Parse(json, "test");
            Assert.Equal(record.ToJson(), back.ToJson());
            Assert.Equal(s_time, back.ProvisionedAt);
            Assert.Equal(record.FindGenerated(42)!.Certificate, back.FindGenerated(42)!.Certificate);
        }

        [Fact]
        public void Committed_v1_record_reads()
        {
            ProvisioningRecord record = ProvisioningRecord.Load(TestFiles.Fixture("record-v1.json"));
            Assert.Equal(1, record.SchemaVersion);
            Assert.Equal("352656109480783", record.Imei);
            Assert.Equal("mfw_nrf9160_1.3.5", record.Firmware);
            Assert.Equal(4, record.Credentials.Count);
            Assert.Null(record.Find(16842753, CredentialType.RootCA)!.Sha256);
            RecordedCredential key = record.FindGenerated(42)!;
            Assert.Equal(Vectors.Tv2ClientCertificateSha256, key.CertificateSha256);
            Assert.Equal(CertificateInfo.FromPem(Vectors.Tv2ClientCertificate).PublicKey.Fingerprint, key.GetPublicKey()!.Fingerprint);
        }

        [Theory]
        [InlineData("record-truncated.json", "not valid JSON")]
        [InlineData("record-future.json", "schema version 7, newer than the 1")]
        [InlineData("record-bad-digest.json", "credentials[1] is not valid")]
        [InlineData("plan.json", "provisioning plan")]
        [InlineData("package.json", "no \"schema\": \"nrf91cmng-provisioning-record\" member")]
        public void Corrupt_or_foreign_files_give_a_clear_error(string fixture, string expected)
        {
            string path = TestFiles.Fixture(fixture);
            ModemException ex = Assert.Throws<ModemException>(() => ProvisioningRecord.Load(path));
            Assert.Equal(ErrorIds.ProvisioningRecordInvalid, ex.ErrorId);
            Assert.Contains(expected, ex.Message);
            Assert.Contains(path, ex.Message);
            Assert.False(string.IsNullOrEmpty(ex.Remedy));
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("null")]
        [InlineData("\"text\"")]
        [InlineData("{\"schema\":\"nrf91cmng-provisioning-record\",\"schemaVersion\":\"1\"}")]
        [InlineData("{\"schema\":\"nrf91cmng-provisioning-record\",\"schemaVersion\":1,\"provisionedAt\":\"2026-03-01T12:00:00Z\"}")]
        [InlineData("{\"schema\":\"nrf91cmng-provisioning-record\",\"schemaVersion\":1,\"provisionedAt\":\"yesterday\",\"credentials\":[]}")]
        [InlineData("{\"schema\":\"nrf91cmng-provisioning-record\",\"schemaVersion\":1,\"provisionedAt\":\"2026-03-01T12:00:00Z\",\"credentials\":[{\"secTag\":-1,\"type\":0}]}")]
        [InlineData("{\"schema\":\"nrf91cmng-provisioning-record\",\"schemaVersion\":1,\"provisionedAt\":\"2026-03-01T12:00:00Z\",\"credentials\":[{\"secTag\":1,\"type\":0},{\"secTag\":1,\"type\":0}]}")]
        [InlineData("{\"schema\":\"nrf91cmng-provisioning-record\",\"schemaVersion\":1,\"deviceUuid\":\"nope\",\"provisionedAt\":\"2026-03-01T12:00:00Z\",\"credentials\":[]}")]
        [InlineData("{\"schema\":\"nrf91cmng-provisioning-record\",\"schemaVersion\":1,\"provisionedAt\":\"2026-03-01T12:00:00Z\",\"credentials\":[{\"secTag\":1,\"type\":2,\"generated\":true,\"publicKey\":\"bm90IGEga2V5\"}]}")]
        public void Malformed_records_are_refused(string json)
        {
            ModemException ex = Assert.Throws<ModemException>(() => ProvisioningRecord.Parse(json, "r.json"));
            Assert.Equal(ErrorIds.ProvisioningRecordInvalid, ex.ErrorId);
        }

        [Fact]
        public void Unknown_members_are_ignored()
        {
            string json = "{\"schema\":\"nrf91cmng-provisioning-record\",\"schemaVersion\":1,\"provisionedAt\":\"2026-03-01T12:00:00Z\",\"future\":{\"x\":[1]},\"credentials\":[{\"secTag\":1,\"type\":0,\"sha256\":\"" + KeyDigest + "\",\"note\":\"x\"}]}";
            Assert.Equal(KeyDigest, ProvisioningRecord.Parse(json, "r").Find(1, 0)!.Sha256);
        }

        [Fact]
        public void File_names_use_the_uuid_then_the_imei_and_are_safe_everywhere()
        {
            Assert.Equal("uuid-50363154-3932-4834-802b-0908718314dc.json", ProvisioningRecordFile.GetFileName(s_uuid, "352656109480783"));
            Assert.Equal("uuid-50363154-3932-4834-802b-0908718314dc.json", ProvisioningRecordFile.GetFileName("{50363154-3932-4834-802B-0908718314DC}", null));
            Assert.Equal("imei-352656109480783.json", ProvisioningRecordFile.GetFileName((Guid?)null, " 352656109480783 "));
            Assert.Equal("imei-con-aux-1.json", ProvisioningRecordFile.GetFileName((Guid?)null, "CON:AUX\\1"));
            Assert.Equal("imei-352656109480783.json", ProvisioningRecordFile.GetFileName("not-a-uuid", "352656109480783"));
            char[] invalid = { '<', '>', ':', '"', '/', '\\', '|', '?', '*' };
            Assert.Equal(-1, ProvisioningRecordFile.GetFileName((Guid?)null, "a<b>c:d\"e/f\\g|h?i*j").IndexOfAny(invalid, 0, 20));

            ModemException ex = Assert.Throws<ModemException>(() => ProvisioningRecordFile.GetFileName((Guid?)null, " -/- "));
            Assert.Equal(ErrorIds.ProvisioningRecordNoIdentity, ex.ErrorId);
            Assert.Throws<ModemException>(() => ProvisioningRecordFile.GetFileName(Guid.Empty, null));
        }

        [Fact]
        public void Save_find_and_load_in_a_folder()
        {
            string dir = TestFiles.NewTempDirectory();
            try
            {
                (string pem, string sha) = IssuedCertificate();
                ProvisioningRecord record = RecordWithGeneratedKey(pem, sha);
                string path = ProvisioningRecordFile.Save(dir, record);
                Assert.EndsWith("uuid-50363154-3932-4834-802b-0908718314dc.json", path);
                Assert.False(File.Exists(path + ".tmp"));

                ProvisioningRecordFile.Save(dir, record);
                Assert.Equal(record.ToJson(), ProvisioningRecordFile.Load(dir, s_uuid, "352656109480783")!.ToJson());
                Assert.Null(ProvisioningRecordFile.Load(dir, Guid.NewGuid(), "111111111111111"));

                var imeiOnly = new ProvisioningRecord("352656109480783", null, null, null, s_time, Array.Empty<RecordedCredential>());
                string imeiPath = ProvisioningRecordFile.Save(dir, imeiOnly);
                Assert.EndsWith("imei-352656109480783.json", imeiPath);
                Assert.Equal(imeiPath, ProvisioningRecordFile.Find(dir, Guid.NewGuid(), "352656109480783"));

                Assert.NotNull(ProvisioningRecordFile.Load(dir, Guid.NewGuid(), "352656109480783"));
                ModemException ex = Assert.Throws<ModemException>(() => ProvisioningRecordFile.Load(dir, s_uuid, "111111111111111"));
                Assert.Equal(ErrorIds.ProvisioningRecordMismatch, ex.ErrorId);
            }
            finally
            {
                Directory.Delete(dir, true);
            }
        }

        [Fact]
        public void Missing_file_is_an_object_not_found_record_error()
        {
            ModemException ex = Assert.Throws<ModemException>(() => ProvisioningRecord.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".json")));
            Assert.Equal(ErrorIds.ProvisioningRecordInvalid, ex.ErrorId);
            Assert.Equal(ModemErrorCategory.ObjectNotFound, ex.Category);
        }

        [Fact]
        public void Record_of_another_modem_is_refused()
        {
            ProvisioningRecord record = ProvisioningRecord.Load(TestFiles.Fixture("record-v1.json"));
            record.EnsureBelongsTo("352656109480783", s_uuid, "r");
            record.EnsureBelongsTo(null, null, "r");
            Assert.Equal(ErrorIds.ProvisioningRecordMismatch, Assert.Throws<ModemException>(() => record.EnsureBelongsTo("352656109480784", null, "r")).ErrorId);
            Assert.Equal(ErrorIds.ProvisioningRecordMismatch, Assert.Throws<ModemException>(() => record.EnsureBelongsTo(null, Guid.NewGuid(), "r")).ErrorId);
        }

        [Fact]
        public void A_later_run_keeps_the_generated_entry_while_the_key_or_its_certificate_is_unchanged()
        {
            (string pem, string sha) = IssuedCertificate();
            ProvisioningRecord first = RecordWithGeneratedKey(pem, sha);
            var listed = new[] { Listed(42, 0, Vectors.AmazonRootCa1Sha256), Listed(42, 1, sha), Listed(42, 2, KeyDigest) };
            ProvisioningRecord second = ProvisioningRecord.Create("352656109480783", s_uuid, null, null, s_time.AddDays(1), listed, null, null, first);
            Assert.True(second.FindGenerated(42)!.Generated);
            Assert.Equal(sha, second.FindGenerated(42)!.CertificateSha256);

            // A %KEYGEN whose certificate was never written: the old certificate stays, so the old
            // pair stays recorded and the new key is a mismatch on every later run.
            var regenerated = new[] { Listed(42, 1, sha), Listed(42, 2, OtherKeyDigest) };
            ProvisioningRecord third = ProvisioningRecord.Create("352656109480783", s_uuid, null, null, s_time.AddDays(2), regenerated, null, null, first);
            Assert.Equal(KeyDigest, third.FindGenerated(42)!.Sha256);
            Assert.Equal(sha, third.FindGenerated(42)!.CertificateSha256);
            Assert.Equal(GeneratedKeyState.KeyCertificateMismatch, ProvisioningRecordDecisions.AssessGenerated(42, regenerated, third).State);

            // Key and certificate both replaced by another tool: the old pair says nothing any more.
            (string _, string otherSha) = IssuedCertificate();
            var replaced = new[] { Listed(42, 1, otherSha), Listed(42, 2, OtherKeyDigest) };
            ProvisioningRecord fourth = ProvisioningRecord.Create("352656109480783", s_uuid, null, null, s_time.AddDays(3), replaced, null, null, third);
            Assert.Null(fourth.FindGenerated(42));
            Assert.Equal(OtherKeyDigest, fourth.Find(42, CredentialType.ClientPrivateKey)!.Sha256);
        }

        // ---- decisions ----------------------------------------------------------------------

        [Fact]
        public void Generate_entry_without_key_or_certificate_is_absent()
        {
            GeneratedKeyAssessment a = ProvisioningRecordDecisions.AssessGenerated(42, new[] { Listed(42, 2, KeyDigest) }, null);
            Assert.Equal(GeneratedKeyState.Absent, a.State);
            Assert.True(a.NeedsGeneration);
            Assert.Contains("no client certificate", a.Reason);
            Assert.Equal(GeneratedKeyState.Absent, ProvisioningRecordDecisions.AssessGenerated(42, Array.Empty<CredentialEntry>(), null).State);
        }

        [Fact]
        public void Without_a_record_the_pair_is_unverified()
        {
            (string _, string sha) = IssuedCertificate();
            GeneratedKeyAssessment a = ProvisioningRecordDecisions.AssessGenerated(42, new[] { Listed(42, 1, sha), Listed(42, 2, KeyDigest) }, null);
            Assert.Equal(GeneratedKeyState.Unverified, a.State);
            Assert.False(a.NeedsGeneration);
            Assert.Contains("no provisioning record", a.Reason);

            var other = new ProvisioningRecord(null, null, null, null, s_time, new[] { new RecordedCredential(42, CredentialType.RootCA, Vectors.AmazonRootCa1Sha256) });
            Assert.Equal(GeneratedKeyState.Unverified, ProvisioningRecordDecisions.AssessGenerated(42, new[] { Listed(42, 1, sha), Listed(42, 2, KeyDigest) }, other).State);
        }

        [Fact]
        public void Recorded_pair_is_unchanged()
        {
            (string pem, string sha) = IssuedCertificate();
            ProvisioningRecord record = RecordWithGeneratedKey(pem, sha);
            GeneratedKeyAssessment a = ProvisioningRecordDecisions.AssessGenerated(42, new[] { Listed(42, 1, sha), Listed(42, 2, KeyDigest) }, record);
            Assert.Equal(GeneratedKeyState.Unchanged, a.State);
            Assert.Same(record.FindGenerated(42), a.Recorded);
        }

        [Fact]
        public void Key_regenerated_after_issue_is_a_mismatch()
        {
            (string pem, string sha) = IssuedCertificate();
            ProvisioningRecord record = RecordWithGeneratedKey(pem, sha);
            GeneratedKeyAssessment a = ProvisioningRecordDecisions.AssessGenerated(42, new[] { Listed(42, 1, sha), Listed(42, 2, OtherKeyDigest) }, record);
            Assert.Equal(GeneratedKeyState.KeyCertificateMismatch, a.State);
            Assert.True(a.NeedsGeneration);
            Assert.Contains(OtherKeyDigest, a.Reason);
            Assert.Contains("%KEYGEN", a.Reason);
        }

        [Fact]
        public void Replaced_certificate_is_judged_by_its_public_key_when_readable()
        {
            (string pem, string sha) = IssuedCertificate();
            ProvisioningRecord record = RecordWithGeneratedKey(pem, sha);
            (string otherPem, string otherSha) = IssuedCertificate();
            var listed = new[] { Listed(42, 1, otherSha), Listed(42, 2, KeyDigest) };

            Assert.Equal(GeneratedKeyState.Unverified, ProvisioningRecordDecisions.AssessGenerated(42, listed, record).State);
            Assert.Equal(GeneratedKeyState.KeyCertificateMismatch, ProvisioningRecordDecisions.AssessGenerated(42, listed, record, otherPem).State);

            // Re-issued for the same key: another certificate (new serial, dates), same public key.
            string reissued = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, CertificateInfo.FromPem(pem).PublicKey.Key, "CN=reissued"));
            var listedReissued = new[] { Listed(42, 1, CredentialContent.ComputeDigest(reissued, CredentialType.ClientCertificate)), Listed(42, 2, KeyDigest) };
            Assert.Equal(GeneratedKeyState.Unchanged, ProvisioningRecordDecisions.AssessGenerated(42, listedReissued, record, reissued).State);
        }

        [Fact]
        public void Both_changed_or_placeholder_digests_are_unverified()
        {
            (string pem, string sha) = IssuedCertificate();
            ProvisioningRecord record = RecordWithGeneratedKey(pem, sha);
            (string _, string otherSha) = IssuedCertificate();
            Assert.Equal(GeneratedKeyState.Unverified, ProvisioningRecordDecisions.AssessGenerated(42, new[] { Listed(42, 1, otherSha), Listed(42, 2, OtherKeyDigest) }, record).State);

            var placeholder = new[] { Listed(42, 1, sha), new CredentialEntry(42, (CredentialType)2, null, true, null) };
            Assert.Equal(GeneratedKeyState.Unverified, ProvisioningRecordDecisions.AssessGenerated(42, placeholder, record).State);
        }
    }
}
