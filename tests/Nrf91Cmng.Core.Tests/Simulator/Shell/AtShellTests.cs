using static Nrf91Cmng.Core.Tests.Simulator.Shell.ShellHarness;

namespace Nrf91Cmng.Core.Tests.Simulator.Shell
{
    /// <summary>NCS at_shell (spec §10): reply framing, usage, events, CONFIG_AT_SHELL_UNESCAPE_LF and the line buffer size.</summary>
    public sealed class AtShellTests
    {
        [Fact]
        public void ErrorsAreFramedLikeRepliesAndSetRetval()
        {
            using ShellHarness shell = Zephyr(o => o.ShellColors = false);
            Assert.Equal("at AT+FOO\r\nERROR\r\r\n\r\nuart:~$ ", shell.Line("at AT+FOO"));
            Assert.Equal(-22, shell.Modem.Shell!.ReturnValue);
            shell.Line("at AT+CMEE=1");
            Assert.EndsWith("+CME ERROR: 513\r\r\n\r\nuart:~$ ", shell.Line("at AT%CMNG=2,99,0"));
        }

        [Fact]
        public void UsageAndEvents()
        {
            using ShellHarness shell = Zephyr(o => o.ShellColors = false);
            Assert.Equal(
                "at\r\nUsage: at <subcommand>\r\n\r\nSubcommands:\r\n  events_enable     Enable AT event handler which prints AT notifications\r\n"
                + "  events_disable    Disable AT event handler\r\n\r\nAny other subcommand is interpreted as AT command and sent to the modem.\r\n\r\nuart:~$ ",
                shell.Line("at"));
            shell.Modem.EnqueueOutput("+CEREG: 1", raw: false);
            Assert.Equal(string.Empty, shell.ReadQuiet(150));
            Assert.EndsWith("AT command event handler enabled\r\nuart:~$ ", shell.Line("at events_enable"));
            shell.Modem.EnqueueOutput("+CEREG: 1", raw: false);
            Assert.Equal(Esc + "[8D" + Esc + "[JAT event handler:\r\n+CEREG: 1\r\r\n\r\nuart:~$ ", shell.ReadQuiet(200));
            Assert.EndsWith("AT command event handler disabled\r\nuart:~$ ", shell.Line("at events_disable"));
        }

        [Fact]
        public void WithoutUnescapeThe91x1RefusesALiteralBackslashN()
        {
            string pem = Vectors.AmazonRootCa1.TrimEnd('\n').Replace("\n", "\\n", StringComparison.Ordinal) + "\\n";
            string line = "at 'AT%CMNG=0,16,0,\"" + pem + "\"'";
            using (ShellHarness shell = Zephyr(o =>
            {
                o.ShellColors = false;
                o.Firmware = "mfw_nrf91x1_2.0.2";
                o.ShellBufferSize = 3584;
            }))
            {
                shell.Line("at AT+CMEE=1");
                Assert.EndsWith("+CME ERROR: 527\r\r\n\r\nuart:~$ ", shell.Line(line));
            }

            using (ShellHarness shell = Zephyr(o =>
            {
                o.ShellColors = false;
                o.Firmware = "mfw_nrf91x1_2.0.2";
                o.ShellBufferSize = 3584;
                o.ShellUnescapeLf = true;
            }))
            {
                Assert.EndsWith("OK\r\r\n\r\nuart:~$ ", shell.Line(line));
                Assert.Equal(Raw.Bytes(Vectors.AmazonRootCa1.Replace("\n", "\r\n", StringComparison.Ordinal)), shell.Modem.GetStoredBytes(16, 0));
                shell.Line("at 'AT+CGSN\\nAT'");
                Assert.Equal("AT+CGSN\r\nAT", shell.Modem.ReceivedCommands.Last()); // every command, as the Kconfig says
            }

            using (ShellHarness shell = Zephyr(o =>
            {
                o.ShellColors = false;
                o.ShellBufferSize = 3584;
            }))
            {
                Assert.EndsWith("OK\r\r\n\r\nuart:~$ ", shell.Line(line)); // 1.3.5 stores whatever it gets
                Assert.Contains("\\n", Raw.Text(shell.Modem.GetStoredBytes(16, 0)!, shell.Modem.GetStoredBytes(16, 0)!.Length), StringComparison.Ordinal);
            }
        }

        [Fact]
        public void TheDefaultBufferCutsALongAtLine()
        {
            using ShellHarness shell = Zephyr(o => o.ShellColors = false);
            shell.Line("at AT" + new string('x', 300));
            Assert.Equal(255 - 3, shell.Modem.ReceivedCommands.Last().Length);
            using ShellHarness wide = Zephyr(o => o.ShellBufferSize = 3584);
            wide.Line("at AT" + new string('x', 300));
            Assert.Equal(302, wide.Modem.ReceivedCommands.Last().Length);
        }
    }
}
