namespace Nrf91Cmng.Simulator
{
    /// <summary>The four shapes of an extended AT command.</summary>
    internal enum AtForm
    {
        /// <summary><c>AT+NAME</c>.</summary>
        Action,

        /// <summary><c>AT+NAME?</c>.</summary>
        Read,

        /// <summary><c>AT+NAME=?</c>.</summary>
        Test,

        /// <summary><c>AT+NAME=params</c>.</summary>
        Set,
    }

    /// <summary>One parameter: quoted string (content between the quotes, verbatim) or bare token (trimmed).</summary>
    internal readonly struct AtParameter
    {
        public AtParameter(string text, bool quoted)
        {
            Text = text;
            Quoted = quoted;
        }

        public string Text { get; }

        public bool Quoted { get; }

        public bool IsEmpty => !Quoted && Text.Length == 0;

        /// <summary>A bare unsigned decimal number that fits in 32 bits.</summary>
        public bool TryUInt(out uint value)
        {
            value = 0;
            return !Quoted && Text.Length > 0 && Text.Length <= 10 && IsDigits(Text)
                && uint.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        /// <summary>A bare non-negative decimal number that fits in an int.</summary>
        public bool TryInt(out int value)
        {
            value = 0;
            return !Quoted && Text.Length > 0 && Text.Length <= 10 && IsDigits(Text)
                && int.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        private static bool IsDigits(string s)
        {
            foreach (char c in s)
            {
                if (c < '0' || c > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>One parsed extended command (<c>+CFUN=4</c>, <c>%CMNG=1</c>).</summary>
    internal sealed class AtCommandPart
    {
        public AtCommandPart(string name, AtForm form, IReadOnlyList<AtParameter> parameters)
        {
            Name = name;
            Form = form;
            Parameters = parameters;
        }

        /// <summary>Upper-case name with its prefix, e.g. <c>%CMNG</c>.</summary>
        public string Name { get; }

        public AtForm Form { get; }

        public IReadOnlyList<AtParameter> Parameters { get; }
    }

    /// <summary>The modem's command-line syntax: compound commands, names, forms and parameters.</summary>
    internal static class AtCommandSyntax
    {
        /// <summary>Splits the text after <c>AT</c> at semicolons outside quotes; null when a quote is left open.</summary>
        public static List<string>? SplitCompound(string afterAt)
        {
            var parts = new List<string>();
            var current = new StringBuilder();
            bool quoted = false;
            foreach (char c in afterAt)
            {
                if (c == '"')
                {
                    quoted = !quoted;
                }

                if (c == ';' && !quoted)
                {
                    parts.Add(current.ToString());
                    current.Clear();
                    continue;
                }

                current.Append(c);
            }

            if (quoted)
            {
                return null;
            }

            parts.Add(current.ToString());
            return parts;
        }

        /// <summary>Parses one part (<c>%CMNG=0,1,0,"…"</c>); null on a syntax error.</summary>
        public static AtCommandPart? Parse(string part)
        {
            if (part.Length < 2 || (part[0] != '+' && part[0] != '%' && part[0] != '#'))
            {
                return null;
            }

            int i = 1;
            while (i < part.Length && ((part[i] >= 'A' && part[i] <= 'Z') || (part[i] >= 'a' && part[i] <= 'z') || (part[i] >= '0' && part[i] <= '9')))
            {
                i++;
            }

            if (i == 1)
            {
                return null;
            }

            string name = part.Substring(0, i).ToUpperInvariant();
            string rest = part.Substring(i);
            if (rest.Length == 0)
            {
                return new AtCommandPart(name, AtForm.Action, Array.Empty<AtParameter>());
            }

            if (rest == "?")
            {
                return new AtCommandPart(name, AtForm.Read, Array.Empty<AtParameter>());
            }

            if (rest == "=?")
            {
                return new AtCommandPart(name, AtForm.Test, Array.Empty<AtParameter>());
            }

            if (rest[0] != '=')
            {
                return null;
            }

            List<AtParameter>? parameters = ParseParameters(rest.Substring(1));
            return parameters is null ? null : new AtCommandPart(name, AtForm.Set, parameters);
        }

        /// <summary>Comma-separated parameters; quoted strings are taken verbatim (no escapes), spaces around tokens ignored.</summary>
        public static List<AtParameter>? ParseParameters(string text)
        {
            var result = new List<AtParameter>();
            int i = 0;
            while (true)
            {
                while (i < text.Length && text[i] == ' ')
                {
                    i++;
                }

                if (i < text.Length && text[i] == '"')
                {
                    int close = text.IndexOf('"', i + 1);
                    if (close < 0)
                    {
                        return null;
                    }

                    result.Add(new AtParameter(text.Substring(i + 1, close - i - 1), true));
                    i = close + 1;
                    while (i < text.Length && text[i] == ' ')
                    {
                        i++;
                    }

                    if (i == text.Length)
                    {
                        return result;
                    }

                    if (text[i] != ',')
                    {
                        return null;
                    }

                    i++;
                    continue;
                }

                int comma = text.IndexOf(',', i);
                string token = (comma < 0 ? text.Substring(i) : text.Substring(i, comma - i)).Trim(' ');
                if (token.IndexOf('"') >= 0)
                {
                    return null;
                }

                result.Add(new AtParameter(token, false));
                if (comma < 0)
                {
                    return result;
                }

                i = comma + 1;
            }
        }
    }
}
