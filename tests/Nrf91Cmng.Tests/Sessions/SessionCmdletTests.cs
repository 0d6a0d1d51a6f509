using System.Diagnostics;
using System.Management.Automation;
using Nrf91Cmng.Tests.Infrastructure;

namespace Nrf91Cmng.Tests.Sessions;

/// <summary>Issue 2's cmdlets end to end: sessions, raw commands, functional modes, timeouts and noise, over a pseudo-terminal.</summary>
[Collection("Hosted")]
public sealed class SessionCmdletTests : IDisposable
{
    private readonly PowerShellHarness _ps = new();

    public void Dispose()
    {
        _ps.Run("Get-ModemSession | Disconnect-Modem; Stop-ModemSimulator -All -Confirm:$false");
        _ps.Dispose();
    }

    private void StartSerialModem(string extra = "")
    {
        string transport = OperatingSystem.IsWindows() ? "Tcp" : "PseudoTerminal";
        _ps.RunChecked($"$sim = Start-ModemSimulator -Transport {transport} {extra}; $session = $sim | Connect-Modem -Handshake None -TimeoutSeconds 1 -Name bench1");
    }

    [Fact]
    public void ConnectOverAPseudoTerminalPipesIntoGetModemInfo()
    {
        StartSerialModem();
        RunResult r = _ps.RunChecked("$session | Get-ModemInfo");
        PSObject info = r.Single();
        Assert.Equal(_ps.RunChecked("$sim.Imei").Single().ToString(), info.Properties["Imei"].Value);
        Assert.Equal("nRF9160-SICA", info.Properties["Model"].Value);
        Assert.StartsWith("mfw_nrf9160_1.3.5", (string)info.Properties["Firmware"].Value);
        Assert.Equal("nrf9160", info.Properties["FirmwareFamily"].Value);
        Assert.Equal(0, info.Properties["FunctionalMode"].Value);
    }

    [Fact]
    public void ConnectEnablesNumericErrorsAndReportsTheSession()
    {
        StartSerialModem();
        RunResult r = _ps.RunChecked("$sim.Modem.ReceivedCommands -contains 'AT+CMEE=1'; $session.Connected; $session.CommandMode; $session.Name; (Get-ModemSession -Name bench1).Id -eq $session.Id; (Get-ModemSession -Id $session.Id).Name");
        Assert.Equal(new object[] { true, true, "At", "bench1", true, "bench1" }, r.Output.Select(o => o.BaseObject));
    }

    [Trait("Pester", "keeps the result when unsolicited codes flood a command")]
    [Fact]
    public void UrcFloodDuringACommandDoesNotChangeTheResult()
    {
        StartSerialModem();
        RunResult r = _ps.RunChecked("$sim.Modem.Faults.UrcFlood(200); $x = Invoke-ModemCommand 'AT+CGSN=1'; $x.Lines; $x.Result; @($x.Unsolicited).Count -gt 0; (Get-ModemInfo).Imei -eq $sim.Imei");
        Assert.Equal("+CGSN: \"" + _ps.RunChecked("$sim.Imei").Single() + "\"", r.Output[0].ToString());
        Assert.Equal("Ok", r.Output[1].ToString());
        Assert.True((bool)r.Output[3].BaseObject);
    }

    [Trait("Pester", "times out a silent command naming it, and the next command works")]
    [Fact]
    public void ACommandWithoutAnswerTimesOutNamingItAndTheNextOneWorks()
    {
        StartSerialModem();
        var watch = Stopwatch.StartNew();
        RunResult r = _ps.Run("$null = $sim.Modem.Faults.NoReply('AT+CGMR'); Invoke-ModemCommand 'AT+CGMR' -TimeoutSeconds 1");
        watch.Stop();
        ErrorRecord error = Assert.Single(r.Errors);
        Assert.StartsWith("ModemCommandTimeout", error.FullyQualifiedErrorId);
        Assert.Contains("AT+CGMR", error.ToString());
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the wait is bounded by the timeout (generous bound for noisy machines)");

        RunResult next = _ps.RunChecked("(Invoke-ModemCommand 'AT+CGMM').Lines");
        Assert.Equal("nRF9160-SICA", next.Single().ToString());
    }

    [Fact]
    public void CmeErrorIsANonTerminatingErrorCarryingTheResponse()
    {
        StartSerialModem();
        RunResult r = _ps.Run("Invoke-ModemCommand 'AT%CMNG=2,42,0'; 'after'");
        ErrorRecord error = Assert.Single(r.Errors);
        Assert.StartsWith("ModemCmeError513", error.FullyQualifiedErrorId);
        Assert.Equal("CmeError", PSObject.AsPSObject(error.TargetObject).Properties["Result"].Value.ToString());
        Assert.Equal("after", r.Output.Last().ToString());
    }

    [Fact]
    public void FunctionalModeIsReadAndSetWithShouldProcess()
    {
        StartSerialModem();
        RunResult r = _ps.RunChecked("Set-ModemFunctionalMode -Mode Normal -WhatIf; (Get-ModemFunctionalMode).Mode; Set-ModemFunctionalMode -Mode Normal -Confirm:$false -PassThru | ForEach-Object Name; Set-ModemFunctionalMode 4 -Confirm:$false; (Get-ModemFunctionalMode).IsLteActive");
        Assert.Equal(new object[] { 0, "Normal", false }, r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void NoSessionIsAClearObjectNotFoundErrorAndAPortOpensOnce()
    {
        RunResult none = _ps.Run("Get-ModemInfo");
        Assert.StartsWith("ModemNoSession", Assert.Single(none.Errors).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, none.Errors[0].CategoryInfo.Category);

        if (!OperatingSystem.IsWindows())
        {
            StartSerialModem();
            RunResult twice = _ps.Run("Connect-Modem -PortName $sim.PortName -Handshake None");
            Assert.StartsWith("ModemPortBusy", Assert.Single(twice.Errors).FullyQualifiedErrorId);
        }
    }

    [Theory]
    [InlineData("Connect-Modem -PortName /dev/ttyNoSuchPort", "ModemPortNotFound")]
    [InlineData("Connect-Modem -PortName ([IO.Path]::GetTempPath())", "ModemPortNotFound")]
    [InlineData("Connect-Modem -Uri http://localhost/", "ModemInvalidUri")]
    [InlineData("Connect-Modem -PortName tcp://127.0.0.1:1", "ModemConnectionFailed")]
    [InlineData("Connect-Modem -Simulator -Firmware mfw_nrf9160_9.9.9", "ModemUnknownFirmwareProfile")]
    [InlineData("Get-ModemSession -Id 999999 | Get-ModemInfo -SessionId 999999", "ModemSessionNotFound")]
    public void BadConnectionTargetsAreSpecificErrors(string command, string errorId)
    {
        if (OperatingSystem.IsWindows() && command.Contains("PortName /", StringComparison.Ordinal))
        {
            return; // Device paths are a Linux and macOS matter.
        }

        RunResult r = _ps.Run(command);
        ErrorRecord error = Assert.Single(r.Errors);
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
    }

    [Fact]
    public void DisconnectClosesTheSessionAndPassesItThrough()
    {
        StartSerialModem();
        RunResult r = _ps.RunChecked("$s = Disconnect-Modem -Session $session -PassThru; $s.Connected; @(Get-ModemSession).Count");
        Assert.Equal(new object[] { false, 0 }, r.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void SessionsCloseWhenTheirRunspaceCloses()
    {
        StartSerialModem();
        RunResult r = _ps.RunChecked("""
            $rs = [runspacefactory]::CreateRunspace([System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2())
            $rs.Open()
            $p = [powershell]::Create(); $p.Runspace = $rs
            $null = $p.AddScript('Import-Module $args[0]; $s = Connect-Modem -Simulator; $s').AddArgument((Get-Module Nrf91Cmng).Path.Replace('.dll', '.psd1'))
            $inner = $p.Invoke()[0]
            $inner.Connected
            $rs.Dispose()
            $inner.Connected
            """);
        Assert.Equal(new object[] { true, false }, r.Output.Select(o => o.BaseObject));
    }
}
