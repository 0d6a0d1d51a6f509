namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>+CCLK: a settable modem clock in 3GPP 27.007 format, bogus readings included.</summary>
    public sealed class ClockTests
    {
        private static (VirtualModem Modem, IByteLink Link) Start(VirtualModemOptions options)
        {
            var modem = new VirtualModem(options);
            IByteLink link = modem.ConnectInProcess();
            return (modem, link);
        }

        [Fact]
        public void AfterPowerOnTheClockReadsTheFirmwaresDefault()
        {
            (VirtualModem modem, IByteLink link) = Start(new VirtualModemOptions { Seed = 360, ClockRuns = false });
            using (modem)
            using (link)
            {
                Assert.Equal("+CCLK: \"15/02/01,00:00:00+00\"\r\nOK\r\n", Raw.Exchange(link, "AT+CCLK?\r"));
                Assert.Equal(VirtualModem.PowerOnClock, modem.ClockText);
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT+CCLK=?\r"));
                Assert.Equal("ERROR\r\n", Raw.Exchange(link, "AT+CCLK\r"));
            }
        }

        [Fact]
        public void ATimeSetOverAtIsReadBackAndRuns()
        {
            (VirtualModem modem, IByteLink link) = Start(new VirtualModemOptions { Seed = 361 });
            using (modem)
            using (link)
            {
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT+CCLK=\"25/06/30,23:59:59-20\"\r"));
                Assert.Matches("^\\+CCLK: \"25/06/30,23:59:59-20\"\r\nOK\r\n$", Raw.Exchange(link, "AT+CCLK?\r"));
                Thread.Sleep(1100);
                Assert.Matches("^\\+CCLK: \"25/07/01,00:00:0[0-2]-20\"\r\nOK\r\n$", Raw.Exchange(link, "AT+CCLK?\r"));
            }
        }

        [Theory]
        [InlineData("80/01/06,00:00:14+00")] // what some NB-IoT networks leave: year 2080
        [InlineData("80/01/06,00:20:00+36")]
        [InlineData("15/02/01,00:00:00+00")] // never set
        [InlineData("99/12/31,23:59:59+48")]
        [InlineData("00/02/29,12:00:00-48")]
        public void BogusAndEdgeClocksCanBeGivenFromCode(string clock)
        {
            (VirtualModem modem, IByteLink link) = Start(new VirtualModemOptions { Seed = 362, Clock = clock, ClockRuns = false });
            using (modem)
            using (link)
            {
                Assert.Equal("+CCLK: \"" + clock + "\"\r\nOK\r\n", Raw.Exchange(link, "AT+CCLK?\r"));
                modem.SetClock("24/02/29,01:02:03+04");
                Assert.Equal("24/02/29,01:02:03+04", modem.ClockText);
            }
        }

        [Fact]
        public void TwoDigitYearsAreThisCenturyAndZonesAreQuarterHours()
        {
            Assert.Equal("80/01/06,00:00:14+00", VirtualModem.FormatClock(new DateTimeOffset(2080, 1, 6, 0, 0, 14, TimeSpan.Zero)));
            Assert.Equal("25/06/30,19:32:11+22", VirtualModem.FormatClock(new DateTimeOffset(2025, 6, 30, 19, 32, 11, TimeSpan.FromMinutes(330))));
            Assert.Equal("25/06/30,09:02:11-14", VirtualModem.FormatClock(new DateTimeOffset(2025, 6, 30, 9, 2, 11, TimeSpan.FromMinutes(-210))));
            Assert.Throws<ArgumentException>(() => VirtualModem.FormatClock(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(10))));

            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 363, ClockRuns = false });
            modem.SetClock(new DateTimeOffset(2080, 1, 6, 0, 0, 14, TimeSpan.Zero));
            Assert.Equal("80/01/06,00:00:14+00", modem.ClockText);
        }

        [Theory]
        [InlineData("25/06/30,14:02:11")] // no zone
        [InlineData("25/13/01,00:00:00+00")]
        [InlineData("25/02/29,00:00:00+00")]
        [InlineData("25/06/30,24:00:00+00")]
        [InlineData("25/06/30,14:60:00+00")]
        [InlineData("25/06/30,14:02:11+49")]
        [InlineData("2025/06/30,14:02:11+00")]
        [InlineData("")]
        public void MalformedTimesAreRefusedWith50(string clock)
        {
            (VirtualModem modem, IByteLink link) = Start(new VirtualModemOptions { Seed = 364, ClockRuns = false });
            using (modem)
            using (link)
            {
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT+CMEE=1\r"));
                Assert.Equal("+CME ERROR: 50\r\n", Raw.Exchange(link, "AT+CCLK=\"" + clock + "\"\r"));
                Assert.Equal(VirtualModem.PowerOnClock, modem.ClockText);
                Assert.Throws<ArgumentException>(() => modem.SetClock(clock));
                Assert.Throws<ArgumentException>(() => new VirtualModem(new VirtualModemOptions { Clock = clock }));
            }

            // Unquoted, the time is not a string parameter at all.
            using var bare = new VirtualModem(new VirtualModemOptions { Seed = 365 });
            Assert.Equal("OK\r\n", bare.Execute("AT+CMEE=1"));
            Assert.Equal("+CME ERROR: 50\r\n", bare.Execute("AT+CCLK=25/06/30"));
        }

        [Fact]
        public void AResetLosesTheTime()
        {
            (VirtualModem modem, IByteLink link) = Start(new VirtualModemOptions { Seed = 366, Clock = "25/06/30,14:02:11+08", ClockRuns = false });
            using (modem)
            using (link)
            {
                modem.Reboot();
                Raw.ReadUntil(link, s => s.EndsWith("started\r\n", StringComparison.Ordinal), TimeSpan.FromSeconds(2));
                Assert.Equal("+CCLK: \"15/02/01,00:00:00+00\"\r\nOK\r\n", Raw.Exchange(link, "AT+CCLK?\r"));
            }
        }

        [Fact]
        public void HoldingAndReleasingTheClockKeepsItsReading()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 367, Clock = "25/06/30,14:02:11+08" });
            modem.ClockRuns = false;
            string held = modem.ClockText;
            Thread.Sleep(1100);
            Assert.Equal(held, modem.ClockText);
            modem.ClockRuns = true;
            Assert.StartsWith("25/06/30,14:02:1", modem.ClockText); // on from where it was held
        }
    }
}
