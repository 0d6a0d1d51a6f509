using System;

namespace Nrf91Cmng.Simulator
{
    /// <summary>What an armed fault does to the command it matches.</summary>
    public enum FaultKind
    {
        /// <summary>No reply at all (optionally after executing the command).</summary>
        NoReply,

        /// <summary>Answer <c>+CME ERROR: n</c> (bare <c>ERROR</c> while +CMEE is 0) without executing.</summary>
        CmeError,

        /// <summary>Write garbage bytes before the reply.</summary>
        Garbage,

        /// <summary>Write only the first bytes of the reply, then nothing.</summary>
        PartialReply,

        /// <summary>Close the connection (when the command is complete, or after N of its bytes: mid-write).</summary>
        Drop,

        /// <summary>Reset the board instead of answering (optionally after executing the command).</summary>
        Reboot,

        /// <summary>Wait longer before answering.</summary>
        Delay,

        /// <summary>Alter the digest inside the signed COSE payload of a %KEYGEN reply, as a damaged or forged reply would.</summary>
        TamperSignedDigest,
    }

    /// <summary>One armed fault, as <see cref="VirtualModemFaults.Armed"/> lists it.</summary>
    public sealed class FaultRule
    {
        internal FaultRule(FaultKind kind, string? commandPrefix, int count)
        {
            Kind = kind;
            CommandPrefix = commandPrefix;
            Remaining = count;
        }

        /// <summary>What the fault does.</summary>
        public FaultKind Kind { get; }

        /// <summary>Commands it applies to: those starting with this text (case-insensitive); null = any command.</summary>
        public string? CommandPrefix { get; }

        /// <summary>How many more matching commands it hits.</summary>
        public int Remaining { get; internal set; }

        /// <summary>The CME code of <see cref="FaultKind.CmeError"/>.</summary>
        public int Code { get; internal set; }

        /// <summary>Garbage bytes of <see cref="FaultKind.Garbage"/>.</summary>
        public byte[]? Bytes { get; internal set; }

        /// <summary>Reply bytes kept by <see cref="FaultKind.PartialReply"/> (negative = half), or command bytes before a mid-write <see cref="FaultKind.Drop"/> (negative = at the terminator).</summary>
        public int ByteCount { get; internal set; } = -1;

        /// <summary>For <see cref="FaultKind.NoReply"/> and <see cref="FaultKind.Reboot"/>: whether the command takes effect first.</summary>
        public bool Execute { get; internal set; }

        /// <summary>Extra wait of <see cref="FaultKind.Delay"/>.</summary>
        public TimeSpan Delay { get; internal set; }

        internal bool Matches(string command) =>
            CommandPrefix is null || command.StartsWith(CommandPrefix, StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc />
        public override string ToString() => Kind + " x" + Remaining + (CommandPrefix is null ? string.Empty : " on '" + CommandPrefix + "'");
    }
}
