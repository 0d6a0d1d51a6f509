#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    What only a real host shows: confirmation prompts (-Confirm, ShouldContinue) answered through a real
    child PowerShell's standard input, and -NonInteractive runs that must fail clearly instead of
    prompting, hanging or leaking engine exceptions.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    # The modem every scenario starts from: a virtual modem on the serial path, connected, with
    # sec_tag 42 and 43 holding the PSK identity 'first'.
    $script:Prelude = @'
Import-Module Nrf91Cmng -ErrorAction Stop
$sim = Start-ModemSimulator -Transport {0}
$null = $sim | Connect-Modem -Handshake None
Set-ModemCredential -SecTag 42 -Type PskIdentity -Content first
Set-ModemCredential -SecTag 43 -Type PskIdentity -Content first
function Get-Identity([uint32] $SecTag) {{ $bytes = $sim.Modem.GetStoredBytes($SecTag, 4); if ($bytes) {{ [Text.Encoding]::ASCII.GetString($bytes) }} }}
function Write-Result($Data) {{ 'RESULT:' + ($Data | ConvertTo-Json -Compress -Depth 3) }}

'@ -f $script:SerialTransport

    # Runs a scenario in a child PowerShell and returns its RESULT object, all it wrote, and how long it took.
    function Invoke-Scenario {
        param([Parameter(Mandatory)][string] $Body, [string[]] $InputLines = @(), [switch] $Interactive)
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $child = Invoke-ChildShell -Script ($script:Prelude + $Body) -InputLines $InputLines -Interactive:$Interactive -TimeoutSeconds 90
        $clock.Stop()
        # A prompt leaves its answer line open, so RESULT may follow prompt text on the same line.
        $line = @($child.Output | Where-Object { $_ -match 'RESULT:' }) | Select-Object -Last 1
        $result = $null
        if ($line) { $result = $line.Substring($line.IndexOf('RESULT:') + 7) | ConvertFrom-Json }
        [pscustomobject]@{
            Result  = $result
            All     = $child.Text + "`n" + $child.Errors
            Seconds = $clock.Elapsed.TotalSeconds
            Child   = $child
        }
    }

    function Get-Count([string] $Text, [string] $Pattern) { ([regex]::Matches($Text, [regex]::Escape($Pattern))).Count }

    # Text that means an engine exception reached the user instead of the module's own error.
    $script:EngineText = 'NonInteractive mode', 'PSInvalidOperationException', 'NullReferenceException', 'Object reference not set', 'HostException', 'at System.', 'at Nrf91Cmng.'
}

Describe 'Prompts in an interactive PowerShell' {
    Context 'Replacing a credential that holds something else (ShouldContinue)' {
        It 'replaces it when the answer is Y' {
            $run = Invoke-Scenario -Interactive -InputLines 'Y' -Body @'
$written = Set-ModemCredential -SecTag 42 -Type PskIdentity -Content second -PassThru -ErrorVariable problems
Write-Result @{ Status = "$($written.Status)"; Stored = Get-Identity 42; Errors = @($problems | ForEach-Object FullyQualifiedErrorId) }
'@
            $run.Result | Should -Not -BeNullOrEmpty -Because $run.All
            Get-Count $run.All 'Replace a credential' | Should -Be 1
            $run.All | Should -BeLike '*PSK identity at sec_tag 42*already holds a different credential*'
            $run.Result.Status | Should -Be 'Replaced'
            $run.Result.Stored | Should -BeExactly 'second'
            $run.Result.Errors | Should -BeNullOrEmpty
        }

        It 'keeps it when the answer is N' {
            $run = Invoke-Scenario -Interactive -InputLines 'N' -Body @'
$written = Set-ModemCredential -SecTag 42 -Type PskIdentity -Content second -PassThru -ErrorVariable problems
Write-Result @{ Written = @($written).Count; Stored = Get-Identity 42; Errors = @($problems | ForEach-Object FullyQualifiedErrorId); Cmng = @($sim.Modem.ReceivedCommands | Where-Object { $_ -like 'AT%CMNG=0,42,*' }).Count }
'@
            $run.Result | Should -Not -BeNullOrEmpty -Because $run.All
            Get-Count $run.All 'Replace a credential' | Should -Be 1
            $run.Result.Written | Should -Be 0
            $run.Result.Stored | Should -BeExactly 'first'
            $run.Result.Cmng | Should -Be 1 -Because 'only the setup wrote sec_tag 42'
            $run.Result.Errors | Should -BeNullOrEmpty
            $run.All | Should -BeLike '*Not replacing the PSK identity at sec_tag 42*declined. The credential stored there is unchanged.*' -Because 'an answer of No gets a one-line note'
        }

        It 'replaces every credential of a plan after one A (Yes to All)' {
            $run = Invoke-Scenario -Interactive -InputLines 'A' -Body @'
$plan = [pscustomobject]@{ SecTag = 42; Type = 'PskIdentity'; Content = 'second' }, [pscustomobject]@{ SecTag = 43; Type = 'PskIdentity'; Content = 'second' }
$written = $plan | Set-ModemCredential -PassThru -ErrorVariable problems
Write-Result @{ Status = @($written | ForEach-Object { "$($_.Status)" }); Stored = @((Get-Identity 42), (Get-Identity 43)); Errors = @($problems | ForEach-Object FullyQualifiedErrorId) }
'@
            $run.Result | Should -Not -BeNullOrEmpty -Because $run.All
            Get-Count $run.All 'Replace a credential' | Should -Be 1 -Because 'Yes to All answers the prompt for the rest of the plan'
            @($run.Result.Status) | Should -Be 'Replaced', 'Replaced' -Because "the child showed: $($run.All)"
            @($run.Result.Stored) | Should -Be 'second', 'second'
            foreach ($text in $script:EngineText) { $run.All | Should -Not -BeLike "*$text*" }
        }
    }

    Context 'Switching an online modem offline for a write (ShouldContinue)' {
        It 'writes and restores the mode when the answer is Y' {
            $run = Invoke-Scenario -Interactive -InputLines 'Y' -Body @'
Set-ModemFunctionalMode -Mode Normal -Confirm:$false
$written = Set-ModemCredential -SecTag 7 -Type RootCA -Path '{0}' -PassThru -ErrorVariable problems
Write-Result @{{ Status = "$($written.Status)"; Mode = (Get-ModemFunctionalMode).Mode; History = @($sim.Modem.FunctionalModeHistory); Errors = @($problems | ForEach-Object FullyQualifiedErrorId) }}
'@.Replace('{0}', (Get-Fixture ca.pem)).Replace('{{', '{').Replace('}}', '}')
            $run.Result | Should -Not -BeNullOrEmpty -Because $run.All
            Get-Count $run.All 'Switch the modem offline' | Should -Be 1
            $run.All | Should -BeLike '*functional mode 1*offline*'
            $run.Result.Status | Should -Be 'Written'
            $run.Result.Mode | Should -Be 1
            @($run.Result.History) | Should -Be 1, 4, 1
            $run.Result.Errors | Should -BeNullOrEmpty
        }

        It 'changes nothing and says why when the answer is N' {
            $run = Invoke-Scenario -Interactive -InputLines 'N' -Body @'
Set-ModemFunctionalMode -Mode Normal -Confirm:$false
$written = Set-ModemCredential -SecTag 7 -Type RootCA -Path '{0}' -PassThru -ErrorVariable problems
Write-Result @{{ Written = @($written).Count; Mode = (Get-ModemFunctionalMode).Mode; History = @($sim.Modem.FunctionalModeHistory); Errors = @($problems | ForEach-Object FullyQualifiedErrorId) }}
'@.Replace('{0}', (Get-Fixture ca.pem)).Replace('{{', '{').Replace('}}', '}')
            $run.Result | Should -Not -BeNullOrEmpty -Because $run.All
            Get-Count $run.All 'Switch the modem offline' | Should -Be 1
            $run.Result.Written | Should -Be 0
            $run.Result.Mode | Should -Be 1
            @($run.Result.History) | Should -Be 1
            @($run.Result.Errors) | Should -Be 'ModemFunctionalModeActive,Nrf91Cmng.Commands.SetModemCredentialCommand'
        }
    }

    Context '-Confirm (ShouldProcess)' {
        It 'removes every piped credential after one A (Yes to All)' {
            $run = Invoke-Scenario -Interactive -InputLines 'A' -Body @'
Get-ModemCredential | Remove-ModemCredential -Confirm -ErrorVariable problems
Write-Result @{ Left = @(Get-ModemCredential).Count; Errors = @($problems | ForEach-Object FullyQualifiedErrorId) }
'@
            $run.Result | Should -Not -BeNullOrEmpty -Because $run.All
            Get-Count $run.All 'Performing the operation "Remove"' | Should -Be 1
            $run.Result.Left | Should -Be 0
            $run.Result.Errors | Should -BeNullOrEmpty
        }

        It 'asks for each credential and keeps the one answered N' {
            $run = Invoke-Scenario -Interactive -InputLines 'N', 'Y' -Body @'
Get-ModemCredential | Remove-ModemCredential -Confirm -ErrorVariable problems
Write-Result @{ Left = @(Get-ModemCredential | ForEach-Object SecTag); Errors = @($problems | ForEach-Object FullyQualifiedErrorId) }
'@
            $run.Result | Should -Not -BeNullOrEmpty -Because $run.All
            Get-Count $run.All 'Performing the operation "Remove"' | Should -Be 2
            @($run.Result.Left) | Should -Be 42
            $run.Result.Errors | Should -BeNullOrEmpty
        }
    }
}

Describe 'A -NonInteractive PowerShell without -Force' {
    # One child runs every case; each case reports the errors it got, what it changed and how long it took.
    BeforeAll {
        $script:run = Invoke-Scenario -Body @'
function Test-Case([string] $Name, [scriptblock] $Case) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $Error.Clear()
    try { $null = & $Case 2>$null } catch { $null = $_ }
    $problems = @($Error | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
    [array]::Reverse($problems)
    [pscustomobject]@{
        Name = $Name; Seconds = $clock.Elapsed.TotalSeconds
        Errors = @($problems | ForEach-Object { $_.FullyQualifiedErrorId })
        Messages = @($problems | ForEach-Object { "$_ $($_.Exception.GetType().FullName) $($_.ErrorDetails.RecommendedAction)" })
        Stored = @((Get-Identity 42), (Get-Identity 43)); Keys = @($sim.Modem.ReceivedCommands | Where-Object { $_ -like 'AT%KEYGEN*' }).Count
        Mode = (Get-ModemFunctionalMode).Mode
    }
}
$cases = @(
    Test-Case 'replace' { Set-ModemCredential -SecTag 42 -Type PskIdentity -Content second }
    Test-Case 'remove' { Remove-ModemCredential -SecTag 42 -Type PskIdentity }
    Test-Case 'keygen' { New-ModemKey -SecTag 44 }
    $null = Set-ModemFunctionalMode -Mode Normal -Confirm:$false
    Test-Case 'write-online' { Set-ModemCredential -SecTag 45 -Type PskIdentity -Content new }
    Test-Case 'remove-online' { Remove-ModemCredential -SecTag 43 -Type PskIdentity -Confirm:$false }
)
Write-Result $cases
'@
        $script:cases = @{}
        foreach ($case in @($script:run.Result)) { $script:cases[$case.Name] = $case }
    }

    It 'finishes every case without hanging' {
        $script:run.Result | Should -Not -BeNullOrEmpty -Because $script:run.All
        $script:cases.Count | Should -Be 5
        foreach ($case in $script:cases.Values) { $case.Seconds | Should -BeLessThan 20 -Because "$($case.Name) must not wait for an answer" }
    }

    It '<Case> fails with <ErrorId> and changes nothing' -ForEach @(
        @{ Case = 'replace'; What = 'replacing a credential'; ErrorId = 'CredentialReplaceNotConfirmed,Nrf91Cmng.Commands.SetModemCredentialCommand' }
        @{ Case = 'write-online'; What = 'writing to an online modem'; ErrorId = 'ModemFunctionalModeActive,Nrf91Cmng.Commands.SetModemCredentialCommand' }
        @{ Case = 'remove-online'; What = 'deleting from an online modem'; ErrorId = 'ModemFunctionalModeActive,Nrf91Cmng.Commands.RemoveModemCredentialCommand' }
    ) {
        $result = $script:cases[$Case]
        @($result.Errors) | Should -Be $ErrorId
        foreach ($text in $script:EngineText) { "$($result.Messages)" | Should -Not -BeLike "*$text*" }
        @($result.Stored) | Should -Be 'first', 'first'
    }

    It 'refuses to delete without -Force or -Confirm:$false with an error of its own, not the engine''s prompt failure' {
        $result = $script:cases['remove']
        @($result.Errors).Count | Should -Be 1
        $result.Errors[0] | Should -Not -BeLike 'InvalidOperation,*' -Because "the module should say to add -Force or -Confirm:`$false: $($result.Messages)"
        foreach ($text in $script:EngineText) { "$($result.Messages)" | Should -Not -BeLike "*$text*" }
        @($result.Stored) | Should -Be 'first', 'first'
    }

    It 'refuses to generate a key without -Force with an error of its own, not the engine''s prompt failure' {
        $result = $script:cases['keygen']
        @($result.Errors).Count | Should -Be 1
        $result.Errors[0] | Should -Not -BeLike 'InvalidOperation,*' -Because "the module should say to add -Force or -Confirm:`$false: $($result.Messages)"
        foreach ($text in $script:EngineText) { "$($result.Messages)" | Should -Not -BeLike "*$text*" }
        $result.Keys | Should -Be 0
    }
}
