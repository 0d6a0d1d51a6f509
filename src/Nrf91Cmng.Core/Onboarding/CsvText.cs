namespace Nrf91Cmng.Core.Onboarding
{
    /// <summary>One CSV record: its fields and the exact text it spans (terminator included).</summary>
    internal sealed class CsvRecord
    {
        public CsvRecord(IReadOnlyList<string> fields, string raw, int line)
        {
            Fields = fields;
            Raw = raw;
            Line = line;
        }

        public IReadOnlyList<string> Fields { get; }

        public string Raw { get; }

        /// <summary>1-based line where the record starts.</summary>
        public int Line { get; }
    }

    /// <summary>
    /// CSV as Python's <c>csv</c> module writes it with <c>QUOTE_MINIMAL</c> and
    /// <c>lineterminator='\n'</c> (what nRF Cloud Utils use), and a strict RFC 4180 reader.
    /// </summary>
    internal static class CsvText
    {
        /// <summary>The field, quoted only when it holds a comma, a quote, CR or LF; quotes doubled.</summary>
        public static string Field(string value)
        {
            if (value.IndexOfAny(new[] { ',', '"', '\r', '\n' }) < 0)
            {
                return value;
            }

            return "\"" + value.Replace("\"", "\"\"") + "\"";
        }

        /// <summary>A record with an LF terminator.</summary>
        public static string Record(params string[] fields)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }

                sb.Append(Field(fields[i]));
            }

            return sb.Append('\n').ToString();
        }

        /// <summary>
        /// Strict RFC 4180 reading (LF or CR LF record ends): a quote may only open a field and,
        /// once closed, must be followed by a comma or the record end; an open quote at the end
        /// of the text is an error. A final record without terminator gets an LF in its raw text.
        /// Throws <see cref="FormatException"/> with the line number.
        /// </summary>
        public static List<CsvRecord> Read(string text)
        {
            var records = new List<CsvRecord>();
            var fields = new List<string>();
            var field = new StringBuilder();
            int i = 0;
            int line = 1;
            int recordStart = 0;
            int recordLine = 1;
            bool fieldStarted = false;
            while (i < text.Length)
            {
                char c = text[i];
                if (c == '"' && field.Length == 0 && !fieldStarted)
                {
                    int openLine = line;
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            throw new FormatException("line " + openLine.ToString(CultureInfo.InvariantCulture) + ": a quoted field is never closed");
                        }

                        char q = text[i];
                        if (q == '"')
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

                        if (q == '\n')
                        {
                            line++;
                        }

                        field.Append(q);
                        i++;
                    }

                    fieldStarted = true;
                    if (i < text.Length && text[i] != ',' && text[i] != '\n' && !(text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
                    {
                        throw new FormatException("line " + line.ToString(CultureInfo.InvariantCulture) + ": text follows a closing quote");
                    }

                    continue;
                }

                if (c == '"')
                {
                    throw new FormatException("line " + line.ToString(CultureInfo.InvariantCulture) + ": a quote inside an unquoted field");
                }

                if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    i++;
                    continue;
                }

                if (c == '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n'))
                {
                    int end = c == '\r' ? i + 2 : i + 1;
                    fields.Add(field.ToString());
                    records.Add(new CsvRecord(fields.ToArray(), text.Substring(recordStart, end - recordStart), recordLine));
                    fields.Clear();
                    field.Clear();
                    fieldStarted = false;
                    i = end;
                    line++;
                    recordStart = i;
                    recordLine = line;
                    continue;
                }

                if (c == '\r')
                {
                    throw new FormatException("line " + line.ToString(CultureInfo.InvariantCulture) + ": a lone CR outside quotes");
                }

                field.Append(c);
                fieldStarted = true;
                i++;
            }

            if (recordStart < text.Length)
            {
                fields.Add(field.ToString());
                records.Add(new CsvRecord(fields.ToArray(), text.Substring(recordStart) + "\n", recordLine));
            }

            return records;
        }
    }
}
