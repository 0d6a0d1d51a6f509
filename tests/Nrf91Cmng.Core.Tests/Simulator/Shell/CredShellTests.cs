using System.Security.Cryptography;
using static Nrf91Cmng.Core.Tests.Simulator.Shell.ShellHarness;

namespace Nrf91Cmng.Core.Tests.Simulator.Shell
{
    /// <summary>The <c>cred</c> command (spec §2 to §9) on each backend and in each code variant.</summary>
    public sealed class CredShellTests
    {
        private static ShellHarness Plain(Action<VirtualModemOptions>? configure = null) => Zephyr(o =>
        {
            o.ShellColors = false;
            configure?.Invoke(o);
        });

        private static string B64(string text) => Convert.ToBase64String(Raw.Bytes(text));

        private static string Digest(byte[] data) => Convert.ToBase64String(SHA256.HashData(data));

        [Fact]
        public void ModemBackendWritesThroughWithCmeeAroundTheCall()
        {
            using ShellHarness shell = Plain();
            int before = shell.Modem.ReceivedCommands.Count;
            shell.Line("cred add 42 CA DEFAULT bint " + PBase64);
            Assert.Equal(
                new[] { "AT+CMEE?", "AT+CMEE=1", "AT%CMNG=0,42,0,\"" + P + "\"", "AT+CMEE=0" },
                shell.Modem.ReceivedCommands.Skip(before));
            Assert.Equal(Raw.Bytes(P), shell.Modem.GetStoredBytes(42, 0)); // the NUL of bint never reaches the modem
            Assert.Equal(0, shell.Modem.ErrorReporting);
            shell.Line("at AT+CMEE=1");
            shell.Line("cred del 42 CA");
            Assert.Equal("AT%CMNG=3,42,0", shell.Modem.ReceivedCommands.Last());  // CMEE already on: left alone
            Assert.Equal(1, shell.Modem.ErrorReporting);
        }

        [Fact]
        public void ModemBackendCutsBinaryContentAtTheFirstNul()
        {
            using ShellHarness shell = Plain();
            byte[] der = { 0x30, 0x82, 0x00, 0x10, 0x41 };
            Assert.Contains("and length 5 bytes.", shell.Line("cred add 9 PK DEFAULT bin " + Convert.ToBase64String(der)), StringComparison.Ordinal);
            Assert.Equal(new byte[] { 0x30, 0x82 }, shell.Modem.GetStoredBytes(9, 2));
            Assert.Contains("9,PK," + Digest(new byte[] { 0x30, 0x82 }) + ",0\r\n", shell.Line("cred list"), StringComparison.Ordinal);
        }

        [Fact]
        public void ModemBackendRegistersTheModemsEntriesAtBoot()
        {
            using ShellHarness shell = Plain(o => o.Firmware = "mfw_nrf91x1_2.0.2");
            shell.Modem.Preload(7, 0, Raw.Bytes(P));
            shell.Modem.Preload(7, 1, Raw.Bytes("client"));
            shell.Modem.Preload(7, 3, Raw.Bytes("psk"));
            shell.Modem.Preload(2147483648, 0, Raw.Bytes(P)); // a TLS-decrypt tag of the 91x1: not registered
            shell.Modem.Preload(3, 2, Raw.Bytes("key"));
            Assert.EndsWith("0 credentials found.\r\nuart:~$ ", shell.Line("cred list")); // not seen until the next boot
            shell.Modem.Reboot();
            shell.ReadQuiet(150);
            Assert.Equal(
                "cred list\r\n3,PK," + Digest(Raw.Bytes("key")) + ",0\r\n7,CA," + Digest(Raw.Bytes(P)) + ",0\r\n7,SERV," + Digest(Raw.Bytes("client")) + ",0\r\n3 credentials found.\r\nuart:~$ ",
                shell.Line("cred list"));
        }

        [Fact]
        public void ModemBackendGetQuirks()
        {
            using ShellHarness shell = Plain();
            shell.Modem.Preload(7, 0, Raw.Bytes(P));
            shell.Modem.Preload(7, 1, Raw.Bytes("client"));
            shell.Modem.Reboot();
            shell.ReadQuiet(150);

            // A boot entry is read from the modem (%CMNG=2): no NUL, LFs filtered in str.
            Assert.Equal(
                "cred get 7 CA str\r\n-----BEGIN CERTIFICATE-----?TEST\r\n?-----END CERTIFICATE-----?\r\n"
                + "Non-printable characters were included in the output and filtered. Have you selected the correct storage format?\r\n"
                + "Credential buffer cleared.\r\nuart:~$ ",
                shell.Line("cred get 7 CA str"));
            Assert.Equal(-9, shell.Modem.Shell!.ReturnValue);
            Assert.EndsWith("The stored credential isn't NULL-terminated, but a NULL-terminated format was specified.\r\nCredential buffer cleared.\r\nuart:~$ ", shell.Line("cred get 7 CA bint"));
            string refused = shell.Line("cred get 7 SERV bin");
            Assert.EndsWith(
                "Could not retrieve TLS credential with sectag 7 and type SERVER_CERT due to error: -13.\r\nuart:~$ "
                + Esc + "[8D" + Esc + "[J[00:00:12.345,678] <wrn> modem_key_mgmt: Key access refused\r\nuart:~$ ",
                refused);

            // An entry the shell added points at the shell's buffer, cleared after the add: zeros of the right length.
            shell.Line("cred add 42 CA DEFAULT bint " + PBase64);
            Assert.Equal(
                "cred get 42 CA bin\r\n" + new string('A', 32) + "\r\n" + new string('A', 32) + "\r\n" + new string('A', 16) + "\r\nCredential buffer cleared.\r\nuart:~$ ",
                shell.Line("cred get 42 CA bin"));
        }

        [Fact]
        public void ModemBackendAfterAnAtDeleteListsErrorAndCannotDelete()
        {
            using ShellHarness shell = Plain();
            shell.Line("cred add 42 CA DEFAULT bint " + PBase64);
            shell.Line("at AT%CMNG=3,42,0");
            Assert.Equal("cred list\r\n42,CA,ERROR,-2\r\n1 credentials found.\r\nuart:~$ ", shell.Line("cred list"));
            string received = shell.Line("cred del 42 CA");
            Assert.EndsWith("Deleting TLS credential with sectag 42 and type CA_CERT failed with error: -2.\r\nuart:~$ " + Esc + "[8D" + Esc + "[J[00:00:12.345,678] <wrn> modem_key_mgmt: Key not found\r\nuart:~$ ", received);
            Assert.Contains("42,CA,ERROR,-2", shell.Line("cred list"), StringComparison.Ordinal);
        }

        [Fact]
        public void ModemBackendMapsPskToAnInvalidModemType()
        {
            using ShellHarness shell = Plain();
            string received = shell.Line("cred add 5 PSK DEFAULT str abc");
            Assert.Contains("Failed to add TLS credential with sectag 5 and type PRE_SHARED_KEY. Error: -22\r\n.Credential buffer cleared.", received, StringComparison.Ordinal);
            Assert.Contains("<wrn> modem_key_mgmt: Incorrect parameters in command", received, StringComparison.Ordinal);
            Assert.Contains("AT%CMNG=0,5,-1,\"abc\"", shell.Modem.ReceivedCommands);
        }

        [Fact]
        public void ModemBackend91x1RefusesANonCertificateWith527()
        {
            using ShellHarness shell = Plain(o => o.Firmware = "mfw_nrf91x1_2.0.2");
            Assert.Contains("Error: -22\r\n.", shell.Line("cred add 42 CA DEFAULT bint " + PBase64), StringComparison.Ordinal);
            Assert.Contains("Error: -1\r\n.", shell.Line("at AT+CFUN=1") + shell.Line("cred add 43 CA DEFAULT bint " + PBase64), StringComparison.Ordinal);
        }

        [Fact]
        public void VolatileBackendCopiesToTheHeapHasFourSlotsAndForgetsOnReset()
        {
            using ShellHarness shell = Plain(o => o.CredentialBackend = TlsCredentialBackend.Volatile);
            for (int tag = 1; tag <= 4; tag++)
            {
                Assert.Contains("Added TLS credential", shell.Line("cred add " + tag + " PSK DEFAULT str secret" + tag), StringComparison.Ordinal);
            }

            Assert.EndsWith(
                "Stored 7 bytes.\r\nNo reference slot available, cannot copy credential to heap. Credential will not be stored\r\nCredential buffer cleared.\r\nuart:~$ ",
                shell.Line("cred add 5 PSK DEFAULT str secret5"));
            Assert.Equal(-12, shell.Modem.Shell!.ReturnValue);
            Assert.Equal("cred get 1 PSK str\r\nsecret1\r\nCredential buffer cleared.\r\nuart:~$ ", shell.Line("cred get 1 PSK str"));
            Assert.Equal("cred list any PSK\r\n1,PSK," + Digest(Raw.Bytes("secret1")) + ",0\r\n2,PSK," + Digest(Raw.Bytes("secret2")) + ",0\r\n3,PSK," + Digest(Raw.Bytes("secret3")) + ",0\r\n4,PSK," + Digest(Raw.Bytes("secret4")) + ",0\r\n4 credentials found.\r\nuart:~$ ", shell.Line("cred list any PSK"));
            shell.Modem.Reboot();
            shell.ReadQuiet(150);
            Assert.EndsWith("0 credentials found.\r\nuart:~$ ", shell.Line("cred list"));
        }

        [Fact]
        public void PsaBackendKeepsCredentialsOverAReset()
        {
            using ShellHarness shell = Plain(o => o.CredentialBackend = TlsCredentialBackend.Psa);
            shell.Line("cred add 42 CA DEFAULT bint " + PBase64);
            shell.Modem.Reboot();
            shell.ReadQuiet(150);
            Assert.Contains("42,CA,ff5KKaTJgecBwk5+rV0KDRQX2hlYHD7vzoi51JwCFhU=,0", shell.Line("cred list"), StringComparison.Ordinal);
            Assert.Equal(
                "cred get 42 CA bint\r\n" + string.Join("\r\n", Chunks(PBase64Without(P), 32)) + "\r\nCredential buffer cleared.\r\nuart:~$ ",
                shell.Line("cred get 42 CA bint"));
        }

        private static string PBase64Without(string text) => B64(text);

        private static IEnumerable<string> Chunks(string base64, int width)
        {
            byte[] bytes = Convert.FromBase64String(base64);
            for (int i = 0; i < bytes.Length; i += width / 4 * 3)
            {
                yield return Convert.ToBase64String(bytes, i, Math.Min(width / 4 * 3, bytes.Length - i));
            }
        }

        [Fact]
        public void ListOrderFollowsTagsThenSlotsAndFiltersAreParsed()
        {
            using ShellHarness shell = Plain(o => o.CredentialBackend = TlsCredentialBackend.Psa);
            shell.Line("cred add 9 PSK DEFAULT str a");
            shell.Line("cred add 3 PSK_ID DEFAULT str b");
            shell.Line("cred add 3 CA DEFAULT str c");
            string list = shell.Line("cred list");
            Assert.Contains("\r\n3,PSK_ID," + Digest(Raw.Bytes("b")) + ",0\r\n3,CA," + Digest(Raw.Bytes("c")) + ",0\r\n9,PSK," + Digest(Raw.Bytes("a")) + ",0\r\n3 credentials found.", list, StringComparison.Ordinal);
            Assert.EndsWith("\r\n1 credentials found.\r\nuart:~$ ", shell.Line("cred list 3 ca"));
            Assert.EndsWith("\r\n4294967296 is not a valid sectag.\r\nuart:~$ ", shell.Line("cred list 4294967296"));
            Assert.Equal(0, shell.Modem.Shell!.ReturnValue);
            Assert.EndsWith("\r\nThere is no TLS credential with sectag -1 and type CA_CERT.\r\nuart:~$ ", shell.Line("cred del 4294967295 CA"));
            shell.Line("cred del 4294967296 CA");
            Assert.Equal(-34, shell.Modem.Shell.ReturnValue);
            Assert.EndsWith("\r\nx is not a valid backend.\r\nuart:~$ ", shell.Line("cred add 1 CA x str y"));
            Assert.EndsWith("\r\nhex is not a valid storage format.\r\nuart:~$ ", shell.Line("cred add 1 CA default hex y"));
            Assert.EndsWith("\r\nPlease provide a credential to add.\r\nuart:~$ ", shell.Line("cred add 1 CA default str"));
            Assert.EndsWith("\r\nStored 4 bytes.\r\nCould not decode input from base64, error: -22\r\nCredential buffer cleared.\r\nuart:~$ ", shell.Line("cred add 1 CA default bin Q=QQ"));
        }

        [Fact]
        public void BufClearIsSilentWhenEmptyOnTheNcsForkAndAlwaysAnswersUpstream()
        {
            using (ShellHarness shell = Plain())
            {
                Assert.Equal("cred buf clear\r\nuart:~$ ", shell.Line("cred buf clear"));
                shell.Line("cred buf QUJD");
                Assert.Equal("cred buf clear\r\nCredential buffer cleared.\r\nuart:~$ ", shell.Line("cred buf clear"));
                Assert.EndsWith("PK_PSA is not a valid credential type.\r\nuart:~$ ", shell.Line("cred list any PK_PSA"));
            }

            using (ShellHarness shell = Plain(o =>
            {
                o.CredShellVariant = CredShellVariant.Upstream;
                o.CredentialBackend = TlsCredentialBackend.Volatile;
            }))
            {
                Assert.Equal("cred buf clear\r\nCredential buffer cleared.\r\nuart:~$ ", shell.Line("cred buf clear"));
                Assert.EndsWith("0 credentials found.\r\nuart:~$ ", shell.Line("cred list any PK_PSA"));
                Assert.Contains("  clear  :Clear the credential buffer\r\n  load   :Load credential directly to buffer so it can be added.\r\n", shell.Line("cred buf"), StringComparison.Ordinal);
            }
        }

        [Fact]
        public void UpstreamBufLoadTakesRawInputUntilCtrlC()
        {
            using ShellHarness shell = Plain(o =>
            {
                o.CredShellVariant = CredShellVariant.Upstream;
                o.CredentialBackend = TlsCredentialBackend.Volatile;
            });
            // The LF of the CR LF that ended the command is read by the bypass callback too: it is the first byte.
            Assert.Equal("cred buf load\r\nInput credential, finish with CTRL+C.\r\n", shell.Line("cred buf load"));
            Assert.Equal("Stored 60 bytes.\r\nuart:~$ ", shell.Exchange(P.Substring(0, 59) + "\x03"));
            Assert.Contains("and length 61 bytes.", shell.Line("cred add 42 CA DEFAULT strt"), StringComparison.Ordinal);
            Assert.Contains("Could not retrieve expiry for TLS credential with sectag 42 and type CA_CERT due to error: -22.", shell.Line("cred expiry 42 CA"), StringComparison.Ordinal);

            // Bytes after the Ctrl-C in the same read are lost; a CR alone ends the command line cleanly.
            Assert.Equal("cred buf load\r\nInput credential, finish with CTRL+C.\r\n", shell.Exchange("cred buf load\r"));
            Assert.Equal("Stored 3 bytes.\r\nuart:~$ ", shell.Exchange("abc\x03lost"));
            Assert.Equal(3, shell.Modem.Shell!.Cred!.Buffered);
        }

        [Fact]
        public void UpstreamExpiryReadsTheCertificate()
        {
            using ShellHarness shell = Plain(o =>
            {
                o.CredShellVariant = CredShellVariant.Upstream;
                o.CredentialBackend = TlsCredentialBackend.Psa;
                o.CredentialBufferSize = 4096;
                o.ShellBufferSize = 4096;
            });
            string b64 = B64(Vectors.AmazonRootCa1);
            shell.Line("cred buf clear");
            for (int i = 0; i < b64.Length; i += 48)
            {
                shell.Line("cred buf " + b64.Substring(i, Math.Min(48, b64.Length - i)));
            }

            Assert.Contains("Added TLS credential of type CA_CERT, sectag 16, and length 1189 bytes.", shell.Line("cred add 16 CA DEFAULT bint"), StringComparison.Ordinal);
            Assert.Contains("Expiry for TLS credential with sectag 16 and type CA_CERT is 2038-01-17 00:00:00 (2147299200).", shell.Line("cred expiry 16 CA"), StringComparison.Ordinal);
        }

        [Fact]
        public void TheDefaultBufferTakesAtMost1023CharactersSoAmazonRootCa1DoesNotFit()
        {
            using ShellHarness shell = Plain();
            string b64 = B64(Vectors.AmazonRootCa1);
            Assert.Equal(1584, b64.Length);
            shell.Line("cred buf clear");
            var answers = new System.Text.StringBuilder();
            for (int i = 0; i < b64.Length; i += 48)
            {
                answers.Append(shell.Line("cred buf " + b64.Substring(i, Math.Min(48, b64.Length - i))));
            }

            Assert.Contains("Not enough room in credential buffer", answers.ToString(), StringComparison.Ordinal);
            // The tail that followed the overflow is valid base64 of its own: the add succeeds with garbage (spec §3).
            Assert.Contains("Added TLS credential", shell.Line("cred add 16 CA DEFAULT bint"), StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("QQ==", "A", 0)]
        [InlineData("QUJD", "ABC", 0)]
        [InlineData("QUJDRA", "ABC", 0)]          // a trailing group of 1-3 characters is dropped
        [InlineData("QQ==  ", "A", 0)]            // spaces at the very end
        [InlineData("QUJD\r\nRA==", "ABCD", 0)]   // CR LF skipped
        [InlineData("QUJD  \nRA==", "ABCD", 0)]   // spaces before a line end
        [InlineData("QU JD", "", -22)]            // space inside a line
        [InlineData("QQ=A", "", -22)]             // data after '='
        [InlineData("Q===", "", -22)]             // three '='
        [InlineData("QU*D", "", -22)]
        [InlineData("QUJD\rRA==", "", -22)]       // a lone CR is not skipped
        public void Base64FollowsZephyr(string input, string output, int result)
        {
            Assert.Equal(result, ZephyrBase64.Decode(Raw.Bytes(input), input.Length, out byte[] decoded));
            Assert.Equal(output, Raw.Text(decoded, decoded.Length));
        }
    }
}
