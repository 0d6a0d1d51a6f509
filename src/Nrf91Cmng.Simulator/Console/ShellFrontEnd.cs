using System;
using System.Collections.Generic;
using System.Text;

namespace Nrf91Cmng.Simulator
{
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
