#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    $badArguments = @(
        @{ Command = 'New-ModemKey -SecTag 1 -Force -Subject ''CN="x"'''; ErrorId = 'ModemKeyGenerationArgumentInvalid' }
        @{ Command = 'New-ModemKey -SecTag 1 -Force -KeyUsage Bogus'; ErrorId = 'ModemKeyGenerationArgumentInvalid' }
        @{ Command = 'New-ModemKey -SecTag 4294967295 -Force'; ErrorId = 'CredentialSecTagModemOwned' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'New-ModemKey' {
    Context 'Generating keys' {
        AfterEach { Clear-TestModems }

        It 'generates a key in the modem and returns a CSR for the device, with the private key kept there' {
            $sim = Start-TestModem
            $key = New-ModemKey -SecTag 42 -Force
            $key.Output | Should -Be 'Csr'
            $key.CsrPem | Should -BeLike '-----BEGIN CERTIFICATE REQUEST-----*'
            $key.Subject | Should -Be "CN=$($sim.DeviceUuid)"
            $key.DigestValid | Should -BeTrue
            $key.DeviceUuid | Should -Be $sim.DeviceUuid
            @($sim.Modem.Credentials | Where-Object { $_.SecTag -eq 42 -and $_.Type -eq 2 } | ForEach-Object { "$($_.Origin)" }) | Should -Be 'Generated'
        }

        It 'passes subject and key usage to AT%KEYGEN' {
            $sim = Start-TestModem -Firmware mfw_nrf9160_1.3.7
            $key = New-ModemKey -SecTag 7 -Force -Subject 'CN=nrf-test-7,O=Example' -KeyUsage DigitalSignature, KeyAgreement
            @($key.Subject -split ',' | ForEach-Object { $_.Trim() } | Sort-Object) | Should -Be 'CN=nrf-test-7', 'O=Example'
            @($sim.Modem.ReceivedCommands | Where-Object { $_ -like 'AT%KEYGEN*' }) | Should -Be 'AT%KEYGEN=7,2,0,"CN=nrf-test-7,O=Example","100010000"'
        }

        It 'flags a reply whose signed digest does not match' {
            $sim = Start-TestModem
            $null = $sim.Modem.Faults.TamperSignedDigest()
            $key = New-ModemKey -SecTag 9 -Force -WarningVariable warnings -WarningAction SilentlyContinue
            $key.DigestValid | Should -BeFalse
            "$warnings" | Should -BeLike '*does not match*'
        }

        It 'says that firmware without key generation does not support it, and sends nothing' {
            $sim = Start-TestModem -Firmware mfw_nrf9160_0.7.0
            $thrown = { New-ModemKey -SecTag 42 -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ModemKeyGenerationUnsupported,*' -PassThru
            $thrown.ToString() | Should -BeLike '*mfw_nrf9160_0.7.0*'
            Get-SentCount $sim 'AT%KEYGEN*' | Should -Be 0
        }

        It 'switches an active modem offline only with -Force, and back afterwards' {
            $sim = Start-TestModem
            Set-ModemFunctionalMode -Mode Normal -Confirm:$false
            { New-ModemKey -SecTag 5 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ModemFunctionalModeActive,*'
            Get-SentCount $sim 'AT%KEYGEN*' | Should -Be 0
            $null = New-ModemKey -SecTag 5 -Force
            (Get-ModemFunctionalMode).Mode | Should -Be 1
            @($sim.Modem.FunctionalModeHistory) -join ',' | Should -Be '1,4,1'
        }
    }

    Context 'Refusing bad arguments before anything is sent' {
        BeforeAll { $script:sim = Start-TestModem }

        AfterAll { Clear-TestModems }

        It 'refuses <Command> as <ErrorId>' -ForEach $badArguments {
            $sent = @($script:sim.Modem.ReceivedCommands).Count
            $command = [scriptblock]::Create($Command + ' -ErrorAction Stop')
            { & $command } | Should -Throw -ErrorId "$ErrorId,*"
            @($script:sim.Modem.ReceivedCommands).Count | Should -Be $sent
        }
    }
}
