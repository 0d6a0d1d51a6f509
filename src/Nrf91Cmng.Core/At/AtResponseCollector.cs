namespace Nrf91Cmng.Core.At
{
    /// <summary>
    /// Classifies the line pieces received after one command: the command's own information
    /// lines (quoted strings spanning lines joined byte for byte), its echo (dropped, never
    /// logged: it may carry a key), unsolicited result codes and log lines (kept apart), and the
    /// final result, which is matched as a whole line only (base64 payloads contain "OK").
    /// </summary>
    internal sealed class AtResponseCollector
    {
        /// <summary>Longest quoted string accepted before the reply is declared malformed.</summary>
        internal const int MaxQuotedLength = 64 * 1024;

        private static readonly Regex s_cme = new Regex(@"^\+CME ERROR:\s*(.*)$", RegexOptions.CultureInvariant);
        private static readonly Regex s_cms = new Regex(@"^\+CMS ERROR:\s*(.*)$", RegexOptions.CultureInvariant);
        private static readonly Regex s_urc = new Regex(@"^[+%#][A-Za-z0-9_]+:", RegexOptions.CultureInvariant);
        private static readonly Regex s_log = new Regex(
            @"^(\[[0-9:.,]+\]\s*)?<(inf|wrn|err|dbg)>|^\[[0-9:.,]+\]|^[IWEDV]: |^\*\*\* |^uart:~\$|^Ready$|AT host sample started|Serial LTE Modem|^Booting",
            RegexOptions.CultureInvariant);

        private static readonly Regex s_prompt = new Regex(@"^([A-Za-z0-9_\-]*:~\$ ?)+", RegexOptions.CultureInvariant);

        // What a Zephyr shell prints for a first word it does not know (red, VT100 codes already removed).
        private static readonly Regex s_notFound = new Regex(@"^\S+: command not found$", RegexOptions.CultureInvariant);

        // What a line of a PEM body can be: base64 (with its padding), or an RFC 1421 header of a
        // legacy encrypted key right after the BEGIN line. Anything else there is not content.
        private static readonly Regex s_base64Line = new Regex(@"^[A-Za-z0-9+/]*={0,2}\s*$", RegexOptions.CultureInvariant);
        private static readonly Regex s_pemHeader = new Regex(@"^(Proc-Type|DEK-Info): ", RegexOptions.CultureInvariant);

        private readonly AtRequest _request;
        private readonly string _sentText;
        private readonly Func<string, string>? _stripPrompt;
        private readonly List<string> _lines = new List<string>();
        private readonly List<string> _unsolicited = new List<string>();
        private readonly List<LinePiece> _heldEmpty = new List<LinePiece>();
        private StringBuilder? _quoted;
        private char _quotedTerminator;
        private bool _afterNoise;
        private bool _inPemBody;
        private bool _sawResponse;

        /// <summary>Creates a collector for <paramref name="mode"/> (a shell mode strips the usual prompts).</summary>
        public AtResponseCollector(AtRequest request, string sentText, CommandMode mode)
            : this(request, sentText, mode == CommandMode.At || mode == CommandMode.Auto ? null : (Func<string, string>)StripPrompt)
        {
        }

        /// <summary>Creates a collector; <paramref name="stripPrompt"/> removes a shell's prompt from the start of a line (null on a raw AT console).</summary>
        public AtResponseCollector(AtRequest request, string sentText, Func<string, string>? stripPrompt)
        {
            _request = request;
            _sentText = sentText;
            _stripPrompt = stripPrompt;
        }

        public List<string> Lines => _lines;

        public List<string> Unsolicited => _unsolicited;

        public bool IsComplete { get; private set; }

        public AtResultKind Result { get; private set; }

        public int? ErrorCode { get; private set; }

        public string FinalLine { get; private set; } = string.Empty;

        /// <summary>Number of echoed lines dropped.</summary>
        public int EchoLines { get; private set; }

        /// <summary>True while a quoted string is open (a lost closing quote looks like a hang).</summary>
        public bool InsideQuote => _quoted is not null;

        /// <summary>True when a Zephyr shell answered <c>&lt;word&gt;: command not found</c> to a request that watches for it (<see cref="AtRequest.DetectShell"/>).</summary>
        public bool ShellAnswered { get; private set; }

        /// <summary>Whether the piece just accepted was unsolicited (for logging by the caller).</summary>
        public string? LastUnsolicited { get; private set; }

        /// <summary>The information line completed by the last piece, if any.</summary>
        public string? LastLine { get; private set; }

        /// <summary>True when a final result line ended the response.</summary>
        public static bool TryParseFinal(string trimmed, out AtResultKind kind, out int? code)
        {
            code = null;
            if (trimmed == "OK")
            {
                kind = AtResultKind.Ok;
                return true;
            }

            if (trimmed == "ERROR")
            {
                kind = AtResultKind.Error;
                return true;
            }

            Match m = s_cme.Match(trimmed);
            if (m.Success)
            {
                kind = AtResultKind.CmeError;
                code = ParseCode(m.Groups[1].Value);
                return true;
            }

            m = s_cms.Match(trimmed);
            if (m.Success)
            {
                kind = AtResultKind.CmsError;
                code = ParseCode(m.Groups[1].Value);
                return true;
            }

            kind = AtResultKind.Ok;
            return false;
        }

        /// <summary>True for lines that are unsolicited result codes or device log lines.</summary>
        public static bool LooksUnsolicited(string trimmed) => s_urc.IsMatch(trimmed) || s_log.IsMatch(trimmed);

        /// <summary>Removes Zephyr shell prompts ("uart:~$ ", "mosh:~$ ") from the start of a line.</summary>
        public static string StripPrompt(string text) => s_prompt.Replace(text, string.Empty);

        /// <summary>Removes <paramref name="prompt"/> (a learned prompt, any text) and the usual prompts from the start of a line, as often as they repeat.</summary>
        public static string StripPrompt(string text, string? prompt)
        {
            if (!string.IsNullOrEmpty(prompt))
            {
                while (text.StartsWith(prompt, StringComparison.Ordinal))
                {
                    text = text.Substring(prompt!.Length);
                }
            }

            return StripPrompt(text);
        }

        /// <summary>True for a Zephyr shell's <c>&lt;word&gt;: command not found</c>.</summary>
        public static bool IsCommandNotFound(string trimmed) => s_notFound.IsMatch(trimmed);

        /// <summary>Accepts one piece; returns true once the final result has arrived.</summary>
        public bool Accept(LinePiece piece)
        {
            LastUnsolicited = null;
            LastLine = null;
            if (IsComplete)
            {
                return true;
            }

            if (_quoted is not null)
            {
                if (piece.Text.Length == 0)
                {
                    // An empty piece is the second half of a CR LF, a blank content line, or the
                    // framing of an unsolicited line (at_host "line\r\n", SLM "\r\nline\r\n"):
                    // which one is known only from the next piece with text.
                    _heldEmpty.Add(piece);
                    return false;
                }

                if (IsNoiseInsideQuote(piece.Text))
                {
                    // A URC or a log line that landed between two lines of quoted content (the
                    // application's log shares the UART): never part of the content, nor is its
                    // framing. Only the LF that completes the CR LF of the content line before it stays.
                    if (!_afterNoise)
                    {
                        int keep = _quotedTerminator == '\r' && _heldEmpty.Count > 0 && _heldEmpty[0].Terminator == '\n' ? 1 : 0;
                        AppendHeld(keep);
                    }

                    _heldEmpty.Clear();
                    _afterNoise = true;
                    _unsolicited.Add(piece.Text.Trim());
                    LastUnsolicited = piece.Text.Trim();
                    return false;
                }

                if (_afterNoise)
                {
                    _heldEmpty.Clear();
                    _afterNoise = false;
                }
                else
                {
                    AppendHeld(_heldEmpty.Count);
                }

                _heldEmpty.Clear();
                TrackPem(piece.Text);
                _quoted.Append(_quotedTerminator).Append(piece.Text);
                _quotedTerminator = piece.Terminator;
                if (CountQuotes(_quoted) % 2 == 0 || _quoted.Length > MaxQuotedLength)
                {
                    // A Zephyr shell prints every LF as CR LF (SHELL_FLAG_OLF_CRLF): a stored LF arrives as
                    // CR LF and a stored CR LF as CR CR LF. Undone here, so content reads back byte for byte.
                    AddLine(_stripPrompt is null ? _quoted.ToString() : _quoted.ToString().Replace("\r\n", "\n"));
                    _quoted = null;
                }

                return false;
            }

            string text = SkipLeadingNoise(_stripPrompt is null ? piece.Text : _stripPrompt(piece.Text));
            string trimmed = text.Trim();
            if (trimmed.Length == 0)
            {
                return false;
            }

            if (TryParseFinal(trimmed, out AtResultKind kind, out int? code))
            {
                Result = kind;
                ErrorCode = code;
                FinalLine = trimmed;
                IsComplete = true;
                return true;
            }

            if (_request.DetectShell && s_notFound.IsMatch(trimmed))
            {
                // A Zephyr shell, not an AT console: it will never answer OK or ERROR.
                Result = AtResultKind.Error;
                FinalLine = trimmed;
                ShellAnswered = true;
                IsComplete = true;
                return true;
            }

            if (!_sawResponse && _sentText.IndexOf(trimmed, StringComparison.Ordinal) >= 0)
            {
                EchoLines++;
                return false;
            }

            bool mine = _request.ResponsePrefix is not null
                ? trimmed.StartsWith(_request.ResponsePrefix, StringComparison.Ordinal)
                : _request.BareLineFilter?.Invoke(trimmed) ?? !LooksUnsolicited(trimmed);
            if (!mine || IsTailOfLostLine(trimmed))
            {
                _unsolicited.Add(trimmed);
                LastUnsolicited = trimmed;
                return false;
            }

            _sawResponse = true;
            string line = text.TrimStart();
            if (CountQuotes(line) % 2 == 1)
            {
                _quoted = new StringBuilder(line);
                _quotedTerminator = piece.Terminator;
                _heldEmpty.Clear();
                _afterNoise = false;
                _inPemBody = false;
                TrackPem(line);
                return false;
            }

            AddLine(line.TrimEnd());
            return false;
        }

        /// <summary>
        /// True for a line inside quoted content that cannot be content: inside a PEM body anything
        /// that is not base64 (a colon, a space, a log prefix such as "[00:00:28.460,540] &lt;inf&gt;");
        /// outside a body (between blocks, a PSK identity) an unsolicited result code or a log line.
        /// The closing line (it holds the closing quote) is always content.
        /// </summary>
        private bool IsNoiseInsideQuote(string text)
        {
            string trimmed = text.Trim();
            if (trimmed.Length == 0 || text.IndexOf("-----", StringComparison.Ordinal) >= 0)
            {
                return false;
            }

            if (_inPemBody)
            {
                return !s_base64Line.IsMatch(text) && !s_pemHeader.IsMatch(text) && !IsClosingLine(text);
            }

            return LooksUnsolicited(trimmed) && !IsClosingLine(text);
        }

        private static bool IsClosingLine(string text) => text.Trim() == "\"";

        /// <summary>
        /// True for the rest of a line whose start was never read (the port opened, or its input was
        /// discarded, in the middle of it) when the cut fell inside a quoted string: its first quote
        /// closes a string instead of opening one. AT strings open only at the start of a parameter
        /// (after a separator) and close before one, so such a line must not open a string that would
        /// swallow the reply and its final result.
        /// </summary>
        private static bool IsTailOfLostLine(string trimmed)
        {
            if (CountQuotes(trimmed) % 2 == 0)
            {
                return false;
            }

            int first = trimmed.IndexOf('"');
            return first == 0
                ? trimmed.Length == 1 || trimmed[1] == ','
                : ",:=( ".IndexOf(trimmed[first - 1]) < 0;
        }

        /// <summary>
        /// Drops line noise glued to the front of a line (bytes outside printable ASCII, as a UART
        /// prints when a board resets or a USB bridge opens): "\xffOK" is the final result, and
        /// "\xff%CMNG: ..." an information line. AT replies are ASCII, so nothing of a reply is lost;
        /// only the front is cut, so a whole-line match stays whole (base64 holds no such byte).
        /// </summary>
        private static string SkipLeadingNoise(string text)
        {
            int start = 0;
            int end = 0;
            while (end < text.Length && (text[end] <= ' ' || text[end] > '\x7e'))
            {
                if (text[end] != ' ' && text[end] != '\t')
                {
                    start = end + 1;
                }

                end++;
            }

            return start == 0 ? text : text.Substring(start);
        }

        /// <summary>Appends the first <paramref name="count"/> held empty pieces to the quoted content, as received.</summary>
        private void AppendHeld(int count)
        {
            for (int i = 0; i < count && i < _heldEmpty.Count; i++)
            {
                _quoted!.Append(_quotedTerminator);
                _quotedTerminator = _heldEmpty[i].Terminator;
            }
        }

        private void TrackPem(string text)
        {
            if (text.IndexOf("-----BEGIN ", StringComparison.Ordinal) >= 0)
            {
                _inPemBody = true;
            }

            if (text.IndexOf("-----END ", StringComparison.Ordinal) >= 0)
            {
                _inPemBody = false;
            }
        }

        private void AddLine(string line)
        {
            _lines.Add(line);
            LastLine = line;
        }

        private static int? ParseCode(string value) =>
            int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : (int?)null;

        private static int CountQuotes(string s)
        {
            int n = 0;
            foreach (char c in s)
            {
                if (c == '"')
                {
                    n++;
                }
            }

            return n;
        }

        private static int CountQuotes(StringBuilder s)
        {
            int n = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] == '"')
                {
                    n++;
                }
            }

            return n;
        }
    }
}
