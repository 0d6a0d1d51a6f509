using Nrf91Cmng.Core.Fleet;
using Nrf91Cmng.Core.Onboarding;
using Nrf91Cmng.Core.Readiness;
using Nrf91Cmng.Core.Tests.Crypto;
using Nrf91Cmng.Core.Tests.Fleet;

namespace Nrf91Cmng.Core.Tests.Readiness
{
    public class ReadinessEngineTests
    {
        private const uint Tag = ReadinessScenario.Tag;

        private static void AssertStatus(SecTagReadiness r, string id, ReadinessStatus status, string? reasonPart = null, bool remedy = false)
        {
            ReadinessCheck c = r[id];
            Assert.True(status == c.Status, id + " is " + c.Status + ", expected " + status + ": " + c.Reason);
            if (reasonPart is not null)
            {
                Assert.Contains(reasonPart, c.Reason);
            }

            if (remedy)
            {
                Assert.False(string.IsNullOrWhiteSpace(c.Remedy), id + " has no remedy");
            }
        }

        [Fact]
        public void Complete_valid_set_is_ready_with_every_check_passing()
        {
            var s = new ReadinessScenario();
            ReadinessReport report = ReadinessEngine.Evaluate(s.Input());
            SecTagReadiness r = Assert.Single(report.SecTags);

            Assert.True(r.Ready, string.Join("\n", r.Checks));
            Assert.True(report.Ready);
            Assert.Equal(Enumerable.Range(1, 17).Select(i => "R" + i), r.Checks.Select(c => c.Id));
            Assert.All(r.Checks, c => Assert.True(c.Status == ReadinessStatus.Pass, c.ToString()));
            Assert.All(r.Checks, c => Assert.Equal(ReadinessEngine.Titles[c.Id], c.Title));
            Assert.Contains("Amazon Root CA 1", r["R9"].Reason);
            Assert.Contains("[Amazon Root CA 1]", r["R7"].Evidence);
            Assert.Contains("recorded", r["R13"].Reason);
            Assert.Contains("matches", r["R5"].Reason);
        }

        [Fact]
        public void No_root_ca_fails_with_a_remedy()
        {
            var s = new ReadinessScenario();
            SecTagReadiness r = s.Evaluate(i =>
            {
                i.Listed = i.Listed.Where(e => (int)e.Type != 0).ToList();
                i.ReadBack = Array.Empty<CredentialEntry>();
            });
            Assert.False(r.Ready);
            AssertStatus(r, "R2", ReadinessStatus.Fail, "No root CA", remedy: true);
            AssertStatus(r, "R9", ReadinessStatus.Fail, remedy: true);
            AssertStatus(r, "R5", ReadinessStatus.Fail, "is not stored", remedy: true);
            Assert.Contains("Amazon Root CA 1", r["R9"].Remedy);
        }

        [Fact]
        public void Expired_client_certificate_fails()
        {
            var s = new ReadinessScenario();
            s.ClientCertificate = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, s.DeviceKey.Public, "CN=" + s.Uuid, DateTime.UtcNow.AddYears(-2), DateTime.UtcNow.AddDays(-3)));
            SecTagReadiness r = s.Evaluate();
            Assert.False(r.Ready);
            AssertStatus(r, "R15", ReadinessStatus.Fail, "client certificate expired on", remedy: true);
            Assert.Contains("%KEYGEN", r["R15"].Remedy);
        }

        [Fact]
        public void Not_yet_valid_client_certificate_fails()
        {
            var s = new ReadinessScenario();
            s.ClientCertificate = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, s.DeviceKey.Public, "CN=" + s.Uuid, DateTime.UtcNow.AddDays(2), DateTime.UtcNow.AddYears(1)));
            SecTagReadiness r = s.Evaluate();
            AssertStatus(r, "R15", ReadinessStatus.Fail, "not valid before", remedy: true);
        }

        [Fact]
        public void Client_certificate_expiring_soon_warns()
        {
            var s = new ReadinessScenario();
            s.ClientCertificate = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, s.DeviceKey.Public, "CN=" + s.Uuid, DateTime.UtcNow.AddYears(-1), DateTime.UtcNow.AddDays(10)));
            SecTagReadiness r = s.Evaluate();
            Assert.True(r.Ready);
            AssertStatus(r, "R15", ReadinessStatus.Warn, "within 30 days", remedy: true);
            Assert.Equal(ReadinessStatus.Pass, s.Evaluate(i => i.WarnDays = 5)["R15"].Status);
        }

        [Fact]
        public void Key_regenerated_after_issue_fails_through_the_record()
        {
            var s = new ReadinessScenario { KeyDigestListed = ReadinessScenario.OtherKeyDigest };
            SecTagReadiness r = s.Evaluate();
            Assert.False(r.Ready);
            AssertStatus(r, "R13", ReadinessStatus.Fail, "was replaced after its certificate was issued", remedy: true);
            Assert.Contains("Generate", r["R13"].Remedy);
            AssertStatus(r, "R5", ReadinessStatus.Warn, "changed since the provisioning record");
        }

        [Fact]
        public void Without_a_record_the_key_certificate_pair_is_not_checkable()
        {
            var s = new ReadinessScenario { WithRecord = false };
            SecTagReadiness r = s.Evaluate();
            AssertStatus(r, "R13", ReadinessStatus.NotCheckable, "without a provisioning record", remedy: true);
            AssertStatus(r, "R11", ReadinessStatus.NotCheckable, "not readable");
            Assert.True(r.Ready);
        }

        [Fact]
        public void Ca_chain_over_4_kb_warns_with_a_remedy()
        {
            var s = new ReadinessScenario();
            string bundle = string.Join("\n", new[] { "amazon-root-ca-1.pem", "digicert-global-root-g2.pem", "microsoft-rsa-root-2017.pem", "nrf-cloud-coap-ca.pem" }.Select(ReadinessScenario.Root));
            s.RootCa = bundle;
            s.StoredRootCa = CredentialContent.Normalize(bundle, CredentialType.RootCA);
            Assert.True(s.StoredRootCa.Length > 4096);
            SecTagReadiness r = s.Evaluate();
            AssertStatus(r, "R8", ReadinessStatus.Warn, "over the 4 KB", remedy: true);
            Assert.Contains("114031", r["R8"].Reason);
            Assert.Contains("cannot be written again", r["R8"].Reason);
            AssertStatus(r, "R9", ReadinessStatus.Pass);
            AssertStatus(r, "R7", ReadinessStatus.Pass);
            Assert.Contains("4 certificate(s)", r["R7"].Evidence);
        }

        [Fact]
        public void Planned_bundle_too_long_to_write_fails()
        {
            var s = new ReadinessScenario();
            string bundle = string.Join("\n", Enumerable.Repeat(ReadinessScenario.Root("microsoft-rsa-root-2017.pem"), 3));
            SecTagReadiness r = s.Evaluate(i => i.Expected = new[] { new ExpectedCredential(Tag, CredentialType.RootCA, bundle, false, "plan row 1") });
            AssertStatus(r, "R8", ReadinessStatus.Fail, "it cannot be written", remedy: true);
        }

        [Fact]
        public void Crlf_credential_on_a_2_0_2_firmware_warns()
        {
            var s = new ReadinessScenario { Firmware = "mfw_nrf91x1_2.0.2" };
            s.StoredRootCa = CredentialContent.Normalize(s.RootCa, CredentialType.RootCA, LineEndingPolicy.CrLf);
            SecTagReadiness r = s.Evaluate();
            Assert.True(r.Ready);
            AssertStatus(r, "R6", ReadinessStatus.Warn, "CR LF", remedy: true);
            Assert.Contains("527", r["R6"].Reason);
            AssertStatus(r, "R5", ReadinessStatus.Pass, "CrLf");

            var old = new ReadinessScenario { Firmware = "mfw_nrf9160_1.3.5" };
            old.StoredRootCa = s.StoredRootCa;
            AssertStatus(old.Evaluate(), "R6", ReadinessStatus.Pass, "CR LF");
        }

        [Fact]
        public void Crlf_known_only_from_the_digest_variant_also_warns()
        {
            var s = new ReadinessScenario();
            string crlf = CredentialContent.Normalize(s.RootCa, CredentialType.RootCA, LineEndingPolicy.CrLf);
            SecTagReadiness r = s.Evaluate(i =>
            {
                i.Listed = i.Listed.Select(e => (int)e.Type == 0 ? new CredentialEntry(Tag, (CredentialType)0, ReadinessScenario.Sha(crlf), false, null) : e).ToList();
                i.ReadBack = Array.Empty<CredentialEntry>();
                i.Record = null;
            });
            AssertStatus(r, "R6", ReadinessStatus.Warn, "CR LF");
            AssertStatus(r, "R9", ReadinessStatus.Pass);
        }

        [Theory]
        [InlineData("+CCLK: \"80/01/06,00:00:21+00\"", "far ahead")]
        [InlineData("+CCLK: \"15/02/01,00:00:00+00\"", "not been set")]
        [InlineData("+CCLK: \"19/12/31,23:59:59+00\"", "not been set")]
        [InlineData("+CCLK: \"garbage\"", "not a +CCLK time")]
        [InlineData("\"26/13/45,99:00:00+00\"", "not a real date")]
        public void Bogus_modem_clock_warns_and_never_makes_a_certificate_expired(string cclk, string reason)
        {
            var s = new ReadinessScenario { Clock = cclk };
            SecTagReadiness r = s.Evaluate();
            Assert.True(r.Ready);
            AssertStatus(r, "R14", ReadinessStatus.Warn, reason, remedy: true);
            Assert.Contains("unknown", r["R14"].Reason);
            AssertStatus(r, "R15", ReadinessStatus.Pass, "modem clock is unknown");
        }

        [Fact]
        public void Missing_clock_is_not_checkable_and_skewed_clock_warns()
        {
            var s = new ReadinessScenario();
            AssertStatus(s.Evaluate(i => i.ModemClock = null), "R14", ReadinessStatus.NotCheckable);
            s.Clock = ReadinessScenario.CclkFor(s.Host.AddHours(-3), -8);
            AssertStatus(s.Evaluate(), "R14", ReadinessStatus.Warn, "3 hours behind", remedy: true);
        }

        [Fact]
        public void Modem_clock_behind_a_certificate_start_warns_but_host_time_decides()
        {
            var s = new ReadinessScenario();
            s.Clock = ReadinessScenario.CclkFor(s.Host.AddDays(-20));
            SecTagReadiness r = s.Evaluate();
            AssertStatus(r, "R15", ReadinessStatus.Warn, "y the modem's clock");
            Assert.True(r.Ready);
        }

        [Fact]
        public void Wrong_root_for_the_profile_fails()
        {
            var s = new ReadinessScenario { Profile = ServerProfile.Get(ServerProfileKind.AzureIot) };
            SecTagReadiness r = s.Evaluate();
            AssertStatus(r, "R9", ReadinessStatus.Fail, "DigiCert Global Root G2", remedy: true);
            Assert.False(r.Ready);

            var azure = new ReadinessScenario { Profile = ServerProfile.Get(ServerProfileKind.AzureIot), RootCa = ReadinessScenario.Root("digicert-global-root-g2.pem") };
            AssertStatus(azure.Evaluate(), "R9", ReadinessStatus.Pass, "DigiCert Global Root G2");
            AssertStatus(azure.Evaluate(), "R11", ReadinessStatus.Pass);
        }

        [Fact]
        public void Expired_baltimore_root_for_azure()
        {
            var only = new ReadinessScenario { Profile = ServerProfile.Get(ServerProfileKind.AzureIot), RootCa = ReadinessScenario.Root("baltimore-cybertrust-root.pem") };
            SecTagReadiness r = only.Evaluate();
            AssertStatus(r, "R9", ReadinessStatus.Fail, "no longer presents", remedy: true);
            AssertStatus(r, "R15", ReadinessStatus.Fail, "expired on 2025-05-12", remedy: true);

            var both = new ReadinessScenario
            {
                Profile = ServerProfile.Get(ServerProfileKind.AzureIot),
                RootCa = ReadinessScenario.Root("digicert-global-root-g2.pem") + ReadinessScenario.Root("baltimore-cybertrust-root.pem"),
            };
            SecTagReadiness b = both.Evaluate();
            AssertStatus(b, "R9", ReadinessStatus.Warn, "Baltimore");
            AssertStatus(b, "R15", ReadinessStatus.Warn, "expired");
            Assert.True(b.Ready);
        }

        [Fact]
        public void Coap_profile_wants_the_coap_root_and_recommends_amazon()
        {
            var s = new ReadinessScenario { Profile = ServerProfile.Get(ServerProfileKind.NrfCloudCoap) };
            AssertStatus(s.Evaluate(), "R9", ReadinessStatus.Fail, "nRF Cloud (CoAP CA)");

            s.RootCa = ReadinessScenario.Root("nrf-cloud-coap-ca.pem");
            AssertStatus(s.Evaluate(), "R9", ReadinessStatus.Warn, "Amazon Root CA 1", remedy: true);

            s.RootCa = ReadinessScenario.Root("amazon-root-ca-1.pem") + "\n" + ReadinessScenario.Root("nrf-cloud-coap-ca.pem");
            AssertStatus(s.Evaluate(), "R9", ReadinessStatus.Pass);

            // CoAP authenticates with a JWT signed by the key: no certificate needed.
            SecTagReadiness keyOnly = s.Evaluate(i => i.Listed = i.Listed.Where(e => (int)e.Type != 1).ToList());
            AssertStatus(keyOnly, "R3", ReadinessStatus.Pass, "accepts");
        }

        [Fact]
        public void Custom_ca_file_profile_matches_by_public_key()
        {
            var s = new ReadinessScenario { Profile = ServerProfile.FromCaPem(ReadinessScenario.Root("amazon-root-ca-1.pem").Replace("\n", "\r\n"), "server-ca.pem") };
            AssertStatus(s.Evaluate(), "R9", ReadinessStatus.Pass, "Amazon Root CA 1");
            s.Profile = ServerProfile.FromCaPem(TestPki.EcCa.CertificatePem, "mosquitto-ca.pem");
            AssertStatus(s.Evaluate(), "R9", ReadinessStatus.Fail, "Test EC CA");
            Assert.Equal(ErrorIds.ReadinessProfileInvalid, Assert.Throws<ModemException>(() => ServerProfile.FromCaPem("nonsense", "x.pem")).ErrorId);
            Assert.Equal(ErrorIds.ReadinessProfileInvalid, Assert.Throws<ModemException>(() => ServerProfile.Get("Gcp")).ErrorId);
            Assert.Equal(ServerProfileKind.AwsIot, ServerProfile.Get("awsiot").Kind);
        }

        [Fact]
        public void No_profile_makes_r9_not_checkable()
        {
            AssertStatus(new ReadinessScenario { Profile = null }.Evaluate(), "R9", ReadinessStatus.NotCheckable, remedy: true);
        }

        [Fact]
        public void Device_issuing_ca_in_the_root_slot_warns()
        {
            var s = new ReadinessScenario { RootCa = TestPki.EcCa.CertificatePem };
            SecTagReadiness r = s.Evaluate();
            AssertStatus(r, "R10", ReadinessStatus.Warn, "signed the device's certificate", remedy: true);
            AssertStatus(r, "R9", ReadinessStatus.Fail);

            var both = new ReadinessScenario { RootCa = ReadinessScenario.Root("amazon-root-ca-1.pem") + TestPki.EcCa.CertificatePem };
            AssertStatus(both.Evaluate(), "R10", ReadinessStatus.Pass, "harmless");
        }

        [Fact]
        public void Rsa_client_certificate_fails_for_nrf_cloud_but_not_for_aws()
        {
            var s = new ReadinessScenario();
            s.ClientCertificate = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, TestPki.Rsa.Public, "CN=" + s.Uuid));
            AssertStatus(s.Evaluate(), "R11", ReadinessStatus.Fail, "ES256", remedy: true);
            s.Profile = ServerProfile.Get(ServerProfileKind.AwsIot);
            AssertStatus(s.Evaluate(), "R11", ReadinessStatus.Pass);
        }

        [Fact]
        public void Client_certificate_from_another_ca_fails()
        {
            var s = new ReadinessScenario();
            TestCa other = TestPki.NewCa("CN=Other CA", TestPki.NewEcKey());
            s.ClientCertificate = TestPki.Pem(TestPki.NewLeaf(other, s.DeviceKey.Public, "CN=" + s.Uuid));
            AssertStatus(s.Evaluate(), "R11", ReadinessStatus.Fail, "not issued by the plan's CA", remedy: true);
        }

        [Fact]
        public void Cn_with_reserved_prefix_or_foreign_id_warns()
        {
            var s = new ReadinessScenario();
            s.ClientCertificate = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, s.DeviceKey.Public, "CN=nrf-" + s.Imei));
            SecTagReadiness r = s.Evaluate();
            AssertStatus(r, "R12", ReadinessStatus.Warn, "reserves", remedy: true);
            Assert.Equal(ReadinessStatus.Pass, s.Evaluate(i => i.NordicHardware = true)["R12"].Status);
            Assert.Equal(ReadinessStatus.Warn, s.Evaluate(i => { i.NordicHardware = true; i.IdScheme = DeviceIdScheme.Uuid; })["R12"].Status);

            s.ClientCertificate = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, s.DeviceKey.Public, "CN=something-else"));
            AssertStatus(s.Evaluate(), "R12", ReadinessStatus.Warn, "none of the IDs");
            AssertStatus(s.Evaluate(i => { i.Imei = null; i.DeviceUuid = null; }), "R12", ReadinessStatus.NotCheckable);
        }

        [Fact]
        public void Lone_items_fail_r3()
        {
            var s = new ReadinessScenario();
            AssertStatus(s.Evaluate(i => i.Listed = i.Listed.Where(e => (int)e.Type != 2).ToList()), "R3", ReadinessStatus.Fail, "no private key", remedy: true);
            AssertStatus(s.Evaluate(i => i.Listed = i.Listed.Where(e => (int)e.Type != 1).ToList()), "R3", ReadinessStatus.Fail, "no client certificate", remedy: true);
            AssertStatus(s.Evaluate(i => i.Listed = i.Listed.Append(new CredentialEntry(Tag, (CredentialType)3, ReadinessScenario.KeyDigest, false, null)).ToList()), "R3", ReadinessStatus.Fail, "PSK without its identity");
            SecTagReadiness serverOnly = s.Evaluate(i => { i.Listed = i.Listed.Where(e => (int)e.Type == 0).ToList(); i.Profile = null; i.Expected = Array.Empty<ExpectedCredential>(); i.Record = null; });
            AssertStatus(serverOnly, "R3", ReadinessStatus.Pass, "server authentication only");
            Assert.True(serverOnly.Ready);
        }

        [Fact]
        public void Tag_ranges()
        {
            var s = new ReadinessScenario();
            var listed = new List<CredentialEntry>
            {
                new CredentialEntry(2147483650, (CredentialType)0, ReadinessScenario.Sha(s.RootCa), false, null),
                new CredentialEntry(4294967292, (CredentialType)11, ReadinessScenario.KeyDigest, false, null),
            };
            ReadinessReport report = ReadinessEngine.Evaluate(new ReadinessInput { Listed = listed, HostTime = s.Host });
            Assert.Equal(new uint[] { 2147483650 }, report.SecTags.Select(t => t.SecTag));
            AssertStatus(report.SecTags[0], "R1", ReadinessStatus.Warn, "TLS-decrypt", remedy: true);

            ReadinessReport owned = ReadinessEngine.Evaluate(new ReadinessInput { Listed = listed, SecTags = new uint[] { 4294967292 } });
            AssertStatus(owned.SecTags[0], "R1", ReadinessStatus.Fail, "belongs to the modem", remedy: true);
        }

        [Fact]
        public void Placeholder_digests_warn_and_make_comparisons_not_checkable()
        {
            var s = new ReadinessScenario { Firmware = "mfw_nrf9160_1.2.3" };
            SecTagReadiness r = s.Evaluate(i =>
            {
                i.Listed = new[] { new CredentialEntry(Tag, (CredentialType)0, "0000000000000000000000000000000000000000000000000000000000000000", true, null) };
                i.ReadBack = Array.Empty<CredentialEntry>();
                i.Expected = new[] { new ExpectedCredential(Tag, CredentialType.RootCA, s.RootCa) };
                i.Record = null;
            });
            AssertStatus(r, "R4", ReadinessStatus.Warn, "placeholder", remedy: true);
            AssertStatus(r, "R5", ReadinessStatus.NotCheckable);
            AssertStatus(r, "R17", ReadinessStatus.Warn, "1.3.2", remedy: true);
        }

        [Fact]
        public void Different_planned_content_fails_r5()
        {
            var s = new ReadinessScenario();
            SecTagReadiness r = s.Evaluate(i => i.Expected = new[] { new ExpectedCredential(Tag, CredentialType.RootCA, ReadinessScenario.Root("digicert-global-root-g2.pem"), false, "plan row 1") });
            AssertStatus(r, "R5", ReadinessStatus.Fail, "is not the content of plan row 1", remedy: true);
        }

        [Fact]
        public void Root_ca_slot_with_a_leaf_or_garbage()
        {
            var s = new ReadinessScenario();
            s.StoredRootCa = s.ClientCertificate;
            AssertStatus(s.Evaluate(), "R7", ReadinessStatus.Warn, "neither a CA nor self-signed", remedy: true);

            s.StoredRootCa = "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n";
            SecTagReadiness r = s.Evaluate();
            AssertStatus(r, "R6", ReadinessStatus.Fail, "'\\n'", remedy: true);
            AssertStatus(r, "R7", ReadinessStatus.Fail, remedy: true);

            s.StoredRootCa = CredentialContent.Normalize(s.RootCa, CredentialType.RootCA).Replace("\n", " ").Replace("- ", "-").Replace(" -", "-");
            AssertStatus(s.Evaluate(), "R6", ReadinessStatus.Fail, "one-line PEM", remedy: true);
        }

        [Fact]
        public void Psk_checks()
        {
            var s = new ReadinessScenario();
            SecTagReadiness r = s.Evaluate(i =>
            {
                i.Listed = i.Listed.Concat(new[] { new CredentialEntry(Tag, (CredentialType)3, ReadinessScenario.KeyDigest, false, null), new CredentialEntry(Tag, (CredentialType)4, ReadinessScenario.OtherKeyDigest, false, null) }).ToList();
                i.ReadBack = i.ReadBack.Append(new CredentialEntry(Tag, (CredentialType)4, ReadinessScenario.OtherKeyDigest, false, "device-42")).ToList();
                i.Expected = i.Expected.Append(new ExpectedCredential(Tag, CredentialType.Psk, "secret!")).ToList();
            });
            AssertStatus(r, "R16", ReadinessStatus.Fail, "not hex", remedy: true);
            Assert.Contains("'device-42' is printable", r["R16"].Reason);
        }

        [Fact]
        public void Firmware_without_keygen_fails_for_generated_keys()
        {
            var s = new ReadinessScenario { Firmware = "mfw_nrf9160_1.2.0" };
            AssertStatus(s.Evaluate(), "R17", ReadinessStatus.Fail, "%KEYGEN", remedy: true);
            AssertStatus(s.Evaluate(i => i.Firmware = null), "R17", ReadinessStatus.NotCheckable);
            Assert.Contains("claiming yes", new ReadinessScenario().Evaluate()["R17"].Evidence);
        }

        [Fact]
        public void Host_key_from_the_plan_is_checked_against_the_certificate()
        {
            var s = new ReadinessScenario { WithRecord = false };
            string keyPem = TestPki.Pkcs8Pem(s.DeviceKey.Private);
            string keyStored = CredentialContent.Normalize(keyPem, CredentialType.ClientPrivateKey);
            s.KeyDigestListed = ReadinessScenario.Sha(keyStored);
            string cert = s.ClientCertificate;
            SecTagReadiness r = s.Evaluate(i => i.Expected = new[]
            {
                new ExpectedCredential(Tag, CredentialType.RootCA, s.RootCa),
                new ExpectedCredential(Tag, CredentialType.ClientCertificate, cert),
                new ExpectedCredential(Tag, CredentialType.ClientPrivateKey, keyPem),
            });
            AssertStatus(r, "R13", ReadinessStatus.Pass, "belongs to the client certificate");

            string otherKey = TestPki.Pkcs8Pem(TestPki.NewEcKey().Private);
            s.KeyDigestListed = ReadinessScenario.Sha(CredentialContent.Normalize(otherKey, CredentialType.ClientPrivateKey));
            SecTagReadiness bad = s.Evaluate(i => i.Expected = new[]
            {
                new ExpectedCredential(Tag, CredentialType.ClientCertificate, cert),
                new ExpectedCredential(Tag, CredentialType.ClientPrivateKey, otherKey),
            });
            AssertStatus(bad, "R13", ReadinessStatus.Fail, "does not belong", remedy: true);
        }

        [Fact]
        public void Expected_credentials_from_a_plan()
        {
            string dir = TestFiles.NewTempDirectory();
            try
            {
                File.WriteAllText(Path.Combine(dir, "AmazonRootCA1.pem"), ReadinessScenario.Root("amazon-root-ca-1.pem"));
                File.WriteAllText(Path.Combine(dir, "ca.pem"), TestPki.EcCa.CertificatePem);
                File.WriteAllText(Path.Combine(dir, "ca.key"), TestPki.EcCa.KeyPem);
                File.WriteAllText(Path.Combine(dir, "plan.csv"), "SecTag,Type,Path,Content,Generate,CACertificate,CAKey\n42,RootCA,AmazonRootCA1.pem,,,,\n42,,,,true,ca.pem,ca.key\n42,PskIdentity,,id-{Imei},,,\n");
                IReadOnlyList<PlanEntry> plan = ProvisioningPlanReader.ToEntries(ProvisioningPlanReader.ReadRows(Path.Combine(dir, "plan.csv")), dir, "plan.csv");
                IReadOnlyList<ExpectedCredential> expected = ExpectedCredential.FromPlan(plan, "352656109480783", null);

                Assert.Equal(4, expected.Count);
                Assert.Equal(ReadinessScenario.Root("amazon-root-ca-1.pem"), expected[0].Content);
                Assert.True(expected[1].GeneratedOnModem);
                Assert.Equal(CredentialType.ClientPrivateKey, expected[1].Type);
                Assert.Equal(CredentialType.ClientCertificate, expected[2].Type);
                Assert.Equal(TestPki.EcCa.CertificatePem, expected[2].IssuerCaPem);
                Assert.Equal("id-352656109480783", expected[3].Content);

                File.Delete(Path.Combine(dir, "AmazonRootCA1.pem"));
                Assert.Equal(ErrorIds.ReadinessInputInvalid, Assert.Throws<ModemException>(() => ExpectedCredential.FromPlan(plan, null, null)).ErrorId);
            }
            finally
            {
                Directory.Delete(dir, true);
            }

            Assert.Equal(ErrorIds.ReadinessInputInvalid, Assert.Throws<ModemException>(() => new ExpectedCredential(1, CredentialType.RootCA, null)).ErrorId);
        }

        [Fact]
        public void Report_lists_every_tag_listed_or_expected_in_order()
        {
            var s = new ReadinessScenario();
            ReadinessReport report = ReadinessEngine.Evaluate(new ReadinessInput
            {
                Listed = new[] { new CredentialEntry(7, (CredentialType)0, ReadinessScenario.Sha(s.RootCa), false, null), new CredentialEntry(42, (CredentialType)0, ReadinessScenario.Sha(s.RootCa), false, null) },
                Expected = new[] { new ExpectedCredential(3, CredentialType.RootCA, s.RootCa) },
                HostTime = s.Host,
            });
            Assert.Equal(new uint[] { 3, 7, 42 }, report.SecTags.Select(t => t.SecTag));
            Assert.All(report.SecTags, t => Assert.Equal(17, t.Checks.Count));
            Assert.False(report.For(3)!.Ready);
            Assert.False(report.Ready);
            Assert.False(ReadinessEngine.Evaluate(new ReadinessInput()).Ready);
            Assert.Throws<ModemException>(() => ReadinessEngine.Evaluate(new ReadinessInput { WarnDays = -1 }));
        }
    }
}
