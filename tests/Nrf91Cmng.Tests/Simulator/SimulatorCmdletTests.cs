using System.Management.Automation;
using Nrf91Cmng.Tests.Infrastructure;

namespace Nrf91Cmng.Tests.Simulator;

/// <summary>The virtual modem through the cmdlets: in process, over TCP and over a pseudo-terminal, every profile, paced and not.</summary>
[Collection("Hosted")]
public sealed class SimulatorCmdletTests : IDisposable
{
    public static readonly TheoryData<string> Profiles = new()
    {
        "mfw_nrf9160_0.7.0", "mfw_nrf9160_1.3.5", "mfw_nrf9160_1.3.7", "mfw_nrf91x1_2.0.2",
    };

    private readonly PowerShellHarness _ps = new();

    public void Dispose()
    {
        _ps.Run("Get-ModemSession | Disconnect-Modem; Stop-ModemSimulator -All -Confirm:$false");
        _ps.Dispose();
    }

    [Trait("Pester", "connects to the virtual modem and reads its identity")]
    [Fact]
    public void ConnectSimulatorPipesIntoGetModemInfo()
    {
        RunResult r = _ps.RunChecked("Connect-Modem -Simulator | Get-ModemInfo");
        PSObject info = r.Single();
        Assert.Equal("nRF9160-SICA", info.Properties["Model"].Value);
        Assert.Matches("^[0-9]{15}$", (string)info.Properties["Imei"].Value);
        Assert.StartsWith("mfw_nrf9160_1.3.5", (string)info.Properties["Firmware"].Value);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void EveryProfileConnectsInProcessAndReportsItsFirmware(string firmware)
    {
        RunResult r = _ps.RunChecked($"$s = Connect-Modem -Simulator -Firmware {firmware}; $s.Firmware; $s.Simulator.Firmware; (Get-ModemInfo).Imei -eq $s.Simulator.Imei");
        Assert.StartsWith(firmware, r.Output[0].ToString());
        Assert.Equal(firmware, r.Output[1].ToString());
        Assert.True((bool)r.Output[2].BaseObject);
    }

    [Trait("Pester", "serves the virtual modem over TCP and a pseudo-terminal")]
    [Theory]
    [InlineData("PseudoTerminal", 0)]
    [InlineData("PseudoTerminal", 115200)]
    [InlineData("Tcp", 0)]
    [InlineData("Tcp", 115200)]
    public void StartedSimulatorServesTheSerialAndTcpPaths(string transport, int baud)
    {
        if (transport == "PseudoTerminal" && OperatingSystem.IsWindows())
        {
            return; // No pseudo-terminals on Windows; the Tcp rows cover it there.
        }
        RunResult r = _ps.RunChecked($$"""
            $sim = Start-ModemSimulator -Transport {{transport}} -BaudRate {{baud}} -Firmware mfw_nrf91x1_2.0.2
            $session = $sim | Connect-Modem -Handshake None -TimeoutSeconds 5
            $session.Transport
            $session.Imei -eq $sim.Imei
            (Invoke-ModemCommand 'AT+CGMM').Lines -join ''
            $sim.Modem.ReceivedCommands -contains 'AT+CGMM'
            $sim.ConnectionCount
            """);
        Assert.Equal(transport == "Tcp" ? "Tcp" : "Serial", r.Output[0].ToString());
        Assert.True((bool)r.Output[1].BaseObject);
        Assert.Equal("nRF9161-LACA", r.Output[2].ToString());
        Assert.True((bool)r.Output[3].BaseObject);
        Assert.Equal(1, (int)r.Output[4].BaseObject);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void EveryProfileWorksOverAPseudoTerminal(string firmware)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No pseudo-terminals on Windows.
        }
        RunResult r = _ps.RunChecked($$"""
            $sim = Start-ModemSimulator -Firmware {{firmware}} -Transport PseudoTerminal
            Connect-Modem -PortName $sim.PortName -Handshake None | Out-Null
            (Get-ModemInfo).Firmware
            @(Get-ModemCredential -IncludeModemOwned).Count -ge 0
            """);
        Assert.StartsWith(firmware, r.Output[0].ToString());
    }

    [Fact]
    public void PreloadedCredentialsAreListed()
    {
        RunResult r = _ps.RunChecked("""
            Connect-Modem -Simulator -Preload @{ SecTag = 42; Type = 'PskId'; Content = 'device-1' }, @{ SecTag = 42; Type = 'Psk'; Content = '0011AABB' } | Out-Null
            Get-ModemCredential | ForEach-Object { "$($_.SecTag)/$($_.Type)" }
            """);
        Assert.Equal(new[] { "42/Psk", "42/PskIdentity" }, r.Output.Select(o => o.ToString()).OrderBy(s => s));
    }

    [Fact]
    public void UnknownFirmwareIsASpecificError()
    {
        RunResult r = _ps.Run("Connect-Modem -Simulator -Firmware mfw_nrf9160_9.9.9");
        ErrorRecord e = Assert.Single(r.Errors);
        Assert.StartsWith("ModemUnknownFirmwareProfile", e.FullyQualifiedErrorId);
        Assert.Contains("mfw_nrf91x1_2.0.2", e.ErrorDetails.RecommendedAction);
    }

    [Fact]
    [Trait("Pester", "lists and stops virtual modems")]
    public void StopModemSimulatorEndsItAndFindModemListsRunningOnes()
    {
        RunResult r = _ps.RunChecked("""
            $sim = Start-ModemSimulator -Transport Tcp
            @(Find-Modem | Where-Object PortName -eq $sim.ToString()).Count
            $sim | Stop-ModemSimulator
            $sim.Running
            @(Get-ModemSimulator).Count
            """);
        Assert.Equal(1, (int)r.Output[0].BaseObject);
        Assert.False((bool)r.Output[1].BaseObject);
        Assert.Equal(0, (int)r.Output[2].BaseObject);
    }

    [Fact]
    [Trait("Pester", "finds and probes virtual modems and pipes them into Connect-Modem")]
    public void FindModemProbesVirtualPortsAndPipesIntoConnectModem()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Probing opens serial ports; the virtual ones are pseudo-terminals.
        }

        RunResult r = _ps.RunChecked("""
            $sims = 1..2 | ForEach-Object { Start-ModemSimulator -Transport PseudoTerminal -Firmware mfw_nrf91x1_2.0.2 }
            $found = @(Find-Modem -Probe | Where-Object { $sims.PortName -contains $_.PortName })
            $found.Count
            @($found | Where-Object { $_.Responds -and $_.Model -eq 'nRF9161-LACA' -and $sims.Imei -contains $_.Imei }).Count
            ($found[0] | Connect-Modem -Handshake None).Imei -eq $found[0].Imei
            """);
        Assert.Equal(new object[] { 2, 2, true }, r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void FirmwareCompletesWithProfileNames()
    {
        RunResult r = _ps.RunChecked("(TabExpansion2 -inputScript 'Connect-Modem -Simulator -Firmware mfw_nrf91' -cursorColumn 43).CompletionMatches.CompletionText");
        Assert.Contains("mfw_nrf91x1_2.0.2", r.Output.Select(o => o.ToString()));
    }
}
