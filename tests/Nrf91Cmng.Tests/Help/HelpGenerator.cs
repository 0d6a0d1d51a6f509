using System.Management.Automation;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Nrf91Cmng.Tests.Help;

/// <summary>One cmdlet's hand-written help: docs/help/&lt;Verb-Noun&gt;.md.</summary>
public sealed class HelpSource
{
    public required string Name { get; init; }

    public string? Synopsis { get; init; }

    public required string Description { get; init; }

    public required IReadOnlyList<(string Title, string Code, string Remarks)> Examples { get; init; }

    public string Notes { get; init; } = string.Empty;

    public required IReadOnlyList<string> Links { get; init; }

    public static HelpSource Parse(string name, string markdown)
    {
        Dictionary<string, string> sections = Regex.Split(markdown.Replace("\r\n", "\n"), "^## ", RegexOptions.Multiline)
            .Skip(1)
            .Select(s => (Head: s[..s.IndexOf('\n')].Trim().ToUpperInvariant(), Body: s[(s.IndexOf('\n') + 1)..].Trim()))
            .ToDictionary(s => s.Head, s => s.Body);
        var examples = new List<(string, string, string)>();
        if (sections.TryGetValue("EXAMPLES", out string? exampleText))
        {
            foreach (string block in Regex.Split(exampleText, "^### ", RegexOptions.Multiline).Skip(1))
            {
                string title = block[..block.IndexOf('\n')].Trim();
                Match code = Regex.Match(block, "```powershell\n(?<code>.*?)\n```", RegexOptions.Singleline);
                string remarks = block[(code.Index + code.Length)..].Trim();
                examples.Add((title, code.Groups["code"].Value, remarks));
            }
        }

        return new HelpSource
        {
            Name = name,
            Synopsis = sections.GetValueOrDefault("SYNOPSIS"),
            Description = sections.GetValueOrDefault("DESCRIPTION") ?? string.Empty,
            Examples = examples,
            Notes = sections.GetValueOrDefault("NOTES") ?? string.Empty,
            Links = (sections.GetValueOrDefault("RELATED LINKS") ?? string.Empty).Split('\n').Select(l => l.Trim().TrimStart('-', '*').Trim()).Where(l => l.Length > 0).ToList(),
        };
    }
}

/// <summary>
/// Builds the MAML help file (en-US/Nrf91Cmng.dll-Help.xml) from the cmdlets themselves (parameter
/// sets, types, positions, pipeline input, aliases: reflected, so they cannot drift), their XML
/// documentation summaries (synopsis and parameter descriptions) and docs/help/*.md (description,
/// examples, notes, links). The file is committed, as ThreadJob does, and a test fails when it is
/// stale; set NRF91CMNG_WRITE_HELP=1 and run the tests to regenerate it.
/// </summary>
public static class HelpGenerator
{
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly HashSet<string> s_common = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };

    public static IReadOnlySet<string> CommonParameters => s_common;

    public static string Generate(IEnumerable<CmdletInfo> cmdlets, string docsFolder, XDocument xmlDocs)
    {
        XNamespace maml = Maml, command = Command, dev = Dev;
        var root = new XElement("helpItems", new XAttribute("schema", "maml"),
            new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command), new XAttribute(XNamespace.Xmlns + "dev", Dev));
        foreach (CmdletInfo cmdlet in cmdlets.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            string file = Path.Combine(docsFolder, cmdlet.Name + ".md");
            HelpSource source = File.Exists(file) ? HelpSource.Parse(cmdlet.Name, File.ReadAllText(file))
                : new HelpSource { Name = cmdlet.Name, Description = string.Empty, Examples = Array.Empty<(string, string, string)>(), Links = Array.Empty<string>() };
            string synopsis = source.Synopsis ?? Synopsis(xmlDocs, cmdlet.ImplementingType);
            List<ParameterMetadataView> parameters = Parameters(cmdlet, xmlDocs);

            var element = new XElement(command + "command",
                new XElement(command + "details",
                    new XElement(command + "name", cmdlet.Name),
                    new XElement(maml + "description", Paragraphs(maml, synopsis)),
                    new XElement(command + "verb", cmdlet.Verb),
                    new XElement(command + "noun", cmdlet.Noun)),
                new XElement(maml + "description", Paragraphs(maml, source.Description)),
                new XElement(command + "syntax", cmdlet.ParameterSets.Select(set =>
                    new XElement(command + "syntaxItem",
                        new XElement(maml + "name", cmdlet.Name),
                        set.Parameters.Where(p => !s_common.Contains(p.Name)).Select(p => ParameterElement(parameters.First(x => x.Name == p.Name), p, maml, command, dev))))),
                new XElement(command + "parameters", parameters.Select(p => ParameterElement(p, null, maml, command, dev))),
                new XElement(command + "inputTypes", InputTypes(cmdlet, parameters).Select(t =>
                    new XElement(command + "inputType", new XElement(dev + "type", new XElement(maml + "name", t.Type)), new XElement(maml + "description", Paragraphs(maml, t.Why))))),
                new XElement(command + "returnValues", cmdlet.OutputType.DefaultIfEmpty().Where(o => o is not null).Select(o =>
                    new XElement(command + "returnValue", new XElement(dev + "type", new XElement(maml + "name", o!.Name)),
                        new XElement(maml + "description", Paragraphs(maml, Summary(xmlDocs, "T:" + o.Name) ?? string.Empty))))),
                new XElement(maml + "alertSet", new XElement(maml + "alert", Paragraphs(maml, source.Notes))),
                new XElement(command + "examples", source.Examples.Select((e, i) =>
                    new XElement(command + "example",
                        new XElement(maml + "title", "-------------------------- Example " + (i + 1) + ": " + e.Title + " --------------------------"),
                        new XElement(dev + "code", e.Code),
                        new XElement(dev + "remarks", Paragraphs(maml, e.Remarks))))),
                new XElement(command + "relatedLinks", source.Links.Select(l =>
                    new XElement(maml + "navigationLink", new XElement(maml + "linkText", l), new XElement(maml + "uri", l.StartsWith("http", StringComparison.Ordinal) ? l : string.Empty)))));
            root.Add(element);
        }

        var settings = new XmlWriterSettings { Indent = true, NewLineChars = "\n", Encoding = new UTF8Encoding(false) };
        using var stream = new MemoryStream();
        using (XmlWriter writer = XmlWriter.Create(stream, settings))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static string? Summary(XDocument xmlDocs, string member)
    {
        XElement? summary = xmlDocs.Root?.Element("members")?.Elements("member").FirstOrDefault(m => (string?)m.Attribute("name") == member)?.Element("summary");
        if (summary is null)
        {
            return null;
        }

        XElement? para = summary.Elements("para").FirstOrDefault(p => (string?)p.Attribute("type") == "synopsis");
        string text = string.Concat((para ?? summary).Nodes().Select(n => n is XElement e ? (string?)e.Attribute("cref")?.Value.Split('.').Last() ?? e.Value : n.ToString()));
        return Regex.Replace(System.Net.WebUtility.HtmlDecode(text), @"\s+", " ").Trim();
    }

    private static string Synopsis(XDocument xmlDocs, Type type) => Summary(xmlDocs, "T:" + type.FullName) ?? string.Empty;

    private static IEnumerable<XElement> Paragraphs(XNamespace maml, string text) =>
        Regex.Split(text.Replace("\r\n", "\n").Trim(), "\n\\s*\n").Where(p => p.Trim().Length > 0)
            .Select(p => new XElement(maml + "para", Regex.Replace(p.Trim(), "\n(?![-*] )", " ")));

    private static XElement ParameterElement(ParameterMetadataView p, CommandParameterInfo? inSet, XNamespace maml, XNamespace command, XNamespace dev)
    {
        bool required = inSet?.IsMandatory ?? p.Required;
        int position = inSet?.Position ?? p.Position;
        bool byValue = inSet?.ValueFromPipeline ?? p.ByValue;
        bool byName = inSet?.ValueFromPipelineByPropertyName ?? p.ByName;
        string pipeline = byValue && byName ? "True (ByValue, ByPropertyName)" : byValue ? "True (ByValue)" : byName ? "True (ByPropertyName)" : "False";
        return new XElement(command + "parameter",
            new XAttribute("required", required ? "true" : "false"),
            new XAttribute("variableLength", p.Type.IsArray ? "true" : "false"),
            new XAttribute("globbing", "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", position < 0 ? "named" : position.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new XAttribute("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases)),
            new XElement(maml + "name", p.Name),
            new XElement(maml + "description", new XElement(maml + "para", p.Description)),
            p.ValidValues.Count == 0 ? null : new XElement(command + "parameterValueGroup", p.ValidValues.Select(v => new XElement(command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))),
            new XElement(command + "parameterValue", new XAttribute("required", p.Type == typeof(SwitchParameter) ? "false" : "true"), new XAttribute("variableLength", p.Type.IsArray ? "true" : "false"), TypeName(p.Type)),
            new XElement(dev + "type", new XElement(maml + "name", TypeName(p.Type))),
            new XElement(dev + "defaultValue", "None"));
    }

    private static string TypeName(Type t) => t == typeof(SwitchParameter) ? "SwitchParameter" : t.IsArray ? TypeName(t.GetElementType()!) + "[]" : Nullable.GetUnderlyingType(t) is Type u ? u.Name : t.Name;

    private static List<ParameterMetadataView> Parameters(CmdletInfo cmdlet, XDocument xmlDocs)
    {
        var list = new List<ParameterMetadataView>();
        foreach (ParameterMetadata p in cmdlet.Parameters.Values.Where(p => !s_common.Contains(p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            PropertyInfo? property = cmdlet.ImplementingType.GetProperty(p.Name, BindingFlags.Public | BindingFlags.Instance);
            string? description = property is null ? null : Summary(xmlDocs, "P:" + property.DeclaringType!.FullName + "." + property.Name);
            ParameterSetMetadata first = p.ParameterSets.Values.First();
            list.Add(new ParameterMetadataView
            {
                Name = p.Name,
                Type = p.ParameterType,
                Description = description ?? string.Empty,
                Required = p.ParameterSets.Values.All(s => s.IsMandatory),
                Position = first.Position == int.MinValue ? -1 : first.Position,
                ByValue = p.ParameterSets.Values.Any(s => s.ValueFromPipeline),
                ByName = p.ParameterSets.Values.Any(s => s.ValueFromPipelineByPropertyName),
                Aliases = p.Aliases.ToList(),
                ValidValues = p.Attributes.OfType<ValidateSetAttribute>().SelectMany(v => v.ValidValues).ToList(),
            });
        }

        return list;
    }

    private static IEnumerable<(string Type, string Why)> InputTypes(CmdletInfo cmdlet, List<ParameterMetadataView> parameters)
    {
        var byValue = parameters.Where(p => p.ByValue).Select(p => (TypeName(p.Type).TrimEnd('[', ']'), "Bound to -" + p.Name + " from the pipeline.")).ToList();
        var byName = parameters.Where(p => p.ByName && !p.ByValue).Select(p => p.Name).ToList();
        if (byName.Count > 0)
        {
            byValue.Add(("System.Management.Automation.PSObject", "Objects with the properties " + string.Join(", ", byName) + " (Import-Csv rows, output of other Nrf91Cmng cmdlets) bind by property name."));
        }

        return byValue.Count > 0 ? byValue : new[] { ("None", "This cmdlet takes no pipeline input.") };
    }

    private sealed class ParameterMetadataView
    {
        public required string Name { get; init; }

        public required Type Type { get; init; }

        public required string Description { get; init; }

        public bool Required { get; init; }

        public int Position { get; init; }

        public bool ByValue { get; init; }

        public bool ByName { get; init; }

        public required List<string> Aliases { get; init; }

        public required List<string> ValidValues { get; init; }
    }
}
