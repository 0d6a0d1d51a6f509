#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    $servings = @(
        @{ Transport = 'PseudoTerminal'; BaudRate = 0; SessionTransport = 'Serial' }
        @{ Transport = 'PseudoTerminal'; BaudRate = 115200; SessionTransport = 'Serial' }
        @{ Transport = 'Tcp'; BaudRate = 0; SessionTransport = 'Tcp' }
        @{ Transport = 'Tcp'; BaudRate = 115200; SessionTransport = 'Tcp' }
    )
    $owned = 'DeviceIdentityPublicKey/4294967294', 'NordicBasePublicKey/4294967292', 'NordicIdentityRootCA/4294967293'
    $profiles = @(
        @{ Firmware = 'mfw_nrf9160_0.7.0'; Model = 'nRF9160-SICA'; Owned = @(); User = @('0/PublicKey') }
        @{ Firmware = 'mfw_nrf9160_1.3.5'; Model = 'nRF9160-SICA'; Owned = $owned; User = @() }
        @{ Firmware = 'mfw_nrf9160_1.3.7'; Model = 'nRF9160-SICA'; Owned = $owned; User = @() }
        @{ Firmware = 'mfw_nrf91x1_2.0.2'; Model = 'nRF9161-LACA'; Owned = $owned; User = @() }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Start-ModemSimulator' {
    AfterEach { Clear-TestModems }

    It 'serves the virtual modem over <Transport> at <BaudRate> baud' -ForEach $servings {
        if ($Transport -eq 'PseudoTerminal' -and $script:OnWindows) { Set-ItResult -Skipped -Because 'Windows has no pseudo-terminals; the Tcp rows cover it' }
        $sim = Start-ModemSimulator -Transport $Transport -BaudRate $BaudRate -Firmware mfw_nrf91x1_2.0.2
        $sim.Transport | Should -Be $Transport
        $sim.BaudRate | Should -Be $BaudRate
        $sim.Running | Should -BeTrue
        $session = $sim | Connect-Modem -Handshake None -TimeoutSeconds 5
        $session.Transport | Should -Be $SessionTransport
        $session.Imei | Should -Be $sim.Imei
        (Invoke-ModemCommand 'AT+CGMM').Lines | Should -Be 'nRF9161-LACA'
        $sim.Modem.ReceivedCommands | Should -Contain 'AT+CGMM'
        $sim.ConnectionCount | Should -Be 1
    }

    It 'serves firmware profile <Firmware> over the serial path with its factory credentials' -ForEach $profiles {
        $sim = Start-TestModem -Firmware $Firmware
        $sim.Firmware | Should -Be $Firmware
        $info = Get-ModemInfo
        $info.Firmware | Should -BeLike "$Firmware*"
        $info.Model | Should -Be $Model
        $all = @(Get-ModemCredential -IncludeModemOwned)
        @($all | Where-Object IsModemOwned | ForEach-Object { "$($_.Type)/$($_.SecTag)" } | Sort-Object) | Should -Be $Owned
        @($all | Where-Object { -not $_.IsModemOwned } | ForEach-Object { "$($_.SecTag)/$($_.Type)" }) | Should -Be $User
    }

    It 'starts nothing with -WhatIf' {
        $sim = Start-ModemSimulator -Transport Tcp -WhatIf
        $sim | Should -BeNullOrEmpty
        Get-ModemSimulator | Should -BeNullOrEmpty
    }

    It 'refuses an unknown firmware profile, naming the known ones' {
        $thrown = { Start-ModemSimulator -Firmware mfw_nrf9160_9.9.9 -ErrorAction Stop } | Should -Throw -ErrorId 'ModemUnknownFirmwareProfile,*' -PassThru
        $thrown.ErrorDetails.RecommendedAction | Should -BeLike '*mfw_nrf91x1_2.0.2*'
        Get-ModemSimulator | Should -BeNullOrEmpty
    }
}
