using System.Management.Automation;
using Nrf91Cmng.Tests.Infrastructure;

namespace Nrf91Cmng.Tests.Fleet;

/// <summary>Issue 6's "done when": many virtual modems provisioned in parallel, idempotent, with failures isolated and audited.</summary>
[Collection("Hosted")]
public sealed class ProvisioningCmdletTests : IClassFixture<TestCredentials>, IDisposable
{
    private readonly PowerShellHarness _ps = new();
    private readonly TestCredentials _files;
    private readonly Dictionary<string, object?> _vars;

    public ProvisioningCmdletTests(TestCredentials files)
    {
        _files = files;
        _vars = new Dictionary<string, object?> { ["f"] = files };
    }

    public void Dispose()
    {
        _ps.Run("Get-ModemSession | Disconnect-Modem; Stop-ModemSimulator -All -Confirm:$false");
        _ps.Dispose();
    }

    private RunResult Run(string script) => _ps.Run(script, _vars);

    private RunResult RunChecked(string script) => _ps.RunChecked(script, _vars);

    private string Transport => OperatingSystem.IsWindows() ? "Tcp" : "PseudoTerminal";

    private const string Plan = """
        $plan = @(
            @{ SecTag = 42; Type = 'RootCA'; Path = $f.CaFile }
            @{ SecTag = 42; Type = 'ClientCertificate'; Path = $f.ClientFile }
            @{ SecTag = 42; Type = 'ClientPrivateKey'; Path = $f.KeyFile }
        )
        """;

    [Trait("Pester", "provisions 16 modems and changes nothing on a second run")]
    [Fact]
    public void SixteenModemsAreProvisionedVerifiedAndASecondRunChangesNothing()
    {
        string transcripts = Path.Combine(_files.Directory, "transcripts-" + Guid.NewGuid().ToString("N"));
        RunResult first = RunChecked(Plan + $$"""

            $sims = 1..16 | ForEach-Object { Start-ModemSimulator -Transport {{Transport}} -BaudRate 115200 }
            $results = Invoke-ModemProvisioning -Plan $plan -PortName $sims.PortName -TranscriptPath '{{transcripts}}'
            @($results | Where-Object Status -eq 'Provisioned').Count
            @($results | Where-Object { $_.WrittenCount -eq 3 }).Count
            @($sims | Where-Object { [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($_.Modem.GetStoredBytes(42, 0))) -eq [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([Text.Encoding]::ASCII.GetBytes($f.CaPem))) }).Count
            @($sims | Where-Object { $_.Modem.GetStoredBytes(42, 2) -ne $null }).Count
            @([IO.Directory]::GetFiles('{{transcripts}}')).Count
            """);
        Assert.Equal(new object[] { 16, 16, 16, 16, 16 }, first.Output.Select(o => o.BaseObject));

        RunResult second = RunChecked("""
            $again = Invoke-ModemProvisioning -Plan $plan -PortName $sims.PortName
            @($again | Where-Object Status -eq 'Unchanged').Count
            @($sims | ForEach-Object { @($_.Modem.ReceivedCommands | Where-Object { $_.StartsWith('AT%CMNG=0') }).Count } | Where-Object { $_ -ne 3 }).Count
            """);
        Assert.Equal(new object[] { 16, 0 }, second.Output.Select(o => o.BaseObject));
    }

    [Trait("Pester", "reports a dropped modem as Failed and provisions the others")]
    [Fact]
    public void AModemThatDropsMidRunFailsWithTheReasonAndTheOthersAreProvisioned()
    {
        string transcripts = Path.Combine(_files.Directory, "transcripts-" + Guid.NewGuid().ToString("N"));
        RunResult r = Run(Plan + $$"""

            $sims = 1..4 | ForEach-Object { Start-ModemSimulator -Transport {{Transport}} }
            $null = $sims[2].Modem.Faults.Drop('AT%CMNG=0,42,1', 200)
            $results = Invoke-ModemProvisioning -Plan $plan -PortName $sims.PortName -TranscriptPath '{{transcripts}}' -TimeoutSeconds 2
            ($results | ForEach-Object { "$($_.Status)" }) -join ','
            $failed = $results | Where-Object Status -eq 'Failed'
            $failed.PortName -eq $sims[2].PortName
            $failed.Error
            [IO.File]::ReadAllText($failed.TranscriptPath)
            ($failed.Entries | ForEach-Object { "$($_.Type)=$($_.Status)" }) -join ','
            """);
        Assert.Equal("Provisioned,Provisioned,Failed,Provisioned", r.Output[0].ToString());
        Assert.True((bool)r.Output[1].BaseObject);
        Assert.False(string.IsNullOrEmpty(r.Output[2]?.ToString()));
        string transcript = r.Output[3].ToString();
        Assert.Contains("> AT%CMNG=0,42,0", transcript);
        Assert.Contains("Result: Failed", transcript);
        Assert.DoesNotContain(_files.KeyBody, transcript);
        Assert.Single(r.Errors);
        Assert.Equal(1, r.Errors.Count(e => e.FullyQualifiedErrorId.StartsWith("Modem", StringComparison.Ordinal) || e.FullyQualifiedErrorId.StartsWith("Provisioning", StringComparison.Ordinal)));
    }

    [Trait("Pester", "writes nothing with -WhatIf")]
    [Fact]
    public void WhatIfListsWhatWouldBeWrittenToEachModemAndWritesNothing()
    {
        RunResult r = RunChecked(Plan + $$"""

            $sims = 1..2 | ForEach-Object { Start-ModemSimulator -Transport {{Transport}} }
            $results = Invoke-ModemProvisioning -Plan $plan -PortName $sims.PortName -WhatIf
            ($results | ForEach-Object { "$($_.Status)" }) -join ','
            ($results[0].Entries | ForEach-Object { $_.Status }) -join ','
            @($sims | ForEach-Object { $_.Modem.ReceivedCommands } | Where-Object { $_.StartsWith('AT%CMNG=0') -or $_.StartsWith('AT+CFUN=') }).Count
            """);
        Assert.Equal(new object[] { "WhatIf,WhatIf", "WouldWrite,WouldWrite,WouldWrite", 0 }, r.Output.Select(o => o.BaseObject));
        Assert.Equal(6, r.HostLines.Count(l => l.Contains("What if", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("psd1")]
    public void PlansAreReadFromCsvJsonAndPsd1WithPathsRelativeToThePlan(string format)
    {
        string folder = Path.Combine(_files.Directory, "plan-" + format + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "certs"));
        File.Copy(_files.CaFile, Path.Combine(folder, "certs", "ca.pem"));
        string plan = Path.Combine(folder, "plan." + format);
        File.WriteAllText(plan, format switch
        {
            "csv" => "SecTag,Type,Path,Content\n7,RootCA,certs/ca.pem,\n7,PskIdentity,,\"device-{Imei}\"\n",
            "json" => "[ { \"SecTag\": 7, \"Type\": \"RootCA\", \"Path\": \"certs/ca.pem\" }, { \"SecTag\": \"7\", \"Type\": 4, \"Content\": \"device-{Imei}\" } ]",
            _ => "@{ Entries = @( @{ SecTag = 7; Type = 'CA'; Path = 'certs/ca.pem' }; @{ SecTag = 7; Type = 'PskId'; Content = 'device-{Imei}' } ) }",
        });
        RunResult r = RunChecked($$"""
            $s = Connect-Modem -Simulator
            $r = Invoke-ModemProvisioning -Plan '{{plan}}' -Session $s
            "$($r.Status)"
            [Text.Encoding]::ASCII.GetString($s.Simulator.Modem.GetStoredBytes(7, 4)) -eq "device-$($s.Imei)"
            Test-ModemCredential -SecTag 7 -Type RootCA -Path $f.CaFile
            """);
        Assert.Equal(new object[] { "Provisioned", true, true }, r.Output.Select(o => o.BaseObject));
    }

    [Theory]
    [InlineData("SecTag,Type,Path\n7,Bogus,ca.pem\n", "Type 'Bogus'")]
    [InlineData("SecTag,Type,Path\n-1,RootCA,ca.pem\n", "SecTag")]
    [InlineData("SecTag,Type,Path\n7,RootCA,missing.pem\n", "does not exist")]
    [InlineData("SecTag,Type,Color\n7,RootCA,red\n", "Color")]
    [InlineData("SecTag,Type,Path\n7,RootCA,garbage.pem\n", "entry 1")]
    public void ABadPlanIsOneErrorAndNothingIsSentToAnyModem(string csv, string mention)
    {
        string folder = Path.Combine(_files.Directory, "bad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.Copy(_files.GarbageFile, Path.Combine(folder, "garbage.pem"));
        string plan = Path.Combine(folder, "plan.csv");
        File.WriteAllText(plan, csv);
        RunResult r = Run($$"""
            $sims = 1..2 | ForEach-Object { Start-ModemSimulator -Transport {{Transport}} }
            Invoke-ModemProvisioning -Plan '{{plan}}' -PortName $sims.PortName
            """);
        ErrorRecord error = Assert.Single(r.Errors);
        Assert.Contains(mention, error.ToString());
        Assert.Equal(0, (int)RunChecked("@($sims | ForEach-Object { $_.Modem.ReceivedCommands }).Count").Single().BaseObject);
    }

    [Fact]
    public void GenerateEntriesKeepTheKeyInTheModemAndWriteTheIssuedCertificate()
    {
        RunResult r = RunChecked("""
            $s = Connect-Modem -Simulator
            $plan = @(
                @{ SecTag = 50; Type = 'RootCA'; Path = $f.CaFile }
                @{ SecTag = 50; Generate = $true; CACertificate = $f.CaFile; CAKey = $f.CaKeyFile; Subject = 'CN=nrf-{Imei}' }
            )
            $r = Invoke-ModemProvisioning -Plan $plan -Session $s
            ($r.Entries | ForEach-Object { $_.Status }) -join ','
            (Get-ModemCredential -SecTag 50 | ForEach-Object { "$($_.Type)" }) -join ','
            [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($s.Simulator.Modem.GetStoredBytes(50, 1)).Subject -eq "CN=nrf-$($s.Imei)"
            $again = Invoke-ModemProvisioning -Plan $plan -Session $s
            "$($again.Status)"
            """);
        Assert.Equal(new object[] { "Written,Generated", "RootCA,ClientCertificate,ClientPrivateKey", true, "Unchanged" }, r.Output.Select(o => o.BaseObject));
    }

    [Trait("Pester", "keeps results through remoting serialisation")]
    [Fact]
    public void CtrlCStopsCleanlyAndKeepsWhatEachModemGot()
    {
        RunChecked(Plan + $$"""

            $sims = 1..4 | ForEach-Object { Start-ModemSimulator -Transport {{Transport}} }
            $sims | ForEach-Object { $null = $_.Modem.Faults.Delay([TimeSpan]::FromSeconds(3), 'AT%CMNG=0', 3) }
            """);
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = _ps.Runspace;
        ps.AddScript("Invoke-ModemProvisioning -Plan $plan -PortName $sims.PortName -TimeoutSeconds 10");
        IAsyncResult running = ps.BeginInvoke();
        Thread.Sleep(1500);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ps.Stop();
        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "Ctrl+C did not stop the run");
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));

        RunResult after = RunChecked("""
            @($Nrf91CmngLastProvisioning).Count
            @($Nrf91CmngLastProvisioning | Where-Object { $_.Status -eq 'Failed' -and $_.Error -like '*Ctrl+C*' }).Count
            @($sims | Where-Object { $_.Modem.GetStoredBytes(42, 0) -ne $null -and [Text.Encoding]::ASCII.GetString($_.Modem.GetStoredBytes(42, 0)) -ne $f.CaPem.Replace("`r`n", "`n") }).Count
            $again = Invoke-ModemProvisioning -Plan $plan -PortName $sims.PortName
            @($again | Where-Object Status -in 'Provisioned', 'Unchanged').Count
            """);
        Assert.Equal(new object[] { 4, 4, 0, 4 }, after.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void ResultsSurviveRemotingSerialisation()
    {
        RunResult r = RunChecked(Plan + """

            $s = Connect-Modem -Simulator
            $r = Invoke-ModemProvisioning -Plan $plan -Session $s
            $d = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($r, 3))
            "$($d.Status)"; $d.Imei -eq $s.Imei; $d.Entries.Count; "$($d.Entries[0].Status)"; $d.Entries[2].Sha256.Length; $d.Duration.GetType().Name
            """);
        Assert.Equal(new object[] { "Provisioned", true, 3, "Written", 64, "TimeSpan" }, r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void SessionsAreSafeAcrossParallelRunspaces()
    {
        RunResult r = RunChecked("""
            $module = (Get-Module Nrf91Cmng).Path -replace '\.dll$', '.psd1'
            $imeis = 1..6 | ForEach-Object -ThrottleLimit 6 -Parallel {
                Import-Module $using:module
                $s = Connect-Modem -Simulator
                $null = Set-ModemCredential -SecTag 1 -Type PskIdentity -Content "id-$_"
                (Get-ModemSession).Count
                (Get-ModemInfo).Imei
                Disconnect-Modem
            }
            $imeis.Count
            @($imeis | Where-Object { $_ -is [int] -and $_ -ne 1 }).Count
            $unique = @{}; $imeis | Where-Object { $_ -is [string] } | ForEach-Object { $unique[$_] = 1 }; $unique.Count
            """);
        Assert.Equal(12, (int)r.Output[0].BaseObject);
        Assert.Equal(0, (int)r.Output[1].BaseObject);
        Assert.Equal(6, (int)r.Output[2].BaseObject);
    }
}
