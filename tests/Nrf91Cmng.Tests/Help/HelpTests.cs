using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Xml.Linq;

namespace Nrf91Cmng.Tests.Help;

/// <summary>
/// The committed help file (src/Nrf91Cmng/en-US/Nrf91Cmng.dll-Help.xml) is what HelpGenerator makes
/// from the cmdlets, their XML documentation and docs/help, so it cannot go stale. What Get-Help shows
/// a user (completeness, the about topic, runnable examples) is checked in real pwsh by
/// tests/Pester/Help.Tests.ps1.
/// </summary>
public sealed class HelpTests
{
    private static string Metadata(string key) =>
        typeof(HelpTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string RepoRoot => Metadata("RepoRoot");

    private static string ModuleManifest => Metadata("ModuleManifest");

    private static string HelpFile => Path.Combine(RepoRoot, "src", "Nrf91Cmng", "en-US", "Nrf91Cmng.dll-Help.xml");

    private static string DocsFolder => Path.Combine(RepoRoot, "docs", "help");

    private static XDocument XmlDocs()
    {
        string file = Directory.GetFiles(Path.Combine(RepoRoot, "src", "Nrf91Cmng", "bin"), "Nrf91Cmng.xml", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc).First();
        return XDocument.Load(file);
    }

    [Fact]
    public void TheCommittedHelpFileIsCurrent()
    {
        using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddCommand("Import-Module").AddParameter("Name", ModuleManifest).AddParameter("ErrorAction", "Stop").AddStatement()
            .AddCommand("Get-Command").AddParameter("Module", "Nrf91Cmng").AddParameter("CommandType", CommandTypes.Cmdlet);
        List<CmdletInfo> cmdlets = ps.Invoke().Select(o => (CmdletInfo)o.BaseObject).ToList();
        Assert.NotEmpty(cmdlets);

        string generated = HelpGenerator.Generate(cmdlets, DocsFolder, XmlDocs());
        if (Environment.GetEnvironmentVariable("NRF91CMNG_WRITE_HELP") == "1")
        {
            File.WriteAllText(HelpFile, generated);
        }

        Assert.True(File.Exists(HelpFile) && File.ReadAllText(HelpFile) == generated,
            "src/Nrf91Cmng/en-US/Nrf91Cmng.dll-Help.xml is stale: run NRF91CMNG_WRITE_HELP=1 dotnet test tests/Nrf91Cmng.Tests --filter TheCommittedHelpFileIsCurrent, then rebuild and commit the file.");
    }
}
