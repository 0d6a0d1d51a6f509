namespace Nrf91Cmng.Core.At
{
    /// <summary>
    /// Turns the byte stream from a console into line pieces, keeping each piece's terminator
    /// (CR or LF) so that a quoted string spanning lines can be put back together byte for byte.
    /// "\r\n" yields a piece ending in CR followed by an empty piece ending in LF. ANSI escape
    /// sequences (colour codes, cursor movement of shell prompts) and NUL bytes are dropped.
    /// Bytes map to chars one to one (Latin-1), so nothing is lost or re-encoded.
    /// </summary>
    internal sealed class AtLineAssembler
    {
        private readonly StringBuilder _current = new StringBuilder();
        private EscapeState _escape;

        private enum EscapeState
        {
            None,
            Escape,
            Csi,
            Osc,
            OscEscape,
            Charset,
        }

        /// <summary>Text received after the last terminator (a prompt, or a line still arriving).</summary>
        public string Pending => _current.ToString();

        /// <summary>Feeds bytes; completed pieces are appended to <paramref name="pieces"/>.</summary>
        public void Feed(byte[] buffer, int offset, int count, List<LinePiece> pieces)
        {
            for (int i = offset; i < offset + count; i++)
            {
                char c = (char)buffer[i];
                switch (_escape)
                {
                    case EscapeState.Escape:
                        _escape = c == '[' ? EscapeState.Csi
                            : c == ']' ? EscapeState.Osc
                            : c == '(' || c == ')' ? EscapeState.Charset
                            : EscapeState.None;
                        continue;
                    case EscapeState.Csi:
                        if (c >= '@' && c <= '~')
                        {
                            _escape = EscapeState.None;
                        }

                        continue;
                    case EscapeState.Osc:
                        if (c == '\a')
                        {
                            _escape = EscapeState.None;
                        }
                        else if (c == '\x1b')
                        {
                            _escape = EscapeState.OscEscape;
                        }

                        continue;
                    case EscapeState.OscEscape:
                        _escape = EscapeState.None;
                        continue;
                    case EscapeState.Charset:
                        _escape = EscapeState.None;
                        continue;
                }

                switch (c)
                {
                    case '\x1b':
                        _escape = EscapeState.Escape;
                        break;
                    case '\0':
                        break;
                    case '\r':
                    case '\n':
                        pieces.Add(new LinePiece(_current.ToString(), c));
                        _current.Clear();
                        break;
                    default:
                        _current.Append(c);
                        break;
                }
            }
        }

        /// <summary>Forgets everything buffered (after a resynchronisation).</summary>
        public void Reset()
        {
            _current.Clear();
            _escape = EscapeState.None;
        }
    }

    /// <summary>A line's text and the single character that ended it.</summary>
    internal readonly struct LinePiece
    {
        public LinePiece(string text, char terminator)
        {
            Text = text;
            Terminator = terminator;
        }

        public string Text { get; }

        public char Terminator { get; }

        public override string ToString() => Text;
    }
}
