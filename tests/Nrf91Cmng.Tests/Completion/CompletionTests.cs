using Nrf91Cmng.Tests.Infrastructure;

namespace Nrf91Cmng.Tests.Completion;

/// <summary>Tab completion of -PortName, -SecTag, -Type and -Firmware, through TabExpansion2 as PSReadLine calls it.</summary>
[Collection("Hosted")]
public sealed class CompletionTests : IDisposable
{
    private readonly PowerShellHarness _ps = new();

    public void Dispose()
    {
        _ps.Run("Get-ModemSession | Disconnect-Modem; Stop-ModemSimulator -All -Confirm:$false");
        _ps.Dispose();
    }

    private string[] Complete(string input) =>
        _ps.RunChecked($"(TabExpansion2 -inputScript '{input.Replace("'", "''")}' -cursorColumn {input.Length}).CompletionMatches.CompletionText").Output.Select(o => o.ToString()).ToArray();

    [Fact]
    public void SecTagCompletesFromTheSessionsLastListWithoutModemTraffic()
    {
        _ps.RunChecked("$null = Connect-Modem -Simulator -Preload @{ SecTag = 16842753; Type = 'PskId'; Content = 'a' }, @{ SecTag = 42; Type = 'PskId'; Content = 'b' }; $null = Get-ModemCredential");
        int before = (int)_ps.RunChecked("(Get-ModemSession).Simulator.Modem.CommandsProcessed").Single().BaseObject.GetHashCode();
        Assert.Equal(new[] { "16842753" }, Complete("Get-ModemCredential -SecTag 168"));
        Assert.Contains("42", Complete("Remove-ModemCredential -SecTag "));
        Assert.Equal(before, (int)_ps.RunChecked("(Get-ModemSession).Simulator.Modem.CommandsProcessed").Single().BaseObject.GetHashCode());
    }

    [Fact]
    public void TypeCompletesTheTypeNames()
    {
        Assert.Equal(new[] { "ClientCertificate", "ClientPrivateKey" }, Complete("Set-ModemCredential -SecTag 1 -Type Client"));
        Assert.Equal(new[] { "Psk", "PskIdentity" }, Complete("Test-ModemCredential -SecTag 1 -Type Ps"));
    }

    [Fact]
    public void PortNameCompletesRunningSimulatorPorts()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No pseudo-terminals there; TCP simulators are addressed by URI.
        }

        string port = _ps.RunChecked("(Start-ModemSimulator -Transport PseudoTerminal).PortName").Single().ToString();
        Assert.Contains(Complete("Connect-Modem -PortName /dev/pts/"), c => c.Trim('\'') == port);
    }

    [Fact]
    public void FirmwareCompletesOnStartModemSimulator()
    {
        Assert.Equal(new[] { "mfw_nrf9160_0.7.0" }, Complete("Start-ModemSimulator -Firmware mfw_nrf9160_0"));
    }
}
