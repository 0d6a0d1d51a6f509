using System.Runtime.Serialization.Json;
using System.Xml;
using System.Xml.Linq;

namespace Nrf91Cmng.Core.Onboarding
{
    /// <summary>
    /// Small JSON glue without a new dependency: writing is by hand (deterministic, ASCII-only
    /// output: every character above 0x7E is escaped), reading goes through
    /// System.Runtime.Serialization.Json's reader into an <see cref="XElement"/> tree, as the
    /// provisioning plan reader does.
    /// </summary>
    internal static class JsonText
    {
        /// <summary>A JSON string literal, quotes included.</summary>
        public static string Quote(string value)
        {
            var sb = new StringBuilder(value.Length + 2);
            sb.Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"':
                        sb.Append("\\\"");
                        break;
                    case '\\':
                        sb.Append("\\\\");
                        break;
                    case '\n':
                        sb.Append("\\n");
                        break;
                    case '\r':
                        sb.Append("\\r");
                        break;
                    case '\t':
                        sb.Append("\\t");
                        break;
                    case '\b':
                        sb.Append("\\b");
                        break;
                    case '\f':
                        sb.Append("\\f");
                        break;
                    default:
                        if (c < 0x20 || c > 0x7E)
                        {
                            sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            sb.Append(c);
                        }

                        break;
                }
            }

            return sb.Append('"').ToString();
        }

        /// <summary>Parses JSON text into the reader's XML form; throws <see cref="XmlException"/> or <see cref="FormatException"/> on bad input.</summary>
        public static XElement Parse(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text.TrimStart('\uFEFF'));
            using (XmlDictionaryReader reader = JsonReaderWriterFactory.CreateJsonReader(bytes, XmlDictionaryReaderQuotas.Max))
            {
                return XElement.Load(reader);
            }
        }

        /// <summary>The JSON type of an element ("object", "array", "string", "number", "boolean", "null").</summary>
        public static string TypeOf(XElement e) => (string?)e.Attribute("type") ?? "string";

        /// <summary>The member name of an element inside an object.</summary>
        public static string NameOf(XElement e) => (string?)e.Attribute("item") ?? e.Name.LocalName;

        /// <summary>The members of an object, by name (case-sensitive, first wins).</summary>
        public static Dictionary<string, XElement> Members(XElement obj)
        {
            var members = new Dictionary<string, XElement>(StringComparer.Ordinal);
            foreach (XElement e in obj.Elements())
            {
                string name = NameOf(e);
                if (!members.ContainsKey(name))
                {
                    members[name] = e;
                }
            }

            return members;
        }
    }

    /// <summary>Writes one JSON object, members in the order added; nested values are pre-rendered JSON.</summary>
    internal sealed class JsonObjectBuilder
    {
        private readonly List<KeyValuePair<string, string>> _members = new List<KeyValuePair<string, string>>();

        public JsonObjectBuilder String(string name, string? value)
        {
            if (value is not null)
            {
                _members.Add(new KeyValuePair<string, string>(name, JsonText.Quote(value)));
            }

            return this;
        }

        public JsonObjectBuilder Number(string name, long value)
        {
            _members.Add(new KeyValuePair<string, string>(name, value.ToString(CultureInfo.InvariantCulture)));
            return this;
        }

        public JsonObjectBuilder Boolean(string name, bool value)
        {
            _members.Add(new KeyValuePair<string, string>(name, value ? "true" : "false"));
            return this;
        }

        public JsonObjectBuilder Raw(string name, string json)
        {
            _members.Add(new KeyValuePair<string, string>(name, json));
            return this;
        }

        /// <summary>On one line: <c>{"a":1,"b":"x"}</c>.</summary>
        public string ToCompact() =>
            "{" + string.Join(",", _members.Select(m => JsonText.Quote(m.Key) + ":" + m.Value)) + "}";

        /// <summary>Indented by two spaces per level; LF line ends; nested values are indented as given.</summary>
        public string ToIndented(int level = 0)
        {
            if (_members.Count == 0)
            {
                return "{}";
            }

            string pad = new string(' ', (level + 1) * 2);
            var sb = new StringBuilder();
            sb.Append("{\n");
            for (int i = 0; i < _members.Count; i++)
            {
                sb.Append(pad).Append(JsonText.Quote(_members[i].Key)).Append(": ").Append(_members[i].Value);
                sb.Append(i + 1 < _members.Count ? ",\n" : "\n");
            }

            return sb.Append(new string(' ', level * 2)).Append('}').ToString();
        }

        /// <summary>An indented array of pre-rendered items.</summary>
        public static string IndentedArray(IReadOnlyList<string> items, int level)
        {
            if (items.Count == 0)
            {
                return "[]";
            }

            string pad = new string(' ', (level + 1) * 2);
            var sb = new StringBuilder("[\n");
            for (int i = 0; i < items.Count; i++)
            {
                sb.Append(pad).Append(items[i]).Append(i + 1 < items.Count ? ",\n" : "\n");
            }

            return sb.Append(new string(' ', level * 2)).Append(']').ToString();
        }
    }
}
