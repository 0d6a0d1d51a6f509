using System;
using System.Globalization;
using System.Threading;

namespace Nrf91Cmng.Simulator
{
    /// <content>Unsolicited noise: URCs and Zephyr log lines.</content>
    public sealed partial class VirtualModem
    {
        private bool _unsolicitedNoise;
        private double _randomNoiseRate;

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

        private string RandomUrc()
        {
            lock (_gate)
            {
                return _random.Next(4) == 0 ? LogLine("<inf> lte_lc: Network connectivity changed") : s_randomUrcs[_random.Next(s_randomUrcs.Length)];
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
