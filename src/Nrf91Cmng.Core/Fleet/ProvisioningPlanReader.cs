using System.Xml;
using System.Xml.Linq;
using Nrf91Cmng.Core.Onboarding;

namespace Nrf91Cmng.Core.Fleet
{
    /// <summary>
    /// Reads provisioning plans: CSV (header row; columns SecTag, Type, Path, Content, Generate,
    /// CACertificate, CAKey, Subject, ValidityDays), JSON (an array of such objects, or
    /// <c>{ "Entries": [...] }</c>) and rows already parsed (psd1 hashtables, pipeline objects).
    /// </summary>
    public static class ProvisioningPlanReader
    {
        private static readonly string[] s_columns = { "SecTag", "Type", "Path", "Content", "Generate", "CACertificate", "CAKey", "Subject", "ValidityDays" };

        /// <summary>Reads a .csv or .json file into rows.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.PlanInvalid"/>.</exception>
        public static IReadOnlyList<IDictionary<string, string?>> ReadRows(string file)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Invalid(file, "it cannot be read: " + ex.Message, ex);
            }

            string extension = System.IO.Path.GetExtension(file).ToUpperInvariant();
            return extension == ".JSON" ? ParseJson(text, file) : ParseCsv(text, file);
        }

        /// <summary>Turns rows into entries; relative paths are resolved against <paramref name="baseDirectory"/>.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.PlanInvalid"/>.</exception>
        public static IReadOnlyList<PlanEntry> ToEntries(IReadOnlyList<IDictionary<string, string?>> rows, string baseDirectory, string source)
        {
            var problems = new List<string>();
            IReadOnlyList<PlanEntry> entries = ToEntries(rows, baseDirectory, source, problems);
            ThrowIfAny(problems, null);
            return entries;
        }

        /// <summary>
        /// As <see cref="ToEntries(IReadOnlyList{IDictionary{string, string}}, string, string)"/>, but adds what is
        /// wrong to <paramref name="problems"/> instead of throwing, and returns the entries that are valid, so that
        /// later checks of the same plan can name their problems in the same error (<see cref="ThrowIfAny"/>).
        /// </summary>
        public static IReadOnlyList<PlanEntry> ToEntries(IReadOnlyList<IDictionary<string, string?>> rows, string baseDirectory, string source, List<string> problems)
        {
            if (problems is null)
            {
                throw new ArgumentNullException(nameof(problems));
            }

            var entries = new List<PlanEntry>();
            for (int i = 0; i < rows.Count; i++)
            {
                string where = source + " entry " + (i + 1).ToString(CultureInfo.InvariantCulture);
                try
                {
                    entries.Add(ToEntry(rows[i], baseDirectory, where));
                }
                catch (ModemException ex) when (ex.ErrorId == ErrorIds.PlanInvalid)
                {
                    problems.Add(((PlanProblem)ex.Data[PlanProblemKey]!).Text);
                }
                catch (ModemException ex)
                {
                    problems.Add(where + ": " + ex.Message);
                }
            }

            var duplicate = entries.GroupBy(e => (e.SecTag, e.Type)).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                problems.Add(source + ": it lists the " + duplicate.First().Target + " twice (" + string.Join(", ", duplicate.Select(e => e.Source)) + ")");
            }

            if (rows.Count == 0)
            {
                problems.Add(source + ": it has no entries");
            }

            return entries;
        }

        /// <summary>
        /// One <see cref="ErrorIds.PlanInvalid"/> error naming every problem of a plan, or nothing when there is
        /// none. A single problem that has its own error (<paramref name="single"/>) keeps it.
        /// </summary>
        public static void ThrowIfAny(IReadOnlyList<string> problems, ModemException? single)
        {
            if (problems.Count == 1)
            {
                throw single ?? Invalid(problems[0], null);
            }

            if (problems.Count > 1)
            {
                throw new ModemException(ErrorIds.PlanInvalid, ModemErrorCategory.InvalidData,
                    "The provisioning plan is not valid (" + problems.Count.ToString(CultureInfo.InvariantCulture) + " problems). Nothing was sent to any modem." + Environment.NewLine
                    + "  " + string.Join(Environment.NewLine + "  ", problems),
                    PlanRemedy);
            }
        }

        private static PlanEntry ToEntry(IDictionary<string, string?> row, string baseDirectory, string where)
        {
            string? unknown = row.Keys.FirstOrDefault(k => !s_columns.Contains(k, StringComparer.OrdinalIgnoreCase));
            if (unknown is not null)
            {
                throw Invalid(where, "it has a column '" + unknown + "' that plans do not know", null);
            }

            string? Get(string name) => row.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value is string v && v.Trim().Length > 0 ? v.Trim() : null;
            var entry = new PlanEntry { Source = where };
            if (!uint.TryParse(Get("SecTag"), NumberStyles.None, CultureInfo.InvariantCulture, out uint tag))
            {
                throw Invalid(where, "SecTag '" + Get("SecTag") + "' is not a sec_tag you can write: a whole number from 0 to 2147483647 (on nRF91x1 also the TLS-decrypt tags 2147483648-2147483667)", null);
            }

            entry.SecTag = tag;
            entry.Generate = Get("Generate") is string g && (g.Equals("true", StringComparison.OrdinalIgnoreCase) || g == "1" || g.Equals("yes", StringComparison.OrdinalIgnoreCase) || g.Equals("$true", StringComparison.OrdinalIgnoreCase));
            string? type = Get("Type");
            if (type is null && entry.Generate)
            {
                entry.Type = CredentialType.ClientCertificate;
            }
            else if (!CredentialRules.TryParse(type, out CredentialType parsed))
            {
                throw Invalid(where, "Type '" + type + "' is not a credential type you can write (RootCA, ClientCertificate, ClientPrivateKey, Psk, PskIdentity, their numbers 0-4, or CA, Cert, Key, PskId)", null);
            }
            else
            {
                entry.Type = parsed;
            }

            entry.Content = row.FirstOrDefault(p => string.Equals(p.Key, "Content", StringComparison.OrdinalIgnoreCase)).Value is string c && c.Length > 0 ? c : null;
            entry.Path = Resolve(Get("Path"), baseDirectory);
            entry.CACertificate = Resolve(Get("CACertificate"), baseDirectory);
            entry.CAKey = Resolve(Get("CAKey"), baseDirectory);
            entry.Subject = Get("Subject");
            if (Get("ValidityDays") is string days)
            {
                if (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out int d) || d < 1 || d > Crypto.CertificateIssuer.MaxValidityDays)
                {
                    throw Invalid(where, "ValidityDays '" + days + "' is not a number of days from 1 to 36500", null);
                }

                entry.ValidityDays = d;
            }

            int sources = (entry.Path is null ? 0 : 1) + (entry.Content is null ? 0 : 1) + (entry.Generate ? 1 : 0);
            if (sources != 1)
            {
                throw Invalid(where, sources == 0 ? "it has none of Path, Content or Generate" : "it has more than one of Path, Content and Generate", null);
            }

            if (entry.Generate && (entry.CACertificate is null || entry.CAKey is null))
            {
                throw Invalid(where, "a Generate entry needs CACertificate and CAKey to sign the modem's CSR", null);
            }

            if (entry.Generate && entry.Type != CredentialType.ClientCertificate)
            {
                throw Invalid(where, "a Generate entry produces a ClientPrivateKey in the modem and writes its ClientCertificate; leave Type empty or ClientCertificate", null);
            }

            // The modem is not known yet: the nRF91x1 TLS-decrypt tags pass here and are checked per modem.
            CredentialRules.EnsureWritable(entry.SecTag, entry.Type, isNrf91x1: true);
            return entry;
        }

        /// <summary>RFC 4180 CSV with a header row.</summary>
        public static IReadOnlyList<IDictionary<string, string?>> ParseCsv(string text, string source)
        {
            List<List<string>> records = CsvRecords(text);
            records.RemoveAll(r => r.Count == 1 && r[0].Trim().Length == 0);
            if (records.Count == 0)
            {
                throw Invalid(source, "it is empty", null);
            }

            List<string> header = records[0].Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
            var rows = new List<IDictionary<string, string?>>();
            for (int r = 1; r < records.Count; r++)
            {
                if (records[r].Count > header.Count)
                {
                    throw Invalid(source, "row " + (r + 1).ToString(CultureInfo.InvariantCulture) + " has more fields than the header", null);
                }

                var row = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                for (int c = 0; c < header.Count; c++)
                {
                    row[header[c]] = c < records[r].Count ? records[r][c] : null;
                }

                rows.Add(row);
            }

            return rows;
        }

        /// <summary>A JSON array of objects, or an object with an Entries array (System.Runtime.Serialization.Json reader: no extra dependency).</summary>
        public static IReadOnlyList<IDictionary<string, string?>> ParseJson(string text, string source)
        {
            XElement root;
            try
            {
                root = JsonText.Parse(text);
            }
            catch (XmlException ex)
            {
                throw Invalid(source, "it is not valid JSON: " + ex.Message, ex);
            }

            XElement array = JsonText.TypeOf(root) == "array" ? root
                : root.Elements().FirstOrDefault(e => string.Equals(JsonText.NameOf(e), "Entries", StringComparison.OrdinalIgnoreCase) && JsonText.TypeOf(e) == "array")
                  ?? throw Invalid(source, "it is neither an array of entries nor an object with an \"Entries\" array", null);
            var rows = new List<IDictionary<string, string?>>();
            foreach (XElement item in array.Elements())
            {
                if (JsonText.TypeOf(item) != "object")
                {
                    throw Invalid(source, "entry " + (rows.Count + 1).ToString(CultureInfo.InvariantCulture) + " is not an object", null);
                }

                var row = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                foreach (XElement field in item.Elements())
                {
                    row[JsonText.NameOf(field)] = JsonText.TypeOf(field) == "null" ? null : field.Value;
                }

                rows.Add(row);
            }

            return rows;
        }

        private static List<List<string>> CsvRecords(string text)
        {
            var records = new List<List<string>>();
            var record = new List<string>();
            var field = new StringBuilder();
            bool quoted = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        field.Append(c);
                    }
                }
                else if (c == '"' && field.Length == 0)
                {
                    quoted = true;
                }
                else if (c == ',')
                {
                    record.Add(field.ToString());
                    field.Clear();
                }
                else if (c == '\r' || c == '\n')
                {
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    record.Add(field.ToString());
                    field.Clear();
                    records.Add(record);
                    record = new List<string>();
                }
                else
                {
                    field.Append(c);
                }
            }

            if (field.Length > 0 || record.Count > 0)
            {
                record.Add(field.ToString());
                records.Add(record);
            }

            return records;
        }

        private static string? Resolve(string? path, string baseDirectory) =>
            path is null ? null : System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDirectory, path));

        private const string PlanProblemKey = "Nrf91Cmng.PlanProblem";

        private const string PlanRemedy = "Fix the plan (columns SecTag, Type and one of Path, Content or Generate; see docs/provisioning-plan.md) and run again.";

        private static ModemException Invalid(string where, string why, Exception? inner) => Invalid(where + ": " + why, inner);

        private static ModemException Invalid(string problem, Exception? inner)
        {
            var error = new ModemException(ErrorIds.PlanInvalid, ModemErrorCategory.InvalidData,
                "The provisioning plan is not valid: " + problem + ". Nothing was sent to any modem.", PlanRemedy, inner);
            error.Data[PlanProblemKey] = new PlanProblem(problem);
            return error;
        }

        private sealed class PlanProblem
        {
            public PlanProblem(string text) => Text = text;

            public string Text { get; }
        }
    }
}
