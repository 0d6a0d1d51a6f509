<#
    One fresh PowerShell process of the end-to-end benchmarks. Imports the module, opens a session
    on -Port (the modem is at CFUN 1 with nothing at the plan's sec_tag), and times -Runs calls of
    Invoke-ModemProvisioning -Session -Force with the plan (CA + client certificate + key: list,
    CFUN=4, three writes, list, CFUN=1). Run 1 is the process's first (cold); between runs the
    credentials are deleted and the modem put back online, untimed. With -FleetPorts it instead
    opens every port and times one modem, then all of them at once (both warm).
    Prints one line of JSON.
#>
param(
    [Parameter(Mandatory)][string] $Module,
    [string] $Port,
    [string[]] $FleetPorts,
    [Parameter(Mandatory)][string[]] $Plan,
    [int] $Runs = 3,
    [int] $QuietMs = 500,
    [string] $TranscriptFolder
)
$ErrorActionPreference = 'Stop'
# pwsh -File passes a list as one string: split it here.
if (@($Plan).Count -eq 1) { $Plan = $Plan[0] -split ',' }
if ($FleetPorts -and @($FleetPorts).Count -eq 1) { $FleetPorts = $FleetPorts[0] -split ',' }
$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module $Module
$importMs = $clock.Elapsed.TotalMilliseconds
$entries = foreach ($p in $Plan) { $tag, $type, $path = $p -split '\|', 3; [pscustomobject]@{ SecTag = [uint32]$tag; Type = $type; Path = $path } }

function Reset-Modem([object[]] $Sessions) {
    foreach ($s in $Sessions) {
        Set-ModemFunctionalMode -Session $s -Mode 4 -Confirm:$false | Out-Null
        foreach ($e in $entries) { Remove-ModemCredential -Session $s -SecTag $e.SecTag -Type $e.Type -Confirm:$false | Out-Null }
        Set-ModemFunctionalMode -Session $s -Mode 1 -Confirm:$false | Out-Null
    }
    Start-Sleep -Milliseconds $QuietMs   # the +CEREG/+CSCON noise after CFUN=1 ends within ~320 ms
}

function Invoke-Timed([object[]] $Sessions) {
    $clock.Restart()
    $results = @(Invoke-ModemProvisioning -Session $Sessions -Plan $entries -Force)
    $ms = $clock.Elapsed.TotalMilliseconds
    foreach ($r in $results) {
        if ($r.Status -ne 'Provisioned' -or $r.WrittenCount -ne @($entries).Count) { throw "Provisioning of $($r.PortName) gave $($r.Status) ($($r.WrittenCount) written): $($r.Error)" }
    }
    $ms
}

if ($FleetPorts) {
    $sessions = @($FleetPorts | ForEach-Object { Connect-Modem -PortName $_ })
    foreach ($s in $sessions) { Set-ModemFunctionalMode -Session $s -Mode 1 -Confirm:$false | Out-Null }
    Start-Sleep -Milliseconds $QuietMs
    $null = Invoke-Timed $sessions[0]; Reset-Modem $sessions[0]          # warm-up
    $one = Invoke-Timed $sessions[0]; Reset-Modem $sessions[0]
    $all = Invoke-Timed $sessions
    $sessions | Disconnect-Modem
    ConvertTo-Json -Compress -InputObject ([ordered]@{ ImportMs = $importMs; OneMs = $one; AllMs = $all; Count = $sessions.Count })
    return
}

$transcript = if ($TranscriptFolder) { Join-Path $TranscriptFolder ("connect-{0}.log" -f $PID) }
$clock.Restart()
$session = if ($transcript) { Connect-Modem -PortName $Port -TranscriptPath $transcript } else { Connect-Modem -PortName $Port }
$connectMs = $clock.Elapsed.TotalMilliseconds
$connectCommands = if ($transcript) { @(Get-Content $transcript | Where-Object { $_ -match '^\S+ > ' }).Count } else { $null }
$times = [Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $Runs; $i++) {
    if ($i -gt 0) { Reset-Modem $session }
    $times.Add((Invoke-Timed $session))
}
Reset-Modem $session
Disconnect-Modem -Session $session
ConvertTo-Json -Compress -InputObject ([ordered]@{ ImportMs = $importMs; ConnectMs = $connectMs; ConnectCommands = $connectCommands; RunsMs = $times.ToArray() })
