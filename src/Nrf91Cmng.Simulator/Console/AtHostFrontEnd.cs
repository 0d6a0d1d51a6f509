namespace Nrf91Cmng.Simulator
{
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
}
