namespace Nrf91Cmng.Simulator
{
    /// <summary>A line the console firmware finished assembling.</summary>
    internal sealed class Submission
    {
        private Submission(string? atCommand, string? immediateOutput, Func<string, string> frame, Func<IShellModem?, ShellRun>? body = null)
        {
            AtCommand = atCommand;
            ImmediateOutput = immediateOutput;
            Frame = frame;
            Body = body;
        }

        /// <summary>A shell line: runs with access to the modem (any number of AT commands) and returns what the shell wrote.</summary>
        public Func<IShellModem?, ShellRun>? Body { get; }

        /// <summary>The exact text handed to the modem, or null when the console answers by itself.</summary>
        public string? AtCommand { get; }

        /// <summary>What the console writes without asking the modem (SLM's ERROR, a shell message).</summary>
        public string? ImmediateOutput { get; }

        /// <summary>Frames the modem's raw reply the way this console writes it to the UART.</summary>
        public Func<string, string> Frame { get; }

        public static Submission ForModem(string command, Func<string, string> frame) => new Submission(command, null, frame);

        public static Submission Answer(string output) => new Submission(null, output, s => s);

        public static Submission Run(Func<IShellModem?, ShellRun> body) => new Submission(null, null, s => s, body);
    }

    /// <summary>
    /// The firmware between the UART and the modem: assembles lines byte by byte and frames replies.
    /// Not thread-safe: the modem feeds it under its own lock.
    /// </summary>
    internal abstract class ConsoleFrontEnd
    {
        /// <summary>Feeds one byte; echo goes to <paramref name="echo"/>. Returns a finished line or null.</summary>
        public abstract Submission? Feed(byte b, StringBuilder echo);

        /// <summary>Bytes of the line being assembled (for mid-write faults), as characters.</summary>
        public abstract string CurrentLine { get; }

        /// <summary>True while an at_host-style quote is open.</summary>
        public virtual bool InsideQuotes => false;

        /// <summary>Forgets the line being assembled (reset of the board).</summary>
        public abstract void Reset();

        /// <summary>What the board prints after a reset.</summary>
        public abstract string BootText(FirmwareProfile profile);

        /// <summary>How an unsolicited line (without CR LF) reaches the UART.</summary>
        public virtual string FrameUnsolicited(string line) => line + "\r\n";

        /// <summary>True when bytes arriving while a command runs are lost (at_host disables UART RX).</summary>
        public virtual bool DisablesRxWhileBusy => false;

        /// <summary>
        /// UART RX ring buffer: how many bytes arriving while a command runs are kept (the rest are
        /// lost, see <see cref="RxOverflow"/>); 0 = all of them (or, with <see cref="DisablesRxWhileBusy"/>, none).
        /// </summary>
        public virtual int RxRingBufferSize => 0;

        /// <summary>What the console prints when <paramref name="dropped"/> bytes did not fit the RX ring buffer.</summary>
        public virtual string RxOverflow(int dropped, TimeSpan uptime) => string.Empty;

        /// <summary>A read of the UART ended (the bytes that had arrived together were consumed); returns output to write.</summary>
        public virtual string EndOfChunk() => string.Empty;

        /// <summary>The modem as console code reaches it, given once at construction.</summary>
        public virtual void Attach(IShellModem modem)
        {
        }

        /// <summary>The board (re)started: console code that reads the modem at boot does so now.</summary>
        public virtual void OnBoot(IShellModem modem)
        {
        }

        public static ConsoleFrontEnd Create(VirtualModemOptions options, int maxLine)
        {
            switch (options.Framing)
            {
                case ModemFraming.SerialLteModem:
                    return new SerialLteModemFrontEnd(options.Terminator ?? AtHostTerminator.CrLf, maxLine + 1);
                case ModemFraming.Shell:
                case ModemFraming.ZephyrShell:
                    return new ZephyrShellFrontEnd(ShellSettings.From(options));
                default:
                    return new AtHostFrontEnd(options.Terminator ?? AtHostTerminator.Cr, maxLine);
            }
        }
    }
}
