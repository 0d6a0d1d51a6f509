using System.Diagnostics;

namespace Nrf91Cmng.Core.At
{
    /// <summary>
    /// Zephyr shell consoles: a command is over when the next prompt arrives (there is no OK for
    /// <c>cred</c>), the next line goes only once the prompt is there (the UART RX ring holds 64
    /// bytes while a command runs), VT100 codes are dropped by the line assembler before anything is
    /// matched, and a line longer than the shell's command buffer is refused before it is sent.
    /// </summary>
    public sealed partial class AtChannel
    {
        /// <summary>Lines up to this length fit every shell build (<c>CONFIG_SHELL_CMD_BUFF_SIZE</c> 128 with <c>SHELL_MINIMAL</c>, NUL included).</summary>
        public const int ShellMinimalLine = 127;

        /// <summary>The default <c>CONFIG_SHELL_CMD_BUFF_SIZE</c> (256, NUL included).</summary>
        public const int ShellDefaultBufferSize = 256;

        private const string LineProbeWord = "nrf91cmng_line_probe_";

        private int _shellLineFits = ShellMinimalLine;

        /// <summary>True for the Zephyr shell modes (<see cref="CommandMode.Shell"/>, <see cref="CommandMode.Cred"/>, <see cref="CommandMode.CredAndAt"/>).</summary>
        public bool IsShell => Mode == CommandMode.Shell || Mode == CommandMode.Cred || Mode == CommandMode.CredAndAt;

        /// <summary>True when AT commands can be sent: raw, or through a shell's <c>at</c>.</summary>
        public bool HasAt => Mode != CommandMode.Cred;

        /// <summary>The shell's prompt as learned on connect (VT100 codes removed), e.g. <c>uart:~$ </c>; null when unknown.</summary>
        public string? Prompt { get; set; }

        /// <summary>
        /// The longest line the shell takes (<c>CONFIG_SHELL_CMD_BUFF_SIZE</c> − 1), once measured; null
        /// while unknown. Lines up to <see cref="ShellLineKnownToFit"/> are sent without asking.
        /// </summary>
        public int? ShellLineLimit { get; set; }

        /// <summary>The longest line known to fit the shell's command buffer (127 on every build; more once measured or declared).</summary>
        public int ShellLineKnownToFit
        {
            get => _shellLineFits;
            set => _shellLineFits = Math.Max(value, ShellMinimalLine);
        }

        /// <summary>True while the text after the last line end is exactly the prompt.</summary>
        private bool AtPrompt => !string.IsNullOrEmpty(Prompt) && string.Equals(_assembler.Pending, Prompt, StringComparison.Ordinal);

        /// <summary>The line without the prompt(s) it starts with.</summary>
        internal string StripShellPrompt(string text) => AtResponseCollector.StripPrompt(text, Prompt);

        /// <summary>
        /// Runs one shell command line (sent as is, not framed as <c>at</c>) and returns what it printed
        /// up to the next prompt, echo and prompt removed. Log lines go to <see cref="ShellResponse.Unsolicited"/>.
        /// </summary>
        /// <exception cref="ModemTimeoutException">No prompt in time.</exception>
        public ShellResponse ExecuteShell(ShellRequest request, IModemLog? log, CancellationToken cancellationToken)
        {
            if (request is null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            log ??= NullModemLog.Instance;
            if (!IsShell || string.IsNullOrEmpty(Prompt))
            {
                throw new InvalidOperationException("Shell commands need a shell console with a known prompt.");
            }

            ValidateShellLine(request.Line, request.Display);
            lock (_gate)
            {
                EnsureUsable(request.Display);
                if (_needsResync)
                {
                    Resynchronise(log, cancellationToken);
                }

                EnsureShellLineFits(request.Line.Length, request.Display, log, cancellationToken);
                DrainPending(log, cancellationToken);

                TimeSpan timeout = request.Timeout ?? DefaultTimeout;
                var lines = new List<string>();
                var unsolicited = new List<string>();
                var clock = Stopwatch.StartNew();
                int sent = Send(request.Line, request.Display, log, cancellationToken);
                TimeSpan deadline = timeout + WireTime(sent);
                int echoed = 0;
                bool echoDone = false;
                bool anyPiece = false;
                try
                {
                    while (true)
                    {
                        TimeSpan left = deadline - clock.Elapsed;
                        if (left <= TimeSpan.Zero)
                        {
                            _needsResync = true;
                            Note("timeout after " + timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s waiting for the prompt after " + request.Display);
                            throw new ModemTimeoutException(request.Display, timeout,
                                (request.SlowBecause is string slow ? slow + " took longer than the timeout; raise -TimeoutSeconds. " : string.Empty)
                                + (lines.Count == 0 && !anyPiece
                                    ? "the shell printed nothing: it may hang in a command (an 'at' command the modem never answers), have restarted, or the port carries something else."
                                    : "the shell printed " + lines.Count.ToString(CultureInfo.InvariantCulture) + " line(s) but no prompt '" + Prompt + "' after them."));
                        }

                        int n = ReadPieces(left, cancellationToken);
                        if (n == 0)
                        {
                            continue;
                        }

                        deadline += WireTime(n);
                        foreach (LinePiece piece in _pieces)
                        {
                            anyPiece = true;
                            if (!echoDone)
                            {
                                // The echo: "<prompt><line>", wrapped with CR LF at 80 columns; never logged (it may carry a key).
                                string part = echoed == 0 ? StripShellPrompt(piece.Text) : piece.Text;
                                if (part.Length == 0)
                                {
                                    continue;
                                }

                                if (echoed + part.Length <= request.Line.Length && string.CompareOrdinal(request.Line, echoed, part, 0, part.Length) == 0)
                                {
                                    echoed += part.Length;
                                    echoDone = echoed == request.Line.Length;
                                    continue;
                                }

                                echoDone = true; // no echo (echo off) or a cut one: the rest is output
                            }

                            string text = StripShellPrompt(piece.Text).TrimEnd();
                            if (text.Trim().Length == 0)
                            {
                                continue;
                            }

                            if (text.Trim().Length >= 8 && request.Line.IndexOf(text.Trim(), StringComparison.Ordinal) >= 0)
                            {
                                continue; // echo that came late or in pieces (it may carry a chunk of a key): never output, never logged
                            }

                            if (AtResponseCollector.LooksUnsolicited(text.Trim()) && !text.StartsWith("%CMNG:", StringComparison.Ordinal))
                            {
                                unsolicited.Add(text.Trim());
                                log.Verbose("Unsolicited: " + text.Trim());
                                Observer?.OnTraffic(DateTimeOffset.Now, TrafficDirection.Unsolicited, text.Trim());
                                continue;
                            }

                            lines.Add(text);
                            log.Debug("< " + text);
                            Observer?.OnTraffic(DateTimeOffset.Now, TrafficDirection.Received, text);
                        }

                        if (anyPiece && AtPrompt)
                        {
                            break;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    _needsResync = true;
                    Note("cancelled while waiting for the prompt after " + request.Display);
                    throw;
                }

                Interlocked.Increment(ref _answered);
                return new ShellResponse(request.Display, lines, unsolicited, clock.Elapsed);
            }
        }

        /// <summary>
        /// Sends an empty line and takes the text the shell prints after the line end as its prompt
        /// (VT100 codes removed). Returns null when nothing that looks like a prompt came back.
        /// </summary>
        public string? LearnPrompt(TimeSpan timeout, IModemLog? log, CancellationToken cancellationToken)
        {
            log ??= NullModemLog.Instance;
            lock (_gate)
            {
                EnsureUsable("(empty line)");

                // The prompt that ended the last answer stays in the assembler: our line end ends it, and the
                // same text printed again is the prompt for certain.
                _carry.Clear();
                string before = _assembler.Pending;
                SendRaw(string.Empty, log, cancellationToken);
                var clock = Stopwatch.StartNew();
                var quiet = Stopwatch.StartNew();
                string? previous = null;
                bool lineEnd = false;
                while (clock.Elapsed < timeout)
                {
                    int n = Read(TimeSpan.FromMilliseconds(20), cancellationToken);
                    if (n > 0)
                    {
                        _pieces.Clear();
                        _assembler.Feed(_buffer, 0, n, _pieces);
                        foreach (LinePiece piece in _pieces)
                        {
                            lineEnd = true;
                            if (piece.Text.Length > 0)
                            {
                                previous = piece.Text;
                            }
                        }

                        quiet.Restart();
                    }

                    string pending = _assembler.Pending;
                    if (lineEnd && pending.Trim().Length > 0
                        && (string.Equals(pending, previous, StringComparison.Ordinal) || quiet.Elapsed >= TimeSpan.FromMilliseconds(80)))
                    {
                        // The old prompt ended by our line end and the same text again: certainly the prompt.
                        Prompt = pending;
                        Note("shell prompt '" + pending + "'");
                        return pending;
                    }

                    if (!lineEnd && before.Trim().Length > 0 && string.Equals(pending, before, StringComparison.Ordinal) && quiet.Elapsed >= TimeSpan.FromMilliseconds(150))
                    {
                        // No answer to the empty line (a shell that ignores it), but the text after the last answer is a prompt.
                        Prompt = pending;
                        Note("shell prompt '" + pending + "' (as printed after the last answer)");
                        return pending;
                    }
                }

                return null;
            }
        }

        /// <summary>
        /// Makes sure a line of <paramref name="length"/> characters fits the shell's command buffer;
        /// the shell would drop the excess silently and run the rest. Lines up to
        /// <see cref="ShellLineKnownToFit"/> go as they are; a longer one is measured once with a
        /// harmless line of that length (a word the shell does not know: it prints it back, cut to its
        /// buffer, in <c>&lt;word&gt;: command not found</c>).
        /// </summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.ShellLineTooLong"/>, before anything is sent.</exception>
        public void EnsureShellLineFits(int length, string display, IModemLog? log, CancellationToken cancellationToken)
        {
            if (!IsShell || length <= _shellLineFits)
            {
                return;
            }

            if (ShellLineLimit is int known)
            {
                if (length > known)
                {
                    throw ShellLineTooLong(display, length, known);
                }

                return;
            }

            if (string.IsNullOrEmpty(Prompt))
            {
                return; // cannot measure without a prompt; the shell's own reply will tell
            }

            lock (_gate)
            {
                log ??= NullModemLog.Instance;
                log.Verbose("Measuring the shell's command buffer with a harmless " + length.ToString(CultureInfo.InvariantCulture) + "-character line (it answers 'command not found').");
                string probe = LineProbeWord + new string('x', Math.Max(0, length - LineProbeWord.Length));
                int fits = MeasureLine(probe, log, cancellationToken);
                if (fits >= length)
                {
                    _shellLineFits = Math.Max(_shellLineFits, length);
                    return;
                }

                ShellLineLimit = fits;
                Note("the shell takes lines of at most " + fits.ToString(CultureInfo.InvariantCulture) + " characters");
                throw ShellLineTooLong(display, length, fits);
            }
        }

        /// <summary>How many characters of <paramref name="probe"/> the shell kept (from its <c>command not found</c> answer).</summary>
        private int MeasureLine(string probe, IModemLog log, CancellationToken cancellationToken)
        {
            int saved = _shellLineFits;
            _shellLineFits = int.MaxValue; // the probe itself must not be measured
            try
            {
                ShellResponse response = ExecuteShell(new ShellRequest(probe) { DisplayText = LineProbeWord + "… (" + probe.Length.ToString(CultureInfo.InvariantCulture) + " characters)" }, log, cancellationToken);
                foreach (string line in response.Lines)
                {
                    string text = line.Trim();
                    int colon = text.IndexOf(": command not found", StringComparison.Ordinal);
                    if (colon > 0 && text.StartsWith(LineProbeWord, StringComparison.Ordinal))
                    {
                        return colon;
                    }
                }

                return probe.Length; // no complaint about a cut word: it went through whole
            }
            finally
            {
                _shellLineFits = saved;
            }
        }

        /// <summary>Waits until a line end has come and the text after it is the prompt; false on timeout.</summary>
        private bool WaitForPrompt(TimeSpan timeout, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            bool lineEnd = false;
            while (clock.Elapsed < timeout)
            {
                TimeSpan left = timeout - clock.Elapsed;
                int n = ReadPieces(left, cancellationToken);
                if (n == 0)
                {
                    continue;
                }

                lineEnd |= _pieces.Count > 0;
                if (lineEnd && AtPrompt)
                {
                    return true;
                }
            }

            return false;
        }

        private void ValidateShellLine(string line, string display)
        {
            foreach (char c in line)
            {
                if (c < ' ' || c > '\x7e')
                {
                    throw new ModemException(ErrorIds.CommandNotSendable, ModemErrorCategory.InvalidData,
                        "'" + Messages.Shorten(display) + "' contains a control or non-ASCII character (code " + ((int)c).ToString(CultureInfo.InvariantCulture) + "). Nothing was sent.",
                        "A shell line is printable ASCII on one line.");
                }
            }
        }

        /// <summary>The shell's prompt came back, but 'at' printed no OK or ERROR: the command never reached the modem, or its answer did not fit.</summary>
        private ModemException NoFinalResult(AtRequest request, AtResponseCollector collector)
        {
            Interlocked.Increment(ref _answered);
            string printed = string.Join(" ", collector.Lines.Concat(collector.Unsolicited).Select(l => l.Trim()).Where(l => l.Length > 0));
            bool usage = printed.IndexOf("Usage: at", StringComparison.Ordinal) >= 0 || printed.IndexOf("Subcommands:", StringComparison.Ordinal) >= 0;
            bool wildcard = request.Command.IndexOf('?') >= 0 || request.Command.IndexOf('*') >= 0;
            if (usage && wildcard)
            {
                return new ModemException(ErrorIds.ShellCommandFailed, ModemErrorCategory.NotImplemented,
                    "The shell on " + _transport.Name + " printed the usage of 'at' instead of passing '" + Messages.Shorten(request.Display) + "' to the modem: it is built with CONFIG_SHELL_WILDCARD=y, which takes '?' and '*' in an argument as a wildcard, so no AT command with them can go through 'at'.",
                    "Build the firmware with CONFIG_SHELL_WILDCARD=n (modem_shell does), or use a raw AT console for this command.");
            }

            if (printed.IndexOf("Sending AT command failed", StringComparison.Ordinal) >= 0)
            {
                return new ModemException(ErrorIds.ShellCommandFailed, ModemErrorCategory.LimitsExceeded,
                    "The shell's 'at' could not pass on the answer to '" + Messages.Shorten(request.Display) + "' (" + Messages.Shorten(printed, 120) + "): the modem's reply is longer than CONFIG_AT_SHELL_CMD_RESPONSE_MAX_LEN (2700 by default).",
                    "Ask for less (a single sec_tag, a single type), build the firmware with a larger CONFIG_AT_SHELL_CMD_RESPONSE_MAX_LEN, or use a raw AT console.");
            }

            return new ModemException(ErrorIds.ShellCommandFailed, ModemErrorCategory.DeviceError,
                "The shell on " + _transport.Name + " printed its prompt after '" + Messages.Shorten(request.Display) + "' without an OK or ERROR from the modem"
                + (printed.Length == 0 ? "." : ": " + Messages.Shorten(printed, 160)),
                "Check that the shell's 'at' command passes AT commands to the modem (NCS at_shell); keep a transcript (Connect-Modem -TranscriptPath) if it repeats.");
        }

        private ModemException ShellLineTooLong(string display, int length, int limit) =>
            new ModemException(ErrorIds.ShellLineTooLong, ModemErrorCategory.LimitsExceeded,
                "'" + Messages.Shorten(display) + "' is " + length.ToString(CultureInfo.InvariantCulture) + " characters long, but the shell on " + _transport.Name
                + " takes lines of at most " + limit.ToString(CultureInfo.InvariantCulture) + " (CONFIG_SHELL_CMD_BUFF_SIZE " + (limit + 1).ToString(CultureInfo.InvariantCulture)
                + "). Nothing was sent: the shell would drop the rest of the line silently and run what is left.",
                "Build the firmware with CONFIG_SHELL_CMD_BUFF_SIZE=" + Math.Max(length + 1, 4096).ToString(CultureInfo.InvariantCulture)
                + " or more (modem_shell uses 3584), or write credentials through the TLS credentials shell ('cred', sent in 48-character chunks) or a raw AT console (at_client).");
    }
}
