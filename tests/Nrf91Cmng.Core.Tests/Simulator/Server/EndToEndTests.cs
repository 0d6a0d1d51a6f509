namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>The real host engine (AtChannel) against the virtual modem in process, over TCP and over a pseudo-terminal with SerialPort.</summary>
    public sealed class EndToEndTests
    {
        public enum Way
        {
            InProcess,
            Tcp,
            PseudoTerminal,
        }

        public static IEnumerable<object[]> Matrix()
        {
            foreach (string firmware in FirmwareProfile.Names)
            {
                // Pseudo-terminals only where the platform has them (not Windows): no case that passes without running.
                foreach (Way way in Enum.GetValues<Way>().Where(w => w != Way.PseudoTerminal || PseudoTerminal.IsSupported))
                {
                    yield return new object[] { firmware, way, 0 };
                    yield return new object[] { firmware, way, 115200 };
                }
            }
        }

        /// <summary>A connected engine; disposing it stops the server too.</summary>
        private sealed class Rig : IDisposable
        {
            public Rig(VirtualModem modem, Way way)
            {
                Modem = modem;
                if (way == Way.Tcp)
                {
                    Server = VirtualModemServer.StartTcp(modem);
                    Channel = Hosts.Tcp(Server);
                }
                else if (way == Way.PseudoTerminal)
                {
                    Server = VirtualModemServer.StartPseudoTerminal(modem);
                    Channel = Hosts.Serial(Server);
                }
                else
                {
                    Channel = Hosts.InProcess(modem);
                }
            }

            public VirtualModem Modem { get; }

            public VirtualModemServer? Server { get; }

            public AtChannel Channel { get; }

            public void Dispose()
            {
                Channel.Dispose();
                Server?.Dispose();
                Modem.Dispose();
                Assert.Null(Modem.LastError);
            }
        }

        [Theory]
        [MemberData(nameof(Matrix))]
        public void ProvisioningScriptRunsThroughTheHostEngine(string firmware, Way way, int baud)
        {
            using var rig = new Rig(new VirtualModem(new VirtualModemOptions { Firmware = firmware, Seed = 50, BaudRate = baud }), way);
            AtChannel at = rig.Channel;
            Assert.True(at.Run("AT+CMEE=1").IsOk);
            Assert.True(at.Run("AT+CFUN=4").IsOk);
            AtResponse revision = at.Run("AT+CGMR");
            Assert.Equal(rig.Modem.Profile.Revision, Assert.Single(revision.Lines));
            Assert.Equal(rig.Modem.Imei, Assert.Single(at.Run("AT+CGSN").Lines));

            string write = "AT%CMNG=0,16842753,0,\"" + Vectors.AmazonRootCa1 + "\"";
            AtResponse written = at.Run(write);
            Assert.True(written.IsOk, written.FinalLine);
            Assert.Equal(Raw.Bytes(Vectors.AmazonRootCa1), rig.Modem.GetStoredBytes(16842753, 0));
            if (baud > 0)
            {
                // The command (up to the CR the modem acts on) and "OK\r\n" both crossed the wire.
                Assert.True(written.Duration >= VirtualModem.WireTime(write.Length + 1 + 4, baud),
                    written.Duration + " < wire time " + VirtualModem.WireTime(write.Length + 5, baud));
            }

            AtResponse list = at.Run("AT%CMNG=1,16842753", prefix: "%CMNG:");
            string expectedDigest = rig.Modem.Profile.PlaceholderDigests ? new string('0', 64) : Vectors.AmazonRootCa1Digest;
            Assert.Equal("%CMNG: 16842753,0,\"" + expectedDigest + "\"", Assert.Single(list.Lines));

            if (baud == 0)
            {
                AtResponse read = at.Run("AT%CMNG=2,16842753,0", prefix: "%CMNG:");
                Assert.Equal("%CMNG: 16842753,0,\"" + expectedDigest + "\",\"" + Vectors.AmazonRootCa1 + "\"", Assert.Single(read.Lines));
            }

            AtResponse missing = at.Run("AT%CMNG=2,16842753,1");
            Assert.Equal((AtResultKind.CmeError, 513), (missing.Result, missing.ErrorCode ?? 0));
            Assert.True(at.Run("AT%CMNG=3,16842753,0").IsOk);
            Assert.Empty(at.Run("AT%CMNG=1,16842753", prefix: "%CMNG:").Lines);
            Assert.Equal(new[] { 4 }, rig.Modem.FunctionalModeHistory);
        }

        [Fact]
        public void PacedRepliesNeverArriveBeforeTheirWireTime()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 51, BaudRate = 9600 });
            using AtChannel at = Hosts.InProcess(modem);
            modem.Preload(1, 0, Raw.Bytes(Vectors.AmazonRootCa1));
            var clock = Stopwatch.StartNew();
            AtResponse list = at.Run("AT%CMNG=1,1,0", prefix: "%CMNG:");
            TimeSpan elapsed = clock.Elapsed;
            string reply = Assert.Single(list.Lines) + "\r\nOK\r\n";

            // The command up to its CR, then the reply, at 9600 baud: about 100 ms, never less.
            TimeSpan wire = VirtualModem.WireTime("AT%CMNG=1,1,0\r".Length + reply.Length, 9600);
            Assert.True(elapsed >= wire, elapsed + " < " + wire);
            Assert.True(list.Duration >= wire, list.Duration + " < " + wire);

            // Live change: off again.
            modem.BaudRate = 0;
            clock.Restart();
            Assert.True(at.Run("AT").IsOk);
        }

        [Fact]
        public void ProcessingDelaysAreWaitedScaledAndModelledInFull()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 52, ProcessingDelays = new ProcessingDelays { Scale = 0.1 } });
            using AtChannel at = Hosts.InProcess(modem);
            TimeSpan before = modem.ModelledProcessingTime;
            AtResponse keygen = at.Run("AT%KEYGEN=3,2,0", prefix: "%KEYGEN:");
            Assert.True(keygen.IsOk);
            Assert.True(keygen.Duration >= TimeSpan.FromMilliseconds(150), keygen.Duration.ToString());
            Assert.True(modem.ModelledProcessingTime - before >= TimeSpan.FromMilliseconds(1500));
        }

        [Fact]
        public void ShellFirmwareWorksThroughTheEngineInShellMode()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Framing = ModemFraming.Shell, Seed = 53 });
            using AtChannel at = Hosts.InProcess(modem);
            at.Mode = CommandMode.Shell;
            Assert.Equal(modem.Imei, Assert.Single(at.Run("AT+CGSN").Lines));
            Assert.True(at.Run("AT+CFUN=4").IsOk);
            Assert.True(at.Run("AT%CMNG=0,42,0,\"" + Vectors.AmazonRootCa1 + "\"").IsOk);
            string crlf = Vectors.AmazonRootCa1.Replace("\n", "\r\n");
            Assert.Equal(Raw.Bytes(crlf), modem.GetStoredBytes(42, 0));
            string digest = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Raw.Bytes(crlf)));
            Assert.Equal("%CMNG: 42,0,\"" + digest + "\"", Assert.Single(at.Run("AT%CMNG=1,42", prefix: "%CMNG:").Lines));
        }

        [Fact]
        public void SerialLteModemWorksThroughTheEngine()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Framing = ModemFraming.SerialLteModem, Seed = 54 });
            using AtChannel at = Hosts.InProcess(modem);
            Assert.True(at.Run("AT+CMEE=1").IsOk);
            Assert.Equal(513, at.Run("AT%CMNG=2,1,0").ErrorCode);
            Assert.True(at.Run("AT%CMNG=0,1,0,\"" + Vectors.AmazonRootCa1 + "\"").IsOk);
            Assert.Single(at.Run("AT%CMNG=1,1", prefix: "%CMNG:").Lines);
        }

        [Fact]
        public void NoiseAroundFunctionalModeChangesIsKeptApartByTheEngine()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 55, UnsolicitedNoise = true });
            using AtChannel at = Hosts.InProcess(modem);
            Assert.True(at.Run("AT+CFUN=1").IsOk);
            Thread.Sleep(400);
            AtResponse off = at.Run("AT+CFUN=4");
            Assert.True(off.IsOk);
            Assert.Contains("+CSCON: 1", off.Unsolicited);
            Assert.Contains("+CEREG: 0", off.Unsolicited);
            Assert.Contains("+CSCON: 0", off.Unsolicited);
            Assert.Contains(off.Unsolicited, u => u.Contains("<inf> lte_lc:", StringComparison.Ordinal));

            modem.RandomNoiseRate = 1;
            modem.Preload(7, 4, Raw.Bytes("id"));
            for (int i = 0; i < 5; i++)
            {
                AtResponse list = at.Run("AT%CMNG=1,7", prefix: "%CMNG:");
                Assert.Single(list.Lines);
                Assert.NotEmpty(list.Unsolicited);
                Assert.Equal(modem.Imei, Assert.Single(at.Run("AT+CGSN").Lines));
            }
        }

        [Fact]
        public void TcpServerAcceptsReconnectsAndTheNewcomerTakesOver()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 56 });
            using VirtualModemServer server = VirtualModemServer.StartTcp(modem);
            Assert.StartsWith("tcp://127.0.0.1:", server.Address);
            Assert.Equal(VirtualModemServerKind.Tcp, server.Kind);
            using (AtChannel first = Hosts.Tcp(server))
            {
                Assert.True(first.Run("AT+CFUN=4").IsOk);
            }

            using AtChannel second = Hosts.Tcp(server);
            Assert.True(second.Run("AT").IsOk);
            using AtChannel third = Hosts.Tcp(server);
            Assert.True(third.Run("AT+CFUN?").IsOk);
            Assert.Throws<ModemConnectionException>(() => second.Run("AT", TimeSpan.FromSeconds(2)));
            Assert.Equal(3, server.ConnectionCount);
            Assert.Equal(4, modem.FunctionalMode);
        }

        [PseudoTerminalFact]
        public void PseudoTerminalVanishesLikeAnUnpluggedBoard()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 57 });
            using VirtualModemServer server = VirtualModemServer.StartPseudoTerminal(modem);
            Assert.True(File.Exists(server.Address));
            using AtChannel at = Hosts.Serial(server);
            Assert.True(at.Run("AT").IsOk);
            server.Vanish();
            Assert.False(server.IsRunning);
            ModemException ex = Assert.ThrowsAny<ModemException>(() => at.Run("AT", TimeSpan.FromSeconds(1)));
            Assert.IsType<ModemConnectionException>(ex);
            at.Dispose();

            // The device node goes once the last client let go of it.
            WaitUntil(() => !File.Exists(server.Address), "the device node to go");
        }

        [PseudoTerminalFact]
        public void NobodyReadingThePseudoTerminalNeverBlocksTheModem()
        {
            // The writer waits up to 30 s for a reader: long enough that only cancelling it makes Dispose prompt.
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 58 }) { WriteTimeout = TimeSpan.FromSeconds(30) };
            var server = VirtualModemServer.StartPseudoTerminal(modem);
            using (AtChannel at = Hosts.Serial(server))
            {
                // The port is open but nobody reads it: a flood of about 150 KB, more than the
                // pseudo-terminal buffers, fills them and the modem's writer waits for room. The event: its
                // first byte arrived (one byte read frees one byte of room; the writer still waits).
                var first = new byte[1];
                modem.Faults.UrcFlood(5000);
                Assert.Equal(1, at.Transport.Read(first, 0, 1, TimeSpan.FromSeconds(30), CancellationToken.None));

                // Someone reads again: the modem answers.
                at.Transport.DiscardInput();
                Assert.True(at.Run("AT", TimeSpan.FromSeconds(30)).IsOk);

                // Nobody reads again, and the writer is waiting when the modem goes: Dispose does not wait for it.
                modem.Faults.UrcFlood(5000);
                Assert.Equal(1, at.Transport.Read(first, 0, 1, TimeSpan.FromSeconds(30), CancellationToken.None));
                var clock = Stopwatch.StartNew();
                server.Dispose();
                modem.Dispose();
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "a writer blocked on a port nobody reads held up Dispose for " + clock.Elapsed);
            }

            Assert.False(modem.IsServing);
        }

        [Fact]
        public void DisposeStopsEveryServingThreadPromptly()
        {
            var modem = new VirtualModem(new VirtualModemOptions { Seed = 59, ProcessingDelays = new ProcessingDelays { Scale = 1, KeyGeneration = TimeSpan.FromSeconds(60) } });
            VirtualModemServer server = VirtualModemServer.StartTcp(modem);
            using (AtChannel tcp = Hosts.Tcp(server))
            {
                Assert.True(tcp.Run("AT").IsOk);
            }

            // The in-process connection takes over; a key generation of a minute is running when the modem goes.
            IByteLink link = modem.ConnectInProcess();
            Raw.Send(link, "AT%KEYGEN=1,2,0\r");
            WaitUntil(() => modem.ReceivedCommands.Contains("AT%KEYGEN=1,2,0"), "the key generation to start");
            var clock = Stopwatch.StartNew();
            modem.Dispose();
            server.Dispose();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "Dispose waited for the key generation: " + clock.Elapsed);
            Assert.False(modem.IsServing);
            Assert.Throws<LinkClosedException>(() => Raw.ReadFor(link, TimeSpan.FromMilliseconds(200)));
            Assert.Throws<ObjectDisposedException>(() => modem.ConnectInProcess());
        }

        [Fact]
        public void ServersReleaseTheirPortWhenTheModemGoesOrDropsThePty()
        {
            var modem = new VirtualModem(new VirtualModemOptions { Seed = 73 });
            VirtualModemServer tcp = VirtualModemServer.StartTcp(modem);
            modem.Dispose();
            WaitUntil(() => !tcp.IsRunning, "the TCP server to stop with its modem");
            Assert.Throws<System.Net.Sockets.SocketException>(() => Hosts.Tcp(tcp));
            tcp.Dispose();

            if (!PseudoTerminal.IsSupported)
            {
                return;
            }

            using var modem2 = new VirtualModem(new VirtualModemOptions { Seed = 74 });
            using VirtualModemServer pty = VirtualModemServer.StartPseudoTerminal(modem2);
            using AtChannel at = Hosts.Serial(pty);
            modem2.Faults.Drop("AT+CGMR");
            Assert.Throws<ModemConnectionException>(() => at.Run("AT+CGMR", TimeSpan.FromSeconds(2)));
            WaitUntil(() => !pty.IsRunning, "the pseudo-terminal server to stop after the drop");
            Assert.Null(modem2.LastError);
        }

        /// <summary>Returns once <paramref name="condition"/> holds (an event, not a pause); fails after a bound only a hang reaches.</summary>
        private static void WaitUntil(Func<bool> condition, string what)
        {
            Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30)), "Waited 30 s for " + what + ", in vain.");
        }
    }
}
