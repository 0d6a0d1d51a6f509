namespace Nrf91Cmng.Core.Crypto
{
    /// <summary>One <c>-----BEGIN X----- ... -----END X-----</c> block found in a text.</summary>
    internal sealed class PemBlock
    {
        public PemBlock(string label, byte[] der, int start, int end, IReadOnlyDictionary<string, string> headers, bool lineFormatted)
        {
            Label = label;
            Der = der;
            Start = start;
            End = end;
            Headers = headers;
            IsLineFormatted = lineFormatted;
        }

        /// <summary>The label, e.g. <c>CERTIFICATE</c>.</summary>
        public string Label { get; }

        /// <summary>The decoded body.</summary>
        public byte[] Der { get; }

        /// <summary>Index of the first dash of the BEGIN marker.</summary>
        public int Start { get; }

        /// <summary>Index just after the last dash of the END marker.</summary>
        public int End { get; }

        /// <summary>RFC 1421 headers (<c>Proc-Type</c>, <c>DEK-Info</c>), usually none.</summary>
        public IReadOnlyDictionary<string, string> Headers { get; }

        /// <summary>True when both markers stand on lines of their own, as mbedTLS and mfw 2.0.2+ expect.</summary>
        public bool IsLineFormatted { get; }

        /// <summary>True for OpenSSL's legacy encrypted PEM (<c>Proc-Type: 4,ENCRYPTED</c>).</summary>
        public bool IsLegacyEncrypted =>
            Headers.TryGetValue("Proc-Type", out string? v) && v.IndexOf("ENCRYPTED", StringComparison.OrdinalIgnoreCase) >= 0;
    }

    /// <summary>
    /// Tolerant PEM block scanner (glue around BouncyCastle, which parses the DER). Unlike a
    /// line reader it accepts what users paste and what modems return: CR LF, CR or LF line
    /// ends, a whole block on one line (<c>-----BEGIN PUBLIC KEY-----MFkw...==-----END PUBLIC KEY-----</c>),
    /// indentation, surrounding quotes and text between blocks. Only ASCII whitespace is
    /// skipped inside a body; anything else that is not base64 makes the block malformed.
    /// </summary>
    internal static class PemText
    {
        private const string BeginMarker = "-----BEGIN ";
        private const string EndMarker = "-----END ";
        private const string Dashes = "-----";

        /// <summary>True when <paramref name="text"/> holds a BEGIN marker.</summary>
        public static bool ContainsPem(string text) => text.IndexOf(BeginMarker, StringComparison.Ordinal) >= 0;

        /// <summary>Every block in <paramref name="text"/>, in order. Throws <see cref="ErrorIds.PemMalformed"/>.</summary>
        public static IReadOnlyList<PemBlock> Parse(string text)
        {
            var blocks = new List<PemBlock>();
            int index = 0;
            while (index < text.Length)
            {
                int begin = text.IndexOf(BeginMarker, index, StringComparison.Ordinal);
                if (begin < 0)
                {
                    break;
                }

                int labelStart = begin + BeginMarker.Length;
                int labelEnd = text.IndexOf(Dashes, labelStart, StringComparison.Ordinal);
                if (labelEnd < 0 || labelEnd - labelStart > 64 || labelEnd == labelStart)
                {
                    throw Malformed("a '-----BEGIN' marker at character " + Position(begin) + " has no label closed by '-----'");
                }

                string label = text.Substring(labelStart, labelEnd - labelStart);
                foreach (char c in label)
                {
                    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '-' || c == '.' || c == '_'))
                    {
                        throw Malformed("the BEGIN marker at character " + Position(begin) + " has a label with characters PEM labels do not use");
                    }
                }

                int bodyStart = labelEnd + Dashes.Length;
                string endMarker = EndMarker + label + Dashes;
                int end = text.IndexOf(endMarker, bodyStart, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Malformed("'-----BEGIN " + label + "-----' has no matching '-----END " + label + "-----' (the text may be cut short)");
                }

                int nextBegin = text.IndexOf(BeginMarker, bodyStart, StringComparison.Ordinal);
                if (nextBegin >= 0 && nextBegin < end)
                {
                    throw Malformed("'-----BEGIN " + label + "-----' at character " + Position(begin) + " is not closed before the next BEGIN marker");
                }

                int blockEnd = end + endMarker.Length;
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                string body = StripHeaders(text.Substring(bodyStart, end - bodyStart), headers);
                byte[] der = DecodeBody(body, label);
                bool lineFormatted = IsLineStart(text, begin) && IsLineEnd(text, bodyStart) && IsLineStart(text, end) && IsLineEndOrTextEnd(text, blockEnd);
                blocks.Add(new PemBlock(label, der, begin, blockEnd, headers, lineFormatted));
                index = blockEnd;
            }

            return blocks;
        }

        /// <summary>Non-whitespace text outside the blocks (e.g. OpenSSL "Bag Attributes"), or empty.</summary>
        public static string TextOutsideBlocks(string text, IReadOnlyList<PemBlock> blocks)
        {
            var sb = new StringBuilder();
            int index = 0;
            foreach (PemBlock block in blocks)
            {
                sb.Append(text, index, block.Start - index);
                index = block.End;
            }

            sb.Append(text, index, text.Length - index);
            return sb.ToString().Trim();
        }

        /// <summary>PEM with LF line ends, 64-character lines and a trailing newline.</summary>
        public static string Encode(string label, byte[] der)
        {
            string b64 = Convert.ToBase64String(der);
            var sb = new StringBuilder(b64.Length + (b64.Length / 64) + 64);
            sb.Append(BeginMarker).Append(label).Append(Dashes).Append('\n');
            for (int i = 0; i < b64.Length; i += 64)
            {
                sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
            }

            sb.Append(EndMarker).Append(label).Append(Dashes).Append('\n');
            return sb.ToString();
        }

        private static string StripHeaders(string body, Dictionary<string, string> headers)
        {
            // RFC 1421 headers ("Proc-Type: 4,ENCRYPTED", "DEK-Info: ...") come first, then a blank line.
            if (body.IndexOf(':') < 0)
            {
                return body;
            }

            var kept = new StringBuilder(body.Length);
            string[] lines = body.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
            foreach (string raw in lines)
            {
                string line = raw.Trim();
                int colon = line.IndexOf(':');
                if (colon > 0)
                {
                    headers[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                }
                else
                {
                    kept.Append(line);
                }
            }

            return kept.ToString();
        }

        private static byte[] DecodeBody(string body, string label)
        {
            var sb = new StringBuilder(body.Length);
            foreach (char c in body)
            {
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
                {
                    continue;
                }

                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=')
                {
                    sb.Append(c);
                    continue;
                }

                throw Malformed("the body of '" + label + "' has a character that is not base64 (code " + CharCode(c) + ")");
            }

            if (sb.Length == 0)
            {
                throw Malformed("the '" + label + "' block is empty");
            }

            if (sb.Length % 4 != 0)
            {
                throw Malformed("the body of '" + label + "' is not whole base64 (" + sb.Length.ToString(CultureInfo.InvariantCulture) + " characters; the text may be cut short or a line is missing)");
            }

            try
            {
                return Convert.FromBase64String(sb.ToString());
            }
            catch (FormatException)
            {
                throw Malformed("the body of '" + label + "' is not valid base64");
            }
        }

        private static bool IsLineStart(string text, int index)
        {
            int i = index - 1;
            while (i >= 0 && (text[i] == ' ' || text[i] == '\t'))
            {
                i--;
            }

            return i < 0 || text[i] == '\n' || text[i] == '\r' || text[i] == '"';
        }

        private static bool IsLineEnd(string text, int index) => index < text.Length && (text[index] == '\n' || text[index] == '\r');

        private static bool IsLineEndOrTextEnd(string text, int index)
        {
            int i = index;
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t'))
            {
                i++;
            }

            return i >= text.Length || text[i] == '\n' || text[i] == '\r' || text[i] == '"';
        }

        private static string Position(int index) => (index + 1).ToString(CultureInfo.InvariantCulture);

        internal static string CharCode(char c) => "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);

        private static ModemException Malformed(string what) =>
            new ModemException(ErrorIds.PemMalformed, ModemErrorCategory.InvalidData,
                "The PEM text is malformed: " + what + ".",
                "Use the file exactly as the CA or OpenSSL wrote it: each block from '-----BEGIN ...-----' to the matching '-----END ...-----', with base64 lines in between.");
    }
}
