namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>The console firmware in front of the modem, byte for byte (spec §1, transcripts TV-4, TV-11).</summary>
    public sealed class ConsoleFramingTests
    {
        private static readonly TimeSpan s_silence = TimeSpan.FromMilliseconds(500);

        /// <summary>Runs <paramref name="test"/> against a fresh modem (seed 1 unless <paramref name="options"/> say otherwise) over an in-process link.</summary>
        private static void OnLink(VirtualModemOptions? options, Action<VirtualModem, IByteLink> test) =>
            Raw.OverLink(options ?? new VirtualModemOptions { Seed = 1 }, test);

        private static void OnLink(Action<VirtualModem, IByteLink> test) => OnLink(null, test);

        /// <summary>Sends a line to the shell and reads until its prompt comes back.</summary>
        private static string ShellExchange(IByteLink link, string line)
        {
            Raw.Send(link, line);
            return Raw.ReadUntilEndsWith(link, "uart:~$ ");
        }

        [Fact]
        public void AtHostListReplyIsTheModemBufferVerbatim()
        {
            OnLink((modem, link) =>
            {
                modem.Preload(16842753, 0, Raw.Bytes(Vectors.AmazonRootCa1));
                string reply = Raw.Exchange(link, "AT%CMNG=1,16842753,0\r");
                Assert.Equal("%CMNG: 16842753,0,\"2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1\"\r\nOK\r\n", reply);
            });
        }

        [Fact]
        public void AtHostReadReplyCarriesTheContentRaw()
        {
            OnLink((modem, link) =>
            {
                modem.Preload(16842753, 4, Raw.Bytes("nrf-124578"));
                string sha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Raw.Bytes("nrf-124578")));
                Assert.Equal("%CMNG: 16842753,4,\"" + sha + "\",\"nrf-124578\"\r\nOK\r\n", Raw.Exchange(link, "AT%CMNG=2,16842753,4\r"));

                // A PEM ending in LF: the last line of the reply is a lone quote.
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT%CMNG=0,42,0,\"" + Vectors.AmazonRootCa1 + "\"\r"));
                string read = Raw.Exchange(link, "AT%CMNG=2,42,0\r");
                Assert.Equal("%CMNG: 42,0,\"" + Vectors.AmazonRootCa1Digest + "\",\"" + Vectors.AmazonRootCa1 + "\"\r\nOK\r\n", read);
                Assert.EndsWith("-----END CERTIFICATE-----\n\"\r\nOK\r\n", read);
            });
        }

        [Fact]
        public void AmazonRootCaWrittenWithLfListsTheRealDigest()
        {
            OnLink((modem, link) =>
            {
                Assert.Equal(1188, Vectors.AmazonRootCa1.Length);
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT%CMNG=0,16842753,0,\"" + Vectors.AmazonRootCa1 + "\"\r"));
                Assert.Equal(Raw.Bytes(Vectors.AmazonRootCa1), modem.GetStoredBytes(16842753, 0));
                Assert.Equal(Vectors.AmazonRootCa1Digest, modem.Credentials.Single(c => c.SecTag == 16842753).Digest);
            });
        }

        [Fact]
        public void FullListReproducesTheSdkVectorByteForByte()
        {
            OnLink((modem, link) =>
            {
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT%CMNG=1,0,0\r"));
                Assert.Equal("%CMNG: 4294967293,10,\"2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1\"\r\n"
                    + "%CMNG: 4294967294,6,\"A3CC4121A62D4BB103AE92F70A77A456886AE3CD5B2D156A200A1B90D9E92E05\"\r\n"
                    + "%CMNG: 4294967292,11,\"2027C4699EAA90A414D33FA81B975C0FDEDEFB04A19CEA1ED43A8876CAD31E89\"\r\n"
                    + "OK\r\n", Raw.Exchange(link, "AT%CMNG=1\r"));

                // Written out of order on purpose: the list sorts by tag, then type.
                modem.Preload(16842753, 2, Raw.Bytes("key"), "3EB33ABEB054A64578ED0ACF2BC13D570557FDEB413566D3D4678A2B89F65695");
                modem.Preload(16842753, 0, Raw.Bytes(Vectors.AmazonRootCa1));
                modem.Preload(1001, 0, Raw.Bytes("ca"), "39FDCF28AEFFE08D03251FCCAF645E3C5DE19FA4EBBAFC89B4EDE2A422148BAB");
                modem.Preload(16842753, 1, Raw.Bytes("cert"), "B9BAC15641653CAE2B5151DCBD0C40DDCDF19125950FA2475977437EA35F7A45");
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT+CFUN=4\r"));
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT%CMNG=0,42,0,\"" + Vectors.AmazonRootCa1 + "\"\r"));

                string expected =
                    "%CMNG: 42,0,\"2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1\"\r\n"
                    + "%CMNG: 1001,0,\"39FDCF28AEFFE08D03251FCCAF645E3C5DE19FA4EBBAFC89B4EDE2A422148BAB\"\r\n"
                    + "%CMNG: 16842753,0,\"2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1\"\r\n"
                    + "%CMNG: 16842753,1,\"B9BAC15641653CAE2B5151DCBD0C40DDCDF19125950FA2475977437EA35F7A45\"\r\n"
                    + "%CMNG: 16842753,2,\"3EB33ABEB054A64578ED0ACF2BC13D570557FDEB413566D3D4678A2B89F65695\"\r\n"
                    + "%CMNG: 4294967293,10,\"2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1\"\r\n"
                    + "%CMNG: 4294967294,6,\"A3CC4121A62D4BB103AE92F70A77A456886AE3CD5B2D156A200A1B90D9E92E05\"\r\n"
                    + "%CMNG: 4294967292,11,\"2027C4699EAA90A414D33FA81B975C0FDEDEFB04A19CEA1ED43A8876CAD31E89\"\r\n"
                    + "OK\r\n";
                Assert.Equal(expected, Raw.Exchange(link, "AT%CMNG=1\r"));
                Assert.Equal("%CMNG: 16842753,1,\"B9BAC15641653CAE2B5151DCBD0C40DDCDF19125950FA2475977437EA35F7A45\"\r\nOK\r\n",
                    Raw.Exchange(link, "AT%CMNG=1,16842753,1\r"));
                Assert.Equal(8, modem.Credentials.Count);
            });
        }

        [Fact]
        public void PlaceholderDigestsOnFirmware070()
        {
            var modem = new VirtualModem(new VirtualModemOptions { Firmware = "mfw_nrf9160_0.7.0", Seed = 2 });
            using (modem)
            {
                modem.ClearCredentials();
                Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,51966,3,\"0102030405\""));
                Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,51966,4,\"nrf-12345\""));
                Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0,16842753,0,\"HONKHONK\""));
                Assert.Equal(
                    "%CMNG: 51966,3,\"" + string.Concat(Enumerable.Repeat("03", 32)) + "\"\r\n"
                    + "%CMNG: 51966,4,\"" + string.Concat(Enumerable.Repeat("04", 32)) + "\"\r\n"
                    + "%CMNG: 16842753,0,\"" + new string('0', 64) + "\"\r\n"
                    + "OK\r\n",
                    modem.Execute("AT%CMNG=1"));
            }
        }

        [Fact]
        public void LfInsideQuotesIsContentInEveryTerminatorMode()
        {
            foreach (AtHostTerminator terminator in new[] { AtHostTerminator.Cr, AtHostTerminator.Lf, AtHostTerminator.CrLf, AtHostTerminator.Nul })
            {
                string end = terminator switch { AtHostTerminator.Cr => "\r", AtHostTerminator.Lf => "\n", AtHostTerminator.CrLf => "\r\n", _ => "\0" };
                OnLink(new VirtualModemOptions { Terminator = terminator, Seed = 3 }, (modem, link) =>
                {
                    string pem = "-----BEGIN CERTIFICATE-----\r\nMIIB\n-----END CERTIFICATE-----\n";
                    Assert.Equal("OK\r\n", Raw.Exchange(link, "AT%CMNG=0,1,0,\"" + pem + "\"" + end));
                    Assert.Equal(Raw.Bytes(pem), modem.GetStoredBytes(1, 0));
                });
            }
        }

        [Fact]
        public void NulInsideQuotesIsStoredButCutsTheCommandTheModemSees()
        {
            OnLink((modem, link) =>
            {
                Assert.Equal("ERROR\r\n", Raw.Exchange(link, "AT%CMNG=0,1,4,\"ab\0cd\"\r"));
                Assert.Equal("AT%CMNG=0,1,4,\"ab", modem.ReceivedCommands.Single());
                Assert.Null(modem.GetStoredBytes(1, 4));
            });
        }

        [Fact]
        public void CrLfBuildKeepsTheCrAndOnlyLfAfterCrSubmits()
        {
            OnLink(new VirtualModemOptions { Terminator = AtHostTerminator.CrLf, Seed = 4 }, (modem, link) =>
            {
                Raw.Send(link, "AT\n");
                Assert.Equal(string.Empty, Raw.ReadFor(link, TimeSpan.FromMilliseconds(150)));
                Raw.Send(link, "\b\b\b");
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT+CMEE=1\r\n"));
                Assert.Equal("AT+CMEE=1\r", modem.ReceivedCommands.Last());
                Assert.Equal(1, modem.ErrorReporting);
            });
        }

        [Fact]
        public void CrLfSentToACrBuildLosesTheLfWhileBusyOrTrimsIt()
        {
            OnLink(new VirtualModemOptions { Seed = 5 }, (modem, link) =>
            {
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT\r\n"));
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT+CMEE=1\r\n"));
                Assert.Equal(new[] { "AT", "AT+CMEE=1" }, modem.ReceivedCommands);

                // With RX left on, the LF starts the next line and the modem copes (§7.1).
                modem.DropInputWhileBusy = false;
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT\r\n"));
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT+CFUN=4\r\n"));
                Assert.Equal("\nAT+CFUN=4", modem.ReceivedCommands.Last());
                Assert.Equal(4, modem.FunctionalMode);
            });
        }

        [Fact]
        public void BytesSentWhileACommandRunsAreLost()
        {
            OnLink(new VirtualModemOptions { Seed = 6 }, (modem, link) =>
            {
                modem.Faults.Delay(TimeSpan.FromMilliseconds(200), "AT+CGMR");
                Raw.Send(link, "AT+CGMR\r");
                Thread.Sleep(50);
                Raw.Send(link, "AT+CGMM\r");
                string reply = Raw.ReadFor(link, TimeSpan.FromMilliseconds(500));
                Assert.Equal("mfw_nrf9160_1.3.5\r\nOK\r\n", reply);
                Assert.Equal(new[] { "AT+CGMR" }, modem.ReceivedCommands);
            });
        }

        [Fact]
        public void NulOutsideQuotesIsDroppedInCrMode()
        {
            OnLink((modem, link) =>
            {
                Assert.Equal("OK\r\n", Raw.Exchange(link, "A\0T\r"));
                Assert.Equal("AT", modem.ReceivedCommands.Single());
            });
        }

        [Fact]
        public void BackspaceAndDeleteEditTheLine()
        {
            OnLink((modem, link) =>
            {
                Assert.Equal("nRF9160-SICA\r\nOK\r\n", Raw.Exchange(link, "AT+CGMX\bM\r"));
                Assert.Equal("Nordic Semiconductor ASA\r\nOK\r\n", Raw.Exchange(link, "AT+CGMIXY\x7f\x7f\r"));
            });
        }

        [Fact]
        public void WhitespaceOnlyLinesGetNoReply()
        {
            OnLink((modem, link) =>
            {
                Raw.Send(link, "  \t \r\r");
                Assert.Equal(string.Empty, Raw.ReadFor(link, TimeSpan.FromMilliseconds(200)));
                Assert.Empty(modem.ReceivedCommands);
            });
        }

        [Fact]
        public void OddQuoteHangsUntilALoneQuoteClosesIt()
        {
            OnLink((modem, link) =>
            {
                Raw.Send(link, "AT%CMNG=0,1,0,\"-----BEGIN CERTIFICATE-----\r");
                Raw.Send(link, "AT\r");
                Assert.Equal(string.Empty, Raw.ReadFor(link, s_silence));

                // The lone quote closes the string; the CR submits the whole accumulated line.
                Assert.Equal("OK\r\n", Raw.Exchange(link, "\"\r"));
                Assert.Equal(Raw.Bytes("-----BEGIN CERTIFICATE-----\rAT\r"), modem.GetStoredBytes(1, 0));
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT\r"));
            });
        }

        [Fact]
        public void OverlongWriteHangsAndOnlyBackspaceThenQuoteRecovers()
        {
            OnLink((modem, link) =>
            {
                string content = new string('A', 5000);
                Raw.Send(link, "AT%CMNG=0,7,0,\"" + content + "\"\r");
                Assert.Equal(string.Empty, Raw.ReadFor(link, s_silence));

                // Full buffer inside quotes: the lone quote is dropped too (at_host.c), still silence.
                Raw.Send(link, "\"\r");
                Raw.Send(link, "AT\r");
                Assert.Equal(string.Empty, Raw.ReadFor(link, s_silence));

                // BS frees one byte, the quote gets in and closes the string, CR submits.
                Assert.Equal("OK\r\n", Raw.Exchange(link, "\b\"\r"));
                Assert.Equal(AtHostLimit - "AT%CMNG=0,7,0,\"".Length - 1, modem.GetStoredBytes(7, 0)!.Length);
                Assert.Equal(AtHostLimit, modem.ReceivedCommands.Last().Length);
                Assert.Equal("OK\r\n", Raw.Exchange(link, "AT\r"));
            });
        }

        private const int AtHostLimit = VirtualModem.AtHostMaxCommandLength;

        [Fact]
        public void AnOverlongLineOutsideQuotesIsCutAndStillSubmitted()
        {
            OnLink((modem, link) =>
            {
                Assert.Equal("ERROR\r\n", Raw.Exchange(link, "AT+CGMR" + new string(' ', 5000) + "X\r"));
                Assert.Equal(AtHostLimit, modem.ReceivedCommands.Single().Length);
            });
        }

        [Fact]
        public void SerialLteModemFramesRepliesWithLeadingCrLf()
        {
            OnLink(new VirtualModemOptions { Framing = ModemFraming.SerialLteModem, Seed = 7 }, (modem, link) =>
            {
                modem.Preload(16842753, 0, Raw.Bytes(Vectors.AmazonRootCa1));
                Assert.Equal("\r\nOK\r\n", Raw.Exchange(link, "AT\r\n"));
                Assert.Equal("\r\n%CMNG: 16842753,0,\"" + Vectors.AmazonRootCa1Digest + "\"\r\n\r\nOK\r\n", Raw.Exchange(link, "AT%CMNG=1,16842753,0\r\n"));
                Assert.Equal("AT%CMNG=1,16842753,0", modem.ReceivedCommands.Last());
                Assert.Equal("\r\nERROR\r\n", Raw.Exchange(link, "AT%CMNG=2,1,0\r\n"));
                Assert.Equal("\r\nOK\r\n", Raw.Exchange(link, "AT+CMEE=1\r\n"));
                Assert.Equal("\r\n+CME ERROR: 513\r\n", Raw.Exchange(link, "AT%CMNG=2,1,0\r\n"));
                Assert.Equal("\r\n" + modem.Imei + "\r\n\r\nOK\r\n", Raw.Exchange(link, "xxAT+CGSN\r\n"));
                Assert.Equal("\r\nERROR\r\n", Raw.Exchange(link, "ATI\r\n"));
            });
        }

        [Fact]
        public void SerialLteModemAnswersErrorOnOverflowInsteadOfHanging()
        {
            OnLink(new VirtualModemOptions { Framing = ModemFraming.SerialLteModem, Seed = 8 }, (modem, link) =>
            {
                Assert.Equal("\r\nERROR\r\n", Raw.Exchange(link, "AT%CMNG=0,7,0,\"" + new string('A', 5000) + "\"\r\n"));
                Assert.Empty(modem.ReceivedCommands);
                Assert.Equal("\r\nOK\r\n", Raw.Exchange(link, "AT\r\n"));
            });
        }

        [Fact]
        public void ShellEchoesPromptsAndUnescapesNewlinesInEveryAtCommand()
        {
            OnLink(new VirtualModemOptions { Framing = ModemFraming.Shell, Seed = 9 }, (modem, link) =>
            {
                string reply = ShellExchange(link, "at AT+CGSN\r\n");
                Assert.Equal("at AT+CGSN\r\n" + modem.Imei + "\r\r\nOK\r\r\n\r\nuart:~$ ", reply);

                reply = ShellExchange(link, "at 'AT%CMNG=0,5,0,\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n\"'\r\n");
                Assert.EndsWith("'\r\nOK\r\r\n\r\nuart:~$ ", reply);
                Assert.Equal(Raw.Bytes("-----BEGIN CERTIFICATE-----\r\nMIIB\r\n-----END CERTIFICATE-----\r\n"), modem.GetStoredBytes(5, 0));

                // CONFIG_AT_SHELL_UNESCAPE_LF as its Kconfig describes it: every command; unquoted double quotes are eaten by the shell.
                reply = ShellExchange(link, "at AT%CMNG=0,6,4,\"a\\nb\"\r");
                Assert.Contains("ERROR\r\r\n\r\nuart:~$ ", reply);
                Assert.Equal("AT%CMNG=0,6,4,a\r\nb", modem.ReceivedCommands.Last());

                reply = ShellExchange(link, "reboot\r");
                Assert.Contains("reboot: command not found\r\n", reply);

                reply = ShellExchange(link, "at 'AT+CGMR\r");
                Assert.Contains("not terminated: '", reply);
            });
        }

        [Fact]
        public void ShellArgumentSplittingFollowsZephyr()
        {
            List<string> argv = ShellArgv.Split("at 'AT%CMNG=0,1,0,\"x\\ny\"' tail\\ x \"a\\\"b\" \"\\x41\\0101\"", out char open);
            Assert.Equal('\0', open);
            Assert.Equal(new[] { "at", "AT%CMNG=0,1,0,\"x\\ny\"", "tail x", "a\"b", "AA" }, argv);
        }
    }
}
