namespace Nrf91Cmng.Core.Tests.Simulator.Shell
{
    /// <summary>A raw byte conversation with a shell front end: what goes out for what was sent.</summary>
    internal sealed class ShellHarness : IDisposable
    {
        public const string Esc = "\x1b";
        public const string Green = "\x1b[1;32m";
        public const string Red = "\x1b[1;31m";
        public const string Yellow = "\x1b[1;33m";
        public const string Off = "\x1b[m";

        /// <summary>SHA-256(P) and its base64 from the spec's §12.</summary>
        public const string P = "-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n";
        public const string PBase64 = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tClRFU1QKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=";

        public ShellHarness(VirtualModemOptions options)
        {
            options.Seed ??= 5;
            Modem = new VirtualModem(options);
            Modem.UptimeSource = () => TimeSpan.FromTicks(123_456_780); // [00:00:12.345,678]
            Link = Modem.ConnectInProcess();
        }

        public static ShellHarness Zephyr(Action<VirtualModemOptions>? configure = null)
        {
            var options = new VirtualModemOptions { Framing = ModemFraming.ZephyrShell, Imei = "352656109480783" };
            configure?.Invoke(options);
            return new ShellHarness(options);
        }

        public VirtualModem Modem { get; }

        public IByteLink Link { get; }

        public void Send(string text) => Raw.Send(Link, text);

        /// <summary>Sends the text and returns everything the shell writes until it has been quiet for a while (and, given <paramref name="until"/>, that holds).</summary>
        public string Exchange(string text, int quietMs = 120, Func<string, bool>? until = null)
        {
            Send(text);
            return ReadQuiet(quietMs, until: until);
        }

        /// <summary>Sends <paramref name="line"/> + CR LF and reads until a prompt ends the output and the line is quiet.</summary>
        public string Line(string line, int quietMs = 120) => Exchange(line + "\r\n", quietMs, EndsWithPrompt);

        /// <summary>Output that ends with a prompt (plain or coloured); the shell may hang on purpose, so the caller's timeout still applies.</summary>
        public static bool EndsWithPrompt(string text) =>
            System.Text.RegularExpressions.Regex.IsMatch(text, @"(\x1b\[1;32m)?[a-z]+:~\$ (\x1b\[m)?$");

        public string ReadQuiet(int quietMs = 120, int maxMs = 5000, Func<string, bool>? until = null)
        {
            var received = new StringBuilder();
            var buffer = new byte[8192];
            var total = Stopwatch.StartNew();
            var idle = Stopwatch.StartNew();
            while (total.ElapsedMilliseconds < maxMs)
            {
                int n = Link.Read(buffer, 0, buffer.Length, TimeSpan.FromMilliseconds(10), CancellationToken.None);
                if (n > 0)
                {
                    received.Append(Raw.Text(buffer, n));
                    idle.Restart();
                }
                else if (idle.ElapsedMilliseconds >= quietMs && received.Length > 0 && (until is null || until(received.ToString())))
                {
                    break;
                }
                else if (idle.ElapsedMilliseconds >= Math.Max(quietMs, until is null ? 600 : 2000))
                {
                    break;
                }
            }

            return received.ToString();
        }

        /// <summary>The spec's transcript notation: received lines, each ended by CR LF unless it ends in "\r\r\n" already or is the last.</summary>
        public static string Lines(params string[] lines)
        {
            var text = new StringBuilder();
            for (int i = 0; i < lines.Length; i++)
            {
                text.Append(lines[i]);
                if (i < lines.Length - 1 && !lines[i].EndsWith("\r\r\n", StringComparison.Ordinal))
                {
                    text.Append("\r\n");
                }
            }

            return text.ToString();
        }

        public void Dispose()
        {
            Link.Dispose();
            Modem.Dispose();
        }
    }
}
