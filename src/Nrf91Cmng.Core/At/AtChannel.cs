using System.Diagnostics;

namespace Nrf91Cmng.Core.At
{
    /// <summary>
    /// The AT engine: one command at a time over a transport, each ended by a whole-line final
    /// result, with every wait bounded by a timeout and a cancellation token. Unsolicited result
    /// codes and device log lines are kept apart from the response. After a timeout or a
    /// cancellation the console is resynchronised before the next command.
    /// </summary>
    public sealed partial class AtChannel : IDisposable
    {
        /// <summary>at_host's buffer holds 4096 bytes including the terminating NUL.</summary>
        public const int AtHostMaxCommandLength = 4095;

        private static readonly TimeSpan s_slice = TimeSpan.FromMilliseconds(100);
        private static readonly Regex s_restartBanner = new Regex(
            @"^\*\*\* Booting|AT host sample started|^Ready$|^The AT host|^Serial LTE Modem",
            RegexOptions.CultureInvariant);

        private readonly object _gate = new object();
        private readonly IModemTransport _transport;
        private readonly AtLineAssembler _assembler = new AtLineAssembler();
        private readonly List<LinePiece> _pieces = new List<LinePiece>();
        private readonly Queue<LinePiece> _carry = new Queue<LinePiece>();
        private readonly byte[] _buffer = new byte[4096];
        private bool _needsResync;
        private bool _quoteMayBeOpen;
        private bool _broken;
        private bool _lost;
        private int _restartCount;
        private int _lastFramedLength;
        private long _answered;

        /// <summary>Creates a channel over an open transport.</summary>
        public AtChannel(IModemTransport transport)
        {
            _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        }

        /// <summary>The transport carrying the bytes.</summary>
        public IModemTransport Transport => _transport;

        /// <summary>Raw AT or Zephyr shell framing (never Auto here; the client resolves it).</summary>
        public CommandMode Mode { get; set; } = CommandMode.At;

        /// <summary>Appended to every command.</summary>
        public LineTerminator Terminator { get; set; } = LineTerminator.CrLf;

        /// <summary>Timeout of commands that do not set their own.</summary>
        public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>How long a line may pause mid-way and still be one line, when text without a line end is pending as a command goes (50 ms: a few character times at 9600 baud).</summary>
        internal TimeSpan DanglingQuiet { get; set; } = TimeSpan.FromMilliseconds(50);

        /// <summary>How long text still arriving as a command goes is read, at most, before what is unfinished is set aside.</summary>
        internal TimeSpan DanglingLimit { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>How long one resynchronisation probe waits for <c>OK</c>.</summary>
        public TimeSpan ResyncProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>How many times a resynchronisation sends its probe before the console counts as gone (4; connect detection uses 1).</summary>
        public int ResyncAttempts { get; set; } = 4;

        /// <summary>Longest framed command accepted (at_host: 4095 characters).</summary>
        public int MaxCommandLength { get; set; } = AtHostMaxCommandLength;

        /// <summary>Receives every exchange for transcripts (redacted).</summary>
        public ITrafficObserver? Observer { get; set; }

        /// <summary>
        /// False once the link failed or the console stopped answering even after a
        /// resynchronisation; every later command fails at once with a message that says so.
        /// </summary>
        public bool IsUsable => !_broken && !_lost && _transport.IsOpen;

        /// <summary>
        /// The longest command text the console takes (at_host: 4095 characters). With a CR LF
        /// terminator one byte of the previous command's terminator stays in the AT host's buffer
        /// (the LF a CR-mode build keeps, or the CR a CR LF-mode build stores), so one less fits.
        /// </summary>
        public int MaxFramedLength => IsShell
            ? (ShellLineLimit ?? MaxCommandLength)
            : MaxCommandLength - (Mode == CommandMode.At && Terminator == LineTerminator.CrLf ? 1 : 0);

        /// <summary>Commands answered with a final result on this connection.</summary>
        public long AnsweredCount => Interlocked.Read(ref _answered);

        /// <summary>True when the next command will first resynchronise the console.</summary>
        public bool NeedsResync => _needsResync;

        /// <summary>Commands sent (resynchronisation probes included).</summary>
        public long CommandCount { get; private set; }

        /// <summary>Bytes written to the transport.</summary>
        public long BytesSent { get; private set; }

        /// <summary>Bytes read from the transport.</summary>
        public long BytesReceived { get; private set; }

        /// <summary>The time <paramref name="bytes"/> take on the wire at the transport's rate (8N1); zero where it has none.</summary>
        public TimeSpan WireTime(long bytes) =>
            _transport.BaudRate > 0 ? TimeSpan.FromTicks(bytes * 10 * TimeSpan.TicksPerSecond / _transport.BaudRate) : TimeSpan.Zero;

        /// <summary>How many times a restart banner was seen.</summary>
        public int RestartCount => Volatile.Read(ref _restartCount);

        /// <summary>
        /// The exact text that goes on the wire for <paramref name="command"/>, without terminator:
        /// the command itself in AT mode; <c>at '&lt;command&gt;'</c> through a shell's <c>at</c>, with CR
        /// removed and LF written as <c>\n</c> (at_shell turns it back into CR LF only when built with
        /// <c>CONFIG_AT_SHELL_UNESCAPE_LF</c>; the credential store checks that before it sends any).
        /// A <c>cred</c>-only shell has no <c>at</c>: the command is refused.
        /// </summary>
        public string Frame(string command) => Frame(command, CommandRedactor.Redact(command ?? string.Empty));

        private string Frame(string command, string display)
        {
            if (Mode == CommandMode.At || Mode == CommandMode.Auto)
            {
                return command;
            }

            if (Mode == CommandMode.Cred)
            {
                throw new ModemException(ErrorIds.AtNotAvailable, ModemErrorCategory.NotImplemented,
                    "'" + Messages.Shorten(CommandRedactor.Redact(display)) + "' cannot be sent: the console on " + _transport.Name + " is a Zephyr shell with the TLS credentials shell ('cred') and no 'at' command, so no AT command reaches the modem (model, firmware, IMEI and functional mode stay unknown).",
                    "Credentials work through 'cred' (Get-, Set-, Remove- and Test-ModemCredential, Invoke-ModemProvisioning without {Imei}). For AT commands build the firmware with NCS's at_shell (CONFIG_AT_SHELL=y), or connect to a raw AT console (at_client).");
            }

            if (command.IndexOf('\'') >= 0)
            {
                throw new ModemException(ErrorIds.CommandNotSendable, ModemErrorCategory.InvalidData,
                    "A command containing a single quote cannot be sent through the Zephyr shell's 'at' command.",
                    "Remove the single quote, or connect to a raw AT console (at_client) with -CommandMode At.");
            }

            bool hasNewline = command.IndexOf('\n') >= 0 || command.IndexOf('\r') >= 0;
            if (hasNewline && !command.StartsWith("AT%CMNG=0", StringComparison.OrdinalIgnoreCase))
            {
                throw new ModemException(ErrorIds.CommandNotSendable, ModemErrorCategory.InvalidData,
                    "Only AT%CMNG=0 may carry line breaks through the Zephyr shell (at_shell unescapes \\n for it alone).",
                    "Send the content on one line, or connect to a raw AT console (at_client) with -CommandMode At.");
            }

            return "at '" + command.Replace("\r", string.Empty).Replace("\n", "\\n") + "'";
        }

        /// <summary>Runs one command and returns its response (an error result is returned, not thrown).</summary>
        /// <exception cref="ModemTimeoutException">No final result in time.</exception>
        /// <exception cref="ModemConnectionException">The link went away.</exception>
        /// <exception cref="OperationCanceledException">The token fired.</exception>
        public AtResponse Execute(AtRequest request, IModemLog? log, CancellationToken cancellationToken)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            log ??= NullModemLog.Instance;
            string framed = Frame(request.Command, request.Display);
            Validate(request, framed);

            lock (_gate)
            {
                EnsureUsable(request.Display);
                if (_needsResync)
                {
                    Resynchronise(log, cancellationToken);
                }

                if (IsShell)
                {
                    EnsureShellLineFits(framed.Length, request.Display, log, cancellationToken);
                }

                DrainPending(log, cancellationToken);

                TimeSpan timeout = request.Timeout ?? DefaultTimeout;
                var collector = new AtResponseCollector(request, framed, IsShell ? StripShellPrompt : (Func<string, string>?)null);
                var clock = Stopwatch.StartNew();
                int sent = Send(framed, request.Display, log, cancellationToken);

                // Through a shell the command is over when the next prompt arrives (the at command
                // prints the modem's OK, then the shell its prompt); the next line goes only then, so
                // that it reaches an idle shell and not its 64-byte RX ring.
                bool awaitPrompt = IsShell && !string.IsNullOrEmpty(Prompt);
                bool promptSeen = false;
                bool anyPiece = false;

                // The modem has the whole timeout to answer once the command is on the wire, and a
                // reply that keeps arriving is given the wire time of what arrived.
                TimeSpan deadline = timeout + WireTime(sent);
                try
                {
                    while (!collector.IsComplete || (awaitPrompt && !promptSeen))
                    {
                        TimeSpan left = deadline - clock.Elapsed;
                        if (left <= TimeSpan.Zero && collector.IsComplete)
                        {
                            // The reply is whole; the prompt is late. The next command drains what follows.
                            log.Verbose("The shell's prompt did not follow the reply to '" + request.Display + "' in time.");
                            break;
                        }

                        if (left <= TimeSpan.Zero)
                        {
                            _needsResync = true;
                            _quoteMayBeOpen = Mode == CommandMode.At && framed.IndexOf('"') >= 0;
                            string cause = LikelyCause(request, framed, collector);
                            Note("timeout after " + timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s waiting for " + request.Display);
                            log.Verbose("No final result for '" + request.Display + "' within the timeout; the console will be resynchronised before the next command.");
                            throw new ModemTimeoutException(request.Display, timeout, cause);
                        }

                        int n = ReadPieces(left, cancellationToken);
                        if (n == 0)
                        {
                            continue;
                        }

                        deadline += WireTime(n);
                        anyPiece |= _pieces.Count > 0;
                        for (int i = 0; i < _pieces.Count; i++)
                        {
                            if (collector.IsComplete)
                            {
                                if (!awaitPrompt)
                                {
                                    _carry.Enqueue(_pieces[i]);
                                }

                                continue;
                            }

                            bool done = collector.Accept(_pieces[i]);
                            Report(collector, log);
                            if (!done && collector.LastUnsolicited is string urc && s_restartBanner.IsMatch(urc))
                            {
                                Interlocked.Increment(ref _restartCount);
                                _needsResync = true;
                                Note("the modem restarted while running " + request.Display);
                                throw new ModemException(ErrorIds.ModemRestarted, ModemErrorCategory.DeviceError,
                                    "The modem restarted while running '" + request.Display + "' (it printed '" + urc + "'); the command's effect is unknown.",
                                    "Check the power supply and the board; after a restart the modem is in its power-on functional mode. Re-run the operation: it verifies what is stored.");
                            }
                        }

                        promptSeen = awaitPrompt && anyPiece && AtPrompt;
                        if (promptSeen && !collector.IsComplete)
                        {
                            throw NoFinalResult(request, collector);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    _needsResync = true;
                    _quoteMayBeOpen = Mode == CommandMode.At && framed.IndexOf('"') >= 0;
                    Note("cancelled while waiting for " + request.Display);
                    throw;
                }

                Interlocked.Increment(ref _answered);
                if (collector.Result != AtResultKind.Ok && Mode == CommandMode.At && !request.DetectShell)
                {
                    // An error answer may not be this command's own: another program on the port (one that
                    // ignores the lock) may have sent a command whose ERROR arrived first, with this
                    // command's reply still to come, which the next command would then take for its own.
                    // Before the next command the console is probed (AT until OK, late lines dropped).
                    // Not on a shell, where the prompt ends every answer, nor for the probe that asks
                    // whether the console is a shell at all (a shell's "command not found" is its answer).
                    _needsResync = true;
                    _quoteMayBeOpen = false;
                }

                var response = new AtResponse(request.Display, collector.Lines.ToArray(), collector.Unsolicited.ToArray(),
                    collector.Result, collector.ErrorCode, collector.FinalLine, clock.Elapsed)
                {
                    ShellAnswered = collector.ShellAnswered,
                };
                return response;
            }
        }

        /// <summary>Closes the transport.</summary>
        public void Dispose()
        {
            _broken = true;
            _transport.Dispose();
        }

        private void Validate(AtRequest request, string framed)
        {
            if (IsShell && ShellLineLimit is int limit && framed.Length > limit)
            {
                throw ShellLineTooLong(request.Display, framed.Length, limit);
            }

            if (framed.Length > MaxFramedLength)
            {
                throw new ModemException(ErrorIds.CommandTooLong, ModemErrorCategory.LimitsExceeded,
                    "'" + Messages.Shorten(request.Display) + "' is " + framed.Length + " characters long; the AT host buffer takes " + MaxFramedLength
                    + (MaxFramedLength < MaxCommandLength ? " (4095, less the byte of the previous CR LF terminator it keeps)" : string.Empty)
                    + ". Nothing was sent: the AT host would drop the excess silently and never answer.",
                    "Shorten the content (a certificate chain can often be cut to the root the server needs), or use a firmware built with a larger AT buffer and raise the limit.");
            }

            if (Mode == CommandMode.At && framed.Count(c => c == '"') % 2 != 0)
            {
                throw new ModemException(ErrorIds.CommandNotSendable, ModemErrorCategory.InvalidArgument,
                    "'" + Messages.Shorten(request.Display) + "' has an odd number of double quotes. Nothing was sent: the AT host would treat everything after the last quote as text and never answer.",
                    "Close every quoted string; AT strings have no escape, so content cannot contain a double quote.");
            }

            foreach (char c in framed)
            {
                if (c > '\x7e' || (c < ' ' && c != '\r' && c != '\n' && c != '\t'))
                {
                    throw new ModemException(ErrorIds.CommandNotSendable, ModemErrorCategory.InvalidData,
                        "'" + Messages.Shorten(request.Display) + "' contains a control or non-ASCII character (code " + ((int)c).ToString(System.Globalization.CultureInfo.InvariantCulture) + "). Nothing was sent.",
                        "AT commands are ASCII: remove the character (check for a byte-order mark or typographic dashes).");
                }
            }
        }

        private void EnsureUsable(string display)
        {
            if (_lost)
            {
                throw new ModemException(ErrorIds.SessionUnusable, ModemErrorCategory.ConnectionError,
                    "Cannot send '" + display + "': the console on " + _transport.Name + " stopped answering and did not recover.",
                    "Reset the board (or power-cycle it), then close this session with Disconnect-Modem and reconnect with Connect-Modem.");
            }

            if (_broken || !_transport.IsOpen)
            {
                throw new ModemException(ErrorIds.SessionUnusable, ModemErrorCategory.ConnectionError,
                    "Cannot send '" + display + "': the connection to " + _transport.Name + " is closed.",
                    "Reconnect with Connect-Modem.");
            }
        }

        private int Send(string framed, string display, IModemLog log, CancellationToken cancellationToken)
        {
            _lastFramedLength = framed.Length;
            return SendRaw(framed, log, cancellationToken, display);
        }

        /// <summary>
        /// Reads what arrives within <paramref name="left"/> (at most one slice) and assembles it into
        /// <see cref="_pieces"/> (cleared first when anything came). Returns the bytes read, 0 for none.
        /// </summary>
        private int ReadPieces(TimeSpan left, CancellationToken cancellationToken)
        {
            int n = Read(left < s_slice ? left : s_slice, cancellationToken);
            if (n > 0)
            {
                _pieces.Clear();
                _assembler.Feed(_buffer, 0, n, _pieces);
            }

            return n;
        }

        private int Read(TimeSpan wait, CancellationToken cancellationToken)
        {
            try
            {
                int n = _transport.Read(_buffer, 0, _buffer.Length, wait, cancellationToken);
                BytesReceived += n;
                return n;
            }
            catch (LinkClosedException ex)
            {
                throw Lost(null, ex);
            }
        }

        private ModemConnectionException Lost(string? display, Exception inner)
        {
            _broken = true;
            Note("connection lost: " + inner.Message);
            return new ModemConnectionException(ErrorIds.ConnectionLost,
                "The connection to " + _transport.Name + " was lost" + (display is null ? string.Empty : " while running '" + display + "'") + ": " + inner.Message,
                "Check the cable, the board's power and that no other program took the port; then reconnect with Connect-Modem. Credentials are written atomically by the modem: re-run the operation to verify what is stored.",
                inner);
        }

        private void Report(AtResponseCollector collector, IModemLog log)
        {
            if (collector.LastUnsolicited is string urc)
            {
                log.Verbose("Unsolicited: " + urc);
                Observer?.OnTraffic(DateTimeOffset.Now, TrafficDirection.Unsolicited, urc);
            }

            if (collector.LastLine is string line)
            {
                log.Debug("< " + line);
                Observer?.OnTraffic(DateTimeOffset.Now, TrafficDirection.Received, line);
            }

            if (collector.IsComplete)
            {
                log.Debug("< " + collector.FinalLine);
                Observer?.OnTraffic(DateTimeOffset.Now, TrafficDirection.Received, collector.FinalLine);
            }
        }

        private void DrainPending(IModemLog log, CancellationToken cancellationToken)
        {
            var stray = new List<string>();
            while (_carry.Count > 0)
            {
                string text = _carry.Dequeue().Text.Trim();
                if (text.Length > 0)
                {
                    stray.Add(text);
                }
            }

            // Bounded so that a flood cannot keep us here: at most 64 KB or 50 reads.
            for (int i = 0; i < 50 && BytesPendingLimit(i); i++)
            {
                if (ReadStray(TimeSpan.Zero, stray, cancellationToken) == 0)
                {
                    break;
                }
            }

            DropDanglingText(stray, cancellationToken);
            foreach (string line in stray)
            {
                if (s_restartBanner.IsMatch(line))
                {
                    Interlocked.Increment(ref _restartCount);
                }

                log.Verbose("Unsolicited: " + line);
                Observer?.OnTraffic(DateTimeOffset.Now, TrafficDirection.Unsolicited, line);
            }
        }

        /// <summary>
        /// On a raw AT console, text left after the last line end when a command is about to go (a
        /// prompt, a printk without "\n", line noise) would be glued to the front of the reply's first
        /// line: "uart:~$ OK" is no final result (the command waits for its timeout) and
        /// "uart:~$ %CMNG: ..." no line of the reply (a list silently loses its first entry). A line
        /// still arriving completes within a few character times, so the text is read for as long as
        /// bytes keep coming (a slow link delivers a long URC byte by byte) until a line end leaves
        /// nothing pending, <see cref="DanglingQuiet"/> passes without a byte, or a flood has been
        /// read for <see cref="DanglingLimit"/>; what is still unfinished then is dropped (and added
        /// to <paramref name="stray"/>, for the log). A shell keeps its prompt: it is how a shell
        /// command ends.
        /// </summary>
        private void DropDanglingText(List<string> stray, CancellationToken cancellationToken)
        {
            if (Mode != CommandMode.At || _assembler.Pending.Length == 0)
            {
                return;
            }

            var clock = Stopwatch.StartNew();
            while (_assembler.Pending.Length > 0 && clock.Elapsed < DanglingLimit)
            {
                if (ReadStray(DanglingQuiet, stray, cancellationToken) == 0)
                {
                    break;
                }
            }

            if (_assembler.Pending.Length == 0)
            {
                return;
            }

            string dangling = _assembler.Pending.Trim();
            _assembler.Reset();
            if (dangling.Length > 0)
            {
                stray.Add(dangling);
            }
        }

        /// <summary>Reads once (waiting up to <paramref name="wait"/>) and adds the text of every line it completes to <paramref name="stray"/>; returns the bytes read.</summary>
        private int ReadStray(TimeSpan wait, List<string> stray, CancellationToken cancellationToken)
        {
            int n = Read(wait, cancellationToken);
            if (n > 0)
            {
                _pieces.Clear();
                _assembler.Feed(_buffer, 0, n, _pieces);
                foreach (LinePiece piece in _pieces)
                {
                    string text = (IsShell ? StripShellPrompt(piece.Text) : piece.Text).Trim();
                    if (text.Length > 0)
                    {
                        stray.Add(text);
                    }
                }
            }

            return n;
        }

        private static bool BytesPendingLimit(int reads) => reads * 4096 < 64 * 1024;

        private void Note(string text) => Observer?.OnTraffic(DateTimeOffset.Now, TrafficDirection.Note, text);

        private static byte[] Encode(string text)
        {
            var bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }

            return bytes;
        }

        /// <summary>The characters of a terminator.</summary>
        public static string TerminatorText(LineTerminator terminator) => terminator switch
        {
            LineTerminator.Cr => "\r",
            LineTerminator.Lf => "\n",
            _ => "\r\n",
        };
    }
}
