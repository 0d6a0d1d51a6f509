namespace Nrf91Cmng.Core.Readiness
{
    /// <summary>What a modem clock reading is worth.</summary>
    public enum ModemClockState
    {
        /// <summary>No reading was given.</summary>
        Missing,

        /// <summary>The text is not <c>"yy/MM/dd,hh:mm:ss±zz"</c>.</summary>
        Unparsable,

        /// <summary>A date before 2020 (the power-on value 15/02/01, or 1980-style values): the modem has no time.</summary>
        NotSet,

        /// <summary>A date far ahead of the host (80/01/06 read as 2080 on some NB-IoT networks): not usable.</summary>
        Implausible,

        /// <summary>A usable time.</summary>
        Valid,
    }

    /// <summary>
    /// A parsed <c>AT+CCLK?</c> answer (<c>+CCLK: "yy/MM/dd,hh:mm:ss±zz"</c>, zone in quarter
    /// hours). Impossible dates are reported as not set or implausible, never as a time, so no
    /// certificate is ever called expired on the strength of a bogus clock.
    /// </summary>
    public sealed class ModemClock
    {
        /// <summary>Years before this mean the clock was never set.</summary>
        public const int FirstPlausibleYear = 2020;

        /// <summary>A clock more than this ahead of the host is implausible.</summary>
        public static readonly TimeSpan MaxAheadOfHost = TimeSpan.FromDays(2);

        private static readonly Regex s_cclk = new Regex(
            "^\\s*(?:\\+CCLK:\\s*)?\"?(?<yy>\\d{2})/(?<MM>\\d{2})/(?<dd>\\d{2}),(?<hh>\\d{2}):(?<mm>\\d{2}):(?<ss>\\d{2})(?<zone>[+-]\\d{1,2})?\"?\\s*$",
            RegexOptions.CultureInvariant);

        private ModemClock(string? raw, ModemClockState state, DateTimeOffset? utc, DateTimeOffset? local, string description)
        {
            Raw = raw;
            State = state;
            Utc = utc;
            Local = local;
            Description = description;
        }

        /// <summary>The text as read.</summary>
        public string? Raw { get; }

        /// <summary>Its state.</summary>
        public ModemClockState State { get; }

        /// <summary>The time in UTC when <see cref="State"/> is <see cref="ModemClockState.Valid"/>; else null.</summary>
        public DateTimeOffset? Utc { get; }

        /// <summary>The parsed local time with its zone (also for NotSet/Implausible readings), or null.</summary>
        public DateTimeOffset? Local { get; }

        /// <summary>The finding in words.</summary>
        public string Description { get; }

        /// <summary>True when the time can be used.</summary>
        public bool IsValid => State == ModemClockState.Valid;

        /// <summary>Parses <paramref name="text"/> (the whole <c>+CCLK:</c> line or the quoted value) and judges it against <paramref name="hostUtc"/>.</summary>
        public static ModemClock Parse(string? text, DateTimeOffset hostUtc)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return new ModemClock(text, ModemClockState.Missing, null, null, "The modem clock was not read.");
            }

            Match m = s_cclk.Match(text);
            if (!m.Success)
            {
                return new ModemClock(text, ModemClockState.Unparsable, null, null, "'" + text!.Trim() + "' is not a +CCLK time (\"yy/MM/dd,hh:mm:ss±zz\").");
            }

            int Get(string g) => int.Parse(m.Groups[g].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            int year = 2000 + Get("yy");
            int quarters = m.Groups["zone"].Success ? int.Parse(m.Groups["zone"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
            DateTimeOffset local;
            try
            {
                local = new DateTimeOffset(year, Get("MM"), Get("dd"), Get("hh"), Get("mm"), Get("ss"), TimeSpan.FromMinutes(quarters * 15));
            }
            catch (ArgumentOutOfRangeException)
            {
                return new ModemClock(text, ModemClockState.Unparsable, null, null, "'" + text!.Trim() + "' is not a real date and time.");
            }

            string shown = local.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
            if (year < FirstPlausibleYear)
            {
                return new ModemClock(text, ModemClockState.NotSet, null, local,
                    "The modem clock reads " + shown + ": it has not been set (after power-on it starts at 2015-02-01 until the network provides the time).");
            }

            if (local.UtcDateTime > hostUtc.UtcDateTime + MaxAheadOfHost)
            {
                return new ModemClock(text, ModemClockState.Implausible, null, local,
                    "The modem clock reads " + shown + ", far ahead of the host clock (" + hostUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) +
                    "); some NB-IoT networks leave values such as 80/01/06 (read as 2080). It is not usable.");
            }

            return new ModemClock(text, ModemClockState.Valid, local.ToUniversalTime(), local, "The modem clock reads " + shown + ".");
        }

        /// <inheritdoc />
        public override string ToString() => Description;
    }
}
