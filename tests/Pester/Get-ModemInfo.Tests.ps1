#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Get-ModemInfo' {
    AfterEach { Clear-TestModems }

    It 'reads the identity of a modem on a serial port, piped from its session' {
        $sim = Start-ModemSimulator -Transport $script:SerialTransport
        $info = $sim | Connect-Modem -Handshake None | Get-ModemInfo
        $info.Imei | Should -Be $sim.Imei
        $info.Model | Should -Be 'nRF9160-SICA'
        $info.Firmware | Should -BeLike 'mfw_nrf9160_1.3.5*'
        $info.FirmwareFamily | Should -Be 'nrf9160'
        $info.FirmwareVersion | Should -Be '1.3.5'
        $info.FunctionalMode | Should -Be 0
        $info.DeviceUuid | Should -Be $sim.DeviceUuid.ToString()
        $info.PortName | Should -Be $sim.PortName
    }

    It 'without a session is ModemNoSession (ObjectNotFound) pointing at Connect-Modem' {
        $thrown = { Get-ModemInfo -ErrorAction Stop } | Should -Throw -PassThru
        $thrown.FullyQualifiedErrorId | Should -Be 'ModemNoSession,Nrf91Cmng.Commands.GetModemInfoCommand'
        $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $thrown.ErrorDetails.RecommendedAction | Should -BeLike '*Connect-Modem*'
    }

    It 'with the id of no session is ModemSessionNotFound' {
        $null = Start-TestModem
        { Get-ModemInfo -SessionId 999999 -ErrorAction Stop } | Should -Throw -ErrorId 'ModemSessionNotFound,*'
    }
}
