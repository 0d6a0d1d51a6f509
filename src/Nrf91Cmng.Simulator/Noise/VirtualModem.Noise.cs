namespace Nrf91Cmng.Simulator
{
    /// <content>
    /// Unsolicited noise: URCs and Zephyr log lines around functional-mode changes, at random while
    /// idle, and interleaved between any two output lines (inside a reply too).
    /// </content>
    public sealed partial class VirtualModem
    {
        private static readonly string[] s_randomUrcs =
        {
            "+CSCON: 0",
            "+CSCON: 1",
            "+CEREG: 1,\"76C1\",\"0102DA04\",7",
            "+CEREG: 5,\"76C1\",\"0102DA04\",7,,,\"11100000\",\"11100000\"",
            "%XSIM: 1",
            "%MDMEV: SEARCH STATUS 2",
            "+CGEV: ME PDN ACT 0",
        };

        /// <summary>What an application and the modem print between the lines of a reply on a shared UART.</summary>
        private static readonly string[] s_interleavedUrcs =
        {
            "+CEREG: 0",
            "+CEREG: 2,\"76C1\",\"0102DA04\",7",
            "+CSCON: 1",
            "+CSCON: 0",
            "%XTIME: \"0A\",\"62108010543040\",\"00\"",
        };

        private static readonly string[] s_interleavedLogs =
        {
            "<inf> app: tick",
            "<inf> lte_lc: Network connectivity changed",
            "<dbg> modem_info: Modem info read",
        };

        private bool _unsolicitedNoise;
        private double _randomNoiseRate;
        private double _interleavedNoiseRate;
        private string[]? _interleavedNoiseLines;
        private Random _lineNoise = new Random(0);

        /// <summary>Emit +CEREG/+CSCON and log lines around functional-mode changes.</summary>
        public bool UnsolicitedNoise
        {
            get => Volatile.Read(ref _unsolicitedNoise);
            set => Volatile.Write(ref _unsolicitedNoise, value);
        }

        /// <summary>Random URC rate (see <see cref="VirtualModemOptions.RandomNoiseRate"/>).</summary>
        public double RandomNoiseRate
        {
            get
            {
                lock (_gate)
                {
                    return _randomNoiseRate;
                }
            }

            set
            {
                lock (_gate)
                {
                    _randomNoiseRate = Math.Max(0, value);
                }
            }
        }

        /// <summary>Probability of a line inserted at each line boundary of the output (see <see cref="VirtualModemOptions.InterleavedNoiseRate"/>).</summary>
        public double InterleavedNoiseRate
        {
            get
            {
                lock (_gate)
                {
                    return _interleavedNoiseRate;
                }
            }

            set
            {
                lock (_gate)
                {
                    _interleavedNoiseRate = Math.Min(1, Math.Max(0, value));
                }
            }
        }

        /// <summary>The lines interleaved at random (see <see cref="VirtualModemOptions.InterleavedNoiseLines"/>); null = the built-in URCs and log lines.</summary>
        public IReadOnlyList<string>? InterleavedNoiseLines
        {
            get
            {
                lock (_gate)
                {
                    return _interleavedNoiseLines;
                }
            }

            set
            {
                string[]? lines = value?.ToArray();
                if (lines is not null && lines.Any(l => l is null || l.IndexOf('\n') >= 0 || l.IndexOf('\r') >= 0))
                {
                    throw new ArgumentException("Interleaved lines carry no CR or LF; the console frames them.", nameof(value));
                }

                lock (_gate)
                {
                    _interleavedNoiseLines = lines is { Length: > 0 } ? lines : null;
                }
            }
        }

        /// <summary>The interleaving draws come from a generator of their own, so a seed fixes where lines go whatever else happens.</summary>
        private void InitialiseNoise(VirtualModemOptions options)
        {
            _unsolicitedNoise = options.UnsolicitedNoise;
            _randomNoiseRate = Math.Max(0, options.RandomNoiseRate);
            _lineNoise = options.Seed is int seed ? new Random(unchecked((seed * 7919) + 101)) : new Random(Guid.NewGuid().GetHashCode());
            InterleavedNoiseRate = options.InterleavedNoiseRate;
            InterleavedNoiseLines = options.InterleavedNoiseLines;
        }

        private string RandomUrc()
        {
            lock (_gate)
            {
                return _random.Next(4) == 0 ? LogLine("<inf> lte_lc: Network connectivity changed") : s_randomUrcs[_random.Next(s_randomUrcs.Length)];
            }
        }

        /// <summary>Whether to insert a line at the next line boundary (<see cref="InterleavedNoiseRate"/>).</summary>
        private bool NextInterleave()
        {
            lock (_gate)
            {
                return _interleavedNoiseRate > 0 && _lineNoise.NextDouble() < _interleavedNoiseRate;
            }
        }

        /// <summary>A line to interleave: from <see cref="InterleavedNoiseLines"/>, else a URC or a log line.</summary>
        private string NoiseLine()
        {
            lock (_gate)
            {
                if (_interleavedNoiseLines is string[] lines)
                {
                    return lines[_lineNoise.Next(lines.Length)];
                }

                return _lineNoise.Next(3) == 0
                    ? LogLine(s_interleavedLogs[_lineNoise.Next(s_interleavedLogs.Length)])
                    : s_interleavedUrcs[_lineNoise.Next(s_interleavedUrcs.Length)];
            }
        }

        /// <summary>A Zephyr log line stamped with the uptime, e.g. <c>[00:00:12.345,678] &lt;inf&gt; lte_lc: …</c>.</summary>
        private string LogLine(string text)
        {
            TimeSpan up = _uptime.Elapsed;
            long micros = up.Ticks / 10 % 1000;
            return string.Format(CultureInfo.InvariantCulture, "[{0:00}:{1:00}:{2:00}.{3:000},{4:000}] {5}",
                (int)up.TotalHours, up.Minutes, up.Seconds, up.Milliseconds, micros, text);
        }
    }
}
