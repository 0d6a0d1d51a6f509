#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Get-ModemAttestationToken' {
    AfterEach { Clear-TestModems }

    It 'decodes the attestation token of <Firmware> to the device identity' -ForEach @(
        @{ Firmware = 'mfw_nrf9160_1.3.5'; DeviceType = 'nRF9160 SIAA' }
        @{ Firmware = 'mfw_nrf91x1_2.0.2'; DeviceType = 'nRF9161 LACA' }
    ) {
        $sim = Start-TestModem -Firmware $Firmware
        $token = Get-ModemAttestationToken
        $token.DeviceUuid | Should -Be $sim.DeviceUuid
        $token.DeviceType | Should -Be $DeviceType
        $token.Token.Split('.').Count | Should -Be 2
        $token.Imei | Should -Be $sim.Imei
        (Get-ModemInfo).DeviceUuid | Should -Be $sim.DeviceUuid.ToString()
    }

    It 'refuses a challenge that is not 32 hex digits before anything is sent' {
        $sim = Start-TestModem
        $sent = @($sim.Modem.ReceivedCommands).Count
        { Get-ModemAttestationToken -Challenge 1234 -ErrorAction Stop } | Should -Throw -ErrorId 'ModemAttestationChallengeInvalid,*'
        @($sim.Modem.ReceivedCommands).Count | Should -Be $sent
    }
}
