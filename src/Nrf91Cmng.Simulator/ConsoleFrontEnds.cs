using System;
using System.Collections.Generic;
using System.Text;

namespace Nrf91Cmng.Simulator
{
    /// <summary>A line the console firmware finished assembling.</summary>
    internal sealed class Submission
    {
        private Submission(string? atCommand, string? immediateOutput, Func<string, string> frame)
        {
            AtCommand = atCommand;
            ImmediateOutput = immediateOutput;
            Frame = frame;
        }

        /// <summary>The exact text handed to the modem, or null when the console answers by itself.</summary>
        public string? AtCommand { get; }

        /// <summary>What the console writes without asking the modem (SLM's ERROR, a shell message).</summary>
        public string? ImmediateOutput { get; }

        /// <summary>Frames the modem's raw reply the way this console writes it to the UART.</summary>
        public Func<string, string> Frame { get; }

        public static Submission ForModem(string command, Func<string, string> frame) => new Submission(command, null, frame);

        public static Submission Answer(string output) => new Submission(null, output, s => s);
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

        public static ConsoleFrontEnd Create(ModemFraming framing, AtHostTerminator? terminator, string prompt, int maxLine)
        {
            switch (framing)
            {
                case ModemFraming.SerialLteModem:
                    return new SerialLteModemFrontEnd(terminator ?? AtHostTerminator.CrLf, maxLine + 1);
                case ModemFraming.Shell:
                    return new ShellFrontEnd(prompt, maxLine + 1);
                default:
                    return new AtHostFrontEnd(terminator ?? AtHostTerminator.Cr, maxLine);
            }
        }
    }

    /// <summary>
    /// NCS <c>lib/at_host</c>, rule for rule: BS/DEL drop the previous byte (without touching the
    /// quote flag), <c>"</c> toggles the quote flag only when stored, terminators count outside
    /// quotes only, a full buffer drops bytes silently (a full buffer inside quotes therefore never
    /// submits again until BS/DEL make room), whitespace-only lines get no reply.
    /// </summary>
    internal sealed class AtHostFrontEnd : ConsoleFrontEnd
    {
        private readonly AtHostTerminator _terminator;
        private readonly int _maxLength;
        private readonly StringBuilder _line = new StringBuilder();
        private bool _insideQuotes;

        public AtHostFrontEnd(AtHostTerminator terminator, int maxLength)
        {
            _terminator = terminator;
            _maxLength = maxLength;
        }

        public override string CurrentLine => _line.ToString();

        public override bool InsideQuotes => _insideQuotes;

        public override bool DisablesRxWhileBusy => true;

        public override Submission? Feed(byte b, StringBuilder echo)
        {
            if (b == 0x08 || b == 0x7F)
            {
                if (_line.Length > 0)
                {
                    _line.Length--;
                }

                return null;
            }

            if (!_insideQuotes)
            {
                switch (b)
                {
                    case 0:
                        if (_terminator == AtHostTerminator.Nul)
                        {
                            return Submit();
                        }

                        return null; // "Ignored null; would terminate string early."
                    case (byte)'\r':
                        if (_terminator == AtHostTerminator.Cr)
                        {
                            return Submit();
                        }

                        break;
                    case (byte)'\n':
                        if (_terminator == AtHostTerminator.Lf)
                        {
                            return Submit();
                        }

                        if (_terminator == AtHostTerminator.CrLf && _line.Length > 0 && _line[_line.Length - 1] == '\r')
                        {
                            return Submit();
                        }

                        break;
                }
            }

            if (_line.Length + 1 > _maxLength)
            {
                return null; // "Buffer overflow, dropping"
            }

            _line.Append((char)b);
            if (b == (byte)'"')
            {
                _insideQuotes = !_insideQuotes;
            }

            return null;
        }

        public override void Reset()
        {
            _line.Clear();
            _insideQuotes = false;
        }

        public override string BootText(FirmwareProfile profile) =>
            profile.BootBanner + "\r\nThe AT host sample started\r\n";

        private Submission? Submit()
        {
            // The buffer is a C string from here on: the scan for a printable byte and the modem
            // (nrf_modem_at_cmd with "%s") both stop at the first NUL, which can only have been
            // stored inside quotes.
            string text = CString(_line.ToString());
            _line.Clear();
            _insideQuotes = false;
            foreach (char c in text)
            {
                if (c > ' ')
                {
                    return Submission.ForModem(text, reply => reply);
                }
            }

            return null; // no printable character: dropped without a reply
        }

        /// <summary>The text up to (not including) the first NUL.</summary>
        internal static string CString(string text)
        {
            int nul = text.IndexOf('\0');
            return nul < 0 ? text : text.Substring(0, nul);
        }
    }

    /// <summary>
    /// <c>serial_lte_modem</c>'s AT front-end: CR LF by default (the CR is trimmed), quote-aware,
    /// overflow answered with ERROR at the terminator, garbage before <c>AT</c> skipped, grammar
    /// checked, replies framed with a leading CR LF and a CR LF before the final result.
    /// </summary>
    internal sealed class SerialLteModemFrontEnd : ConsoleFrontEnd
    {
        private const string ErrorText = "\r\nERROR\r\n";
        private readonly AtHostTerminator _terminator;
        private readonly int _maxLength;
        private readonly StringBuilder _line = new StringBuilder();
        private int _length;
        private bool _insideQuotes;
        private char _previous;

        public SerialLteModemFrontEnd(AtHostTerminator terminator, int maxLength)
        {
            if (terminator == AtHostTerminator.Nul)
            {
                throw new ArgumentException("serial_lte_modem terminates lines with CR, LF or CR LF, not NUL.", nameof(terminator));
            }

            _terminator = terminator;
            _maxLength = maxLength;
        }

        public override string CurrentLine => _line.ToString();

        public override bool InsideQuotes => _insideQuotes;

        public override Submission? Feed(byte b, StringBuilder echo)
        {
            if (b == 0x08 || b == 0x7F)
            {
                if (_length > 0)
                {
                    _length--;
                    if (_line.Length > _length)
                    {
                        _line.Length = _length;
                    }
                }

                return null;
            }

            bool send = false;
            if (!_insideQuotes)
            {
                if (b == (byte)'\r' && _terminator == AtHostTerminator.Cr)
                {
                    send = true;
                }
                else if (b == (byte)'\n')
                {
                    if (_terminator == AtHostTerminator.Lf)
                    {
                        send = true;
                    }
                    else if (_terminator == AtHostTerminator.CrLf && _length > 0 && _previous == '\r')
                    {
                        _length--; // trim the CR
                        if (_line.Length > _length)
                        {
                            _line.Length = _length;
                        }

                        send = true;
                    }
                }
            }

            if (!send)
            {
                if (_length < _maxLength)
                {
                    _line.Append((char)b);
                }

                _length++;
                if (b == (byte)'"')
                {
                    _insideQuotes = !_insideQuotes;
                }

                _previous = (char)b;
                return null;
            }

            int length = _length;
            string text = _line.ToString();
            _line.Clear();
            _length = 0;
            _insideQuotes = false;
            if (length > _maxLength)
            {
                return Submission.Answer(ErrorText);
            }

            if (length == 0)
            {
                return null;
            }

            for (int i = 0; i + 1 < text.Length; i++)
            {
                if (char.ToUpperInvariant(text[i]) == 'A' && char.ToUpperInvariant(text[i + 1]) == 'T')
                {
                    text = text.Substring(i);
                    break;
                }
            }

            text = AtHostFrontEnd.CString(text);
            return GrammarOk(text) ? Submission.ForModem(text, Frame) : Submission.Answer(ErrorText);
        }

        public override void Reset()
        {
            _line.Clear();
            _length = 0;
            _insideQuotes = false;
            _previous = '\0';
        }

        public override string BootText(FirmwareProfile profile) => profile.BootBanner + "\r\nReady\r\n";

        public override string FrameUnsolicited(string line) => "\r\n" + line + "\r\n";

        /// <summary>slm_at_host.c cmd_send + format_final_result.</summary>
        internal static string Frame(string modemReply)
        {
            string buffer = "\r\n" + modemReply;
            if (buffer.Length <= 2)
            {
                return string.Empty;
            }

            int result = buffer.LastIndexOf("OK\r\n", StringComparison.Ordinal);
            if (result < 0)
            {
                result = buffer.LastIndexOf("ERROR\r\n", StringComparison.Ordinal);
            }

            if (result < 0)
            {
                result = buffer.LastIndexOf("+CME ERROR:", StringComparison.Ordinal);
            }

            if (result < 0)
            {
                result = buffer.LastIndexOf("+CMS ERROR:", StringComparison.Ordinal);
            }

            if (result < 0 || result == 2)
            {
                return buffer;
            }

            return buffer.Substring(0, result) + "\r\n" + buffer.Substring(result);
        }

        /// <summary>slm_at_host.c cmd_grammar_check.</summary>
        private static bool GrammarOk(string cmd)
        {
            if (cmd.Length < 2 || char.ToUpperInvariant(cmd[0]) != 'A' || char.ToUpperInvariant(cmd[1]) != 'T')
            {
                return false;
            }

            int i = 2;
            if (i == cmd.Length)
            {
                return true;
            }

            if (cmd[i] != '+' && cmd[i] != '%' && cmd[i] != '#')
            {
                return false;
            }

            i++;
            int body = i;
            while (i < cmd.Length && char.IsLetterOrDigit(cmd[i]) && cmd[i] < 0x80)
            {
                i++;
            }

            if (i == body)
            {
                return false;
            }

            if (i == cmd.Length)
            {
                return true;
            }

            if (cmd[i] == '?')
            {
                return i + 1 == cmd.Length;
            }

            if (cmd[i] != '=')
            {
                return false;
            }

            i++;
            if (i < cmd.Length && cmd[i] == '?')
            {
                return i + 1 == cmd.Length;
            }

            return true;
        }
    }

    /// <summary>
    /// A Zephyr shell with at_shell: echo, prompt, CR or LF ends a line (the LF of CR LF is
    /// ignored), arguments split the Zephyr way (single and double quotes, <c>\"</c>, octal and hex
    /// escapes; <c>\n</c> stays two characters), <c>at &lt;command&gt;</c> hands argv[1] to the
    /// modem after replacing <c>\n</c> with CR LF when it begins with <c>AT%CMNG=0</c>.
    /// </summary>
    internal sealed class ShellFrontEnd : ConsoleFrontEnd
    {
        private const string CredentialsCommand = "AT%CMNG=0";
        private const string Usage = "Usage: at <AT command>\r\n  at events_enable | events_disable\r\n";
        private readonly string _prompt;
        private readonly int _maxLength;
        private readonly StringBuilder _line = new StringBuilder();
        private char _lastNewline;
        private int _escape;

        public ShellFrontEnd(string prompt, int maxLength)
        {
            _prompt = prompt;
            _maxLength = maxLength;
        }

        public override string CurrentLine => _line.ToString();

        public override Submission? Feed(byte b, StringBuilder echo)
        {
            char c = (char)b;
            if (_escape > 0)
            {
                // VT100 sequences typed by a terminal (arrows and friends) are swallowed.
                _escape = _escape == 1 && c == '[' ? 2 : (_escape == 2 && (c < '@' || c > '~') ? 2 : 0);
                return null;
            }

            if (c == '\r' || c == '\n')
            {
                if (_lastNewline == '\0' || c == _lastNewline)
                {
                    _lastNewline = c;
                    echo.Append("\r\n");
                    string line = _line.ToString();
                    _line.Clear();
                    return Execute(line);
                }

                return null;
            }

            _lastNewline = '\0';
            switch (c)
            {
                case '\x1b':
                    _escape = 1;
                    return null;
                case '\x08':
                case '\x7f':
                    if (_line.Length > 0)
                    {
                        _line.Length--;
                        echo.Append("\x1b[1D\x1b[1P");
                    }

                    return null;
            }

            if (c >= ' ' && c <= '~' && _line.Length < _maxLength - 1)
            {
                _line.Append(c);
                echo.Append(c);
            }

            return null;
        }

        public override void Reset()
        {
            _line.Clear();
            _lastNewline = '\0';
            _escape = 0;
        }

        public override string BootText(FirmwareProfile profile) => profile.BootBanner + "\r\n\r\n\r\n" + _prompt;

        public override string FrameUnsolicited(string line) => line + "\r\n";

        /// <summary>Zephyr's make_argv: splits and unquotes; returns the unterminated quote character or NUL.</summary>
        internal static char SplitArguments(string line, List<string> argv)
        {
            int i = 0;
            char quote = '\0';
            while (i < line.Length)
            {
                if (char.IsWhiteSpace(line[i]))
                {
                    i++;
                    continue;
                }

                var arg = new StringBuilder();
                quote = '\0';
                while (i < line.Length)
                {
                    char c = line[i];
                    if (quote == '\0')
                    {
                        if (c == '\\')
                        {
                            if (i + 1 < line.Length)
                            {
                                arg.Append(line[i + 1]);
                            }

                            i += 2;
                            continue;
                        }

                        if (c == '\'' || c == '"')
                        {
                            quote = c;
                            i++;
                            continue;
                        }

                        if (char.IsWhiteSpace(c))
                        {
                            break;
                        }

                        arg.Append(c);
                        i++;
                        continue;
                    }

                    if (c == quote)
                    {
                        quote = '\0';
                        i++;
                        continue;
                    }

                    if (c == '\\' && i + 1 < line.Length)
                    {
                        char t = line[i + 1];
                        if (t == quote)
                        {
                            arg.Append(t);
                            i += 2;
                            continue;
                        }

                        if (t == '0' || t == 'x')
                        {
                            int radix = t == '0' ? 8 : 16;
                            int maxDigits = t == '0' ? 3 : 2;
                            int value = 0;
                            int digits = 0;
                            while (digits < maxDigits && i + 2 + digits < line.Length && DigitValue(line[i + 2 + digits], radix) >= 0)
                            {
                                value = (value * radix) + DigitValue(line[i + 2 + digits], radix);
                                digits++;
                            }

                            if (digits > 0)
                            {
                                arg.Append((char)(value & 0xFF));
                                i += 2 + digits;
                                continue;
                            }
                        }
                    }

                    arg.Append(c);
                    i++;
                }

                argv.Add(arg.ToString());
                if (quote != '\0')
                {
                    return quote;
                }
            }

            return '\0';
        }

        private static int DigitValue(char c, int radix)
        {
            int v = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                : -1;
            return v < radix ? v : -1;
        }

        private Submission Execute(string rawLine)
        {
            string line = rawLine.Trim();
            if (line.Length == 0)
            {
                return Submission.Answer(_prompt);
            }

            var argv = new List<string>();
            char open = SplitArguments(line, argv);
            if (open != '\0')
            {
                return Submission.Answer("\x1b[1;31mnot terminated: " + open + "\r\n\x1b[m" + _prompt);
            }

            if (argv[0] == "at")
            {
                if (argv.Count < 2)
                {
                    return Submission.Answer(Usage + _prompt);
                }

                if (argv[1] == "events_enable" || argv[1] == "events_disable")
                {
                    return Submission.Answer(_prompt);
                }

                string command = argv[1];
                if (command.StartsWith(CredentialsCommand, StringComparison.Ordinal))
                {
                    command = command.Replace("\\n", "\r\n");
                }

                return Submission.ForModem(command, reply => reply + "\r\n" + _prompt);
            }

            if (argv[0] == "help")
            {
                return Submission.Answer("Available commands:\r\n  at       : Execute an AT command.\r\n  help     : Prints the help message.\r\n  kernel   : Kernel commands\r\n" + _prompt);
            }

            return Submission.Answer("\x1b[1;31m" + argv[0] + ": command not found\r\n\x1b[m" + _prompt);
        }
    }
}
