namespace Nrf91Cmng.Simulator
{
    /// <summary>
    /// A Zephyr shell on a UART (<c>subsys/shell</c>) with NCS at_shell and Zephyr's TLS credentials
    /// shell, byte for byte: the line discipline of <c>state_collect</c> (CR or LF ends a line, the
    /// other of a pair is ignored, BS/DEL/Ctrl-C/meta-keys while echo is on, VT100 key sequences
    /// consumed), the echo of <c>shell_ops.c</c> (a CR LF where prompt + line reaches a multiple of
    /// 80 columns, <c>ESC[1D ESC[J</c> for a backspace), the command buffer limit, the prompt and
    /// VT100 colours, <c>execute()</c>'s argument parsing and messages, <c>retval</c>, deferred log
    /// lines after the prompt, and the UART RX ring buffer (<see cref="RxRingBufferSize"/>).
    /// </summary>
    internal sealed partial class ZephyrShellFrontEnd : ConsoleFrontEnd
    {
        private const string AtUsage =
            "Usage: at <subcommand>\n\nSubcommands:\n  events_enable     Enable AT event handler which prints AT notifications\n"
            + "  events_disable    Disable AT event handler\n\nAny other subcommand is interpreted as AT command and sent to the modem.\n";

        private readonly ShellSettings _settings;
        private readonly ShellTerminal _terminal;
        private readonly StringBuilder _buff = new StringBuilder();
        private readonly List<string> _history = new List<string>();
        private readonly ShellCommand[] _roots;
        private readonly CredShell? _cred;
        private int _pos;
        private char _lastNewline;
        private int _receiveState;
        private string _prompt;
        private int _retval;
        private bool _events;
        private IShellModem? _modem;

        public ZephyrShellFrontEnd(ShellSettings settings)
        {
            _settings = settings;
            _terminal = new ShellTerminal { Colors = settings.Colors, Echo = settings.Echo };
            _prompt = settings.Prompt;
            var roots = new List<ShellCommand>
            {
                new ShellCommand("clear", "Clear screen.", Clear, 1, 0),
                new ShellCommand("help", "Prints the help message.", Help, 1, 0),
                new ShellCommand("history", "Command history.", History, 1, 0),
                new ShellCommand("rem", "Ignore lines beginning with 'rem '", (c, a) => 0),
                new ShellCommand("retval", "Print return value of most recent command", (c, a) => { c.Print(_retval.ToString(CultureInfo.InvariantCulture) + "\n"); return 0; }, 1, 0),
                BuildShellCommand(),
            };
            if ((settings.Commands & ShellCommandSet.At) != 0)
            {
                roots.Add(new ShellCommand(
                    "at",
                    "Execute an AT command. Known subcommands are tab-completable; any other subcommand is interpreted as an AT command and sent to the modem.",
                    At,
                    0,
                    0,
                    new ShellCommand("events_enable", null, (c, a) => { _events = true; c.Print("AT command event handler enabled\n"); return 0; }, 1, 0),
                    new ShellCommand("events_disable", null, (c, a) => { _events = false; c.Print("AT command event handler disabled\n"); return 0; }, 1, 0)));
            }

            if ((settings.Commands & ShellCommandSet.Cred) != 0)
            {
                _cred = new CredShell(settings);
                roots.Add(_cred.Command);
            }

            _roots = ShellExecutor.Sorted(roots);
        }

        /// <summary>The settings this shell was built with.</summary>
        public ShellSettings Settings => _settings;

        /// <summary>The <c>cred</c> command and its backend (null when the build has none).</summary>
        public CredShell? Cred => _cred;

        /// <summary>The return value <c>retval</c> prints.</summary>
        public int ReturnValue => _retval;

        /// <summary>Whether <c>at events_enable</c> is in force.</summary>
        public bool EventsEnabled => _events;

        public override string CurrentLine => _buff.ToString();

        public override int RxRingBufferSize => _settings.RxRingSize;

        public override void Attach(IShellModem modem) => _modem = modem;

        public override void OnBoot(IShellModem modem)
        {
            _modem = modem;
            _cred?.OnBoot(modem);
        }

        public override Submission? Feed(byte b, StringBuilder echo)
        {
            var w = new ShellWriter(_terminal);
            Submission? result = null;
            if (_cred is not null && !_cred.InBypass && _cred.DiscardNext())
            {
                return null; // read together with the Ctrl-C that ended `cred buf load`
            }

            if (_cred is not null && _cred.InBypass)
            {
                if (_cred.FeedBypass(b, w))
                {
                    StateActive(w);
                }

                echo.Append(w.ToString());
                return null;
            }

            if (b > 0x7F)
            {
                return null; // ascii_filter
            }

            char c = (char)b;
            switch (_receiveState)
            {
                case 0:
                    if (ProcessNewline(c))
                    {
                        if (_buff.Length == 0)
                        {
                            w.NewLine();
                            StateActive(w);
                        }
                        else
                        {
                            result = LineEnd(w);
                        }

                        break;
                    }

                    switch (c)
                    {
                        case '\x1b':
                            _receiveState = 1;
                            break;
                        case '\0':
                        case '\t': // completion is not imitated
                            break;
                        case '\x08':
                            if (_terminal.Echo)
                            {
                                Backspace(w);
                            }

                            break;
                        case '\x7f':
                            if (_terminal.Echo)
                            {
                                if (_terminal.DeleteMode)
                                {
                                    Backspace(w);
                                }
                                else
                                {
                                    CharDelete(w);
                                }
                            }

                            break;
                        default:
                            if (c >= ' ' && c <= '~')
                            {
                                CharInsert(c, w);
                            }
                            else if (_terminal.Echo)
                            {
                                ControlKey(c, w);
                            }

                            break;
                    }

                    break;
                case 1:
                    if (c == '[')
                    {
                        _receiveState = 2;
                        break;
                    }

                    if (_terminal.Echo)
                    {
                        if (c == 'b')
                        {
                            WordMove(-1, w);
                        }
                        else if (c == 'f')
                        {
                            WordMove(1, w);
                        }
                    }

                    _receiveState = 0;
                    break;
                case 2:
                    _receiveState = 0;
                    if (!_terminal.Echo)
                    {
                        break;
                    }

                    switch (c)
                    {
                        case 'C':
                            if (_pos < _buff.Length)
                            {
                                CursorMove(1, w);
                            }

                            break;
                        case 'D':
                            if (_pos > 0)
                            {
                                CursorMove(-1, w);
                            }

                            break;
                        case '4':
                            _receiveState = 3;
                            CursorMove(_buff.Length - _pos, w);
                            break;
                        case 'F':
                            CursorMove(_buff.Length - _pos, w);
                            break;
                        case '1':
                            _receiveState = 3;
                            CursorMove(-_pos, w);
                            break;
                        case 'H':
                            CursorMove(-_pos, w);
                            break;
                        case '2':
                            _receiveState = 3;
                            _terminal.InsertMode = !_terminal.InsertMode;
                            break;
                        case 'L':
                            _terminal.InsertMode = !_terminal.InsertMode;
                            break;
                        case '3':
                            _receiveState = 3;
                            CharDelete(w);
                            break;
                    }

                    break;
                default:
                    _receiveState = 0;
                    break;
            }

            echo.Append(w.ToString());
            return result;
        }

        public override string EndOfChunk()
        {
            if (_cred is null)
            {
                return string.Empty;
            }

            var w = new ShellWriter(_terminal);
            if (_cred.EndOfChunk(w))
            {
                StateActive(w);
            }

            return w.ToString();
        }

        public override void Reset()
        {
            _buff.Clear();
            _pos = 0;
            _lastNewline = '\0';
            _receiveState = 0;
            _prompt = _settings.Prompt;
            _terminal.Colors = _settings.Colors;
            _terminal.Echo = _settings.Echo;
            _terminal.Vt100 = true;
            _terminal.InsertMode = false;
            _terminal.DeleteMode = true;
            _retval = 0;
            _events = false;
            _history.Clear();
            _cred?.Reset();
        }

        /// <summary>Boot banner, then <c>shell_start</c>: the colour reset, CR LF CR LF and the prompt.</summary>
        public override string BootText(FirmwareProfile profile)
        {
            var w = new ShellWriter(_terminal);
            w.Raw(profile.BootBanner + "\n");
            if (_settings.Colors)
            {
                w.Vt100("\x1b[m");
            }

            if (_prompt.Length > 0)
            {
                w.NewLine();
                w.NewLine();
            }

            StateActive(w);
            return w.ToString();
        }

        /// <summary>
        /// A line printed from outside the shell thread: a Zephyr log line goes through the shell's log
        /// backend, a URC through at_shell's event handler (only after <c>at events_enable</c>); either
        /// erases the prompt line, prints, and repaints the prompt with the line being typed.
        /// </summary>
        public override string FrameUnsolicited(string line)
        {
            var w = new ShellWriter(_terminal);
            if (TryReframeLog(line, out string log))
            {
                CommandLineErase(w);
                w.Verbatim(log);
                PromptAndCommand(w);
                return w.ToString();
            }

            if (!_events)
            {
                return string.Empty;
            }

            CommandLineErase(w);
            w.Print("AT event handler:\n" + line + "\r\n\n");
            PromptAndCommand(w);
            return w.ToString();
        }

        /// <summary>The <c>RX ring buffer full.</c> warnings of <c>shell_uart.c</c> (one per lost byte; the oldest beyond the log buffer are counted as dropped).</summary>
        public override string RxOverflow(int dropped, TimeSpan uptime)
        {
            var lines = new List<string>();
            int shown = Math.Min(dropped, _settings.LogBufferMessages);
            string warning = FormatLog("wrn", "shell_uart", "RX ring buffer full.", uptime);
            for (int i = 0; i < shown; i++)
            {
                lines.Add(warning);
            }

            var w = new ShellWriter(_terminal);
            if (dropped > shown)
            {
                string notice = "--- " + (dropped - shown).ToString(CultureInfo.InvariantCulture) + " messages dropped ---\r\n";
                lines.Insert(0, _terminal.Colors ? "\x1b[1;33m" + notice + "\x1b[m" : notice);
            }

            DeferredLogs(w, lines);
            return w.ToString();
        }

        /// <summary>A log line as the shell's log backend prints it: <c>[hh:mm:ss.mmm,uuu] &lt;lvl&gt; module: text</c> CR LF, coloured by level when colours are on.</summary>
        internal string FormatLog(string level, string module, string text) => FormatLog(level, module, text, _modem?.Uptime ?? TimeSpan.Zero);

        internal string FormatLog(string level, string module, string text, TimeSpan uptime)
        {
            long micros = uptime.Ticks / 10 % 1000;
            string stamp = string.Format(CultureInfo.InvariantCulture, "[{0:00}:{1:00}:{2:00}.{3:000},{4:000}] ",
                (int)uptime.TotalHours, uptime.Minutes, uptime.Seconds, uptime.Milliseconds, micros);
            return stamp + Colored(level, "<" + level + "> " + module + ": " + text);
        }

        /// <summary>Runs a finished line: the shell's <c>execute()</c>, then the prompt, then the command's deferred log lines.</summary>
        internal ShellRun RunLine(string line, IShellModem? modem)
        {
            var w = new ShellWriter(_terminal);
            var context = new ShellContext(this, w, modem ?? _modem);
            _retval = ShellExecutor.Execute(context, _roots, line, _settings.Wildcards);
            var run = new ShellRun { ReplyStart = context.ReplyStart, ReplyLength = context.ReplyLength, Hung = context.Hung };
            if (context.Hung)
            {
                run.Output = w.ToString();
                return run;
            }

            if (_cred is null || !_cred.InBypass)
            {
                StateActive(w);
            }

            if (context.DeferredLogs.Count > 0)
            {
                DeferredLogs(w, context.DeferredLogs);
            }

            run.Output = w.ToString();
            return run;
        }

        private string Colored(string level, string body)
        {
            if (!_terminal.Colors)
            {
                return body + "\r\n";
            }

            string start = level == "err" ? "\x1b[1;31m" : level == "wrn" ? "\x1b[1;33m" : "\x1b[0m";
            return start + body + "\x1b[0m\r\n";
        }

        /// <summary>Re-frames a modem log line (<c>[..] &lt;inf&gt; lte_lc: …</c>) the way this shell prints logs.</summary>
        private bool TryReframeLog(string line, out string framed)
        {
            framed = string.Empty;
            int close = line.IndexOf("] <", StringComparison.Ordinal);
            if (!line.StartsWith("[", StringComparison.Ordinal) || close < 0 || line.Length < close + 7 || line[close + 6] != '>')
            {
                return false;
            }

            string level = line.Substring(close + 3, 3);
            framed = line.Substring(0, close + 2) + Colored(level, line.Substring(close + 2));
            return true;
        }

        /// <summary>shell_log_process: erase the prompt line, the log lines, the prompt and the line being typed again.</summary>
        private void DeferredLogs(ShellWriter w, IReadOnlyList<string> lines)
        {
            CommandLineErase(w);
            foreach (string line in lines)
            {
                w.Verbatim(line);
            }

            PromptAndCommand(w);
        }

        private Submission LineEnd(ShellWriter w)
        {
            CursorMove(_buff.Length - _pos, w);
            if (!CursorInEmptyLine())
            {
                w.NewLine();
            }

            string line = _buff.ToString().Trim(' ', '\t', '\n', '\v', '\f', '\r'); // z_shell_cmd_trim (history on)
            if (line.Length > 0 && (_history.Count == 0 || _history[_history.Count - 1] != line))
            {
                _history.Add(line);
            }

            _buff.Clear();
            _pos = 0;
            return Submission.Run(modem => RunLine(line, modem));
        }

        private bool ProcessNewline(char c)
        {
            if (c != '\r' && c != '\n')
            {
                _lastNewline = '\0';
                return false;
            }

            if (_lastNewline == '\0' || c == _lastNewline)
            {
                _lastNewline = c;
                return true;
            }

            return false;
        }

        private void ControlKey(char c, ShellWriter w)
        {
            switch (c)
            {
                case '\x01':
                    CursorMove(-_pos, w);
                    break;
                case '\x02':
                    if (_pos > 0)
                    {
                        CursorMove(-1, w);
                    }

                    break;
                case '\x03':
                    CursorMove(_buff.Length - _pos, w);
                    if (!CursorInEmptyLine())
                    {
                        w.NewLine();
                    }

                    StateActive(w);
                    break;
                case '\x04':
                    CharDelete(w);
                    break;
                case '\x05':
                    CursorMove(_buff.Length - _pos, w);
                    break;
                case '\x06':
                    if (_pos < _buff.Length)
                    {
                        CursorMove(1, w);
                    }

                    break;
                case '\x0b':
                    _buff.Length = _pos;
                    w.ClearToEnd();
                    break;
                case '\x0c':
                    w.Vt100("\x1b[H");
                    w.Vt100("\x1b[2J");
                    PromptAndCommand(w);
                    break;
                case '\x15':
                    CursorMove(-_pos, w);
                    _buff.Clear();
                    _pos = 0;
                    w.ClearToEnd();
                    break;
                case '\x17':
                    WordRemove(w);
                    break;
            }
        }
    }

    /// <summary>What one shell command line wrote, and where the modem's reply sits in it.</summary>
    internal sealed class ShellRun
    {
        public string Output { get; set; } = string.Empty;

        public int ReplyStart { get; set; } = -1;

        public int ReplyLength { get; set; }

        public bool Hung { get; set; }
    }
}
