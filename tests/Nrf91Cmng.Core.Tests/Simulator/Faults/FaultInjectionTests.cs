namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>Injected faults as the host engine experiences them.</summary>
    public sealed class FaultInjectionTests
    {
        private static readonly TimeSpan s_short = TimeSpan.FromMilliseconds(300);

        /// <summary>Runs <paramref name="test"/> against a fresh modem with <paramref name="seed"/> and an in-process AT engine that probes briefly when resyncing.</summary>
        private static void OnChannel(int seed, VirtualModemOptions? options, Action<VirtualModem, AtChannel> test)
        {
            options ??= new VirtualModemOptions();
            options.Seed = seed;
            using var modem = new VirtualModem(options);
            using AtChannel at = Hosts.InProcess(modem);
            at.ResyncProbeTimeout = TimeSpan.FromMilliseconds(500);
            test(modem, at);
        }

        private static void OnChannel(int seed, Action<VirtualModem, AtChannel> test) => OnChannel(seed, null, test);

        [Fact]
        public void NoReplyTimesOutAndTheNextCommandResynchronises()
        {
            OnChannel(60, (modem, at) =>
            {
                FaultRule rule = modem.Faults.NoReply("AT+CGMR");
                Assert.Single(modem.Faults.Armed);
                ModemTimeoutException timeout = Assert.Throws<ModemTimeoutException>(() => at.Run("AT+CGMR", s_short));
                Assert.Contains("nothing at all came back", timeout.LikelyCause);
                Assert.Empty(modem.Faults.Armed);
                Assert.Equal(0, rule.Remaining);
                Assert.True(at.NeedsResync);

                Assert.Equal("nRF9160-SICA", Assert.Single(at.Run("AT+CGMM").Lines));
                // A probe, and a second one that confirms the first OK was not a late answer.
                Assert.Equal(new[] { "AT+CGMR", "AT", "AT", "AT+CGMM" }, modem.ReceivedCommands);
            });
        }

        [Fact]
        public void NoReplyCanStillExecuteTheCommand()
        {
            OnChannel(61, (modem, at) =>
            {
                modem.Faults.NoReply("AT+CFUN", execute: true);
                Assert.Throws<ModemTimeoutException>(() => at.Run("AT+CFUN=4", s_short));
                Assert.Equal(4, modem.FunctionalMode);
            });
        }

        [Fact]
        public void ALostWriteWithAQuoteIsErasedNotExecutedByTheEnginesRecovery()
        {
            OnChannel(62, (modem, at) =>
            {
                // A write whose closing quote got lost: at_host now takes every terminator as content.
                Raw.Send(new TransportLink(at.Transport), "AT%CMNG=0,1,0,\"-----BEGIN\r\n");
                Assert.Throws<ModemTimeoutException>(() => at.Run("AT", s_short));
                Assert.True(at.Run("AT+CGMI").IsOk);
                // The engine erased the pending line (backspaces, a quote toggle) instead of submitting it: no half-written credential.
                Assert.Null(modem.GetStoredBytes(1, 0));
            });
        }

        [Fact]
        public void DropClosesTheLinkWhenTheCommandArrives()
        {
            OnChannel(63, (modem, at) =>
            {
                modem.Faults.Drop("AT+CGMR");
                ModemConnectionException ex = Assert.Throws<ModemConnectionException>(() => at.Run("AT+CGMR", TimeSpan.FromSeconds(2)));
                Assert.Equal(ErrorIds.ConnectionLost, ex.ErrorId);
                Assert.False(at.IsUsable);
            });
        }

        [Fact]
        public void DropMidWriteLeavesThePartialLineInTheDevice()
        {
            OnChannel(64, new VirtualModemOptions { BaudRate = 0 }, (modem, at) =>
            {
                Assert.True(at.Run("AT+CMEE=1").IsOk);
                modem.Faults.Drop("AT%CMNG=0", afterBytes: 200);
                Assert.Throws<ModemConnectionException>(() => at.Run("AT%CMNG=0,42,0,\"" + Vectors.AmazonRootCa1 + "\"", TimeSpan.FromSeconds(2)));
                Assert.Null(modem.GetStoredBytes(42, 0));
                Assert.Equal(new[] { "AT+CMEE=1" }, modem.ReceivedCommands);

                // Reconnected: the device still sits inside the open quote, so AT gets no answer.
                using IByteLink link = modem.ConnectInProcess();
                Raw.Send(link, "AT\r");
                Assert.Equal(string.Empty, Raw.ReadFor(link, s_short));
                Assert.Equal("OK\r\n", Raw.Exchange(link, "\"\r"));
                Assert.StartsWith("AT%CMNG=0,42,0,\"-----BEGIN CERTIFICATE-----", modem.ReceivedCommands.Last());
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT\r"));
            });
        }

        [Fact]
        public void DropNowClosesAnIdleConnection()
        {
            OnChannel(65, (modem, at) =>
            {
                Assert.True(at.Run("AT").IsOk);
                modem.Faults.DropNow();
                Thread.Sleep(100);
                Assert.False(at.Transport.IsOpen);
                ModemException ex = Assert.ThrowsAny<ModemException>(() => at.Run("AT", TimeSpan.FromSeconds(1)));
                Assert.Equal(ErrorIds.SessionUnusable, ex.ErrorId);
            });
        }

        [Fact]
        public void RebootDuringACommandIsReportedAndResetsThePowerOnState()
        {
            OnChannel(66, (modem, at) =>
            {
                Assert.True(at.Run("AT+CMEE=1").IsOk);
                Assert.True(at.Run("AT+CFUN=4").IsOk);
                modem.Preload(3, 4, Raw.Bytes("kept"));
                modem.Faults.RebootOn("AT%CMNG=0", execute: true);
                ModemException ex = Assert.Throws<ModemException>(() => at.Run("AT%CMNG=0,3,4,\"new\"", TimeSpan.FromSeconds(2)));
                Assert.Equal(ErrorIds.ModemRestarted, ex.ErrorId);
                Assert.Equal(1, at.RestartCount);
                Assert.Equal(1, modem.RebootCount);
                Assert.Equal(0, modem.FunctionalMode);
                Assert.Equal(0, modem.ErrorReporting);
                Assert.Equal(Raw.Bytes("new"), modem.GetStoredBytes(3, 4));

                AtResponse after = at.Run("AT%CMNG=2,3,99");
                Assert.Equal(AtResultKind.Error, after.Result);
            });
        }

        [Fact]
        public void RebootBetweenCommandsPrintsTheBanner()
        {
            Raw.OverLink(new VirtualModemOptions { Seed = 67, ProcessingDelays = new ProcessingDelays { Scale = 0.25 } }, (modem, link) =>
            {
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT+CFUN=4\r"));
                modem.Faults.RebootNow();
                Raw.Send(link, "AT+CGMR\r"); // lost: the board is still booting (100 ms at this scale)
                string banner = Raw.ReadUntilEndsWith(link, "started\r\n");
                Assert.Equal("*** Booting nRF Connect SDK v2.4.0 ***\r\nThe AT host sample started\r\n", banner);
                Assert.DoesNotContain("AT+CGMR", modem.ReceivedCommands);
                Assert.Equal("+CFUN: 0\r\nOK\r\n", Raw.Exchange(link, "AT+CFUN?\r"));
            });

            using var slm = new VirtualModem(new VirtualModemOptions { Seed = 68, Framing = ModemFraming.SerialLteModem });
            using IByteLink slmLink = slm.ConnectInProcess();
            slm.Reboot();
            Assert.EndsWith("\r\nReady\r\n", Raw.ReadUntilEndsWith(slmLink, "Ready\r\n"));
        }

        [Fact]
        public void InjectedCmeErrorsRespectCmeeAndCount()
        {
            OnChannel(69, (modem, at) =>
            {
                modem.Faults.CmeError(519, "at%keygen", count: 2);
                Assert.Equal(AtResultKind.Error, at.Run("AT%KEYGEN=1,2,0").Result);
                Assert.True(at.Run("AT+CMEE=1").IsOk);
                Assert.Equal(519, at.Run("AT%KEYGEN=1,2,0").ErrorCode);
                Assert.True(at.Run("AT%KEYGEN=1,2,0", prefix: "%KEYGEN:").IsOk);
                modem.Faults.CmeError(523);
                Assert.Equal(523, at.Run("AT+CGMR").ErrorCode);
                Assert.Single(modem.Credentials, c => c.Origin == CredentialOrigin.Generated);
            });
        }

        [Fact]
        public void GarbagePartialRepliesAndFloodsReachTheHost()
        {
            Raw.OverLink(new VirtualModemOptions { Seed = 70 }, (modem, link) =>
            {
                modem.Faults.Garbage(new byte[] { 0xFF, 0x00, 0xFE }, "AT+CGMM");
                Assert.Equal("\xFF\0\xFEnRF9160-SICA\r\nOK\r\n", Raw.Exchange(link, "AT+CGMM\r"));

                modem.Faults.PartialReply(5, "AT+CGMI");
                Assert.Equal("Nordi", Raw.Exchange(link, "AT+CGMI\r", s_short));

                modem.Faults.InjectGarbage(new byte[] { 0x7E, 0x0D });
                Assert.Equal("~\r", Raw.ReadFor(link, TimeSpan.FromMilliseconds(100)));

                modem.Faults.UrcFlood(50);
                string flood = Raw.ReadUntil(link, s => s.Split("\r\n").Length > 50, TimeSpan.FromSeconds(2));
                Assert.Equal(50, flood.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
            });

            OnChannel(71, (modem2, at) =>
            {
                modem2.Faults.UrcFlood(200);
                Thread.Sleep(50);
                Assert.Equal(modem2.Imei, Assert.Single(at.Run("AT+CGSN").Lines));
                modem2.Faults.PartialReply(commandPrefix: "AT+CGMR");
                Assert.Throws<ModemTimeoutException>(() => at.Run("AT+CGMR", s_short));
                Assert.True(at.Run("AT").IsOk);
            });
        }

        [Fact]
        public void PowerOffWarningRaisesTheUrcWhenSubscribed()
        {
            OnChannel(72, (modem, at) =>
            {
                Assert.True(at.Run("AT+CMEE=1").IsOk);
                Assert.True(at.Run("AT%XPOFWARN=1,30").IsOk);
                modem.Faults.PowerOffWarning = true;
                Thread.Sleep(60);
                AtResponse refused = at.Run("AT%CMNG=0,1,4,\"id\"");
                Assert.Equal(528, refused.ErrorCode);
                modem.Faults.Clear();
                Assert.True(at.Run("AT%CMNG=0,1,4,\"id\"").IsOk);
            });
        }

        /// <summary>Writes through a transport to reach the device without the engine's framing.</summary>
        private sealed class TransportLink : IByteLink
        {
            private readonly IModemTransport _transport;

            public TransportLink(IModemTransport transport) => _transport = transport;

            public bool IsOpen => _transport.IsOpen;

            public int Read(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken) =>
                _transport.Read(buffer, offset, count, timeout, cancellationToken);

            public void Write(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                _transport.Write(buffer, offset, count, cancellationToken);

            public void Dispose()
            {
            }
        }
    }
}
