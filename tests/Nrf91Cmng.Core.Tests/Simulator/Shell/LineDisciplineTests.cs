using static Nrf91Cmng.Core.Tests.Simulator.Shell.ShellHarness;

namespace Nrf91Cmng.Core.Tests.Simulator.Shell
{
    /// <summary>Zephyr shell line discipline, echo, prompt, colours and the shell's own commands (spec §1).</summary>
    public sealed class LineDisciplineTests
    {
        private static ShellHarness Plain(Action<VirtualModemOptions>? configure = null) => Zephyr(o =>
        {
            o.ShellColors = false;
            configure?.Invoke(o);
        });

        [Fact]
        public void EchoWrapsWherePromptAndLineReachEightyColumns()
        {
            using ShellHarness shell = Plain();
            string line = new string('a', 72);
            Assert.Equal(line + "\r\n" + line + ": command not found\r\nuart:~$ ", shell.Line(line));
            string longer = new string('b', 73);
            Assert.Equal(longer.Substring(0, 72) + "\r\nb\r\n" + longer + ": command not found\r\nuart:~$ ", shell.Line(longer));
            Assert.Equal(-8, shell.Modem.Shell!.ReturnValue);
        }

        [Fact]
        public void BackspaceAndDeleteEraseAndCrossBackOverAWrap()
        {
            using ShellHarness shell = Plain();
            Assert.Equal("ab" + Esc + "[1D" + Esc + "[J", shell.Exchange("ab\x08"));
            Assert.Equal(Esc + "[1D" + Esc + "[J", shell.Exchange("\x7f"));
            Assert.Equal(string.Empty, shell.Exchange("\x08", 60)); // nothing left to erase
            shell.Exchange(new string('c', 73));
            Assert.Equal(Esc + "[1D" + Esc + "[J", shell.Exchange("\x08"));
            Assert.Equal(Esc + "[1A" + Esc + "[79C" + Esc + "[J", shell.Exchange("\x08"));
            Assert.Equal(71, shell.Modem.Shell!.CurrentLine.Length);
        }

        [Fact]
        public void CtrlCAbandonsTheLineAndEmptyLinesJustPrompt()
        {
            using ShellHarness shell = Plain();
            Assert.Equal("abc\r\nuart:~$ ", shell.Exchange("abc\x03"));
            Assert.Equal("\r\nuart:~$ ", shell.Exchange("\r\n"));
            Assert.Equal("\r\nuart:~$ \r\nuart:~$ ", shell.Exchange("\r\r"));       // CR CR: two line ends
            Assert.Equal("\r\nuart:~$ ", shell.Exchange("\n\r\n"));                  // LF CR LF: the CR of LF CR ignored, then LF
            Assert.DoesNotContain(shell.Modem.ReceivedCommands, c => !c.StartsWith("AT+CMEE", StringComparison.Ordinal) && c != "AT%CMNG=1");
        }

        [Fact]
        public void EscapeSequencesAreConsumedAndArrowsMoveTheCursor()
        {
            using ShellHarness shell = Plain();
            Assert.Equal("a" + "b", shell.Exchange("a\x1b[Ab"));                      // up arrow: history, no output here
            shell.Exchange("\x03");
            string edited = shell.Exchange("ac\x1b[Db\r");
            Assert.Equal("ac" + Esc + "[1D" + "bc" + Esc + "[1D" + Esc + "[1C\r\nabc: command not found\r\nuart:~$ ", edited);
            Assert.Equal("x\r\nx: command not found\r\nuart:~$ ", shell.Exchange("\x1b[3~x\xe9\x00\r"));  // Delete key, a byte > 0x7F, NUL: consumed
        }

        [Fact]
        public void TheCommandBufferKeeps255CharactersAndTheLineStillRuns()
        {
            using ShellHarness shell = Plain();
            string received = shell.Line("cred buf " + new string('A', 300));
            Assert.EndsWith("Stored 246 bytes.\r\nuart:~$ ", received);
            Assert.Equal(255 + (3 * 2), received.IndexOf("\r\nStored", StringComparison.Ordinal)); // 255 echoed characters with three echo wraps, then the line end
        }

        [Fact]
        public void BytesArrivingWhileACommandRunsBeyondTheRxRingAreLost()
        {
            using ShellHarness shell = Plain();
            string second = "cred buf " + new string('A', 100) + "\r\n";
            string received = shell.Exchange("cred list\r\n" + second, 200, s => s.Contains("RX ring buffer full.", StringComparison.Ordinal) && s.EndsWith("AAAA", StringComparison.Ordinal));
            // The LF of the first CR LF, "cred buf " and 54 characters fit the 64-byte ring; 48 bytes are lost.
            Assert.Equal(48, shell.Modem.RxBytesDropped);
            string warnings = string.Concat(Enumerable.Repeat("[00:00:12.345,678] <wrn> shell_uart: RX ring buffer full.\r\n", 32));
            string kept = "cred buf " + new string('A', 54);
            Assert.EndsWith("0 credentials found.\r\nuart:~$ " + kept + Esc + "[71D" + Esc + "[J--- 16 messages dropped ---\r\n" + warnings + "uart:~$ " + kept, received);
            Assert.EndsWith("Stored 54 bytes.\r\nuart:~$ ", shell.Line(string.Empty));
        }

        [Fact]
        public void AHostThatWaitsForThePromptLosesNothing()
        {
            // Bytes sent once the prompt has arrived reach an idle shell, however fast the host answers.
            using ShellHarness shell = Plain(o => o.CredentialBufferSize = 8192);
            string chunk = new string('Q', 200);
            for (int i = 0; i < 20; i++)
            {
                shell.Send("cred buf " + chunk + "\r\n");
                string received = Raw.ReadUntil(shell.Link, s => s.EndsWith("uart:~$ ", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
                Assert.EndsWith("Stored 200 bytes.\r\nuart:~$ ", received);
            }

            Assert.Equal(0, shell.Modem.RxBytesDropped);
        }

        [Fact]
        public void AnUnlimitedRingKeepsEverything()
        {
            using ShellHarness shell = Plain(o => o.ShellRxBufferSize = 0);
            string received = shell.Exchange("cred list\r\ncred buf " + new string('A', 100) + "\r\n", 200, s => s.Contains("Stored", StringComparison.Ordinal) && EndsWithPrompt(s));
            Assert.EndsWith("Stored 100 bytes.\r\nuart:~$ ", received);
            Assert.Equal(0, shell.Modem.RxBytesDropped);
        }

        [Fact]
        public void ArgumentsFollowZephyrQuotingAndLimits()
        {
            using ShellHarness shell = Plain();
            shell.Line("at \"AT+CGMR\"");
            Assert.Equal("AT+CGMR", shell.Modem.ReceivedCommands.Last());
            shell.Line("at 'AT\\x2bCGSN'");
            Assert.Equal("AT+CGSN", shell.Modem.ReceivedCommands.Last());
            shell.Line("at AT\\+CGMI");
            Assert.Equal("AT+CGMI", shell.Modem.ReceivedCommands.Last());
            Assert.Equal("at \"AT\r\nnot terminated: \"\r\nuart:~$ ", shell.Line("at \"AT"));
            Assert.Equal(-8, shell.Modem.Shell!.ReturnValue);
            string twenty = "rem " + string.Join(" ", Enumerable.Range(1, 19));
            Assert.EndsWith(twenty + "\r\nuart:~$ ", shell.Line(twenty));
            string received = shell.Line(twenty + " 20");
            Assert.EndsWith("\r\nToo many arguments in the command.\r\n\r\nuart:~$ ", received);
        }

        [Fact]
        public void WildcardsAreAnOptionAndSwallowAQuestionMark()
        {
            using (ShellHarness shell = Plain())
            {
                Assert.Contains("+CFUN: 0\r\r\nOK\r\r\n", shell.Line("at AT+CFUN?"), StringComparison.Ordinal);
            }

            using (ShellHarness shell = Plain(o => o.ShellWildcards = true))
            {
                int before = shell.Modem.ReceivedCommands.Count;
                string received = shell.Line("at AT+CFUN?");
                Assert.Contains("Usage: at <subcommand>\r\n", received, StringComparison.Ordinal);
                Assert.Equal(before, shell.Modem.ReceivedCommands.Count);
            }
        }

        [Fact]
        public void HelpTextsAndRetval()
        {
            using ShellHarness shell = Plain();
            string help = shell.Line("cred");
            Assert.Equal(
                "cred\r\ncred - TLS Credentials Commands\r\nSubcommands:\r\n"
                + "  buf   :Buffer in credential data so it can be added.\r\n"
                + "  add   :Add a TLS credential.\r\n"
                + "  del   :Delete a TLS credential.\r\n"
                + "  get   :Retrieve the contents of a TLS credential\r\n"
                + "  list  :List stored TLS credentials, optionally filtering by type or sectag.\r\nuart:~$ ",
                help);
            Assert.Equal("retval\r\n1\r\nuart:~$ ", shell.Line("retval"));
            Assert.Equal(help.Replace("cred\r\n", "cred foo\r\n", StringComparison.Ordinal), shell.Line("cred foo"));
            Assert.Equal("cred list -h\r\nlist - List stored TLS credentials, optionally filtering by type or sectag.\r\nuart:~$ ", shell.Line("cred list -h"));
            Assert.Equal("retval\r\n1\r\nuart:~$ ", shell.Line("retval"));
            Assert.Equal("retval\r\n0\r\nuart:~$ ", shell.Line("retval"));
            Assert.Contains("\r\nAvailable commands:\r\n  at       :Execute an AT command.", shell.Line("help"), StringComparison.Ordinal);
        }

        [Fact]
        public void ShellEchoAndColoursCanBeTurnedOffAndOn()
        {
            using ShellHarness shell = Zephyr();
            Assert.Equal("shell colors off\r\nuart:~$ ", shell.Line("shell colors off"));
            Assert.Equal("shell echo off\r\nuart:~$ ", shell.Line("shell echo off"));
            Assert.Equal("\r\nEcho status: off\r\nuart:~$ ", shell.Line("shell echo"));
            Assert.Equal("\r\nOK\r\r\n\r\nuart:~$ ", shell.Line("at AT"));
            Assert.Equal("\r\n" + Green + "uart:~$ " + Off, shell.Line("shell colors on"));
            Assert.Equal("\r\n" + Green + "uart:~$ " + Off, shell.Line("shell echo on"));
            Assert.Equal("shell echo x\r\n" + Red + "echo: unknown parameter: x\r\n" + Off + Green + "uart:~$ " + Off, shell.Line("shell echo x"));
        }

        [Theory]
        [InlineData(ShellCommandSet.Cred, "at: command not found", "0 credentials found.")]
        [InlineData(ShellCommandSet.At, "OK\r\r\n", "cred: command not found")]
        [InlineData(ShellCommandSet.None, "at: command not found", "cred: command not found")]
        public void TheCommandSetIsAnOption(ShellCommandSet commands, string at, string cred)
        {
            using ShellHarness shell = Plain(o => o.ShellCommands = commands);
            Assert.Contains(at, shell.Line("at AT"), StringComparison.Ordinal);
            Assert.Contains(cred, shell.Line("cred list"), StringComparison.Ordinal);
            Assert.Contains("retval", shell.Line("help"), StringComparison.Ordinal);
            Assert.Equal("shell prompt off\r\n", shell.Line("shell prompt off", 150).Replace("uart:~$ ", string.Empty, StringComparison.Ordinal));
            Assert.Equal("retval\r\n0\r\n", shell.Exchange("retval\r\n"));
        }

        [Fact]
        public void TheBootTextEndsWithTheColouredPrompt()
        {
            using ShellHarness shell = Zephyr();
            shell.Modem.Reboot();
            string boot = shell.ReadQuiet(200);
            Assert.EndsWith("\r\n" + Off + "\r\n\r\n" + Green + "uart:~$ " + Off, boot);
            using ShellHarness legacy = new ShellHarness(new VirtualModemOptions { Framing = ModemFraming.Shell });
            legacy.Modem.Reboot();
            Assert.EndsWith("\r\n\r\n\r\nuart:~$ ", legacy.ReadQuiet(200));
        }

        [Fact]
        public void LogLinesFromTheModemAreReframedAfterThePrompt()
        {
            using ShellHarness shell = Plain();
            shell.Exchange("ab");
            shell.Modem.EnqueueOutput("[00:00:01.000,000] <inf> lte_lc: Network connectivity changed", raw: false);
            Assert.Equal(Esc + "[10D" + Esc + "[J[00:00:01.000,000] <inf> lte_lc: Network connectivity changed\r\nuart:~$ ab", shell.ReadQuiet(200));
        }
    }
}
