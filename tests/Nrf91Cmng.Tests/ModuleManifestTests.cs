using System.Management.Automation;
using System.Text.RegularExpressions;
using Nrf91Cmng.Tests.Infrastructure;

namespace Nrf91Cmng.Tests;

/// <summary>The built module imports by its manifest, exports exactly its cmdlets and loads its engine in isolation.</summary>
[Collection("Hosted")]
public sealed class ModuleManifestTests : IDisposable
{
    private readonly PowerShellHarness _ps = new();

    public void Dispose() => _ps.Dispose();

    [Trait("Pester", "passes Test-ModuleManifest")]
    [Fact]
    public void TestModuleManifestPasses()
    {
        RunResult r = _ps.RunChecked($"Test-ModuleManifest -Path '{Paths.ModuleManifest}'");
        Assert.Equal("Nrf91Cmng", r.Property<string>(0, "Name"));
    }

    [Trait("Pester", "exports exactly the cmdlets the manifest lists")]
    [Fact]
    public void ExportsExactlyTheCmdletsTheManifestLists()
    {
        string manifest = File.ReadAllText(Paths.ModuleManifest);
        string block = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\((?<list>[^)]*)\)").Groups["list"].Value;
        var listed = Regex.Matches(block, "'([^']+)'").Select(m => m.Groups[1].Value).OrderBy(s => s).ToArray();

        RunResult r = _ps.RunChecked("(Get-Command -Module Nrf91Cmng).Name");
        var exported = r.Output.Select(o => o.ToString()).OrderBy(s => s).ToArray();
        Assert.Equal(listed, exported);

        RunResult cmdlets = _ps.RunChecked("[System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Nrf91Cmng' } | ForEach-Object { $_.GetExportedTypes() } | Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } | ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; $a.VerbName + '-' + $a.NounName }");
        Assert.Equal(listed, cmdlets.Output.Select(o => o.ToString()).OrderBy(s => s).ToArray());
    }

    [Fact]
    public void ManifestHasNoWildcardExportsAndSupportsBothEditions()
    {
        RunResult r = _ps.RunChecked($"[System.Management.Automation.Language.Parser]::ParseFile('{Paths.ModuleManifest}', [ref]$null, [ref]$null).Find({{ $args[0] -is [System.Management.Automation.Language.HashtableAst] }}, $false).SafeGetValue()");
        var data = (System.Collections.Hashtable)r.Single().BaseObject;
        Assert.Empty((object[])data["FunctionsToExport"]!);
        Assert.Empty((object[])data["AliasesToExport"]!);
        Assert.Empty((object[])data["VariablesToExport"]!);
        Assert.Equal(new[] { "Desktop", "Core" }, ((object[])data["CompatiblePSEditions"]!).Cast<string>());
        Assert.Equal("5.1", data["PowerShellVersion"]);
        Assert.Equal("Nrf91Cmng.dll", data["RootModule"]);
    }

    [Fact]
    public void ManifestVersionEqualsAssemblyVersions()
    {
        LoadEngine();
        RunResult r = _ps.RunChecked("$m = Get-Module Nrf91Cmng; $m.Version.ToString(); [Nrf91Cmng.ModemSession].Assembly.GetName().Version.ToString(3)");
        Assert.Equal(r.Output[0].ToString(), r.Output[1].ToString());
        RunResult core = _ps.RunChecked("[System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Nrf91Cmng.Core' } | ForEach-Object { $_.GetName().Version.ToString(3) }");
        Assert.Equal(r.Output[0].ToString(), Assert.Single(core.Output).ToString());
    }

    [Fact]
    public void EngineAndBouncyCastleLoadInTheModulesOwnLoadContext()
    {
        LoadEngine();
        RunResult r = _ps.RunChecked(@"
            [System.AppDomain]::CurrentDomain.GetAssemblies() |
                Where-Object { $_.GetName().Name -in 'Nrf91Cmng.Core', 'BouncyCastle.Cryptography', 'System.Formats.Cbor', 'Nrf91Cmng' } |
                ForEach-Object { $_.GetName().Name + '=' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }");
        var contexts = r.Output.Select(o => o.ToString()).ToList();
        Assert.Contains("Nrf91Cmng.Core=Nrf91Cmng", contexts);
        Assert.Contains("Nrf91Cmng=Default", contexts);
    }

    /// <summary>The engine loads on first use: a failed connection is use enough.</summary>
    private void LoadEngine() =>
        _ps.RunChecked("try { Connect-Modem -Uri tcp://127.0.0.1:1 -TimeoutSeconds 0.5 -ErrorAction Stop } catch { }");

    [Fact]
    public void PublicTypesResolveByNameInScripts()
    {
        RunResult r = _ps.RunChecked("[Nrf91Cmng.ModemSession].FullName; [Nrf91Cmng.FunctionalMode]::Offline.value__");
        Assert.Equal("Nrf91Cmng.ModemSession", r.Output[0].ToString());
        Assert.Equal("4", r.Output[1].ToString());
    }

    [Fact]
    public void DeviceCmdletWithoutSessionFailsWithObjectNotFound()
    {
        RunResult r = _ps.Run("Get-ModemInfo");
        ErrorRecord error = Assert.Single(r.Errors);
        Assert.Equal("ModemNoSession,Nrf91Cmng.Commands.GetModemInfoCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Connect-Modem", error.ErrorDetails.RecommendedAction);
    }
}
