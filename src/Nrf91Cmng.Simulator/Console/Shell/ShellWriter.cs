namespace Nrf91Cmng.Simulator
{
    /// <summary>The colours of <c>enum shell_vt100_color</c> the shell uses.</summary>
    internal enum ShellColor
    {
        /// <summary><c>SHELL_NORMAL</c>: the terminal's default, no codes.</summary>
        Normal = 8,

        /// <summary><c>SHELL_ERROR</c>.</summary>
        Red = 1,

        /// <summary><c>SHELL_INFO</c> (the prompt).</summary>
        Green = 2,

        /// <summary><c>SHELL_WARNING</c>.</summary>
        Yellow = 3,
    }

    /// <summary>
    /// What the shell writes, as <c>shell_fprintf.c</c> and <c>shell_ops.c</c> produce it: every LF
    /// goes out as CR LF (<c>SHELL_FLAG_OLF_CRLF</c>, so a CR LF already in the text becomes CR CR
    /// LF), a coloured print is wrapped in <c>ESC[1;3&lt;n&gt;m</c> … <c>ESC[m</c> when colours are
    /// on, VT100 cursor commands go out only while VT100 commands are on.
    /// </summary>
    internal sealed class ShellWriter
    {
        private readonly StringBuilder _out = new StringBuilder();
        private readonly ShellTerminal _terminal;

        public ShellWriter(ShellTerminal terminal)
        {
            _terminal = terminal;
        }

        public int Length => _out.Length;

        /// <summary><c>z_shell_fprintf</c>: the text in a colour (restored to normal afterwards).</summary>
        public void Print(ShellColor color, string text)
        {
            if (_terminal.Colors && _terminal.Vt100 && color != ShellColor.Normal)
            {
                _out.Append("\x1b[1;3").Append(((int)color).ToString(CultureInfo.InvariantCulture)).Append('m');
                Raw(text);
                _out.Append("\x1b[m");
                return;
            }

            Raw(text);
        }

        public void Print(string text) => Print(ShellColor.Normal, text);

        public void Error(string text) => Print(ShellColor.Red, text);

        public void Warn(string text) => Print(ShellColor.Yellow, text);

        /// <summary><c>z_shell_raw_fprintf</c>: no colour, LF → CR LF.</summary>
        public void Raw(string text)
        {
            foreach (char c in text)
            {
                if (c == '\n')
                {
                    _out.Append('\r');
                }

                _out.Append(c);
            }
        }

        /// <summary>Bytes written as they are (a log line already framed by log_output, garbage on the wire).</summary>
        public void Verbatim(string text) => _out.Append(text);

        /// <summary><c>Z_SHELL_VT100_CMD</c>.</summary>
        public void Vt100(string command)
        {
            if (_terminal.Vt100)
            {
                _out.Append(command);
            }
        }

        /// <summary><c>z_cursor_next_line_move</c>.</summary>
        public void NewLine() => Raw("\n");

        public void HorizontalMove(int delta)
        {
            if (delta != 0)
            {
                Vt100("\x1b[" + System.Math.Abs(delta).ToString(CultureInfo.InvariantCulture) + (delta > 0 ? "C" : "D"));
            }
        }

        public void VerticalMove(int delta)
        {
            if (delta != 0)
            {
                Vt100("\x1b[" + System.Math.Abs(delta).ToString(CultureInfo.InvariantCulture) + (delta > 0 ? "A" : "B"));
            }
        }

        /// <summary><c>z_clear_eos</c>.</summary>
        public void ClearToEnd() => Vt100("\x1b[J");

        public override string ToString() => _out.ToString();
    }

    /// <summary>The terminal flags of one shell instance (<c>shell_backend_config_flags</c>).</summary>
    internal sealed class ShellTerminal
    {
        public bool Colors { get; set; }

        public bool Vt100 { get; set; } = true;

        public bool Echo { get; set; } = true;

        public bool InsertMode { get; set; }

        public bool DeleteMode { get; set; } = true;

        public int Width { get; set; } = 80;
    }
}
