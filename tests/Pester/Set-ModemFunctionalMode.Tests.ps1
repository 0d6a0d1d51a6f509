#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-ModemFunctionalMode and Set-ModemFunctionalMode.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Set-ModemFunctionalMode and Get-ModemFunctionalMode' {
    BeforeEach { $script:sim = Start-TestModem }

    AfterEach { Clear-TestModems }

    It 'reads the power-on mode' {
        $mode = Get-ModemFunctionalMode
        $mode.Mode | Should -Be 0
        $mode.Name | Should -Be 'PowerOff'
        $mode.IsLteActive | Should -BeFalse
    }

    It 'changes nothing with -WhatIf' {
        Set-ModemFunctionalMode -Mode Normal -WhatIf
        (Get-ModemFunctionalMode).Mode | Should -Be 0
        Get-SentCount $script:sim 'AT+CFUN=*' | Should -Be 0
    }

    It 'sets a mode by name or number and passes the new mode through' {
        (Set-ModemFunctionalMode -Mode Normal -Confirm:$false -PassThru).Name | Should -Be 'Normal'
        (Get-ModemFunctionalMode).IsLteActive | Should -BeTrue
        Set-ModemFunctionalMode 4 -Confirm:$false
        $mode = Get-ModemFunctionalMode
        $mode.Mode | Should -Be 4
        $mode.IsLteActive | Should -BeFalse
        @($script:sim.Modem.FunctionalModeHistory) | Should -Be 1, 4
    }
}
