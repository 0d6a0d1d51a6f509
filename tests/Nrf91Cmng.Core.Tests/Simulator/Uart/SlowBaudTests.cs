namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>Slow lines with real pacing: 10 bit times per byte each way, end to end at 9600 baud.</summary>
    public sealed class SlowBaudTests
    {
        private static readonly TimeSpan s_slack = TimeSpan.FromMilliseconds(400);

        [Fact]
        public void A1200ByteWriteTakesItsWireTimeAt9600AndNoMore()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 350, BaudRate = 9600 });
            using IByteLink link = modem.ConnectInProcess();
            Assert.Equal("OK\r\n", Raw.Exchange(link, "AT+CFUN=4\r"));
            string write = "AT%CMNG=0,42,0,\"" + Vectors.AmazonRootCa1 + "\"\r";
            var clock = Stopwatch.StartNew();
            Assert.Equal("OK\r\n", Raw.Exchange(link, write, TimeSpan.FromSeconds(5)));
            TimeSpan elapsed = clock.Elapsed;

            // 1205 bytes in and 4 out: 1.26 s on the wire, whatever the host's write did.
            TimeSpan wire = VirtualModem.WireTime(write.Length + 4, 9600);
            Assert.InRange(wire.TotalSeconds, 1.25, 1.27);
            Assert.True(elapsed >= wire, elapsed + " < " + wire);
            Assert.True(elapsed <= wire + s_slack, elapsed + " > " + wire + " + slack");
        }

        [Fact]
        public void A1300ByteReadComesBackAtTheLineRate()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 351, BaudRate = 9600 });
            using IByteLink link = modem.ConnectInProcess();
            modem.Preload(42, 0, Raw.Bytes(Vectors.AmazonRootCa1));
            const string read = "AT%CMNG=2,42,0\r";
            var clock = Stopwatch.StartNew();
            string reply = Raw.Exchange(link, read, TimeSpan.FromSeconds(5));
            TimeSpan elapsed = clock.Elapsed;
            Assert.EndsWith("-----END CERTIFICATE-----\n\"\r\nOK\r\n", reply);
            TimeSpan wire = VirtualModem.WireTime(read.Length + reply.Length, 9600);
            Assert.True(elapsed >= wire, elapsed + " < " + wire);
            Assert.True(elapsed <= wire + s_slack, elapsed + " > " + wire + " + slack");
        }

        public static IEnumerable<object[]> Ways()
        {
            yield return new object[] { "InProcess" };
            if (PseudoTerminal.IsSupported)
            {
                yield return new object[] { "PseudoTerminal" };
            }
        }

        [Theory]
        [MemberData(nameof(Ways))]
        public void AWholeProvisioningRunsThroughTheEngineAt9600(string way)
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 352, BaudRate = 9600 });
            VirtualModemServer? server = way == "PseudoTerminal" ? VirtualModemServer.StartPseudoTerminal(modem) : null;
            try
            {
                using AtChannel at = server is null ? Hosts.InProcess(modem) : Hosts.Serial(server);
                long inBefore = modem.BytesReceived;
                long outBefore = modem.BytesSent;
                var clock = Stopwatch.StartNew();
                Assert.True(at.Run("AT+CMEE=1").IsOk);
                Assert.True(at.Run("AT+CFUN=4").IsOk);
                AtResponse written = at.Run("AT%CMNG=0,16842753,0,\"" + Vectors.AmazonRootCa1 + "\"", TimeSpan.FromSeconds(10));
                Assert.True(written.IsOk, written.FinalLine);
                AtResponse list = at.Run("AT%CMNG=1,16842753", prefix: "%CMNG:");
                Assert.Equal("%CMNG: 16842753,0,\"" + Vectors.AmazonRootCa1Digest + "\"", Assert.Single(list.Lines));
                AtResponse read = at.Run("AT%CMNG=2,16842753,0", TimeSpan.FromSeconds(10), prefix: "%CMNG:");
                Assert.Equal("%CMNG: 16842753,0,\"" + Vectors.AmazonRootCa1Digest + "\",\"" + Vectors.AmazonRootCa1 + "\"", Assert.Single(read.Lines));
                Assert.True(at.Run("AT%CMNG=3,16842753,0").IsOk);
                TimeSpan elapsed = clock.Elapsed;

                // Everything crossed the wire one way or the other, one exchange after the other.
                Assert.True(SpinWait.SpinUntil(() => modem.BytesSent - outBefore >= 4 + 4 + 4 + 4, 1000));
                TimeSpan wire = VirtualModem.WireTime(modem.BytesReceived - inBefore + modem.BytesSent - outBefore, 9600);
                Assert.True(wire > TimeSpan.FromSeconds(2.6), wire.ToString());
                Assert.True(elapsed >= wire - TimeSpan.FromMilliseconds(20), elapsed + " < " + wire);
                Assert.True(elapsed <= wire + TimeSpan.FromSeconds(2), elapsed + " > " + wire + " + 2 s");
                Assert.Null(modem.LastError);
            }
            finally
            {
                server?.Dispose();
            }
        }
    }
}
