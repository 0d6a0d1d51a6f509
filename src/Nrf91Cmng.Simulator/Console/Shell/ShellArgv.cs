namespace Nrf91Cmng.Simulator
{
    /// <summary>
    /// <c>z_shell_make_argv</c> of <c>shell_utils.c</c>, ported over a NUL-padded character buffer so
    /// that its in-place edits (quote removal, <c>\x</c>, octal and hex escapes) behave exactly as
    /// in C. An argument is the text from its start to the next NUL.
    /// </summary>
    internal sealed class ShellArgv
    {
        private readonly char[] _buffer;

        public ShellArgv(string line)
        {
            _buffer = new char[line.Length + 8];
            line.CopyTo(0, _buffer, 0, line.Length);
        }

        /// <summary>The C string at <paramref name="start"/>.</summary>
        public string At(int start)
        {
            if (start < 0)
            {
                return string.Empty;
            }

            int end = start;
            while (end < _buffer.Length && _buffer[end] != '\0')
            {
                end++;
            }

            return new string(_buffer, start, end - start);
        }

        /// <summary>Splits from <paramref name="cmd"/>: fills up to <paramref name="maxArgc"/> argument starts; returns the open quote of the last one parsed (or NUL).</summary>
        public char MakeArgv(out int argc, int[] argv, int offset, int cmd, int maxArgc)
        {
            char quote = '\0';
            argc = 0;
            while (true)
            {
                char c = Get(cmd);
                if (c == '\0')
                {
                    break;
                }

                if (IsSpace(c))
                {
                    _buffer[cmd++] = '\0';
                    continue;
                }

                argv[offset + argc++] = cmd;
                if (argc == maxArgc)
                {
                    break;
                }

                quote = Argument(ref cmd);
            }

            return quote;
        }

        /// <summary>Every argument of the line (the wildcard re-parse, tests).</summary>
        public static System.Collections.Generic.List<string> Split(string line, out char openQuote, int max = int.MaxValue)
        {
            var parser = new ShellArgv(line);
            var starts = new int[line.Length + 2];
            openQuote = parser.MakeArgv(out int argc, starts, 0, 0, System.Math.Min(max, line.Length + 1));
            var result = new System.Collections.Generic.List<string>();
            for (int i = 0; i < argc; i++)
            {
                result.Add(parser.At(starts[i]));
            }

            return result;
        }

        internal static bool IsSpace(char c) => c == ' ' || (c >= '\t' && c <= '\r');

        private char Get(int index) => index < _buffer.Length ? _buffer[index] : '\0';

        /// <summary><c>memmove(cmd, cmd + shift, strlen(cmd) + 1 - shift)</c>: drops <paramref name="shift"/> characters at <paramref name="at"/>.</summary>
        private void Remove(int at, int shift)
        {
            for (int i = at; i + shift < _buffer.Length; i++)
            {
                _buffer[i] = _buffer[i + shift];
            }

            for (int i = System.Math.Max(at, _buffer.Length - shift); i < _buffer.Length; i++)
            {
                _buffer[i] = '\0';
            }
        }

        private char Argument(ref int cmd)
        {
            char quote = '\0';
            while (true)
            {
                char c = Get(cmd);
                if (c == '\0')
                {
                    break;
                }

                if (quote == '\0')
                {
                    if (c == '\\')
                    {
                        Remove(cmd, 1);
                        cmd += 1;
                        continue;
                    }

                    if (c == '\'' || c == '"')
                    {
                        Remove(cmd, 1);
                        quote = c;
                        continue;
                    }
                }

                if (quote == c)
                {
                    Remove(cmd, 1);
                    quote = '\0';
                    continue;
                }

                if (quote != '\0' && c == '\\')
                {
                    char t = Get(cmd + 1);
                    if (t == quote)
                    {
                        Remove(cmd, 1);
                        cmd += 1;
                        continue;
                    }

                    if (t == '0' || t == 'x')
                    {
                        int radix = t == '0' ? 8 : 16;
                        int last = t == '0' ? 5 : 4;
                        int i;
                        int v = 0;
                        for (i = 2; i < last; i++)
                        {
                            int digit = Digit(Get(cmd + i), radix);
                            if (digit < 0)
                            {
                                break;
                            }

                            v = ((v * radix) + digit) & 0xFF;
                        }

                        if (i > 2)
                        {
                            Remove(cmd, i - 1);
                            _buffer[cmd++] = (char)v;
                            continue;
                        }
                    }
                }

                if (quote == '\0' && IsSpace(c))
                {
                    break;
                }

                cmd += 1;
            }

            return quote;
        }

        private static int Digit(char c, int radix)
        {
            int v = c >= '0' && c <= '9' ? c - '0'
                : radix == 16 && c >= 'a' && c <= 'f' ? c - 'a' + 10
                : radix == 16 && c >= 'A' && c <= 'F' ? c - 'A' + 10
                : -1;
            return v < radix ? v : -1;
        }
    }
}
