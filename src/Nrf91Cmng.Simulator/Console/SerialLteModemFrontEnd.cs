namespace Nrf91Cmng.Simulator
{
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
}
