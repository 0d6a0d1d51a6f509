using System.Text.RegularExpressions;

namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>The modem's command set and every error path, through <see cref="VirtualModem.Execute"/>.</summary>
    public sealed class ModemCommandTests
    {
        private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

        private static VirtualModem Modem(string firmware = "mfw_nrf9160_1.3.5", int seed = 11, bool cmee = true, int mode = 4)
        {
            var modem = new VirtualModem(new VirtualModemOptions { Firmware = firmware, Seed = seed });
            if (cmee)
            {
                Assert.Equal("OK\r\n", modem.Execute("AT+CMEE=1"));
            }

            Assert.Equal("OK\r\n", modem.Execute("AT+CFUN=" + mode));
            return modem;
        }

        /// <summary>Sends <paramref name="commands"/> in order and asserts each one gets <paramref name="reply"/>.</summary>
        private static void AssertEachAnswers(VirtualModem modem, string reply, params string[] commands)
        {
            foreach (string command in commands)
            {
                Assert.Equal(reply, modem.Execute(command));
            }
        }

        [Fact]
        public void ProfilesAreRegisteredByNameIgnoringCase()
        {
            Assert.Equal(new[] { "mfw_nrf9160_0.7.0", "mfw_nrf9160_1.3.5", "mfw_nrf9160_1.3.7", "mfw_nrf91x1_2.0.2" }, FirmwareProfile.Names);
            Assert.Same(FirmwareProfile.Get("mfw_nrf9160_1.3.5"), FirmwareProfile.Get("MFW_NRF9160_1.3.5"));
            Assert.Same(FirmwareProfile.Get("mfw_nrf9160_0.7.0"), FirmwareProfile.Get("mfw_nrf9160_0.7.0-29.alpha"));
            Assert.Equal("mfw_nrf9160_1.3.5", FirmwareProfile.Default.Name);
            Assert.Equal("mfw_nrf9160_1.3.5", new VirtualModem().Profile.Name);
            ArgumentException ex = Assert.Throws<ArgumentException>(() => FirmwareProfile.Get("mfw_nrf9160_9.9.9"));
            Assert.Contains("mfw_nrf91x1_2.0.2", ex.Message);
        }

        [Fact]
        public void PowerOnStateIsCfun0Cmee0()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 12 });
            Assert.Equal("+CFUN: 0\r\nOK\r\n", modem.Execute("AT+CFUN?"));
            Assert.Equal("+CMEE: 0\r\nOK\r\n", modem.Execute("AT+CMEE?"));
            Assert.Equal("OK\r\n", modem.Execute("AT"));
            AssertEachAnswers(modem, "ERROR\r\n", "AT+FOO", "ATI", "%CMNG=1");
        }

        [Fact]
        public void IdentityCommandsFollowTheProfile()
        {
            using VirtualModem m35 = Modem(seed: 13);
            Assert.Matches(@"^35265610\d{7}\r\nOK\r\n$", m35.Execute("AT+CGSN"));
            Assert.Equal(m35.Imei + "\r\nOK\r\n", m35.Execute("AT+CGSN=0"));
            Assert.Equal("+CGSN: \"" + m35.Imei + "\"\r\nOK\r\n", m35.Execute("AT+CGSN=1"));
            Assert.Equal("mfw_nrf9160_1.3.5\r\nOK\r\n", m35.Execute("AT+CGMR"));
            Assert.Equal("nRF9160-SICA\r\nOK\r\n", m35.Execute("AT+CGMM"));
            Assert.Equal("Nordic Semiconductor ASA\r\nOK\r\n", m35.Execute("AT+CGMI"));
            Assert.Equal("%HWVERSION: nRF9160 SICA B1A\r\nOK\r\n", m35.Execute("AT%HWVERSION"));
            Assert.Matches(@"^%XMODEMUUID: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\r\nOK\r\n$", m35.Execute("AT%XMODEMUUID"));
            Assert.Equal("+CME ERROR: 0\r\n", m35.Execute("AT%DEVICEUUID"));
            Assert.Equal("+CFUN: (0,1,4,20,21,30,31,40,41,44)\r\nOK\r\n", m35.Execute("AT+CFUN=?"));

            using VirtualModem m91 = Modem("mfw_nrf91x1_2.0.2", 14);
            Assert.Matches(@"^35502593\d{7}\r\nOK\r\n$", m91.Execute("AT+CGSN"));
            Assert.Equal("nRF9161-LACA\r\nOK\r\n", m91.Execute("AT+CGMM"));
            Assert.Equal("mfw_nrf91x1_2.0.2\r\nOK\r\n", m91.Execute("AT+CGMR"));
            Assert.Equal("%HWVERSION: nRF9161 LACA A0A\r\nOK\r\n", m91.Execute("AT%HWVERSION"));
            Assert.Equal("%DEVICEUUID: " + m91.DeviceUuid.ToString("D") + "\r\nOK\r\n", m91.Execute("AT%DEVICEUUID"));
            Assert.Equal("+CFUN: (0,1,2,4,20,21,30,31,40,41,44)\r\nOK\r\n", m91.Execute("AT+CFUN=?"));

            Assert.NotEqual(m35.Imei, m91.Imei);
            Assert.NotEqual(m35.DeviceUuid, m91.DeviceUuid);
        }

        [Fact]
        public void ImeisCarryAValidLuhnDigitAndOptionsOverrideIdentity()
        {
            Assert.Equal(3, VirtualModem.LuhnDigit("35265610948078"));
            Assert.Equal(8, VirtualModem.LuhnDigit("35265610003213"));
            for (int seed = 0; seed < 50; seed++)
            {
                string imei = new VirtualModem(new VirtualModemOptions { Seed = seed }).Imei;
                Assert.Equal(imei[14] - '0', VirtualModem.LuhnDigit(imei.Substring(0, 14)));
            }

            var uuid = Guid.Parse("50363154-3932-4834-802b-0908718314dc");
            using var fixedModem = new VirtualModem(new VirtualModemOptions { Imei = "352656109480783", DeviceUuid = uuid });
            Assert.Equal("352656109480783\r\nOK\r\n", fixedModem.Execute("AT+CGSN"));
            Assert.Equal(uuid, fixedModem.DeviceUuid);
            Assert.Throws<ArgumentException>(() => new VirtualModem(new VirtualModemOptions { Imei = "12345" }));

            // Device UUIDs look like real ones: "P6" + ASCII, version 4.
            Assert.StartsWith("5036", new VirtualModem(new VirtualModemOptions { Seed = 3 }).DeviceUuid.ToString("N"));
        }

        [Fact]
        public void FunctionalModesAndHistory()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 15 });
            Assert.Equal("ERROR\r\n", modem.Execute("AT+CFUN=3"));
            Assert.Equal("OK\r\n", modem.Execute("AT+CMEE=1"));
            Assert.Equal("+CME ERROR: 50\r\n", modem.Execute("AT+CFUN=2"));
            Assert.Equal("ERROR\r\n", modem.Execute("AT%XICCID"));
            Assert.Equal("OK\r\n", modem.Execute("AT+CFUN=1"));
            Assert.True(modem.IsLteActive);
            Assert.Equal("%XICCID: " + modem.Iccid + "\r\nOK\r\n", modem.Execute("AT%XICCID"));
            Assert.Equal("OK\r\n", modem.Execute("AT+CFUN=20"));
            Assert.Equal("+CFUN: 4\r\nOK\r\n", modem.Execute("AT+CFUN?"));
            Assert.Equal("OK\r\n", modem.Execute("AT+CFUN=21"));
            Assert.Equal("+CFUN: 1\r\nOK\r\n", modem.Execute("AT+CFUN?"));
            Assert.Equal("OK\r\n", modem.Execute("AT+CFUN=0"));
            Assert.Equal(new[] { 1, 20, 21, 0 }, modem.FunctionalModeHistory);
            Assert.Equal("OK\r\n", modem.Execute("AT+CFUN=4;+CMEE=0"));
            Assert.Equal(0, modem.ErrorReporting);
            Assert.Equal(4, modem.FunctionalMode);
        }

        [Fact]
        public void CmeeZeroTurnsEveryCmeErrorIntoError()
        {
            using VirtualModem modem = Modem(cmee: false, seed: 16);
            Assert.Equal("ERROR\r\n", modem.Execute("AT%CMNG=2,1,0"));
            Assert.Equal("ERROR\r\n", modem.Execute("AT%CMNG=0,1,0,\"\""));
            Assert.Equal("OK\r\n", modem.Execute("AT+CMEE=1"));
            Assert.Equal("+CME ERROR: 513\r\n", modem.Execute("AT%CMNG=2,1,0"));
            Assert.Equal("OK\r\n", modem.Execute("AT+CMEE=2"));
            Assert.Equal("+CME ERROR: 513\r\n", modem.Execute("AT%CMNG=2,1,0"));
        }

        [Fact]
        public void CmngParameterErrorsAre50()
        {
            using VirtualModem modem = Modem(seed: 17);
            AssertEachAnswers(
                modem,
                "+CME ERROR: 50\r\n",
                "AT%CMNG=0,1,0,\"\"", "AT%CMNG=0,1,0,unquoted", "AT%CMNG=0,1,0", "AT%CMNG=0,1,12,\"x\"",
                "AT%CMNG=0,4294967296,0,\"x\"", "AT%CMNG=0,-1,0,\"x\"", "AT%CMNG=4,1,0", "AT%CMNG=2,1",
                "AT%CMNG=0,1,2,\"k\",\"" + new string('p', 33) + "\"");
            AssertEachAnswers(modem, "ERROR\r\n", "AT%CMNG?", "AT%CMNG=?", "AT%CMNG=0,1,0,\"open");
            Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,1,2,\"-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED PRIVATE KEY-----\", \"abcdefg\""));
            Assert.StartsWith("%CMNG: 1,2,\"", modem.Execute("AT%CMNG=1, 1, 2"));
        }

        [Fact]
        public void CmngWriteOverwritesInPlaceAndDeleteRemoves()
        {
            using VirtualModem modem = Modem(seed: 18);
            Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,9,4,\"first\""));
            Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,9,4,\"second\""));
            Assert.Equal(Raw.Bytes("second"), modem.GetStoredBytes(9, 4));
            Assert.Single(modem.Credentials, c => c.SecTag == 9);
            Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=3,9,4"));
            Assert.Null(modem.GetStoredBytes(9, 4));
            Assert.Equal("+CME ERROR: 513\r\n", modem.Execute("AT%CMNG=3,9,4"));
        }

        [Fact]
        public void ReadRefusesSecretAndModemOwnedTypesWith514()
        {
            using VirtualModem modem = Modem(seed: 19);
            foreach (int type in new[] { 1, 2, 3 })
            {
                Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,20," + type + ",\"" + (type == 3 ? "00FF" : Pem) + "\""));
                Assert.Equal("+CME ERROR: 514\r\n", modem.Execute("AT%CMNG=2,20," + type));
            }

            Assert.Equal("+CME ERROR: 514\r\n", modem.Execute("AT%CMNG=2,4294967293,10"));
            Assert.Equal("+CME ERROR: 513\r\n", modem.Execute("AT%CMNG=2,4294967293,0"));
            Assert.Equal("+CME ERROR: 513\r\n", modem.Execute("AT%CMNG=2,21,0"));
        }

        [Fact]
        public void WritesToModemTagsAndTypesAre514()
        {
            using VirtualModem modem = Modem(seed: 20);
            AssertEachAnswers(
                modem,
                "+CME ERROR: 514\r\n",
                "AT%CMNG=0,2147483648,0,\"" + Pem + "\"", "AT%CMNG=0,4294967293,10,\"x\"",
                "AT%CMNG=0,5,6,\"x\"", "AT%CMNG=0,5,7,\"x\"", "AT%CMNG=0,5,10,\"x\"", "AT%CMNG=0,5,11,\"x\"",
                "AT%CMNG=3,4294967294,6");
            Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,2147483647,0,\"" + Pem + "\""));
            Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,5,5,\"-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----\""));

            using VirtualModem old = Modem("mfw_nrf9160_0.7.0", 21);
            AssertEachAnswers(old, "+CME ERROR: 514\r\n", "AT%CMNG=0,5,5,\"x\"", "AT%CMNG=0,5,6,\"x\"");
            Assert.Equal("+CME ERROR: 50\r\n", old.Execute("AT%CMNG=0,5,8,\"x\""));

            // TLS-decrypt tags are user tags on 91x1 only.
            using VirtualModem m91 = Modem("mfw_nrf91x1_2.0.2", 22);
            Assert.Equal("OK\r\n", m91.Execute("AT%CMNG=0,2147483648,0,\"" + Vectors.AmazonRootCa1 + "\""));
            Assert.Equal("OK\r\n", m91.Execute("AT%CMNG=0,2147483667,4,\"id\""));
            Assert.Equal("+CME ERROR: 514\r\n", m91.Execute("AT%CMNG=0,2147483668,4,\"id\""));
            Assert.Equal("%CMNG: 2147483667,4,\"" + m91.Credentials.Single(c => c.SecTag == 2147483667).Digest + "\",\"id\"\r\nOK\r\n", m91.Execute("AT%CMNG=2,2147483667,4"));
        }

        [Fact]
        public void ActiveLteRefusesWritesAndDeletesWith518()
        {
            using VirtualModem modem = Modem(seed: 23, mode: 1);
            Assert.Equal("+CME ERROR: 518\r\n", modem.Execute("AT%CMNG=0,1,4,\"x\""));
            modem.Preload(1, 4, Raw.Bytes("x"));
            Assert.Equal("+CME ERROR: 518\r\n", modem.Execute("AT%CMNG=3,1,4"));
            Assert.StartsWith("%CMNG: 1,4,", modem.Execute("AT%CMNG=1"));
            Assert.StartsWith("%CMNG: 1,4,", modem.Execute("AT%CMNG=2,1,4"));
            Assert.Equal("OK\r\n", modem.Execute("AT+CFUN=21"));
            Assert.Equal("+CME ERROR: 518\r\n", modem.Execute("AT%CMNG=3,1,4"));
            Assert.Equal("OK\r\n", modem.Execute("AT+CFUN=20"));
            Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=3,1,4"));
            Assert.Equal("OK\r\n", modem.Execute("AT+CFUN=31"));
            Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,1,4,\"x\""));

            using VirtualModem m91 = Modem("mfw_nrf91x1_2.0.2", 24, mode: 2);
            AssertEachAnswers(m91, "+CME ERROR: 518\r\n", "AT%CMNG=0,1,4,\"x\"", "AT%KEYGEN=1,2,0", "AT%XPMNG=0,\"k\"");
        }

        [Fact]
        public void FullStoreAnswers515()
        {
            var modem = new VirtualModem(new VirtualModemOptions { Seed = 25, MaxCredentials = 2, CredentialStorageBytes = 100 });
            Assert.Equal("OK\r\n", modem.Execute("AT+CMEE=1"));
            Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,1,4,\"a\""));
            Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,2,4,\"b\""));
            Assert.Equal("+CME ERROR: 515\r\n", modem.Execute("AT%CMNG=0,3,4,\"c\""));
            Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,2,4,\"replaced in place\""));
            Assert.Equal("+CME ERROR: 515\r\n", modem.Execute("AT%CMNG=0,2,4,\"" + new string('x', 100) + "\""));
            Assert.Equal("+CME ERROR: 515\r\n", modem.Execute("AT%KEYGEN=3,2,0"));
        }

        [Fact]
        public void PublicKeySlotsAnswer519WhenTakenAndFreeOnDelete()
        {
            using VirtualModem old = Modem("mfw_nrf9160_0.7.0", 26);
            string factory = old.Execute("AT%XPMNG=2");
            Assert.Matches(@"^%XPMNG: ""-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----""\r\nOK\r\n$", factory);
            Assert.Equal("+CME ERROR: 519\r\n", old.Execute("AT%XPMNG=0,\"-----BEGIN PUBLIC KEY-----MFkw==-----END PUBLIC KEY-----\""));
            Assert.Equal("OK\r\n", old.Execute("AT%CMNG=3,0,5"));
            Assert.Equal("+CME ERROR: 513\r\n", old.Execute("AT%XPMNG=2"));
            Assert.Equal("OK\r\n", old.Execute("AT%XPMNG=0,\"-----BEGIN PUBLIC KEY-----MFkw==-----END PUBLIC KEY-----\""));
            Assert.Equal("%XPMNG: \"-----BEGIN PUBLIC KEY-----MFkw==-----END PUBLIC KEY-----\"\r\nOK\r\n", old.Execute("AT%XPMNG=2,0"));
            Assert.Equal("+CME ERROR: 50\r\n", old.Execute("AT%XPMNG=0,\"k\",10"));

            using VirtualModem modem = Modem(seed: 27);
            Assert.Equal("OK\r\n", modem.Execute("AT%XPMNG=0,\"k3\",3"));
            Assert.Equal("+CME ERROR: 519\r\n", modem.Execute("AT%XPMNG=0,\"k3\",3"));
            Assert.Equal("+CME ERROR: 513\r\n", modem.Execute("AT%XPMNG=2"));
        }

        [Fact]
        public void Firmware202ValidatesCertificatesWith527()
        {
            using VirtualModem modem = Modem("mfw_nrf91x1_2.0.2", 28);
            string literalBackslashN = Vectors.AmazonRootCa1.Replace("\n", "\\n");
            AssertEachAnswers(
                modem,
                "+CME ERROR: 527\r\n",
                "AT%CMNG=0,16842753,0,\"" + literalBackslashN + "\"",
                "AT%CMNG=0,16842753,1,\"" + Vectors.AmazonRootCa1.Replace("\n", "\r") + "\"",
                "AT%CMNG=0,1,0,\"HONKHONK\"",
                "AT%CMNG=0,1,0,\"" + Pem + "\"");
            AssertEachAnswers(
                modem,
                "OK\r\n",
                "AT%CMNG=0,16842753,2,\"-----BEGIN RSA PRIVATE KEY-----\\n...\\n-----END RSA PRIVATE KEY-----\\n\"",
                "AT%CMNG=0,16842753,0,\"" + Vectors.AmazonRootCa1 + "\"",
                "AT%CMNG=0,16842753,0,\"" + Vectors.AmazonRootCa1.Replace("\n", "\r\n").TrimEnd() + "\"",
                "AT%CMNG=0,16842753,1,\"" + Vectors.Tv2ClientCertificate + Vectors.AmazonRootCa1 + "\"");

            // 1.3.x stores anything.
            using VirtualModem m13 = Modem(seed: 29);
            Assert.Equal("OK\r\n", m13.Execute("AT%CMNG=0,1,0,\"HONKHONK\""));
        }

        [Fact]
        public void PowerOffWarningAnswers528WhereTheFirmwareKnowsIt()
        {
            using VirtualModem modem = Modem(seed: 30);
            modem.Faults.PowerOffWarning = true;
            AssertEachAnswers(modem, "+CME ERROR: 528\r\n", "AT%CMNG=0,1,4,\"x\"", "AT%CMNG=3,1,4", "AT%KEYGEN=1,2,0", "AT%XPMNG=0,\"k\"");
            Assert.EndsWith("OK\r\n", modem.Execute("AT%CMNG=1"));
            modem.Faults.PowerOffWarning = false;
            Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,1,4,\"x\""));

            using VirtualModem old = Modem("mfw_nrf9160_0.7.0", 31);
            old.Faults.PowerOffWarning = true;
            Assert.Equal("OK\r\n", old.Execute("AT%CMNG=0,1,4,\"x\""));
        }

        [Fact]
        public void KeygenAndAttestTokenAreUnknownOnFirmware070()
        {
            using VirtualModem old = Modem("mfw_nrf9160_0.7.0", 32);
            AssertEachAnswers(old, "+CME ERROR: 0\r\n", "AT%KEYGEN=42,2,0", "AT%ATTESTTOKEN", "AT%HWVERSION");
            Assert.Equal("OK\r\n", old.Execute("AT+CMEE=0"));
            Assert.Equal("ERROR\r\n", old.Execute("AT%KEYGEN=42,2,0"));
            Assert.Equal("mfw_nrf9160_0.7.0-29.alpha\r\nOK\r\n", old.Execute("AT+CGMR"));
        }

        [Fact]
        public void RemovedAndPreloadedEntriesAreInspectable()
        {
            using VirtualModem modem = Modem(seed: 33);
            modem.Preload(3, 0, Raw.Bytes(Vectors.AmazonRootCa1));
            VirtualCredential entry = modem.Credentials.First();
            Assert.Equal((3u, 0, 1188, CredentialOrigin.Preloaded), (entry.SecTag, entry.Type, entry.Size, entry.Origin));
            Assert.Equal(Vectors.AmazonRootCa1Digest, entry.Sha256);
            Assert.Equal("%CMNG: 3,0,\"" + Vectors.AmazonRootCa1Digest + "\"", entry.ToString());
            Assert.True(modem.Remove(3, 0));
            Assert.Equal(3, modem.Credentials.Count);
            Assert.All(modem.Credentials, c => Assert.True(c.IsModemOwned));
            Assert.Throws<ArgumentException>(() => modem.Preload(1, 0, new byte[1], "XYZ"));
        }

        [Fact]
        public void ModelledProcessingTimeAccumulatesWithoutWaiting()
        {
            using VirtualModem modem = Modem(seed: 34);

            // A key generation modelled at a minute: waiting for it would take a minute, not running it a moment.
            modem.ProcessingDelays = new ProcessingDelays { Scale = 0, KeyGeneration = TimeSpan.FromMinutes(1) };
            TimeSpan before = modem.ModelledProcessingTime;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.StartsWith("%KEYGEN: ", modem.Execute("AT%KEYGEN=1,2,0"));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), clock.Elapsed.ToString());
            Assert.True(modem.ModelledProcessingTime - before >= TimeSpan.FromMinutes(1));
            Assert.Equal(TimeSpan.FromMilliseconds(100), VirtualModem.WireTime(1152, 115200));
        }
    }
}
