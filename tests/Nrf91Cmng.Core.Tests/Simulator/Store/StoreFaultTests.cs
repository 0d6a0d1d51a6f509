using System.Security.Cryptography;

namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>Faults that make the store hold other bytes than the host sent, so the listed digest differs.</summary>
    public sealed class StoreFaultTests
    {
        private static string Sha(string text) => Convert.ToHexString(SHA256.HashData(Raw.Bytes(text)));

        /// <summary>Runs <paramref name="test"/> on an offline modem over an in-process link.</summary>
        private static void Start(int seed, Action<VirtualModem, IByteLink> test) => Start(seed, null, test);

        private static void Start(int seed, string? firmware, Action<VirtualModem, IByteLink> test) =>
            Raw.OverLinkOffline(new VirtualModemOptions { Seed = seed, Firmware = firmware }, test);

        [Theory]
        [InlineData("mfw_nrf9160_1.3.5")]
        [InlineData("mfw_nrf91x1_2.0.2")]
        public void ABridgeTurnsLfIntoCrLfSoTheListShowsTheDigestOfOtherBytes(string firmware)
        {
            Start(340, firmware, (modem, link) =>
            {
                modem.Faults.RewriteLineEndings("AT%CMNG=0");
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT%CMNG=0,42,0,\"" + Vectors.AmazonRootCa1 + "\"\r"));

                string stored = Vectors.AmazonRootCa1.Replace("\n", "\r\n");
                Assert.Equal(Raw.Bytes(stored), modem.GetStoredBytes(42, 0));
                Assert.Equal("%CMNG: 42,0,\"" + Sha(stored) + "\"\r\nOK\r\n", Raw.Exchange(link, "AT%CMNG=1,42,0\r"));
                Assert.NotEqual(Vectors.AmazonRootCa1Digest, Sha(stored));

                // The next write goes through untouched (the rule hit one command).
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT%CMNG=0,42,0,\"" + Vectors.AmazonRootCa1 + "\"\r"));
                Assert.Equal("%CMNG: 42,0,\"" + Vectors.AmazonRootCa1Digest + "\"\r\nOK\r\n", Raw.Exchange(link, "AT%CMNG=1,42,0\r"));
            });
        }

        [Fact]
        public void CrLfAlreadyThereStaysAsItIs()
        {
            Start(341, (modem, link) =>
            {
                modem.Faults.RewriteLineEndings();
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT%CMNG=0,7,4,\"a\r\nb\nc\"\r"));
                Assert.Equal(Raw.Bytes("a\r\nb\r\nc"), modem.GetStoredBytes(7, 4));
            });
        }

        [Fact]
        public void AFlippedByteIsStoredListedAndReadBack()
        {
            Start(342, (modem, link) =>
            {
                modem.Faults.FlipStoredByte(offset: 30, mask: 0x20, commandPrefix: "AT%CMNG=0");
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT%CMNG=0,42,0,\"" + Vectors.AmazonRootCa1 + "\"\r"));

                char[] chars = Vectors.AmazonRootCa1.ToCharArray();
                chars[30] = (char)(chars[30] ^ 0x20);
                string stored = new string(chars);
                Assert.Equal(Raw.Bytes(stored), modem.GetStoredBytes(42, 0));
                Assert.Equal("%CMNG: 42,0,\"" + Sha(stored) + "\"\r\nOK\r\n", Raw.Exchange(link, "AT%CMNG=1,42,0\r"));
                Assert.Equal("%CMNG: 42,0,\"" + Sha(stored) + "\",\"" + stored + "\"\r\nOK\r\n", Raw.Exchange(link, "AT%CMNG=2,42,0\r"));
            });
        }

        [Fact]
        public void TheMiddleByteByDefaultAndXpmngWritesToo()
        {
            Start(343, (modem, link) =>
            {
                modem.Faults.FlipStoredByte(commandPrefix: "AT%XPMNG=0");
                modem.Faults.RewriteLineEndings("AT%XPMNG=0");
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT%XPMNG=0,\"ab\ncdef\",1\r"));
                byte[] expected = Raw.Bytes("ab\r\ncdef");
                expected[4] ^= 0x01;
                Assert.Equal(expected, modem.GetStoredBytes(1, 5));
                Assert.Empty(modem.Faults.Armed);
            });
        }

        [Fact]
        public void ReadsListsAndRefusedWritesLeaveTheRuleForTheNextStoredWrite()
        {
            Start(344, (modem, link) =>
            {
                modem.Preload(9, 4, Raw.Bytes("id"));
                FaultRule rule = modem.Faults.FlipStoredByte(offset: 0, commandPrefix: "AT%CMNG");
                Assert.Equal("%CMNG: 9,4,\"" + Sha("id") + "\",\"id\"\r\nOK\r\n", Raw.Exchange(link, "AT%CMNG=2,9,4\r"));
                Assert.EndsWith("OK\r\n", Raw.Exchange(link, "AT%CMNG=1\r"));
                Assert.Equal("ERROR\r\n", Raw.Exchange(link, "AT%CMNG=0,4294967293,0,\"x\"\r")); // refused (514) before storing
                Assert.Same(rule, Assert.Single(modem.Faults.Armed));

                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT%CMNG=0,9,4,\"id\"\r"));
                Assert.Equal(Raw.Bytes("hd"), modem.GetStoredBytes(9, 4));
                Assert.Empty(modem.Faults.Armed);
            });
        }
    }
}
