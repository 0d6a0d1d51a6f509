using System.Text.RegularExpressions;

namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>URC and log lines between any two output lines, inside multi-line replies too.</summary>
    public sealed class InterleavedNoiseTests
    {
        private static readonly Regex s_logLine = new Regex(@"^\[\d\d:\d\d:\d\d\.\d{3},\d{3}\] <(inf|dbg|wrn)> [a-z_]+: .+$");

        private static string ReadReply(VirtualModemOptions options, Action<VirtualModem>? arrange, string command, Func<string, bool>? done = null)
        {
            using var modem = new VirtualModem(options);
            arrange?.Invoke(modem);
            using IByteLink link = modem.ConnectInProcess();
            Raw.Send(link, command + "\r");
            return Raw.ReadUntil(link, done ?? Raw.EndsWithFinal, TimeSpan.FromSeconds(5));
        }

        private static string[] Lines(string output) => output.Split('\n').Where(l => l.Length > 0).Select(l => l.TrimEnd('\r')).ToArray();

        [Fact]
        public void EveryLineBoundaryOfAPemReadCanCarryALine()
        {
            string clean = "%CMNG: 42,0,\"" + Vectors.AmazonRootCa1Digest + "\",\"" + Vectors.AmazonRootCa1 + "\"\r\nOK\r\n";
            var options = new VirtualModemOptions { Seed = 300, InterleavedNoiseRate = 1, InterleavedNoiseLines = new[] { "+CEREG: 0" } };
            string noisy = ReadReply(options, m => m.Preload(42, 0, Raw.Bytes(Vectors.AmazonRootCa1)), "AT%CMNG=2,42,0");

            // One line after each line of the reply but the last: every PEM line is followed by a URC.
            int boundaries = clean.Count(c => c == '\n') - 1;
            Assert.Equal(clean.Length + (boundaries * "+CEREG: 0\r\n".Length), noisy.Length);
            Assert.Equal(clean, noisy.Replace("+CEREG: 0\r\n", string.Empty));
            Assert.Contains("-----BEGIN CERTIFICATE-----\n+CEREG: 0\r\nMIIDQTCC", noisy);
            Assert.EndsWith("-----END CERTIFICATE-----\n+CEREG: 0\r\n\"\r\n+CEREG: 0\r\nOK\r\n", noisy);
        }

        [Fact]
        public void TheSeedFixesWhereLinesGoAndTheDefaultLinesAreUrcsAndLogLines()
        {
            string Run(int seed) => ReadReply(
                new VirtualModemOptions { Seed = seed, InterleavedNoiseRate = 0.4 },
                m => m.Preload(42, 0, Raw.Bytes(Vectors.AmazonRootCa1)),
                "AT%CMNG=2,42,0");

            // Log lines carry the uptime; everything else is identical under one seed.
            static string Stamp(string s) => Regex.Replace(s, @"\[\d\d:\d\d:\d\d\.\d{3},\d{3}\]", "[T]");
            string first = Run(301);
            Assert.Equal(Stamp(first), Stamp(Run(301)));
            Assert.NotEqual(Stamp(first), Stamp(Run(302)));

            string[] pem = Lines(Vectors.AmazonRootCa1);
            string[] extra = Lines(first).Where(l => !pem.Contains(l) && !l.StartsWith("%CMNG: 42,0,", StringComparison.Ordinal) && l != "\"" && l != "OK").ToArray();
            Assert.NotEmpty(extra);
            Assert.All(extra, l => Assert.True(l.StartsWith('+') || l.StartsWith('%') || s_logLine.IsMatch(l), l));
        }

        [Fact]
        public void ChosenPositionsPutChosenLinesInsideTheReply()
        {
            string noisy = ReadReply(
                new VirtualModemOptions { Seed = 303 },
                m =>
                {
                    m.Preload(42, 0, Raw.Bytes(Vectors.AmazonRootCa1));
                    m.Faults.InterleaveLines(new[] { 1, 3 }, new[] { "+CSCON: 1", "[00:00:28.460,540] <inf> app: tick" }, "AT%CMNG=2");
                },
                "AT%CMNG=2,42,0");

            string[] lines = Lines(noisy);
            Assert.StartsWith("%CMNG: 42,0,", lines[0]);
            Assert.Equal("+CSCON: 1", lines[1]);
            Assert.Equal("MIIDQTCCAimgAwIBAgITBmyfz5m/jAo54vB4ikPmljZbyjANBgkqhkiG9w0BAQsF", lines[2]);
            Assert.Equal("ADA5MQswCQYDVQQGEwJVUzEPMA0GA1UEChMGQW1hem9uMRkwFwYDVQQDExBBbWF6", lines[3]);
            Assert.Equal("[00:00:28.460,540] <inf> app: tick", lines[4]);
            Assert.Equal("OK", lines[^1]);
            // The PEM's lines (the first shares its line with "%CMNG: …"), the lone quote, OK and the two inserted.
            Assert.Equal(Lines(Vectors.AmazonRootCa1).Length + 4, lines.Length);
        }

        [Fact]
        public void ChosenPositionsWorkInAnXpmngReadAndBeforeTheFirstLine()
        {
            string noisy = ReadReply(
                new VirtualModemOptions { Firmware = "mfw_nrf9160_0.7.0", Seed = 304 },
                m => m.Faults.InterleaveLines(new[] { 0, 2, 99 }, new[] { "+CEREG: 0" }),
                "AT%XPMNG=2,0",
                s => s.EndsWith("OK\r\n+CEREG: 0\r\n", StringComparison.Ordinal));

            string[] lines = Lines(noisy);
            Assert.Equal("+CEREG: 0", lines[0]);
            Assert.StartsWith("%XPMNG: \"-----BEGIN PUBLIC KEY-----", lines[1]);
            Assert.Equal("+CEREG: 0", lines[3]);
            Assert.Equal("OK", lines[^2]);
            Assert.Equal("+CEREG: 0", lines[^1]); // past the end: after the final result
        }

        [Fact]
        public void TheKnobCanBeTurnedOnAndOffLiveAndLeavesOtherCommandsAlone()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 305 });
            using IByteLink link = modem.ConnectInProcess();
            Assert.Equal("nRF9160-SICA\r\nOK\r\n", Raw.Exchange(link, "AT+CGMM\r"));
            modem.InterleavedNoiseLines = new[] { "+CSCON: 0" };
            modem.InterleavedNoiseRate = 1;
            Assert.Equal("nRF9160-SICA\r\n+CSCON: 0\r\nOK\r\n", Raw.Exchange(link, "AT+CGMM\r"));
            modem.InterleavedNoiseRate = 0;
            Assert.Equal("nRF9160-SICA\r\nOK\r\n", Raw.Exchange(link, "AT+CGMM\r"));
            Assert.Throws<ArgumentException>(() => modem.InterleavedNoiseLines = new[] { "two\r\nlines" });
        }

        [Fact]
        public void SerialLteModemFramesInterleavedLinesItsOwnWay()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 306, Framing = ModemFraming.SerialLteModem });
            using IByteLink link = modem.ConnectInProcess();
            modem.Faults.InterleaveLines(new[] { 2 }, new[] { "+CEREG: 0" });
            Assert.Equal("\r\nnRF9160-SICA\r\n\r\n+CEREG: 0\r\n\r\nOK\r\n", Raw.Exchange(link, "AT+CGMM\r\n"));
        }
    }
}
