namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>Replies that stall part-way, or whose final result comes late.</summary>
    public sealed class ReplyTimingTests
    {
        /// <summary>Reads and notes when the text read so far first satisfied each condition.</summary>
        private static Dictionary<string, TimeSpan> Arrivals(IByteLink link, TimeSpan window, params (string Name, Func<string, bool> Seen)[] marks)
        {
            var arrivals = new Dictionary<string, TimeSpan>();
            var received = new System.Text.StringBuilder();
            var buffer = new byte[4096];
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < window && arrivals.Count < marks.Length)
            {
                int n = link.Read(buffer, 0, buffer.Length, TimeSpan.FromMilliseconds(5), CancellationToken.None);
                received.Append(Raw.Text(buffer, n));
                foreach ((string name, Func<string, bool> seen) in marks)
                {
                    if (!arrivals.ContainsKey(name) && seen(received.ToString()))
                    {
                        arrivals[name] = clock.Elapsed;
                    }
                }
            }

            return arrivals;
        }

        [Fact]
        public void AReplyStallsAfterTheChosenByteThenGoesOn()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 320 });
            using IByteLink link = modem.ConnectInProcess();
            modem.Faults.StallReply(TimeSpan.FromMilliseconds(600), afterBytes: 7, commandPrefix: "AT+CGMM");
            Raw.Send(link, "AT+CGMM\r");
            Dictionary<string, TimeSpan> at = Arrivals(link, TimeSpan.FromSeconds(3),
                ("head", s => s == "nRF9160"),
                ("more", s => s.Length > 7),
                ("ok", s => s == "nRF9160-SICA\r\nOK\r\n"));
            Assert.True(at["head"] < TimeSpan.FromMilliseconds(300), at["head"].ToString());
            Assert.True(at["more"] - at["head"] >= TimeSpan.FromMilliseconds(550), (at["more"] - at["head"]).ToString());
            Assert.True(at["ok"] >= at["more"]);
        }

        [Fact]
        public void TheFinalOkComesLateByDefault()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 321 });
            using IByteLink link = modem.ConnectInProcess();
            modem.Preload(42, 0, Raw.Bytes(Vectors.AmazonRootCa1));
            modem.Faults.StallReply(TimeSpan.FromMilliseconds(600), commandPrefix: "AT%CMNG=2");
            Raw.Send(link, "AT%CMNG=2,42,0\r");
            Dictionary<string, TimeSpan> at = Arrivals(link, TimeSpan.FromSeconds(3),
                ("content", s => s.EndsWith("-----END CERTIFICATE-----\n\"\r\n", StringComparison.Ordinal)),
                ("ok", s => s.EndsWith("\"\r\nOK\r\n", StringComparison.Ordinal)));
            // The content is all there before the stall, and the OK comes a stall later (a lower bound:
            // no window a busy machine can miss).
            Assert.True(at["ok"] - at["content"] >= TimeSpan.FromMilliseconds(550), (at["ok"] - at["content"]).ToString());
        }

        [Fact]
        public void TheStallIsBeforeAnErrorResultToo()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 322 });
            using IByteLink link = modem.ConnectInProcess();
            Assert.Equal("OK\r\n", Raw.Exchange(link, "AT+CMEE=1\r"));
            modem.Faults.StallReply(TimeSpan.FromMilliseconds(400), commandPrefix: "AT%CMNG=2");
            var clock = Stopwatch.StartNew();
            Assert.Equal("+CME ERROR: 513\r\n", Raw.Exchange(link, "AT%CMNG=2,7,0\r"));
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(380), clock.Elapsed.ToString());
        }

        [Fact]
        public void TheHostEngineWaitsOutAShortStallAndTimesOutOnALongOne()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 323 });
            using AtChannel at = Hosts.InProcess(modem);
            at.ResyncProbeTimeout = TimeSpan.FromMilliseconds(500);
            modem.Faults.StallReply(TimeSpan.FromMilliseconds(300), commandPrefix: "AT+CGMR");
            AtResponse response = at.Run("AT+CGMR", TimeSpan.FromSeconds(2));
            Assert.True(response.IsOk);
            Assert.Equal("mfw_nrf9160_1.3.5", Assert.Single(response.Lines));

            modem.Faults.StallReply(TimeSpan.FromMilliseconds(1500), commandPrefix: "AT+CGMR");
            ModemTimeoutException timeout = Assert.Throws<ModemTimeoutException>(() => at.Run("AT+CGMR", TimeSpan.FromMilliseconds(700)));
            Assert.NotNull(timeout.LikelyCause);
        }
    }
}
