#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The credential cmdlets together (Set, Get, Test, Remove) on every firmware profile, and the binding errors they share.

BeforeDiscovery {
    $profiles = @('mfw_nrf9160_0.7.0', 'mfw_nrf9160_1.3.5', 'mfw_nrf9160_1.3.7', 'mfw_nrf91x1_2.0.2') | ForEach-Object { @{ Firmware = $_ } }
    $badValues = @(
        @{ Command = 'Set-ModemCredential -SecTag -1 -Type RootCA -Path (Get-Fixture ca.pem)'; Hint = 'sec_tag' }
        @{ Command = 'Set-ModemCredential -SecTag 4294967296 -Type RootCA -Path (Get-Fixture ca.pem)'; Hint = 'sec_tag' }
        @{ Command = 'Set-ModemCredential -SecTag 1.5 -Type RootCA -Path (Get-Fixture ca.pem)'; Hint = 'sec_tag' }
        @{ Command = 'Get-ModemCredential -SecTag abc'; Hint = 'sec_tag' }
        @{ Command = 'Remove-ModemCredential -SecTag 1 -Type Bogus -Confirm:$false'; Hint = 'RootCA' }
        @{ Command = 'Set-ModemCredential -SecTag 1 -Type 12 -Path (Get-Fixture ca.pem)'; Hint = '0 to 11' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'The credential cmdlets' {
    Context 'On firmware <Firmware>' -ForEach $profiles {
        BeforeAll {
            $script:sim = Start-TestModem -Firmware $Firmware
            # 0.7.0 lists no digests, and its factory public key sits in user sec_tag 0.
            $script:digests = $Firmware -ne 'mfw_nrf9160_0.7.0'
            $script:factory = @()
            if (-not $script:digests) { $script:factory = @('0/PublicKey/') }
        }

        AfterAll { Clear-TestModems }

        It 'writes all five user types' {
            $plan = @(
                @{ SecTag = 1001; Type = 'RootCA'; Path = (Get-Fixture chain.pem) }
                @{ SecTag = 1002; Type = 'ClientCertificate'; Path = (Get-Fixture client.pem) }
                @{ SecTag = 1002; Type = 'ClientPrivateKey'; Path = (Get-Fixture client-encrypted.key); Passphrase = (ConvertTo-TestSecureString $script:Passphrase) }
                @{ SecTag = 1003; Type = 'Psk'; Content = $script:Psk }
                @{ SecTag = 1003; Type = 'PskIdentity'; Content = 'nrf91cmng-device-0001' }
            )
            $warnings = @()
            $written = @(foreach ($entry in $plan) {
                    Set-ModemCredential @entry -PassThru -WarningVariable +warnings -WarningAction SilentlyContinue
                })
            if ($script:digests) {
                $warnings | Should -BeNullOrEmpty
            }
            else {
                $warnings.Count | Should -Be 5
                foreach ($warning in $warnings) { "$warning" | Should -BeLike '*placeholder digests*cannot be verified*' }
            }
            @($written | ForEach-Object Status) | Should -Be 'Written', 'Written', 'Written', 'Written', 'Written'
            $written[0].Sha256 | Should -Be (Get-TextSha256 (Get-FixtureText chain.pem))
            Get-StoredText $script:sim 1002 2 | Should -BeExactly (Get-FixtureText client-encrypted.key)
        }

        It 'lists them with the digests the firmware reports' {
            function Expect($tag, $type, $text) {
                $digest = ''
                if ($script:digests) { $digest = Get-TextSha256 $text }
                "$tag/$type/$digest"
            }
            $expected = $script:factory + @(
                Expect 1001 RootCA (Get-FixtureText chain.pem)
                Expect 1002 ClientCertificate (Get-FixtureText client.pem)
                Expect 1002 ClientPrivateKey (Get-FixtureText client-encrypted.key)
                Expect 1003 Psk $script:Psk
                Expect 1003 PskIdentity 'nrf91cmng-device-0001'
            )
            @(Get-ModemCredential | ForEach-Object { "$($_.SecTag)/$($_.Type)/$($_.Sha256)" }) | Should -Be $expected
        }

        It 'reads the root CA chain back' {
            $chain = Get-ModemCredential -SecTag 1001 -IncludeContent
            $chain.Content | Should -BeExactly (Get-FixtureText chain.pem)
            $chain.Subject | Should -BeLike '*Intermediate*'
        }

        It 'verifies what it wrote, and nothing else' {
            Test-ModemCredential -SecTag 1001 -Type RootCA -Path (Get-Fixture chain.pem) | Should -BeTrue
            Test-ModemCredential -SecTag 1003 -Type PskIdentity -Content 'nrf91cmng-device-0001' | Should -BeTrue
            Test-ModemCredential -SecTag 1003 -Type PskIdentity -Content 'someone-else' | Should -BeFalse
            if ($script:digests) {
                # Without digests (0.7.0) secrets cannot be compared at all.
                Test-ModemCredential -SecTag 1002 -Type ClientCertificate -Path (Get-Fixture client.pem) | Should -BeTrue
                Test-ModemCredential -SecTag 1002 -Type ClientPrivateKey -Path (Get-Fixture client-encrypted.key) | Should -BeTrue
                Test-ModemCredential -SecTag 1003 -Type Psk -Content $script:Psk | Should -BeTrue
                Test-ModemCredential -SecTag 1003 -Type Psk -Content '00112233445566778899AABBCCDDEEFF' | Should -BeFalse
            }
        }

        It 'deletes everything it listed' {
            Get-ModemCredential | Remove-ModemCredential -Confirm:$false
            Get-ModemCredential | Should -BeNullOrEmpty
            @($script:sim.Modem.Credentials | Where-Object { $_.Origin.ToString() -eq 'Written' }).Count | Should -Be 0
        }
    }

    Context 'Parameter values' {
        BeforeAll { $script:sim = Start-TestModem }

        AfterAll { Clear-TestModems }

        It 'refuses <Command> while binding, naming <Hint>' -ForEach $badValues {
            $sent = @($script:sim.Modem.ReceivedCommands).Count
            $command = [scriptblock]::Create($Command + ' -ErrorAction Stop')
            $thrown = { & $command } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,*' -PassThru
            $thrown.ToString() | Should -BeLike "*$Hint*"
            @($script:sim.Modem.ReceivedCommands).Count | Should -Be $sent
        }
    }
}
