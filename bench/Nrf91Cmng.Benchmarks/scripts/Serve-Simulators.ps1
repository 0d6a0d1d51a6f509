<#
    Serves virtual modems out of process for the end-to-end benchmarks: -Count modems, each on its
    own pseudo-terminal, paced at -BaudRate with the realistic delay model (flash writes, list, CFUN
    and their +CEREG/+CSCON noise), exactly as Start-ModemSimulator -Realistic serves them. Before it
    answers, it provisions -Plan once on a throw-away modem of its own, so that the simulator's first-use
    costs (this process's JIT) never land in a measured run. Then it prints one line
    READY <json: port names> and reads commands from standard input:
      stats   one line STATS <json: per modem BytesReceived, BytesSent, ModelledMs, Commands>
      stop    stops the modems and exits
#>
param(
    [Parameter(Mandatory)][string] $Module,
    [int] $Count = 1,
    [int] $BaudRate = 115200,
    [Parameter(Mandatory)][string[]] $Plan
)
$ErrorActionPreference = 'Stop'
# pwsh -File passes a list as one string: split it here.
if (@($Plan).Count -eq 1) { $Plan = $Plan[0] -split ',' }
Import-Module $Module
$entries = foreach ($p in $Plan) { $tag, $type, $path = $p -split '\|', 3; [pscustomobject]@{ SecTag = [uint32]$tag; Type = $type; Path = $path } }

$warm = Start-ModemSimulator -Transport PseudoTerminal -Realistic -BaudRate $BaudRate
$session = Connect-Modem -PortName $warm.PortName
Set-ModemFunctionalMode -Session $session -Mode 1 -Confirm:$false | Out-Null
Invoke-ModemProvisioning -Session $session -Plan $entries -Force | Out-Null
Disconnect-Modem -Session $session
$warm | Stop-ModemSimulator

$sims = @(1..$Count | ForEach-Object { Start-ModemSimulator -Transport PseudoTerminal -Realistic -BaudRate $BaudRate })
[Console]::Out.WriteLine('READY ' + (ConvertTo-Json -Compress -InputObject @($sims.PortName)))
[Console]::Out.Flush()
while ($null -ne ($line = [Console]::In.ReadLine())) {
    switch ($line.Trim()) {
        'stats' {
            $stats = @($sims | ForEach-Object {
                $m = $_.Modem
                [ordered]@{ BytesReceived = $m.BytesReceived; BytesSent = $m.BytesSent; ModelledMs = $m.ModelledProcessingTime.TotalMilliseconds; Commands = @($m.ReceivedCommands).Count }
            })
            [Console]::Out.WriteLine('STATS ' + (ConvertTo-Json -Compress -InputObject $stats))
            [Console]::Out.Flush()
        }
        'stop' { $sims | Stop-ModemSimulator; exit 0 }
    }
}
$sims | Stop-ModemSimulator
