using System.Collections.ObjectModel;

namespace Nrf91Cmng
{
    /// <summary>
    /// Test-ModemSecTag: whether one sec_tag of a modem is ready for TLS as far as can be told
    /// offline, with every check of the checklist (R1-R17) that led to the verdict.
    /// </summary>
    public sealed class SecTagReadiness : ModemOutput
    {
        /// <summary>The sec_tag.</summary>
        public uint SecTag { get; internal set; }

        /// <summary>True when no check failed (warnings and checks that cannot be made offline do not count).</summary>
        public bool Ready { get; internal set; }

        /// <summary>One per check, R1 to R17 in order.</summary>
        public SecTagCheckList Checks { get; internal set; } = new SecTagCheckList(Array.Empty<SecTagCheck>());

        /// <summary>How many checks failed.</summary>
        public int FailedCount { get; internal set; }

        /// <summary>How many checks warn.</summary>
        public int WarningCount { get; internal set; }

        /// <summary>The ids of the failed checks, then of the warnings, e.g. "Fail: R2, R15; Warn: R14" (empty when all passed).</summary>
        public string Summary { get; internal set; } = string.Empty;

        /// <summary>The modem clock as read (AT+CCLK?), or null.</summary>
        public string? ModemClock { get; internal set; }

        /// <summary>What the modem clock is worth: Valid, NotSet, Implausible, Unparsable or Missing.</summary>
        public string ModemClockState { get; internal set; } = "Missing";

        /// <summary>The host time the certificates were judged by (UTC).</summary>
        public DateTime HostTime { get; internal set; }

        /// <summary>The modem firmware (AT+CGMR).</summary>
        public string? Firmware { get; internal set; }

        /// <summary>The target server profile or CA file the roots were checked against, or null.</summary>
        public string? Server { get; internal set; }

        /// <summary>The provisioning record used, or null.</summary>
        public string? RecordPath { get; internal set; }

        /// <summary>The checks that failed.</summary>
        public SecTagCheckList Failures => new SecTagCheckList(Checks.Where(c => c.Outcome == Core.Readiness.ReadinessStatus.Fail).ToList());

        /// <summary>The checks that warn.</summary>
        public SecTagCheckList Warnings => new SecTagCheckList(Checks.Where(c => c.Outcome == Core.Readiness.ReadinessStatus.Warn).ToList());

        /// <inheritdoc />
        public override string ToString() =>
            "sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture) + ": " + (Ready ? "ready" : "not ready") + (Summary.Length == 0 ? string.Empty : " (" + Summary + ")");
    }

    /// <summary>One check of Test-ModemSecTag at one sec_tag.</summary>
    public sealed class SecTagCheck
    {
        /// <summary>The sec_tag.</summary>
        public uint SecTag { get; internal set; }

        /// <summary>R1 ... R17.</summary>
        public string Id { get; internal set; } = string.Empty;

        /// <summary>What was checked, in a few words.</summary>
        public string What { get; internal set; } = string.Empty;

        /// <summary>
        /// Pass, Warn, Fail or NotCheckable (cannot be told offline with the input given; the reason
        /// says what is missing): the name of <see cref="Outcome"/> as text, so that it survives
        /// remoting, jobs and ConvertTo-Json as the same text.
        /// </summary>
        public string Status => Outcome.ToString();

        /// <summary>The verdict as the engine typed it (an int field, as in ProvisioningResult).</summary>
        internal Core.Readiness.ReadinessStatus Outcome
        {
            get => (Core.Readiness.ReadinessStatus)_outcome;
            set => _outcome = (int)value;
        }

        private int _outcome;

        /// <summary>Why, in words.</summary>
        public string Reason { get; internal set; } = string.Empty;

        /// <summary>What the verdict rests on (digests, subjects, dates), or null.</summary>
        public string? Evidence { get; internal set; }

        /// <summary>What to do, or null when nothing is to be done.</summary>
        public string? Remedy { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => Id + " " + Status + ": " + Reason;
    }

    /// <summary>The checks of one sec_tag: a list that exports (Export-Csv) as "R1 Pass; R2 Fail; ...".</summary>
    public sealed class SecTagCheckList : ReadOnlyCollection<SecTagCheck>
    {
        internal SecTagCheckList(IList<SecTagCheck> checks)
            : base(checks)
        {
        }

        /// <summary>The check with that id (R1 ... R17), or null.</summary>
        public SecTagCheck? this[string id] => this.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));

        /// <inheritdoc />
        public override string ToString() => string.Join("; ", this.Select(c => c.Id + " " + c.Status));
    }
}
