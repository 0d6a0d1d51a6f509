using static Nrf91Cmng.Core.Tests.Simulator.Shell.ShellHarness;

namespace Nrf91Cmng.Core.Tests.Simulator.Shell
{
    /// <summary>
    /// The example transcripts T1 to T4 of tls-credentials-shell.md §12, replayed byte for byte: the
    /// exact bytes the shell front end writes for the exact bytes sent (CR LF after each line), with
    /// the colours (T1), echo wrap and CR CR LF. T2 to T4 are shown without colours in the spec, so
    /// they run with colours off. The prompt that precedes the first sent line was printed at boot.
    /// </summary>
    public sealed class TranscriptTests
    {
        private static string Replay(ShellHarness shell, params string[] sent)
        {
            var received = new System.Text.StringBuilder();
            foreach (string line in sent)
            {
                received.Append(shell.Line(line));
            }

            return received.ToString();
        }

        [Fact]
        public void T1DetectionOnAnNcsBuildWithCredAndAt()
        {
            using ShellHarness shell = Zephyr();
            string prompt = Green + "uart:~$ " + Off;
            string received = Replay(shell, string.Empty, "cred list", "at AT+CGSN", "foo");
            string expected = Lines(
                Green + "uart:~$ " + Off,
                Green + "uart:~$ " + Off + "cred list",
                "0 credentials found.",
                Green + "uart:~$ " + Off + "at AT+CGSN",
                "352656109480783\r\r\n",
                "OK\r\r\n",
                string.Empty,
                Green + "uart:~$ " + Off + "foo",
                Red + "foo: command not found",
                Off + Green + "uart:~$ " + Off);
            Assert.Equal(expected, prompt + received);
        }

        [Fact]
        public void T2WriteAsCaOnTheModemBackendVerifyAndDelete()
        {
            using ShellHarness shell = Zephyr(o => o.ShellColors = false);
            string received = Replay(
                shell,
                "at AT+CFUN=4",
                "cred buf clear",
                "cred buf LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tClRFU1QKLS0t",
                "cred buf LS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=",
                "cred add 42 CA DEFAULT bint",
                "cred list 42 CA",
                "at AT%CMNG=1,42",
                "cred del 42 CA",
                "cred del 42 CA",
                "retval");
            string expected = Lines(
                "uart:~$ at AT+CFUN=4",
                "OK\r\r\n",
                string.Empty,
                "uart:~$ cred buf clear",
                "uart:~$ cred buf LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tClRFU1QKLS0t",
                "Stored 48 bytes.",
                "uart:~$ cred buf LS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=",
                "Stored 32 bytes.",
                "uart:~$ cred add 42 CA DEFAULT bint",
                "Added TLS credential of type CA_CERT, sectag 42, and length 60 bytes.",
                "Credential buffer cleared.",
                "uart:~$ cred list 42 CA",
                "42,CA,59FXbTxVUc/JBxlTpwmGQFOmq+FOkoHPws0RtI5vBTw=,0",
                "1 credentials found.",
                "uart:~$ at AT%CMNG=1,42",
                "%CMNG: 42,0,\"E7D1576D3C5551CFC9071953A709864053A6ABE14E9281CFC2CD11B48E6F053C\"\r\r\n",
                "OK\r\r\n",
                string.Empty,
                "uart:~$ cred del 42 CA",
                "Deleted TLS credential with sectag 42 and type CA_CERT.",
                "uart:~$ cred del 42 CA",
                "There is no TLS credential with sectag 42 and type CA_CERT.",
                "uart:~$ retval",
                "-2",
                "uart:~$ ");
            Assert.Equal(expected, "uart:~$ " + received);
            Assert.Null(shell.Modem.GetStoredBytes(42, 0));
        }

        [Theory]
        [InlineData(TlsCredentialBackend.Volatile)]
        [InlineData(TlsCredentialBackend.Psa)]
        public void T2OnARawBackendListsTheDigestWithTheNul(TlsCredentialBackend backend)
        {
            using ShellHarness shell = Zephyr(o =>
            {
                o.ShellColors = false;
                o.CredentialBackend = backend;
            });
            string added = shell.Line("cred add 42 CA DEFAULT bint " + PBase64);
            string expectedAdd = backend == TlsCredentialBackend.Volatile
                ? "Credential has been copied to heap. Memory will be leaked if this credential is deleted without using the shell.\r\n"
                : string.Empty;
            Assert.EndsWith("Stored 80 bytes.\r\n" + expectedAdd + "Added TLS credential of type CA_CERT, sectag 42, and length 60 bytes.\r\nCredential buffer cleared.\r\nuart:~$ ", added);
            Assert.EndsWith("\r\n42,CA,ff5KKaTJgecBwk5+rV0KDRQX2hlYHD7vzoi51JwCFhU=,0\r\n1 credentials found.\r\nuart:~$ ", shell.Line("cred list 42 CA"));
            string deleted = shell.Line("cred del 42 CA");
            Assert.EndsWith("\r\n" + (backend == TlsCredentialBackend.Volatile ? "Stored credential freed.\r\n" : string.Empty) + "Deleted TLS credential with sectag 42 and type CA_CERT.\r\nuart:~$ ", deleted);
            Assert.Null(shell.Modem.GetStoredBytes(42, 0)); // never reached the modem
        }

        [Fact]
        public void T3AddWhileLteIsOnThenADuplicate()
        {
            using ShellHarness shell = Zephyr(o => o.ShellColors = false);
            shell.Modem.Execute("AT+CFUN=1");
            string received = shell.Line("cred add 42 CA DEFAULT bint " + PBase64);
            string expected = Lines(
                "uart:~$ cred add 42 CA DEFAULT bint LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tClRFU1QK",
                "LS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=",
                "Stored 80 bytes.",
                "Failed to add TLS credential with sectag 42 and type CA_CERT. Error: -1",
                ".Credential buffer cleared.",
                "uart:~$ " + Esc + "[8D" + Esc + "[J[00:00:12.345,678] <wrn> modem_key_mgmt: Not allowed when LTE connection is active",
                "uart:~$ ");
            Assert.Equal(expected, "uart:~$ " + received);

            shell.Line("at AT+CFUN=4");
            Assert.Contains("Added TLS credential", shell.Line("cred add 42 CA DEFAULT bint " + PBase64), StringComparison.Ordinal);
            received = shell.Line("cred add 42 CA DEFAULT bint LS0t");
            expected = Lines(
                "uart:~$ cred add 42 CA DEFAULT bint LS0t",
                "Stored 4 bytes.",
                "TLS credential with sectag 42 and type CA_CERT already exists.",
                "Credential buffer cleared.",
                "uart:~$ ");
            Assert.Equal(expected, "uart:~$ " + received);
            Assert.Equal(-17, shell.Modem.Shell!.ReturnValue);
        }

        [Fact]
        public void T3InColourTheLogLineIsYellowAndTheErrorsRed()
        {
            using ShellHarness shell = Zephyr();
            shell.Modem.Execute("AT+CFUN=1");
            string received = shell.Line("cred add 42 CA DEFAULT bint " + PBase64);
            Assert.EndsWith(
                Red + "Failed to add TLS credential with sectag 42 and type CA_CERT. Error: -1\r\n." + Off
                + "Credential buffer cleared.\r\n" + Green + "uart:~$ " + Off
                + Esc + "[8D" + Esc + "[J[00:00:12.345,678] " + Yellow + "<wrn> modem_key_mgmt: Not allowed when LTE connection is active" + Esc + "[0m\r\n"
                + Green + "uart:~$ " + Off,
                received);
        }

        [Fact]
        public void T4BufferOverflowAndParseErrors()
        {
            using ShellHarness shell = Zephyr(o => o.ShellColors = false);
            string chunk = PBase64.Substring(0, 48);
            for (int i = 0; i < 21; i++)
            {
                Assert.EndsWith("Stored 48 bytes.\r\nuart:~$ ", shell.Line("cred buf " + chunk));
            }

            Assert.Equal(21 * 48, shell.Modem.Shell!.Cred!.Buffered);
            string received = Replay(shell, "cred buf " + chunk, "cred list 42 FOO", "cred add x CA DEFAULT bint QQ==", "cred buf");
            string expected = Lines(
                "uart:~$ cred buf " + chunk,
                "Not enough room in credential buffer for provided data. Increase CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE.",
                "Credential buffer cleared.",
                "uart:~$ cred list 42 FOO",
                "FOO is not a valid credential type.",
                "uart:~$ cred add x CA DEFAULT bint QQ==",
                "x is not a valid sectag.",
                "uart:~$ cred buf",
                "buf: wrong parameter count",
                "buf - Buffer in credential data so it can be added.",
                "uart:~$ ");
            Assert.Equal(expected, "uart:~$ " + received);
            Assert.Equal(-22, shell.Modem.Shell.ReturnValue);
        }
    }
}
