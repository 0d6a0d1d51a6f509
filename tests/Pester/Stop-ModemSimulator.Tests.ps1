#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-ModemSimulator and Stop-ModemSimulator.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Get-ModemSimulator and Stop-ModemSimulator' {
    AfterEach { Clear-TestModems }

    It 'lists and stops virtual modems' {
        $sim = Start-ModemSimulator -Transport Tcp
        (Get-ModemSimulator).PortName | Should -Be $sim.PortName
        $sim | Stop-ModemSimulator
        $sim.Running | Should -BeFalse
        Get-ModemSimulator | Should -BeNullOrEmpty
        { Connect-Modem -Uri $sim.Uri -TimeoutSeconds 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ModemConnectionFailed,*'
    }

    It 'stops one by -Id and leaves the others running' {
        $first = Start-ModemSimulator -Transport Tcp
        $second = Start-ModemSimulator -Transport $script:SerialTransport
        Stop-ModemSimulator -Id $first.Id
        $first.Running | Should -BeFalse
        $second.Running | Should -BeTrue
        @(Get-ModemSimulator | ForEach-Object Id) | Should -Be $second.Id
    }

    It 'stops them all with -All, also with a session still open' {
        $sims = @(Start-ModemSimulator -Transport Tcp; Start-TestModem)
        Stop-ModemSimulator -All -Confirm:$false
        @($sims | Where-Object Running).Count | Should -Be 0
        Get-ModemSimulator | Should -BeNullOrEmpty
    }
}
