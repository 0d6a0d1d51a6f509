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

        /// <summary>Insert unsolicited or log lines between chosen lines of the reply (also inside a PEM being read back).</summary>
        InterleaveLines,

        /// <summary>The reply stops after N bytes (or just before its final result line) for a while, then goes on.</summary>
        StallReply,

        /// <summary>A second program on the same port reads N bytes of the reply, so this client never sees them.</summary>
        StealReply,

        /// <summary>A second program on the same port writes bytes to the device right after the reply.</summary>
        StrayInput,

        /// <summary>The board resets while the command is still arriving (after N of its bytes): nothing is executed.</summary>
        RebootWhileReceiving,

        /// <summary>The command takes effect, N bytes of its reply go out, then the board resets.</summary>
        RebootMidReply,

        /// <summary>Something between host and modem turns bare LF into CR LF inside the content being stored.</summary>
        RewriteLineEndings,

        /// <summary>One byte of the stored content differs from what was sent (XOR mask), so the list shows another digest.</summary>
        FlipStoredByte,
    }

    /// <summary>When a rule is looked at: as the command arrives, when it is complete, while its reply is written, or when it stores content.</summary>
    internal enum FaultStage
    {
        Receiving,
        Command,
        Output,
        Store,
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

        /// <summary>Garbage bytes of <see cref="FaultKind.Garbage"/>, or what <see cref="FaultKind.StrayInput"/> writes.</summary>
        public byte[]? Bytes { get; internal set; }

        /// <summary>
        /// Reply bytes kept by <see cref="FaultKind.PartialReply"/> (negative = half), command bytes before a
        /// mid-write <see cref="FaultKind.Drop"/> (negative = at the terminator) or a
        /// <see cref="FaultKind.RebootWhileReceiving"/>, or reply bytes <see cref="FaultKind.StealReply"/> takes.
        /// </summary>
        public int ByteCount { get; internal set; } = -1;

        /// <summary>For <see cref="FaultKind.NoReply"/> and <see cref="FaultKind.Reboot"/>: whether the command takes effect first.</summary>
        public bool Execute { get; internal set; }

        /// <summary>Extra wait of <see cref="FaultKind.Delay"/>, or how long <see cref="FaultKind.StallReply"/> stalls.</summary>
        public TimeSpan Delay { get; internal set; }

        /// <summary>
        /// Reply byte offset (of the reply as the console frames it, before any inserted line) where
        /// <see cref="FaultKind.StallReply"/>, <see cref="FaultKind.StealReply"/> or
        /// <see cref="FaultKind.RebootMidReply"/> acts; negative = at the start of the final result line;
        /// for <see cref="FaultKind.FlipStoredByte"/> the content byte (negative = the middle one).
        /// </summary>
        public int Offset { get; internal set; }

        /// <summary>Reply lines after which <see cref="FaultKind.InterleaveLines"/> inserts a line (0 = before the first).</summary>
        public IReadOnlyList<int> AfterLines { get; internal set; } = Array.Empty<int>();

        /// <summary>Lines <see cref="FaultKind.InterleaveLines"/> inserts, in turn; empty = the modem's own URCs and log lines.</summary>
        public IReadOnlyList<string> Lines { get; internal set; } = Array.Empty<string>();

        /// <summary>The XOR mask of <see cref="FaultKind.FlipStoredByte"/>.</summary>
        public byte Mask { get; internal set; } = 0x01;

        internal FaultStage Stage
        {
            get
            {
                switch (Kind)
                {
                    case FaultKind.Drop when ByteCount >= 0:
                    case FaultKind.RebootWhileReceiving:
                        return FaultStage.Receiving;
                    case FaultKind.InterleaveLines:
                    case FaultKind.StallReply:
                    case FaultKind.StealReply:
                    case FaultKind.StrayInput:
                    case FaultKind.RebootMidReply:
                        return FaultStage.Output;
                    case FaultKind.RewriteLineEndings:
                    case FaultKind.FlipStoredByte:
                        return FaultStage.Store;
                    default:
                        return FaultStage.Command;
                }
            }
        }

        internal bool Matches(string command) =>
            CommandPrefix is null || command.StartsWith(CommandPrefix, StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc />
        public override string ToString() => Kind + " x" + Remaining + (CommandPrefix is null ? string.Empty : " on '" + CommandPrefix + "'");
    }
}
