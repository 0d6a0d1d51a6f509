using System.Text.RegularExpressions;

namespace Nrf91Cmng.Simulator
{
    /// <content>
    /// <c>+CCLK</c>: the modem's clock, <c>"yy/MM/dd,hh:mm:ss±zz"</c> (3GPP 27.007 §8.15: local time,
    /// zone in quarter hours), settable with <c>AT+CCLK="…"</c> and from code, bogus values included.
    /// </content>
    public sealed partial class VirtualModem
    {
        /// <summary>What <c>AT+CCLK?</c> reads after a power-on reset, before any network or host set it (devzone 126451).</summary>
        public const string PowerOnClock = "15/02/01,00:00:00+00";

        /// <summary>Largest time zone, in quarter hours either way, that <c>AT+CCLK=</c> accepts (the range Nordic documents for the same format in <c>%CCLK</c>).</summary>
        public const int MaxClockZone = 48;

        private static readonly Regex s_clockText = new Regex(@"^(\d\d)/(\d\d)/(\d\d),(\d\d):(\d\d):(\d\d)([+-])(\d\d)$", RegexOptions.CultureInvariant);

        private DateTime _clockBase;
        private int _clockZone;
        private long _clockSetAt;
        private bool _clockRuns = true;

        /// <summary>What <c>AT+CCLK?</c> answers now (without the quotes), e.g. <c>25/06/30,14:02:11+08</c>.</summary>
        public string ClockText
        {
            get
            {
                lock (_gate)
                {
                    return FormatClock(ClockNowLocked(), _clockZone);
                }
            }
        }

        /// <summary>
        /// Whether the clock advances in real time from the moment it was set (default true); false holds
        /// it at its current reading, for exact comparisons in tests.
        /// </summary>
        public bool ClockRuns
        {
            get
            {
                lock (_gate)
                {
                    return _clockRuns;
                }
            }

            set
            {
                lock (_gate)
                {
                    _clockBase = ClockNowLocked();
                    _clockSetAt = Stopwatch.GetTimestamp();
                    _clockRuns = value;
                }
            }
        }

        /// <summary>
        /// Formats <paramref name="time"/> the way <c>AT+CCLK?</c> shows it: its local date and time and
        /// its offset in quarter hours (the offset must be a whole number of quarter hours).
        /// </summary>
        public static string FormatClock(DateTimeOffset time)
        {
            if (time.Offset.Ticks % TimeSpan.FromMinutes(15).Ticks != 0)
            {
                throw new ArgumentException("+CCLK shows the time zone in quarter hours; " + time.Offset + " is not one.", nameof(time));
            }

            return FormatClock(time.DateTime, (int)(time.Offset.Ticks / TimeSpan.FromMinutes(15).Ticks));
        }

        /// <summary>
        /// Sets the clock from its <c>+CCLK</c> text, e.g. the bogus <c>80/01/06,00:00:14+00</c> (year
        /// 2080) some networks leave, or <see cref="PowerOnClock"/>; two-digit years are 20yy.
        /// </summary>
        /// <exception cref="ArgumentException">Not <c>yy/MM/dd,hh:mm:ss±zz</c>, not a date, or a zone beyond ±<see cref="MaxClockZone"/>.</exception>
        public void SetClock(string cclkText)
        {
            if (!TryParseClock(cclkText, out DateTime local, out int zone))
            {
                throw new ArgumentException("A +CCLK time reads yy/MM/dd,hh:mm:ss±zz (zone in quarter hours, at most ±" + MaxClockZone + "); got '" + cclkText + "'.", nameof(cclkText));
            }

            lock (_gate)
            {
                SetClockLocked(local, zone);
            }
        }

        /// <summary>Sets the clock to <paramref name="time"/> (its local time and offset).</summary>
        public void SetClock(DateTimeOffset time) => SetClock(FormatClock(time));

        private static string FormatClock(DateTime local, int zone) =>
            local.ToString("yy/MM/dd,HH:mm:ss", CultureInfo.InvariantCulture)
            + (zone < 0 ? "-" : "+") + Math.Abs(zone).ToString("00", CultureInfo.InvariantCulture);

        private static bool TryParseClock(string? text, out DateTime local, out int zone)
        {
            local = default;
            zone = 0;
            Match m = s_clockText.Match(text ?? string.Empty);
            if (!m.Success)
            {
                return false;
            }

            int Part(int group) => int.Parse(m.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            int year = 2000 + Part(1);
            int month = Part(2);
            int day = Part(3);
            zone = (m.Groups[7].Value == "-" ? -1 : 1) * Part(8);
            if (month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
                || Part(4) > 23 || Part(5) > 59 || Part(6) > 59 || Math.Abs(zone) > MaxClockZone)
            {
                return false;
            }

            local = new DateTime(year, month, day, Part(4), Part(5), Part(6), DateTimeKind.Unspecified);
            return true;
        }

        /// <summary>The power-on clock (a reset loses the time), or the clock the options give.</summary>
        private void ResetClock(string? clock = null)
        {
            TryParseClock(clock ?? PowerOnClock, out DateTime local, out int zone);
            SetClockLocked(local, zone);
        }

        private void SetClockLocked(DateTime local, int zone)
        {
            _clockBase = local;
            _clockZone = zone;
            _clockSetAt = Stopwatch.GetTimestamp();
        }

        private DateTime ClockNowLocked()
        {
            if (!_clockRuns)
            {
                return _clockBase;
            }

            long ticks = (Stopwatch.GetTimestamp() - _clockSetAt) * TimeSpan.TicksPerSecond / Stopwatch.Frequency;
            return _clockBase.Ticks + ticks < DateTime.MaxValue.Ticks ? _clockBase.AddTicks(ticks) : _clockBase;
        }

        private Result Cclk(AtCommandPart cmd)
        {
            switch (cmd.Form)
            {
                case AtForm.Read:
                    return Result.Ok(Line("+CCLK: \"" + FormatClock(ClockNowLocked(), _clockZone) + "\""));
                case AtForm.Test:
                    return Result.Ok();
                case AtForm.Set:
                    if (cmd.Parameters.Count == 1 && cmd.Parameters[0].Quoted && TryParseClock(cmd.Parameters[0].Text, out DateTime local, out int zone))
                    {
                        SetClockLocked(local, zone);
                        return Result.Ok();
                    }

                    return Cme(50);
                default:
                    return Result.Error();
            }
        }
    }
}
