using System.Management.Automation;
using System.Xml.Linq;
using Nrf91Cmng.Tests.Infrastructure;

namespace Nrf91Cmng.Tests.Help;

/// <summary>Help is complete for every exported cmdlet, current with the code, and its examples run against the virtual modem.</summary>
[Collection("Hosted")]
public sealed class HelpTests : IClassFixture<TestCredentials>, IDisposable
{
    private static readonly int[] s_cmeCodes = { 0, 23, 50, 60, 513, 514, 515, 518, 519, 520, 523, 527, 528, 529 };
    private readonly PowerShellHarness _ps = new();
    private readonly TestCredentials _files;

    public HelpTests(TestCredentials files) => _files = files;

    public void Dispose() => _ps.Dispose();

    private static string HelpFile => Path.Combine(Paths.RepoRoot, "src", "Nrf91Cmng", "en-US", "Nrf91Cmng.dll-Help.xml");

    private static string DocsFolder => Path.Combine(Paths.RepoRoot, "docs", "help");

    private static XDocument XmlDocs()
    {
        string file = Directory.GetFiles(Path.Combine(Paths.RepoRoot, "src", "Nrf91Cmng", "bin"), "Nrf91Cmng.xml", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First();
        return XDocument.Load(file);
    }

    private List<CmdletInfo> Cmdlets() => _ps.RunChecked("Get-Command -Module Nrf91Cmng -CommandType Cmdlet").Output.Select(o => (CmdletInfo)o.BaseObject).ToList();

    [Fact]
    public void TheCommittedHelpFileIsCurrent()
    {
        string generated = HelpGenerator.Generate(Cmdlets(), DocsFolder, XmlDocs());
        if (Environment.GetEnvironmentVariable("NRF91CMNG_WRITE_HELP") == "1")
        {
            File.WriteAllText(HelpFile, generated);
        }

        Assert.True(File.Exists(HelpFile) && File.ReadAllText(HelpFile) == generated,
            "src/Nrf91Cmng/en-US/Nrf91Cmng.dll-Help.xml is stale: run NRF91CMNG_WRITE_HELP=1 dotnet test tests/Nrf91Cmng.Tests --filter TheCommittedHelpFileIsCurrent, then rebuild and commit the file.");
    }

    [Trait("Pester", "has complete help for every cmdlet")]
    [Fact]
    public void GetHelpIsCompleteForEveryCmdlet()
    {
        var problems = new List<string>();
        foreach (CmdletInfo cmdlet in Cmdlets())
        {
            PSObject help = _ps.RunChecked($"Get-Help {cmdlet.Name} -Full").Single();
            string synopsis = help.Properties["Synopsis"].Value?.ToString()?.Trim() ?? string.Empty;
            if (synopsis.Length == 0 || synopsis.StartsWith(cmdlet.Name, StringComparison.Ordinal))
            {
                problems.Add(cmdlet.Name + ": no synopsis");
            }

            string description = _ps.RunChecked($"(Get-Help {cmdlet.Name} -Full).description.Text -join ' '").Output.FirstOrDefault()?.ToString() ?? string.Empty;
            if (description.Trim().Length < 40)
            {
                problems.Add(cmdlet.Name + ": no description");
            }

            int examples = (int)_ps.RunChecked($"@((Get-Help {cmdlet.Name} -Full).examples.example).Count").Single().BaseObject;
            if (examples < 2)
            {
                problems.Add(cmdlet.Name + ": " + examples + " example(s), at least 2 needed");
            }

            foreach (string parameter in cmdlet.Parameters.Keys.Where(p => !HelpGenerator.CommonParameters.Contains(p)))
            {
                string text = _ps.RunChecked($"@((Get-Help {cmdlet.Name} -Parameter {parameter}).description.Text) -join ' '").Output.FirstOrDefault()?.ToString() ?? string.Empty;
                if (text.Trim().Length == 0)
                {
                    problems.Add(cmdlet.Name + " -" + parameter + ": not described");
                }
            }

            foreach (string section in new[] { "inputTypes", "returnValues", "relatedLinks" })
            {
                if (_ps.RunChecked($"(Get-Help {cmdlet.Name} -Full).{section}").Output.Count == 0)
                {
                    problems.Add(cmdlet.Name + ": no " + section);
                }
            }
        }

        Assert.True(problems.Count == 0, "Incomplete help:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void EveryExampleRunsAgainstTheVirtualModem()
    {
        string workspace = Path.Combine(_files.Directory, "examples");
        Directory.CreateDirectory(workspace);
        foreach ((string name, string from) in new[]
        {
            ("ca.pem", _files.CaFile), ("AmazonRootCA1.pem", _files.CaFile), ("chain.pem", _files.ChainFile), ("client.pem", _files.ClientFile),
            ("client.key", _files.KeyFile), ("client-encrypted.key", _files.EncryptedKeyFile), ("ca.key", _files.CaKeyFile), ("public.pem", _files.PublicKeyFile),
        })
        {
            File.Copy(from, Path.Combine(workspace, name), overwrite: true);
        }

        File.WriteAllText(Path.Combine(workspace, "plan.csv"), "SecTag,Type,Path\n42,RootCA,ca.pem\n42,ClientCertificate,client.pem\n42,ClientPrivateKey,client.key\n");
        var problems = new List<string>();
        int ran = 0, hardware = 0;
        foreach (string file in Directory.GetFiles(DocsFolder, "*-*.md"))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            foreach ((string title, string code, _) in HelpSource.Parse(name, File.ReadAllText(file)).Examples)
            {
                if (code.Contains("# needs hardware", StringComparison.Ordinal) || !code.Contains("-Simulator", StringComparison.Ordinal) && !code.Contains("Start-ModemSimulator", StringComparison.Ordinal) && !code.Contains("# runs as is", StringComparison.Ordinal))
                {
                    hardware++;
                    continue;
                }

                using var ps = new PowerShellHarness();
                ps.AnswerPromptsYes = true;
                RunResult r = ps.Run("$null = $ExecutionContext.SessionState.Path.SetLocation('" + workspace + "'); $ProgressPreference = 'SilentlyContinue'\n" + System.Text.RegularExpressions.Regex.Replace(code, @"\| *Format-(Table|List)[^\n|]*", "| Out-Default")
                    + "\nGet-ModemSession | Disconnect-Modem; Stop-ModemSimulator -All -Confirm:$false");
                ran++;
                if (r.Errors.Count > 0 && !code.Contains("# shows an error", StringComparison.Ordinal))
                {
                    problems.Add(name + " / " + title + ": " + string.Join("; ", r.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
                }
            }
        }

        Assert.True(problems.Count == 0, "Examples that fail (" + ran + " ran, " + hardware + " need hardware):\n" + string.Join("\n", problems));
        Assert.True(ran >= 30, "Only " + ran + " examples ran against the virtual modem.");
    }

    [Trait("Pester", "has an about topic with every error code")]
    [Fact]
    public void TheAboutTopicCoversTheConceptsAndEveryErrorCode()
    {
        string text = string.Join("\n", _ps.RunChecked("Get-Help about_Nrf91Cmng").Output.Select(o => o.ToString()));
        foreach (string topic in new[] { "SESSIONS", "SEC_TAG", "LINE ENDINGS", "FUNCTIONAL MODE", "FLEET", "VIRTUAL MODEM", "ERROR" })
        {
            Assert.Contains(topic, text, StringComparison.OrdinalIgnoreCase);
        }

        foreach (int code in s_cmeCodes)
        {
            Assert.Contains("ModemCmeError" + code, text, StringComparison.Ordinal);
        }
    }
}
