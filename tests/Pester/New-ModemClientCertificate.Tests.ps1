#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    $keygenProfiles = @('mfw_nrf9160_1.3.5', 'mfw_nrf9160_1.3.7', 'mfw_nrf91x1_2.0.2') | ForEach-Object { @{ Firmware = $_ } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'New-ModemClientCertificate' {
    Context 'Signing on-modem keys' {
        AfterEach { Clear-TestModems }

        It 'provisions an on-modem key with a CA-signed certificate in one pipeline on <Firmware>' -ForEach $keygenProfiles {
            $sim = Start-TestModem -Firmware $Firmware
            $key = New-ModemKey -SecTag 42 -Output Csr -Force
            $cert = $key | New-ModemClientCertificate -CACertificate (Get-Fixture ca.pem) -CAKey (Get-Fixture ca.key)
            $written = $cert | Set-ModemCredential -SecTag 42 -Type ClientCertificate -PassThru
            Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem)

            $key.DigestValid | Should -BeTrue
            $key.Subject | Should -Be "CN=$($sim.DeviceUuid)"
            $cert.Subject | Should -Be "CN=$($sim.DeviceUuid)"
            $cert.Issuer | Should -Be 'CN=Nrf91Cmng Test Root CA, O=Nrf91Cmng Tests'
            $written.Status | Should -Be 'Written'
            Get-StoredText $sim 42 1 | Should -BeExactly $cert.Content
            Test-ModemCredential -SecTag 42 -Type ClientCertificate -Content $cert.Content | Should -BeTrue
            Test-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) | Should -BeTrue
            @(Get-ModemCredential -SecTag 42 | ForEach-Object { "$($_.Type)" }) | Should -Be 'RootCA', 'ClientCertificate', 'ClientPrivateKey'
            Get-SentCount $sim 'AT%CMNG=[02],42,2*' | Should -Be 0 -Because 'the private key is neither written nor read'
            @($sim.Modem.Credentials | Where-Object { $_.SecTag -eq 42 -and $_.Type -eq 2 } | ForEach-Object { "$($_.Origin)" }) | Should -Be 'Generated'
        }

        It 'certifies the generated public key with the subject, validity and serial asked for' {
            $sim = Start-TestModem -Firmware mfw_nrf9160_1.3.7
            $key = New-ModemKey -SecTag 7 -Force -Subject 'CN=nrf-test-7,O=Example'
            $cert = New-ModemClientCertificate -Csr $key -CACertificate (Get-Fixture ca.pem) -CAKey (Get-Fixture ca-encrypted.key) -CAKeyPassphrase (ConvertTo-TestSecureString $script:Passphrase) -ValidityDays 30 -SerialNumber 0x1234
            $cert.Subject | Should -BeLike '*CN=nrf-test-7*'
            $cert.SerialNumber.TrimStart('0') | Should -Be '1234'
            [int]($cert.NotAfter - $cert.NotBefore).TotalDays | Should -Be 30

            $x509 = ConvertFrom-PemCertificate $cert.Content
            $x509.Thumbprint | Should -Not -BeNullOrEmpty
            $x509.Issuer | Should -Be 'CN=Nrf91Cmng Test Root CA, O=Nrf91Cmng Tests'
            # The certificate's EC point is the last 65 bytes of the generated key's SubjectPublicKeyInfo.
            $spki = [Convert]::FromBase64String((Get-PemBase64 $key.PublicKeyPem))
            $point = $spki[($spki.Length - 65)..($spki.Length - 1)]
            [Convert]::ToBase64String($x509.PublicKey.EncodedKeyValue.RawData) | Should -Be ([Convert]::ToBase64String([byte[]] $point))
        }
    }

    Context 'Refusing bad input' {
        BeforeAll { $script:sim = Start-TestModem }

        AfterAll { Clear-TestModems }

        It 'refuses <Case> as <ErrorId>' -ForEach @(
            @{ Case = 'a certificate given as the CSR'; Csr = 'ca.pem'; ErrorId = 'PemWrongType' }
            @{ Case = 'a missing CSR file'; Csr = 'missing.csr'; ErrorId = 'CredentialFileNotFound' }
        ) {
            $sent = @($script:sim.Modem.ReceivedCommands).Count
            { New-ModemClientCertificate -Csr (Get-Fixture $Csr) -CACertificate (Get-Fixture ca.pem) -CAKey (Get-Fixture ca.key) -ErrorAction Stop } |
                Should -Throw -ErrorId "$ErrorId,*"
            @($script:sim.Modem.ReceivedCommands).Count | Should -Be $sent
        }

        It 'refuses a wrong CA key passphrase' {
            $csr = New-ModemKey -SecTag 3 -Force
            { New-ModemClientCertificate -Csr $csr -CACertificate (Get-Fixture ca.pem) -CAKey (Get-Fixture ca-encrypted.key) -CAKeyPassphrase (ConvertTo-TestSecureString 'wrong') -ErrorAction Stop } |
                Should -Throw -ErrorId 'PrivateKeyPassphraseIncorrect,*'
        }
    }
}
