using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>
    /// A CA chain over 4 KB: %CMNG=0 can never write it through at_host (the command does not fit the
    /// 4096-byte buffer), but a board can hold one; preloaded from code it lists its real digest and
    /// reads back the way the firmware answers, cut at 4095 bytes with no final result.
    /// </summary>
    public sealed class BigPreloadTests
    {
        /// <summary>RSA CA certificates, LF line ends, over 4600 bytes; made once (key generation is slow).</summary>
        private static readonly Lazy<string> s_chain = new Lazy<string>(() => MakeChain(4600));

        private static string Chain() => s_chain.Value;

        private static string MakeChain(int minimumLength)
        {
            var pem = new StringBuilder();
            for (int i = 0; pem.Length <= minimumLength; i++)
            {
                using RSA key = RSA.Create(2048);
                var request = new CertificateRequest("CN=Test CA " + i + ", O=Nrf91Cmng tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
                pem.Append(certificate.ExportCertificatePem().Replace("\r\n", "\n")).Append('\n');
            }

            return pem.ToString();
        }

        private static string Sha(string text) => Convert.ToHexString(SHA256.HashData(Raw.Bytes(text)));

        [Theory]
        [InlineData("mfw_nrf9160_1.3.5")]
        [InlineData("mfw_nrf91x1_2.0.2")]
        public void APreloadedChainOver4KbListsItsRealDigestAndReadsBackCutAt4095Bytes(string firmware)
        {
            string chain = Chain();
            Assert.True(chain.Length > 4600, chain.Length.ToString());
            using var modem = new VirtualModem(new VirtualModemOptions { Firmware = firmware, Seed = 370 });
            using IByteLink link = modem.ConnectInProcess();
            modem.Preload(42, 0, Raw.Bytes(chain));

            VirtualCredential entry = Assert.Single(modem.Credentials, c => c.SecTag == 42);
            Assert.Equal(chain.Length, entry.Size);
            Assert.Equal(Sha(chain), entry.Digest);
            Assert.Equal("%CMNG: 42,0,\"" + Sha(chain) + "\"\r\nOK\r\n", Raw.Exchange(link, "AT%CMNG=1,42,0\r"));

            // The read: the modem's reply does not fit at_host's 4096-byte buffer, so the console writes
            // the first 4095 characters and nothing after them: no closing quote, no OK.
            Raw.Send(link, "AT%CMNG=2,42,0\r");
            string read = Raw.ReadFor(link, TimeSpan.FromMilliseconds(600));
            string full = "%CMNG: 42,0,\"" + Sha(chain) + "\",\"" + chain + "\"\r\nOK\r\n";
            Assert.Equal(VirtualModem.AtHostMaxCommandLength, read.Length);
            Assert.Equal(full.Substring(0, VirtualModem.AtHostMaxCommandLength), read);
            Assert.DoesNotContain("OK\r\n", read);

            // The modem still answers the next command.
            Assert.Equal("+CFUN: 0\r\nOK\r\n", Raw.Exchange(link, "AT+CFUN?\r"));
        }

        [Fact]
        public void TheSameChainCannotBeWrittenThroughAtHostItHangsTheConsole()
        {
            string chain = Chain();
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 371 });
            using IByteLink link = modem.ConnectInProcess();
            Assert.Equal("OK\r\n", Raw.Exchange(link, "AT+CFUN=4\r"));
            Raw.Send(link, "AT%CMNG=0,42,0,\"" + chain + "\"\r");
            Assert.Equal(string.Empty, Raw.ReadFor(link, TimeSpan.FromMilliseconds(500)));
            Assert.Null(modem.GetStoredBytes(42, 0));

            // Preloading it is the only way in; with replies left whole, the read is complete.
            using var roomy = new VirtualModem(new VirtualModemOptions { Seed = 372, TruncateLongReplies = false });
            using IByteLink roomyLink = roomy.ConnectInProcess();
            roomy.Preload(42, 0, Raw.Bytes(chain));
            Assert.Equal("%CMNG: 42,0,\"" + Sha(chain) + "\",\"" + chain + "\"\r\nOK\r\n", Raw.Exchange(roomyLink, "AT%CMNG=2,42,0\r"));
        }

        [Fact]
        public void SerialLteModemCutsTheSameWayBehindItsOwnFraming()
        {
            string chain = Chain();
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 373, Framing = ModemFraming.SerialLteModem });
            using IByteLink link = modem.ConnectInProcess();
            modem.Preload(42, 0, Raw.Bytes(chain));
            Raw.Send(link, "AT%CMNG=2,42,0\r\n");
            string read = Raw.ReadFor(link, TimeSpan.FromMilliseconds(600));
            Assert.Equal("\r\n" + ("%CMNG: 42,0,\"" + Sha(chain) + "\",\"" + chain).Substring(0, VirtualModem.AtHostMaxCommandLength), read);
        }
    }
}
