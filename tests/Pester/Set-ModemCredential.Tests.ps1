#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    # Each: what is wrong, the command (run in the It's scope), the error it must give.
    $badInput = @(
        @{ Case = 'a chain too long for the AT buffer'; Command = 'Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture long.pem)'; ErrorId = 'CredentialCommandTooLong' }
        @{ Case = 'a quote in the content'; Command = 'Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture quote.pem)'; ErrorId = 'CredentialContentHasQuote' }
        @{ Case = 'a wrong passphrase'; Command = 'Set-ModemCredential -SecTag 42 -Type ClientPrivateKey -Path (Get-Fixture client-encrypted.key) -Passphrase (ConvertTo-TestSecureString wrong)'; ErrorId = 'PrivateKeyPassphraseIncorrect' }
        @{ Case = 'an encrypted key without passphrase'; Command = 'Set-ModemCredential -SecTag 42 -Type ClientPrivateKey -Path (Get-Fixture client-encrypted.key)'; ErrorId = 'PrivateKeyPassphraseRequired' }
        @{ Case = 'a certificate that does not parse'; Command = 'Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture garbage.pem)'; ErrorId = 'CertificateInvalid' }
        @{ Case = 'a missing file'; Command = 'Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture missing.pem)'; ErrorId = 'CredentialFileNotFound' }
        @{ Case = 'a wildcard matching many files'; Command = 'Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture *.pem)'; ErrorId = 'CredentialFileAmbiguous' }
        @{ Case = 'a folder'; Command = 'Set-ModemCredential -SecTag 42 -Type RootCA -Path $script:Fixtures'; ErrorId = 'CredentialFileIsDirectory' }
        @{ Case = 'a PSK of odd length'; Command = 'Set-ModemCredential -SecTag 42 -Type Psk -Content ABC'; ErrorId = 'CredentialPskOddLength' }
        @{ Case = 'a non-ASCII identity'; Command = 'Set-ModemCredential -SecTag 42 -Type PskIdentity -Content ("caf" + [char]0xE9)'; ErrorId = 'CredentialContentNotAscii' }
        @{ Case = 'a sec_tag that belongs to the modem'; Command = 'Set-ModemCredential -SecTag 4294967295 -Type RootCA -Path (Get-Fixture ca.pem)'; ErrorId = 'CredentialSecTagModemOwned' }
        @{ Case = 'a type the modem owns'; Command = 'Set-ModemCredential -SecTag 42 -Type EndorsementKey -Content x'; ErrorId = 'CredentialTypeNotWritable' }
        @{ Case = 'no content at all'; Command = 'Set-ModemCredential -SecTag 42 -Type RootCA'; ErrorId = 'CredentialContentMissing' }
        @{ Case = 'an empty file'; Command = 'Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture empty.pem)'; ErrorId = 'CredentialContentEmpty' }
        @{ Case = 'a DER file'; Command = 'Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.der)'; ErrorId = 'CredentialContentBinary' }
        @{ Case = 'a 10 MB file'; Command = 'Set-ModemCredential -SecTag 42 -Type RootCA -Path $script:HugeFile'; ErrorId = 'CredentialFileTooLarge' }
        @{ Case = 'a key given as a certificate'; Command = 'Set-ModemCredential -SecTag 42 -Type ClientCertificate -Path (Get-Fixture client.key)'; ErrorId = 'PemWrongType' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Set-ModemCredential' {
    Context 'Writing' {
        BeforeEach { $script:sim = Start-TestModem }

        AfterEach { Clear-TestModems }

        It 'writes exactly the normalised bytes and reports the digest the modem lists' {
            $written = Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca-crlf.pem) -PassThru
            $written.Status | Should -Be 'Written'
            $written.Sha256 | Should -Be (Get-TextSha256 (Get-FixtureText ca.pem))
            Get-StoredText $script:sim 42 0 | Should -BeExactly (Get-FixtureText ca.pem)
            (Get-ModemCredential -SecTag 42).Sha256 | Should -Be $written.Sha256
        }

        It 'explains CME 518 with what to do and which cmdlets switch the modem for you' {
            $null = $script:sim.Modem.Faults.CmeError(518, 'AT%CMNG=0')
            Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed.Count | Should -Be 1
            $failed[0].ToString() | Should -BeLike '*CME 518*only be written, deleted or generated while LTE is off*'
            $failed[0].ErrorDetails.RecommendedAction | Should -BeLike '*Set-ModemFunctionalMode -Mode Offline*Set-ModemCredential, Remove-ModemCredential, New-ModemKey and Invoke-ModemProvisioning do both for you with -Force*'
            Get-ModemCredential -SecTag 42 | Should -BeNullOrEmpty
        }

        It 'reports Unchanged for the same file and sends no write' {
            (Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) -PassThru).Status | Should -Be 'Written'
            Get-SentCount $script:sim 'AT%CMNG=0*' | Should -Be 1
            (Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) -PassThru).Status | Should -Be 'Unchanged'
            Get-SentCount $script:sim 'AT%CMNG=0*' | Should -Be 1
        }

        It 'replaces a different credential with -Force in place, never deleting it first' {
            Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem)
            $replaced = Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture chain.pem) -Force -PassThru
            $replaced.Status | Should -Be 'Replaced'
            (Get-ModemCredential -SecTag 42).Sha256 | Should -Be (Get-TextSha256 (Get-FixtureText chain.pem))
            Get-SentCount $script:sim 'AT%CMNG=3*' | Should -Be 0
        }

        It 'binds plan rows by property name, as Import-Csv rows do' {
            $plan = @(
                [pscustomobject]@{ SecTag = '20'; Type = 'RootCA'; Path = (Get-Fixture ca.pem); Content = '' }
                [pscustomobject]@{ SecTag = '20'; Type = 'PskIdentity'; Path = ''; Content = 'nrf91cmng-device-0001' }
                [pscustomobject]@{ SecTag = '21'; Type = '1'; Path = (Get-Fixture client.pem); Content = '' }
                [pscustomobject]@{ SecTag = '21'; Type = 'Key'; Path = (Get-Fixture client.key); Content = '' }
            )
            @($plan | Set-ModemCredential -PassThru | ForEach-Object { "$($_.SecTag)/$($_.Type)/$($_.Status)" }) |
                Should -Be '20/RootCA/Written', '20/PskIdentity/Written', '21/ClientCertificate/Written', '21/ClientPrivateKey/Written'
            @($plan | Test-ModemCredential) | Should -Be $true, $true, $true, $true
            Get-StoredText $script:sim 20 4 | Should -BeExactly 'nrf91cmng-device-0001'
        }

        It 'writes a SEC1 key and warns about a key on one line, and both verify' {
            (Set-ModemCredential -SecTag 5 -Type ClientPrivateKey -Path (Get-Fixture client-sec1.key) -PassThru).Status | Should -Be 'Written'
            $null = Set-ModemCredential -SecTag 6 -Type ClientPrivateKey -Path (Get-Fixture client-oneline.key) -WarningVariable warnings -WarningAction SilentlyContinue
            "$warnings" | Should -BeLike '*not laid out in lines*'
            Test-ModemCredential -SecTag 5 -Type ClientPrivateKey -Path (Get-Fixture client-sec1.key) | Should -BeTrue
        }

        It 'warns when a key and certificate do not belong together' {
            $pair = [pscustomobject]@{ SecTag = 30; Type = 'ClientCertificate'; Path = (Get-Fixture client.pem) },
            [pscustomobject]@{ SecTag = 30; Type = 'ClientPrivateKey'; Path = (Get-Fixture other.key) }
            $null = $pair | Set-ModemCredential -WarningVariable warnings -WarningAction SilentlyContinue
            "$warnings" | Should -BeLike '*do not belong together*'
            Get-SentCount $script:sim 'AT%CMNG=0,30,*' | Should -Be 2 -Because 'a warning does not stop the write'
        }

        It 'warns about a certificate that is <Why>' -ForEach @(
            @{ Why = 'expired'; File = 'expired.pem'; Text = '*expired*' }
            @{ Why = 'not valid yet'; File = 'notyet.pem'; Text = '*not valid yet*' }
        ) {
            $null = Set-ModemCredential -SecTag 31 -Type ClientCertificate -Path (Get-Fixture $File) -WarningVariable warnings -WarningAction SilentlyContinue
            "$warnings" | Should -BeLike $Text
        }

        It 'restores the functional mode after a forced write, also when it fails' {
            Set-ModemFunctionalMode -Mode Normal -Confirm:$false
            (Set-ModemCredential -SecTag 7 -Type RootCA -Path (Get-Fixture ca.pem) -Force -PassThru).Status | Should -Be 'Written'
            (Get-ModemFunctionalMode).Mode | Should -Be 1
            $null = $script:sim.Modem.Faults.CmeError(515, 'AT%CMNG=0')
            { Set-ModemCredential -SecTag 8 -Type RootCA -Path (Get-Fixture ca.pem) -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ModemCmeError515,*'
            (Get-ModemFunctionalMode).Mode | Should -Be 1
            @($script:sim.Modem.FunctionalModeHistory) -join ',' | Should -Be '1,4,1,4,1'
        }

        It 'surfaces +CME ERROR 527 with its code, meaning and remedy' {
            Clear-TestModems
            $script:sim = Start-TestModem -Firmware mfw_nrf91x1_2.0.2
            $null = $script:sim.Modem.Faults.CmeError(527, 'AT%CMNG=0')
            $thrown = { Set-ModemCredential -SecTag 9 -Type RootCA -Path (Get-Fixture ca.pem) -ErrorAction Stop } | Should -Throw -ErrorId 'ModemCmeError527,*' -PassThru
            $thrown.ToString() | Should -BeLike '*527*'
            $thrown.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }
    }

    Context 'Without -Force, where nobody can be asked' {
        # A runspace without a host: a prompt cannot be shown, so the cmdlet must decide alone.
        BeforeEach {
            $script:sim = Start-ModemSimulator -Transport $script:SerialTransport
            $script:store = Get-ModemStore $script:sim
        }

        AfterEach { Clear-TestModems }

        It 'does not replace a different credential' {
            $run = Invoke-InNewRunspace -ArgumentList $script:sim, (Get-Fixture ca.pem), (Get-Fixture chain.pem) {
                param($sim, $ca, $chain)
                $null = $sim | Connect-Modem -Handshake None
                Set-ModemCredential -SecTag 42 -Type RootCA -Path $ca
                Set-ModemCredential -SecTag 42 -Type RootCA -Path $chain -PassThru
                Disconnect-Modem
            }
            $run.Output | Should -BeNullOrEmpty
            @($run.Errors | ForEach-Object FullyQualifiedErrorId) | Should -Be 'CredentialReplaceNotConfirmed,Nrf91Cmng.Commands.SetModemCredentialCommand'
            Get-StoredText $script:sim 42 0 | Should -BeExactly (Get-FixtureText ca.pem)
        }

        It 'does not switch an active modem offline' {
            $run = Invoke-InNewRunspace -ArgumentList $script:sim, (Get-Fixture ca.pem) {
                param($sim, $ca)
                $null = $sim | Connect-Modem -Handshake None
                Set-ModemFunctionalMode -Mode Normal -Confirm:$false
                Set-ModemCredential -SecTag 7 -Type RootCA -Path $ca
                (Get-ModemFunctionalMode).Mode
                Disconnect-Modem
            }
            $run.Output | Should -Be 1
            @($run.Errors | ForEach-Object FullyQualifiedErrorId) | Should -Be 'ModemFunctionalModeActive,Nrf91Cmng.Commands.SetModemCredentialCommand'
            Get-ModemStore $script:sim | Should -Be $script:store
            @($script:sim.Modem.FunctionalModeHistory) | Should -Be 1
        }
    }

    Context 'Refusing bad input before anything is sent' {
        BeforeAll {
            $script:HugeFile = Join-Path $TestDrive 'huge.pem'
            $stream = [IO.File]::Create($script:HugeFile)
            $stream.SetLength(10MB)
            $stream.Dispose()
            $script:sim = Start-TestModem
            Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem)
            $script:store = Get-ModemStore $script:sim
            $script:writes = Get-SentCount $script:sim 'AT%CMNG=*'
        }

        AfterAll { Clear-TestModems }

        AfterEach {
            Get-ModemStore $script:sim | Should -Be $script:store
            Get-SentCount $script:sim 'AT%CMNG=*' | Should -Be $script:writes
        }

        It 'refuses <Case> as <ErrorId>, saying what to do' -ForEach $badInput {
            $command = [scriptblock]::Create($Command + ' -ErrorAction Stop')
            $thrown = { & $command } | Should -Throw -ErrorId "$ErrorId,*" -PassThru
            $thrown.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }
    }
}
