namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>A reset in the middle of a command: while it arrives, before or after the store changes, or part-way through the reply.</summary>
    public sealed class RebootMidCommandTests
    {
        private const string Banner = "*** Booting nRF Connect SDK v2.4.0 ***\r\nThe AT host sample started\r\n";

        /// <summary>Runs <paramref name="test"/> on an offline modem that holds "old" at tag 42, type 0.</summary>
        private static void Start(int seed, Action<VirtualModem, IByteLink> test) => Start(seed, 0, test);

        private static void Start(int seed, double delayScale, Action<VirtualModem, IByteLink> test) =>
            Raw.OverLinkOffline(new VirtualModemOptions { Seed = seed, ProcessingDelays = new ProcessingDelays { Scale = delayScale } }, (modem, link) =>
            {
                modem.Preload(42, 0, Raw.Bytes("old"));
                test(modem, link);
            });

        private static string ReadThroughBoot(IByteLink link) => Raw.ReadUntilEndsWith(link, "started\r\n");

        private static string Write(string content) => "AT%CMNG=0,42,0,\"" + content + "\"\r";

        [Fact]
        public void WhileTheCommandArrivesNothingIsStoredAndTheRestIsLostOrReadAsANewLine()
        {
            Start(330, delayScale: 0.25, (modem, link) => // a 100 ms boot
            {
                modem.Faults.RebootWhileReceiving("AT%CMNG=0", afterBytes: 30);
                Raw.Send(link, Write(Vectors.AmazonRootCa1));
                Assert.Equal(Banner, ReadThroughBoot(link));
                Assert.Equal(Raw.Bytes("old"), modem.GetStoredBytes(42, 0));
                Assert.Equal(1, modem.RebootCount);
                Assert.Equal(0, modem.FunctionalMode);
                Assert.DoesNotContain(modem.ReceivedCommands, c => c.StartsWith("AT%CMNG=0", StringComparison.Ordinal));
                Assert.Equal("+CFUN: 0\r\nOK\r\n", Raw.Exchange(link, "AT+CFUN?\r"));
            });
        }

        [Fact]
        public void TheTailOfTheCommandAfterTheResetOpensAQuoteAndTheConsoleHangs()
        {
            // The rest of the write comes after the boot: its closing quote now opens one, so the
            // terminator is content and nothing answers until another quote closes it.
            Start(331, (modem, link) =>
            {
                string write = Write("abc");
                modem.Faults.RebootWhileReceiving("AT%CMNG=0", afterBytes: 17);
                Raw.Send(link, write.Substring(0, 17));
                Assert.Equal(Banner, ReadThroughBoot(link));
                Raw.Send(link, write.Substring(17));
                Assert.Equal(string.Empty, Raw.ReadFor(link, TimeSpan.FromMilliseconds(300)));
                Assert.Equal("ERROR\r\n", Raw.Exchange(link, "\"\r"));
                Assert.Equal("bc\"\r\"", modem.ReceivedCommands[^1]);
                Assert.Equal(Raw.Bytes("old"), modem.GetStoredBytes(42, 0));
            });
        }

        [Fact]
        public void BeforeTheStoreChangesTheOldContentStays()
        {
            Start(332, (modem, link) =>
            {
                modem.Faults.RebootOn("AT%CMNG=0", execute: false);
                Raw.Send(link, Write("new"));
                Assert.Equal(Banner, ReadThroughBoot(link));
                Assert.Equal(Raw.Bytes("old"), modem.GetStoredBytes(42, 0));
            });
        }

        [Fact]
        public void AfterTheStoreChangesTheNewContentIsThereButTheReplyIsCut()
        {
            Start(333, (modem, link) =>
            {
                modem.Preload(42, 4, Raw.Bytes("identity-1"));
                modem.Faults.RebootMidReply("AT%CMNG=2", afterBytes: 20);
                Raw.Send(link, "AT%CMNG=2,42,4\r");
                string got = ReadThroughBoot(link);
                Assert.StartsWith("%CMNG: 42,4,\"", got);
                Assert.Equal(20 + Banner.Length, got.Length);
                Assert.EndsWith(Banner, got);

                // By default the reset comes just before the final result: the write took effect, no OK.
                modem.Faults.RebootMidReply("AT%CMNG=0");
                Raw.Send(link, Write("new"));
                Assert.Equal(Banner, ReadThroughBoot(link));
                Assert.Equal(Raw.Bytes("new"), modem.GetStoredBytes(42, 0));
                Assert.Equal(2, modem.RebootCount);
            });
        }
    }
}
