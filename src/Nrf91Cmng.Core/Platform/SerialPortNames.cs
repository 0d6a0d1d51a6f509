namespace Nrf91Cmng.Core.Platform
{
    /// <summary>
    /// Port-name rules that differ between operating systems, as pure functions so that the Windows
    /// and macOS rules are tested on any machine.
    /// </summary>
    public static class SerialPortNames
    {
        private static readonly Regex s_win32DevicePath = new Regex(@"^\\\\[.?]\\(?<name>COM[0-9]+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// The name to give <c>SerialPort.PortName</c>: <c>\\.\COM10</c> (the Win32 device path that
        /// COM ports from 10 up need in other tools) becomes <c>COM10</c>, because SerialPort refuses
        /// names that start with <c>\\</c> (.NET Framework and .NET alike) and opens COM10 by itself.
        /// Surrounding white space is removed; everything else is left as given.
        /// </summary>
        public static string Normalize(string portName)
        {
            if (portName is null)
            {
                throw new ArgumentNullException(nameof(portName));
            }

            string trimmed = portName.Trim();
            Match m = s_win32DevicePath.Match(trimmed);
            return m.Success ? m.Groups["name"].Value.ToUpperInvariant() : trimmed;
        }

        /// <summary>
        /// macOS creates two nodes per serial device: <c>/dev/tty.X</c> (dial-in: its open waits for
        /// carrier detect, which a USB CDC board may never raise, so it can hang) and <c>/dev/cu.X</c>
        /// (call-out: opens at once). Returns the call-out node for a dial-in name when it exists, else
        /// the name unchanged; only on macOS.
        /// </summary>
        public static string PreferCalloutDevice(string portName, bool isMacOS, Func<string, bool> exists)
        {
            if (portName is null)
            {
                throw new ArgumentNullException(nameof(portName));
            }

            if (exists is null)
            {
                throw new ArgumentNullException(nameof(exists));
            }

            const string dialIn = "/dev/tty.";
            if (!isMacOS || !portName.StartsWith(dialIn, StringComparison.Ordinal))
            {
                return portName;
            }

            string callout = "/dev/cu." + portName.Substring(dialIn.Length);
            return exists(callout) ? callout : portName;
        }

        /// <summary>
        /// The names to offer for completion: on macOS the dial-in <c>/dev/tty.*</c> nodes are left out
        /// (their call-out twins <c>/dev/cu.*</c> are offered instead); elsewhere the list is unchanged.
        /// Duplicates are removed, order kept.
        /// </summary>
        public static IReadOnlyList<string> ForCompletion(IEnumerable<string> candidates, bool isMacOS)
        {
            if (candidates is null)
            {
                throw new ArgumentNullException(nameof(candidates));
            }

            return candidates
                .Where(p => !string.IsNullOrEmpty(p))
                .Where(p => !isMacOS || !p.StartsWith("/dev/tty.", StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }
    }
}
