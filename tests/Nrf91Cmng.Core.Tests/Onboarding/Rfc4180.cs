namespace Nrf91Cmng.Core.Tests.Onboarding
{
    /// <summary>
    /// An independent strict RFC 4180 reader for the tests: records end in CRLF or LF, a field is
    /// either unquoted (no quote, comma, CR or LF in it) or quoted from its first character with
    /// inner quotes doubled; anything else throws.
    /// </summary>
    internal static class Rfc4180
    {
        public static List<string[]> Read(string text)
        {
            var records = new List<string[]>();
            var record = new List<string>();
            int i = 0;
            while (i < text.Length)
            {
                var field = new StringBuilder();
                if (text[i] == '"')
                {
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            throw new FormatException("unterminated quoted field");
                        }

                        if (text[i] == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"')
                            {
                                field.Append('"');
                                i += 2;
                                continue;
                            }

                            i++;
                            break;
                        }

                        field.Append(text[i++]);
                    }
                }
                else
                {
                    while (i < text.Length && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                    {
                        if (text[i] == '"')
                        {
                            throw new FormatException("quote in unquoted field at " + i);
                        }

                        field.Append(text[i++]);
                    }
                }

                record.Add(field.ToString());
                if (i >= text.Length)
                {
                    throw new FormatException("last record has no line break");
                }

                if (text[i] == ',')
                {
                    i++;
                    continue;
                }

                if (text[i] == '\r')
                {
                    if (i + 1 >= text.Length || text[i + 1] != '\n')
                    {
                        throw new FormatException("lone CR at " + i);
                    }

                    i++;
                }

                if (text[i] != '\n')
                {
                    throw new FormatException("text after closing quote at " + i);
                }

                i++;
                records.Add(record.ToArray());
                record.Clear();
            }

            return records;
        }
    }
}
