using System.Globalization;
using Nrf91Cmng.Core.Fleet;
using Nrf91Cmng.Core.Readiness;
using Nrf91Cmng.Core.Tests.Crypto;
using Nrf91Cmng.Core.Tests.Fleet;
using Org.BouncyCastle.Crypto;

namespace Nrf91Cmng.Core.Tests.Readiness
{
    /// <summary>
    /// A complete, valid nRF Cloud MQTT set at sec_tag 42 (Amazon Root CA 1 read back, a key
    /// generated in the modem with its certificate issued by a test CA, a provisioning record, a
    /// valid clock), which each test then breaks in one way.
    /// </summary>
    internal sealed class ReadinessScenario
    {
        public const uint Tag = 42;
        public const string KeyDigest = "66E7C82B49BB291DD09C8E020448311C4A7BB96AEB5C5DB769F66812B13A50B5";
        public const string OtherKeyDigest = "FCA046CA96FABDC57856C287F889F3A2A20DC3192ABEFA0443AE0E6505595FDF";

        public ReadinessScenario()
        {
            Host = new DateTimeOffset(DateTime.UtcNow.Ticks - DateTime.UtcNow.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            RootCa = Root("amazon-root-ca-1.pem");
            DeviceKey = TestPki.NewEcKey();
            ClientCertificate = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, DeviceKey.Public, "CN=" + Uuid.ToString("D")));
        }

        public Guid Uuid { get; } = Guid.Parse("50363154-3932-4834-802b-0908718314dc");

        public string Imei { get; } = "352656109480783";

        public DateTimeOffset Host { get; }

        public string RootCa { get; set; }

        /// <summary>Exactly what the modem stores for the root CA (read back).</summary>
        public string? StoredRootCa { get; set; }

        public AsymmetricCipherKeyPair DeviceKey { get; }

        public string ClientCertificate { get; set; }

        public string KeyDigestListed { get; set; } = KeyDigest;

        public string Firmware { get; set; } = "mfw_nrf91x1_2.0.2";

        public string? Clock { get; set; }

        public bool WithRecord { get; set; } = true;

        public bool WithPlan { get; set; } = true;

        public ServerProfile? Profile { get; set; } = ServerProfile.Get(ServerProfileKind.NrfCloudMqtt);

        public static string Root(string name) => TestFiles.ReadFixture(name);

        public static string Sha(string content) => CredentialContent.ComputeDigest(content);

        public static string CclkFor(DateTimeOffset utc, int quarters = 4)
        {
            DateTimeOffset local = utc.ToOffset(TimeSpan.FromMinutes(quarters * 15));
            return "+CCLK: \"" + local.ToString("yy/MM/dd,HH:mm:ss", CultureInfo.InvariantCulture) + (quarters < 0 ? "-" : "+") + Math.Abs(quarters).ToString("D2", CultureInfo.InvariantCulture) + "\"";
        }

        public List<CredentialEntry> Listed()
        {
            string root = StoredRootCa ?? CredentialContent.Normalize(RootCa, CredentialType.RootCA);
            return new List<CredentialEntry>
            {
                new CredentialEntry(Tag, (CredentialType)0, Sha(root), false, null),
                new CredentialEntry(Tag, (CredentialType)1, Sha(CredentialContent.Normalize(ClientCertificate, CredentialType.ClientCertificate)), false, null),
                new CredentialEntry(Tag, (CredentialType)2, KeyDigestListed, false, null),
            };
        }

        public ProvisioningRecord Record(IReadOnlyList<CredentialEntry>? listedAtProvisioning = null)
        {
            var listed = listedAtProvisioning ?? new List<CredentialEntry>
            {
                new CredentialEntry(Tag, (CredentialType)0, Sha(CredentialContent.Normalize(RootCa, CredentialType.RootCA)), false, null),
                new CredentialEntry(Tag, (CredentialType)1, Sha(CredentialContent.Normalize(ClientCertificate, CredentialType.ClientCertificate)), false, null),
                new CredentialEntry(Tag, (CredentialType)2, KeyDigest, false, null),
            };
            return ProvisioningRecord.Create(Imei, Uuid, Firmware, "nRF9151-LACA", Host.AddDays(-1), listed, new[] { new GeneratedKeyRecord(Tag, ClientCertificate) });
        }

        public ReadinessInput Input()
        {
            List<CredentialEntry> listed = Listed();
            string storedRoot = StoredRootCa ?? CredentialContent.Normalize(RootCa, CredentialType.RootCA);
            return new ReadinessInput
            {
                Firmware = FirmwareInfo.Parse(Firmware),
                Model = "nRF9151-LACA",
                Imei = Imei,
                DeviceUuid = Uuid,
                Listed = listed,
                ReadBack = new[] { new CredentialEntry(Tag, (CredentialType)0, Sha(storedRoot), false, storedRoot) },
                ModemClock = Clock ?? CclkFor(Host),
                HostTime = Host,
                Expected = WithPlan
                    ? new[]
                    {
                        new ExpectedCredential(Tag, CredentialType.RootCA, RootCa, false, "plan row 1"),
                        new ExpectedCredential(Tag, CredentialType.ClientPrivateKey, null, true, "plan row 2"),
                        new ExpectedCredential(Tag, CredentialType.ClientCertificate, null, true, "plan row 2", TestPki.EcCa.CertificatePem),
                    }
                    : Array.Empty<ExpectedCredential>(),
                Record = WithRecord ? Record() : null,
                Profile = Profile,
            };
        }

        public SecTagReadiness Evaluate(Action<ReadinessInput>? change = null)
        {
            ReadinessInput input = Input();
            change?.Invoke(input);
            return ReadinessEngine.Evaluate(input).For(Tag)!;
        }
    }
}
