using System.Xml;
using System.Xml.Linq;

namespace Nrf91Cmng.Core.Onboarding
{
    // Reading the files a run appends to: nRF Cloud and claim CSV, AWS JSON lines, Azure DPS enrollments.
    public static partial class OnboardingWriter
    {
        private static IEnumerable<Row> ReadExisting(string name, byte[] bytes, OnboardingFormat format, List<string> warnings)
        {
            string text;
            try
            {
                int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
                text = new UTF8Encoding(false, true).GetString(bytes, start, bytes.Length - start);
            }
            catch (DecoderFallbackException ex)
            {
                throw FileInvalid(name, "it is not UTF-8 text", ex);
            }

            if (text.Any(c => c > 0x7E && c != '\uFEFF'))
            {
                throw FileInvalid(name, "it holds non-ASCII characters", null);
            }

            switch (format)
            {
                case OnboardingFormat.NrfCloud:
                case OnboardingFormat.NrfCloudClaim:
                    return ReadCsv(name, text, format, warnings);
                case OnboardingFormat.AwsIot:
                    return ReadJsonLines(name, text, warnings);
                default:
                    return ReadAzure(name, text);
            }
        }

        private static List<Row> ReadCsv(string name, string text, OnboardingFormat format, List<string> warnings)
        {
            List<CsvRecord> records;
            try
            {
                records = CsvText.Read(text);
            }
            catch (FormatException ex)
            {
                throw FileInvalid(name, "it is not valid CSV (" + ex.Message + ")", ex);
            }

            int expected = format == OnboardingFormat.NrfCloud ? 5 : 4;
            int keyColumn = format == OnboardingFormat.NrfCloud ? 0 : 1;
            var rows = new List<Row>();
            bool blank = false;
            bool crlf = false;
            foreach (CsvRecord r in records)
            {
                if (r.Fields.Count == 1 && r.Fields[0].Length == 0)
                {
                    blank = true;
                    continue;
                }

                if (r.Fields.Count != expected)
                {
                    throw FileInvalid(name, "the row at line " + r.Line.ToString(CultureInfo.InvariantCulture) + " has " + r.Fields.Count.ToString(CultureInfo.InvariantCulture) +
                        " fields instead of " + expected.ToString(CultureInfo.InvariantCulture) +
                        (format == OnboardingFormat.NrfCloud ? " (device ID, sub type, tags, firmware types, certificate)" : " (IMEI, UUID, token, timestamp)"), null);
                }

                string key = r.Fields[keyColumn];
                if (key.Length == 0)
                {
                    throw FileInvalid(name, "the row at line " + r.Line.ToString(CultureInfo.InvariantCulture) + " has an empty " + (format == OnboardingFormat.NrfCloud ? "device ID" : "UUID"), null);
                }

                crlf |= r.Raw.EndsWith("\r\n", StringComparison.Ordinal);
                string raw = r.Raw.EndsWith("\r\n", StringComparison.Ordinal) ? r.Raw.Substring(0, r.Raw.Length - 2) + "\n" : r.Raw;
                rows.Add(new Row(key, raw, name));
            }

            if (blank)
            {
                warnings.Add(name + " had blank lines; they were removed (nRF Cloud Utils fail on them).");
            }

            if (crlf)
            {
                warnings.Add(name + " had CR LF row ends; rewritten rows end in LF as nRF Cloud Utils write them.");
            }

            return rows;
        }

        private static List<Row> ReadJsonLines(string name, string text, List<string> warnings)
        {
            var rows = new List<Row>();
            string[] lines = text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].TrimEnd('\r');
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                XElement obj;
                try
                {
                    obj = JsonText.Parse(line);
                }
                catch (Exception ex) when (ex is XmlException || ex is FormatException)
                {
                    throw FileInvalid(name, "line " + (i + 1).ToString(CultureInfo.InvariantCulture) + " is not a JSON object (" + ex.Message + ")", ex);
                }

                Dictionary<string, XElement> m = JsonText.TypeOf(obj) == "object" ? JsonText.Members(obj) : new Dictionary<string, XElement>();
                if (!m.TryGetValue("ThingName", out XElement? thing) || JsonText.TypeOf(thing) != "string" || thing.Value.Length == 0)
                {
                    throw FileInvalid(name, "line " + (i + 1).ToString(CultureInfo.InvariantCulture) + " has no \"ThingName\"", null);
                }

                rows.Add(new Row(thing.Value, line + "\n", name));
            }

            return rows;
        }

        private static List<Row> ReadAzure(string name, string text)
        {
            XElement root;
            try
            {
                root = JsonText.Parse(text);
            }
            catch (Exception ex) when (ex is XmlException || ex is FormatException)
            {
                throw FileInvalid(name, "it is not valid JSON (" + ex.Message + ")", ex);
            }

            Dictionary<string, XElement> m = JsonText.TypeOf(root) == "object" ? JsonText.Members(root) : new Dictionary<string, XElement>();
            if (!m.TryGetValue("enrollments", out XElement? list) || JsonText.TypeOf(list) != "array")
            {
                throw FileInvalid(name, "it is not a DPS bulk enrollment operation (no \"enrollments\" array)", null);
            }

            var rows = new List<Row>();
            int index = 0;
            foreach (XElement e in list.Elements())
            {
                index++;
                Dictionary<string, XElement> f = JsonText.TypeOf(e) == "object" ? JsonText.Members(e) : new Dictionary<string, XElement>();
                string? id = f.TryGetValue("registrationId", out XElement? r) && JsonText.TypeOf(r) == "string" ? r.Value : null;
                string? deviceId = f.TryGetValue("deviceId", out XElement? d) && JsonText.TypeOf(d) == "string" ? d.Value : null;
                string? cert = f.TryGetValue("attestation", out XElement? a)
                    ? a.Elements().FirstOrDefault(x => JsonText.NameOf(x) == "x509")?.Elements().FirstOrDefault(x => JsonText.NameOf(x) == "clientCertificates")
                        ?.Elements().FirstOrDefault(x => JsonText.NameOf(x) == "primary")?.Elements().FirstOrDefault(x => JsonText.NameOf(x) == "certificate")?.Value
                    : null;
                if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(cert))
                {
                    throw FileInvalid(name, "enrollment " + index.ToString(CultureInfo.InvariantCulture) + " is not an X.509 individual enrollment with a registrationId and a primary certificate", null);
                }

                rows.Add(new Row(id!, AzureEnrollment(id!, deviceId, cert!), name));
            }

            return rows;
        }
    }
}
