namespace Nrf91Cmng.Core.Platform
{
    /// <summary>
    /// File names derived from port names (provisioning transcripts, reports) that are valid and
    /// distinct on every file system the module runs on. A port name is not a file name: <c>COM5</c>
    /// is a reserved device name on Windows (so is <c>COM5.log</c>: Windows ignores the extension),
    /// <c>/dev/ttyACM0</c> and <c>tcp://127.0.0.1:7000</c> carry separators, and <c>\\.\COM10</c> is the
    /// same port as <c>COM10</c>. Pure functions: the same input gives the same name on every OS.
    /// </summary>
    public static class SafeFileNames
    {
        private const int MaxReadableLength = 48;
        private const string Fallback = "port";

        // Windows: "\\.\COM10", "\\?\com3", "COM7" are all the port COMn (the namespace is case-insensitive).
        private static readonly Regex s_windowsComPort = new Regex(@"^(\\\\[.?]\\)?COM(?<n>[0-9]+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// A base file name (no extension; append ".log" or any other) for <paramref name="portName"/>:
        /// a readable part built from the port name, then '_' and 10 hex digits of a hash of the
        /// port's canonical name. The hash makes names of different ports differ even on
        /// case-insensitive file systems (macOS, Windows) and after the readable part dropped
        /// characters; names of the same port (<c>COM10</c>, <c>com10</c>, <c>\\.\COM10</c>) are equal.
        /// The result contains only ASCII letters, digits, '-', '.' and '_', never starts or ends
        /// with '.' or '-', and is never a Windows reserved device name with or without an extension.
        /// </summary>
        /// <example><c>COM5</c> → <c>COM5_…</c>; <c>/dev/ttyACM0</c> → <c>ttyACM0_…</c>; <c>tcp://127.0.0.1:7000</c> → <c>tcp-127.0.0.1-7000_…</c>.</example>
        public static string ForPort(string portName)
        {
            if (portName is null)
            {
                throw new ArgumentNullException(nameof(portName));
            }

            string canonical = CanonicalPortName(portName);
            string readable = Readable(canonical);
            string name = readable + "_" + Hash(canonical);
            if (IsReservedOnWindows(name))
            {
                // Cannot happen with the hash suffix (a reserved stem has no '_'); kept as a guard.
                name = Fallback + "-" + name;
            }

            return name;
        }

        /// <summary>
        /// The name that identifies a port across spellings: Windows COM ports in upper case without a
        /// <c>\\.\</c> prefix; every other name (device paths, URIs, com0com names) exactly as given,
        /// trimmed of surrounding white space.
        /// </summary>
        public static string CanonicalPortName(string portName)
        {
            if (portName is null)
            {
                throw new ArgumentNullException(nameof(portName));
            }

            string trimmed = portName.Trim();
            Match com = s_windowsComPort.Match(trimmed);
            return com.Success ? "COM" + com.Groups["n"].Value : trimmed;
        }

        /// <summary>
        /// True when Windows treats <paramref name="fileName"/> as a device rather than a file: CON,
        /// PRN, AUX, NUL, COM0-9, LPT0-9 and COM/LPT with a superscript 1, 2 or 3, CONIN$ and CONOUT$,
        /// in any case, alone or followed by an extension (<c>nul.txt</c>, <c>COM5.tar.gz</c>), and with
        /// trailing dots or spaces before the extension (<c>CON .log</c>).
        /// </summary>
        public static bool IsReservedOnWindows(string fileName)
        {
            if (string.IsNullOrEmpty(fileName))
            {
                return false;
            }

            string stem = fileName;
            int dot = stem.IndexOf('.');
            if (dot >= 0)
            {
                stem = stem.Substring(0, dot);
            }

            stem = stem.TrimEnd(' ', '.').ToUpperInvariant();
            switch (stem)
            {
                case "CON":
                case "PRN":
                case "AUX":
                case "NUL":
                case "CONIN$":
                case "CONOUT$":
                    return true;
            }

            if (stem.Length == 4 && (stem.StartsWith("COM", StringComparison.Ordinal) || stem.StartsWith("LPT", StringComparison.Ordinal)))
            {
                char last = stem[3];
                return (last >= '0' && last <= '9') || last == '\u00B9' || last == '\u00B2' || last == '\u00B3';
            }

            return false;
        }

        private static string Readable(string canonical)
        {
            string body = canonical;
            int scheme = body.IndexOf("://", StringComparison.Ordinal);
            if (body.StartsWith("/dev/", StringComparison.Ordinal))
            {
                body = body.Substring("/dev/".Length);
            }
            else if (scheme > 0)
            {
                body = body.Substring(0, scheme) + "-" + body.Substring(scheme + 3);
            }

            var builder = new StringBuilder(body.Length);
            foreach (char c in body)
            {
                bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
                char next = keep ? c : '-';
                if (next == '-' && builder.Length > 0 && builder[builder.Length - 1] == '-')
                {
                    continue;
                }

                builder.Append(next);
            }

            string readable = builder.ToString().Trim('-', '.');
            if (readable.Length > MaxReadableLength)
            {
                readable = readable.Substring(readable.Length - MaxReadableLength).Trim('-', '.');
            }

            // The final name is readable + "_" + hash: only a stem cut short by a dot can be a device name.
            if (readable.Length == 0 || (readable.IndexOf('.') >= 0 && IsReservedOnWindows(readable)))
            {
                readable = readable.Length == 0 ? Fallback : Fallback + "-" + readable;
            }

            return readable;
        }

        // FNV-1a (64 bit) over the UTF-8 bytes: deterministic everywhere and needs no cryptographic
        // provider (SHA-256 through CryptoConfig can be refused by a FIPS policy on .NET Framework).
        private static string Hash(string canonical)
        {
            const ulong offset = 14695981039346656037UL;
            const ulong prime = 1099511628211UL;
            ulong hash = offset;
            foreach (byte b in Encoding.UTF8.GetBytes(canonical))
            {
                hash ^= b;
                hash *= prime;
            }

            return (hash & 0xFFFFFFFFFFUL).ToString("x10", CultureInfo.InvariantCulture);
        }
    }
}
