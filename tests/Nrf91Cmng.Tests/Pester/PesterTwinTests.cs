using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using Nrf91Cmng.Tests.Infrastructure;

namespace Nrf91Cmng.Tests.Pester;

/// <summary>
/// The Pester suite (tests/Pester) cannot run here; every It in it has a twin here, marked
/// [Trait("Pester", "&lt;It name&gt;")], and this class checks that the two lists are equal, and runs
/// the twins of the export, formatting and acceptance-example Its.
/// </summary>
[Collection("Hosted")]
public sealed class PesterTwinTests : IClassFixture<TestCredentials>, IDisposable
{
    private readonly PowerShellHarness _ps = new();
    private readonly Dictionary<string, object?> _vars;

    public PesterTwinTests(TestCredentials files) => _vars = new Dictionary<string, object?> { ["f"] = files };

    public void Dispose()
    {
        _ps.Run("Get-ModemSession | Disconnect-Modem; Stop-ModemSimulator -All -Confirm:$false");
        _ps.Dispose();
    }

    private static IEnumerable<string> PesterItNames()
    {
        foreach (string file in Directory.GetFiles(Path.Combine(Paths.RepoRoot, "tests", "Pester"), "*.Tests.ps1"))
        {
            ScriptBlockAst ast = Parser.ParseFile(file, out _, out ParseError[] errors);
            Assert.Empty(errors);
            foreach (CommandAst it in ast.FindAll(a => a is CommandAst c && c.GetCommandName() == "It", true).Cast<CommandAst>())
            {
                yield return ((StringConstantExpressionAst)it.CommandElements[1]).Value;
            }
        }
    }

    private static IEnumerable<string> XunitTwinNames() =>
        typeof(PesterTwinTests).Assembly.GetTypes().SelectMany(t => t.GetMethods())
            .SelectMany(m => m.GetCustomAttributesData())
            .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == "Pester")
            .Select(a => (string)a.ConstructorArguments[1].Value!);

    [Fact]
    public void EveryPesterScenarioHasAnXunitTwinAndTheListsAreEqual()
    {
        string[] pester = PesterItNames().Distinct().Order(StringComparer.Ordinal).ToArray();
        string[] xunit = XunitTwinNames().Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.True(pester.Length >= 25, "The Pester suite has only " + pester.Length + " scenarios.");
        Assert.Equal(pester, xunit);
    }

    [Fact]
    [Trait("Pester", "exports every output type to CSV and JSON with clean columns")]
    public void EveryOutputTypeExportsCleanly()
    {
        // Export-Csv and ConvertTo-Json are not in the hosted engine: check what they would write,
        // every property that is not a scalar must turn into readable text, not a type name.
        RunResult r = _ps.RunChecked("""
            $session = Connect-Modem -Simulator -Preload @{ SecTag = 42; Type = 'RootCA'; Path = $f.CaFile }
            $objects = @(
                $session; Get-ModemInfo; Get-ModemCredential; Test-ModemCredential 42 RootCA -Path $f.CaFile -Detailed
                Invoke-ModemCommand 'AT+CGMM'; Get-ModemFunctionalMode; New-ModemKey -SecTag 9 -Force; Get-ModemAttestationToken
                New-ModemKey -SecTag 10 -Force | New-ModemClientCertificate -CACertificate $f.CaFile -CAKey $f.CaKeyFile
                Get-ModemPublicKey -ErrorAction SilentlyContinue; Start-ModemSimulator -Transport Tcp; Find-Modem
                $p = Invoke-ModemProvisioning -Plan @{ SecTag = 43; Type = 'PskIdentity'; Content = 'x' } -Session $session; $p; $p.Entries[0]
            )
            foreach ($o in $objects) {
                foreach ($property in $o.PSObject.Properties) {
                    $value = $property.Value
                    $text = if ($null -eq $value) { '' } else { [string]$value.ToString() }
                    if ($text -match '^(System\.|Nrf91Cmng\.)[A-Za-z.]+(\[\])?$' -or $text -match '`1\[') { "$($o.GetType().Name).$($property.Name) exports as '$text'" }
                }
            }
            $objects.Count
            """, _vars);
        Assert.True(r.Output.Count == 1, string.Join("\n", r.Output.Select(o => o.ToString())));
        Assert.True((int)r.Output[0].BaseObject >= 13);
    }

    [Fact]
    [Trait("Pester", "formats every output type as a concise table")]
    public void EveryOutputTypeHasAView()
    {
        var types = typeof(PesterTwinTests).Assembly.GetTypes().Length > 0
            ? _ps.RunChecked("Get-Command -Module Nrf91Cmng | ForEach-Object { $_.OutputType.Name } | Where-Object { $_ -like 'Nrf91Cmng.*' }").Output.Select(o => o.ToString()).Distinct().ToList()
            : new List<string>();
        string formats = File.ReadAllText(Path.Combine(Paths.RepoRoot, "src", "Nrf91Cmng", "Nrf91Cmng.Format.ps1xml"));
        Assert.NotEmpty(types);
        Assert.All(types, t => Assert.Contains("<TypeName>" + t + "</TypeName>", formats));
        Assert.Contains("<TypeName>Nrf91Cmng.ProvisioningEntryResult</TypeName>", formats);

        RunResult table = _ps.RunChecked("$PSStyle.OutputRendering = 'PlainText'; Connect-Modem -Simulator -Preload @{ SecTag = 42; Type = 'RootCA'; Path = $f.CaFile } | Out-Null; Get-ModemCredential | Out-Default", _vars);
        string text = System.Text.RegularExpressions.Regex.Replace(string.Join("\n", table.HostLines), "\u001b\\[[0-9;]*m", string.Empty);
        Assert.True(text.Length > 0, "Out-Default wrote nothing to the host: " + string.Join(" | ", table.Output.Select(o => o.ToString())));
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(text, @"SecTag\s+Type\s+Sha256"), text);
        Assert.DoesNotMatch("[0-9A-F]{64}", text);
    }

    [Fact]
    [Trait("Pester", "answers AT commands and reports its identity")]
    [Trait("Pester", "holds <Type> at sec_tag <SecTag>")]
    [Trait("Pester", "holds no other user credentials")]
    [Trait("Pester", "answers on the port named by NRF91_PORT")]
    public void TheAcceptanceExampleChecksHoldOnTheVirtualModem()
    {
        RunResult r = _ps.RunChecked("""
            $expected = @(
                @{ SecTag = 16842753; Type = 'RootCA'; Path = $f.CaFile }
                @{ SecTag = 16842753; Type = 'PskIdentity'; Content = 'device-0001' }
            )
            $session = Connect-Modem -Simulator -Preload $expected
            (Get-ModemInfo -Session $session).Imei -match '^\d{15}$'
            Test-ModemCredential -Session $session -SecTag 16842753 -Type RootCA -Path $f.CaFile
            Test-ModemCredential -Session $session -SecTag 16842753 -Type PskIdentity -Content 'device-0001'
            (Get-ModemCredential -Session $session | ForEach-Object { "$($_.SecTag)/$($_.Type)" }) -join ','
            """, _vars);
        Assert.Equal(new object[] { true, true, true, "16842753/RootCA,16842753/PskIdentity" }, r.Output.Select(o => o.BaseObject));
    }
}
