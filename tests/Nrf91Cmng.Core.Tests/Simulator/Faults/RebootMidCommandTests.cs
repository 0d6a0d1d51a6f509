namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>A reset in the middle of a command: while it arrives, before or after the store changes, or part-way through the reply.</summary>
    public sealed class RebootMidCommandTests
    {
        private const string Banner = "*** Booting nRF Connect SDK v2.4.0 ***\r\nThe AT host sample started\r\n";

        private static (VirtualModem Modem, IByteLink Link) Start(int seed, double delayScale = 0)
        {
            var modem = new VirtualModem(new VirtualModemOptions { Seed = seed, ProcessingDelays = new ProcessingDelays { Scale = delayScale } });
            IByteLink link = modem.ConnectInProcess();
            Assert.Equal("OK\r\n", Raw.Exchange(link, "AT+CFUN=4\r"));
            modem.Preload(42, 0, Raw.Bytes("old"));
            return (modem, link);
        }

        private static string Write(string content) => "AT%CMNG=0,42,0,\"" + content + "\"\r";

        [Fact]
        public void WhileTheCommandArrivesNothingIsStoredAndTheRestIsLostOrReadAsANewLine()
        {
            (VirtualModem modem, IByteLink link) = Start(330, delayScale: 0.25); // a 100 ms boot
            using (modem)
            using (link)
            {
                modem.Faults.RebootWhileReceiving("AT%CMNG=0", afterBytes: 30);
                Raw.Send(link, Write(Vectors.AmazonRootCa1));
                Assert.Equal(Banner, Raw.ReadUntil(link, s => s.EndsWith("started\r\n", StringComparison.Ordinal), TimeSpan.FromSeconds(2)));
                Assert.Equal(Raw.Bytes("old"), modem.GetStoredBytes(42, 0));
                Assert.Equal(1, modem.RebootCount);
                Assert.Equal(0, modem.FunctionalMode);
                Assert.DoesNotContain(modem.ReceivedCommands, c => c.StartsWith("AT%CMNG=0", StringComparison.Ordinal));
                Assert.Equal("+CFUN: 0\r\nOK\r\n", Raw.Exchange(link, "AT+CFUN?\r"));
            }
        }

        [Fact]
        public void TheTailOfTheCommandAfterTheResetOpensAQuoteAndTheConsoleHangs()
        {
            // The rest of the write comes after the boot: its closing quote now opens one, so the
            // terminator is content and nothing answers until another quote closes it.
            (VirtualModem modem, IByteLink link) = Start(331);
            using (modem)
            using (link)
            {
                string write = Write("abc");
                modem.Faults.RebootWhileReceiving("AT%CMNG=0", afterBytes: 17);
                Raw.Send(link, write.Substring(0, 17));
                Assert.Equal(Banner, Raw.ReadUntil(link, s => s.EndsWith("started\r\n", StringComparison.Ordinal), TimeSpan.FromSeconds(2)));
                Raw.Send(link, write.Substring(17));
                Assert.Equal(string.Empty, Raw.ReadFor(link, TimeSpan.FromMilliseconds(300)));
                Assert.Equal("ERROR\r\n", Raw.Exchange(link, "\"\r"));
                Assert.Equal("bc\"\r\"", modem.ReceivedCommands[^1]);
                Assert.Equal(Raw.Bytes("old"), modem.GetStoredBytes(42, 0));
            }
        }

        [Fact]
        public void BeforeTheStoreChangesTheOldContentStays()
        {
            (VirtualModem modem, IByteLink link) = Start(332);
            using (modem)
            using (link)
            {
                modem.Faults.RebootOn("AT%CMNG=0", execute: false);
                Raw.Send(link, Write("new"));
                Assert.Equal(Banner, Raw.ReadUntil(link, s => s.EndsWith("started\r\n", StringComparison.Ordinal), TimeSpan.FromSeconds(2)));
                Assert.Equal(Raw.Bytes("old"), modem.GetStoredBytes(42, 0));
            }
        }

        [Fact]
        public void AfterTheStoreChangesTheNewContentIsThereButTheReplyIsCut()
        {
            (VirtualModem modem, IByteLink link) = Start(333);
            using (modem)
            using (link)
            {
                modem.Preload(42, 4, Raw.Bytes("identity-1"));
                modem.Faults.RebootMidReply("AT%CMNG=2", afterBytes: 20);
                Raw.Send(link, "AT%CMNG=2,42,4\r");
                string got = Raw.ReadUntil(link, s => s.EndsWith("started\r\n", StringComparison.Ordinal), TimeSpan.FromSeconds(2));
                Assert.StartsWith("%CMNG: 42,4,\"", got);
                Assert.Equal(20 + Banner.Length, got.Length);
                Assert.EndsWith(Banner, got);

                // By default the reset comes just before the final result: the write took effect, no OK.
                modem.Faults.RebootMidReply("AT%CMNG=0");
                Raw.Send(link, Write("new"));
                Assert.Equal(Banner, Raw.ReadUntil(link, s => s.EndsWith("started\r\n", StringComparison.Ordinal), TimeSpan.FromSeconds(2)));
                Assert.Equal(Raw.Bytes("new"), modem.GetStoredBytes(42, 0));
                Assert.Equal(2, modem.RebootCount);
            }
        }
    }
}
