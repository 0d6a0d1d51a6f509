namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>Another program on the same port: it reads some of the reply, or writes its own bytes to the device.</summary>
    public sealed class SecondClientTests
    {
        private const string CgmmReply = "nRF9160-SICA\r\nOK\r\n";

        [PseudoTerminalFact]
        public void OnAPseudoTerminalASecondOpenOfTheSlaveTakesReplyBytesFromTheClient()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 310 });
            using VirtualModemServer server = VirtualModemServer.StartPseudoTerminal(modem);
            using var client = new SerialPortTransport(server.Address);

            // Which reader the kernel hands the bytes to is a race, as with two real programs: the
            // second client takes the next bytes on the line from that point, or ones just before
            // it that the client has not read yet; the client gets exactly the others, in order.
            int steals = 0;
            for (int attempt = 0; attempt < 20 && steals < 3; attempt++)
            {
                int before = modem.Faults.StolenBytes.Length;
                modem.Faults.StealReply(5, fromByte: 2, commandPrefix: "AT+CGMM");
                Raw.Send(client, "AT+CGMM\r");
                string got = Raw.ReadUntil(client, s => s.EndsWith("OK\r\n", StringComparison.Ordinal), TimeSpan.FromSeconds(2));
                string stolen = Raw.Text(modem.Faults.StolenBytes[before..], modem.Faults.StolenBytes.Length - before);
                Assert.True(IsInterleaving(got, stolen, CgmmReply), "client '" + got + "', second client '" + stolen + "'");
                if (stolen.Length > 0)
                {
                    steals++;
                }
            }

            Assert.True(steals > 0, "In 20 replies the second client never won a read.");
            Assert.Empty(modem.Faults.Armed);
            Assert.Null(modem.LastError);
        }

        [PseudoTerminalFact]
        public void OnAPseudoTerminalStrayBytesReachTheModemBeforeTheClientsNextCommand()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 311 });
            using VirtualModemServer server = VirtualModemServer.StartPseudoTerminal(modem);
            using var client = new SerialPortTransport(server.Address);
            modem.Faults.StrayInput(Raw.Bytes("AT+GCAP\r"), "AT+CGMM");

            // The probe's own answer (an unknown command: ERROR) follows the reply, unasked: a client
            // that sends its next command now takes that ERROR for the answer.
            Raw.Send(client, "AT+CGMM\r");
            string got = Raw.ReadUntil(client, s => s.EndsWith("OK\r\nERROR\r\n", StringComparison.Ordinal), TimeSpan.FromSeconds(2));
            Assert.Equal(CgmmReply + "ERROR\r\n", got);
            Assert.Equal("mfw_nrf9160_1.3.5\r\nOK\r\n", Raw.Exchange(client, "AT+CGMR\r"));
            Assert.Equal(new[] { "AT+CGMM", "AT+GCAP", "AT+CGMR" }, modem.ReceivedCommands);
            Assert.Equal(8, modem.Faults.StrayBytesWritten);
        }

        [Fact]
        public void InProcessTheStolenBytesAreExactlyThoseThatNeverArrive()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 312, BaudRate = 9600 });
            using IByteLink link = modem.ConnectInProcess();
            modem.Faults.StealReply(4, fromByte: 9, commandPrefix: "AT+CGMM");
            Assert.Equal("nRF9160-S\nOK\r\n", Raw.Exchange(link, "AT+CGMM\r"));
            Assert.Equal("ICA\r", Raw.Text(modem.Faults.StolenBytes, 4));
            Assert.True(SpinWait.SpinUntil(() => modem.BytesSent == CgmmReply.Length, 1000), "They left the modem all the same: " + modem.BytesSent);
            Assert.Equal(CgmmReply, Raw.Exchange(link, "AT+CGMM\r"));
        }

        [Fact]
        public void InProcessStrayBytesAndAStrayProbeMidSessionConfuseTheNextReply()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 313 });
            using IByteLink link = modem.ConnectInProcess();
            modem.Faults.StrayInput(Raw.Bytes("AT+GCAP\r"), "AT+CGMM");
            Raw.Send(link, "AT+CGMM\r");
            Assert.Equal(CgmmReply + "ERROR\r\n", Raw.ReadUntil(link, s => s.EndsWith("ERROR\r\n", StringComparison.Ordinal), TimeSpan.FromSeconds(2)));

            // Stray bytes without a terminator glue onto the client's next command.
            modem.Faults.WriteStrayNow(Raw.Bytes("xy"));
            Thread.Sleep(100);
            Assert.Equal("ERROR\r\n", Raw.Exchange(link, "AT+CGMM\r"));
            Assert.Equal("xyAT+CGMM", modem.ReceivedCommands[^1]);
            Assert.Equal(10, modem.Faults.StrayBytesWritten);
        }

        [Fact]
        public void TheHostEngineSeesAShortReplyWhenBytesAreStolen()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 314 });
            using AtChannel at = Hosts.InProcess(modem);
            modem.Faults.StealReply(5, fromByte: 0, commandPrefix: "AT+CGMM");
            AtResponse response = at.Run("AT+CGMM");
            Assert.True(response.IsOk);
            Assert.Equal("60-SICA", Assert.Single(response.Lines));
        }

        /// <summary>True when <paramref name="whole"/> is <paramref name="a"/> and <paramref name="b"/> merged, each in order.</summary>
        private static bool IsInterleaving(string a, string b, string whole)
        {
            if (a.Length + b.Length != whole.Length)
            {
                return false;
            }

            var can = new bool[a.Length + 1, b.Length + 1];
            can[0, 0] = true;
            for (int i = 0; i <= a.Length; i++)
            {
                for (int j = 0; j <= b.Length; j++)
                {
                    char next = i + j < whole.Length ? whole[i + j] : '\0';
                    if (can[i, j] && i < a.Length && a[i] == next)
                    {
                        can[i + 1, j] = true;
                    }

                    if (can[i, j] && j < b.Length && b[j] == next)
                    {
                        can[i, j + 1] = true;
                    }
                }
            }

            return can[a.Length, b.Length];
        }
    }
}
