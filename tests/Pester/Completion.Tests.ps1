#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Tab completion of -PortName, -SecTag, -Type and -Firmware through TabExpansion2, as PSReadLine and editors call it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    function Get-Completion([string] $InputScript) {
        @((TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches | ForEach-Object CompletionText)
    }
}

Describe 'Tab completion' {
    AfterEach { Clear-TestModems }

    It 'completes -SecTag from the last list of the session, without modem traffic' {
        $sim = Start-TestModem
        Set-ModemCredential -SecTag 16842753 -Type PskIdentity -Content 'a'
        Set-ModemCredential -SecTag 42 -Type PskIdentity -Content 'b'
        $null = Get-ModemCredential
        $before = $sim.CommandsProcessed
        Get-Completion 'Get-ModemCredential -SecTag 168' | Should -Be '16842753'
        Get-Completion 'Remove-ModemCredential -SecTag ' | Should -Contain '42'
        Get-Completion 'Test-ModemCredential -SecTag 4' | Should -Be '42'
        $sim.CommandsProcessed | Should -Be $before
    }

    It 'completes -Type with the credential type names' {
        Get-Completion 'Set-ModemCredential -SecTag 1 -Type Client' | Should -Be 'ClientCertificate', 'ClientPrivateKey'
        Get-Completion 'Test-ModemCredential -SecTag 1 -Type Ps' | Should -Be 'Psk', 'PskIdentity'
        Get-Completion 'Get-ModemCredential -Type Root' | Should -Be 'RootCA'
    }

    It 'completes -PortName with the ports of running virtual modems' {
        $sim = Start-ModemSimulator -Transport $script:SerialTransport
        $prefix = $sim.PortName.Substring(0, $sim.PortName.Length - 1)
        @(Get-Completion "Connect-Modem -PortName $prefix" | ForEach-Object { $_.Trim("'") }) | Should -Contain $sim.PortName
        $sim | Stop-ModemSimulator
        @(Get-Completion "Connect-Modem -PortName $prefix" | ForEach-Object { $_.Trim("'") }) | Should -Not -Contain $sim.PortName
    }

    It 'completes -Firmware with the profile names' {
        Get-Completion 'Connect-Modem -Simulator -Firmware mfw_nrf91' | Should -Contain 'mfw_nrf91x1_2.0.2'
        Get-Completion 'Start-ModemSimulator -Firmware mfw_nrf9160_0' | Should -Be 'mfw_nrf9160_0.7.0'
        @(Get-Completion 'Start-ModemSimulator -Firmware ' | Sort-Object) | Should -Be @($script:Profiles | Sort-Object)
    }
}
