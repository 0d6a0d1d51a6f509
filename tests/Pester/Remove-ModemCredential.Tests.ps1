#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Remove-ModemCredential' {
    BeforeEach {
        $script:sim = Start-TestModem
        Set-ModemCredential 10 RootCA -Path (Get-Fixture ca.pem)
        Set-ModemCredential 11 CA -Path (Get-Fixture chain.pem)
        Set-ModemCredential 11 Cert -Path (Get-Fixture client.pem)
        Set-ModemCredential 12 4 -Content 'nrf91cmng-device-0001'
    }

    AfterEach { Clear-TestModems }

    It 'removes exactly the listed root CAs, and nothing with -WhatIf' {
        $before = Get-ModemStore $script:sim
        $shown = Invoke-WithTranscript -Path (Join-Path $TestDrive 'whatif.txt') {
            Get-ModemCredential | Where-Object Type -eq RootCA | Remove-ModemCredential -WhatIf
        }
        Get-ModemStore $script:sim | Should -Be $before
        $shown | Should -BeLike '*What if*root CA certificate at sec_tag 10*'
        $shown | Should -BeLike '*What if*root CA certificate at sec_tag 11*'

        Get-ModemCredential | Where-Object Type -eq RootCA | Remove-ModemCredential -Confirm:$false
        @(Get-ModemCredential | ForEach-Object { "$($_.SecTag)/$($_.Type)" }) | Should -Be '11/ClientCertificate', '12/PskIdentity'
    }

    It 'removes by sec_tag and type and passes the removed entry through' {
        $removed = Remove-ModemCredential -SecTag 12 -Type PskIdentity -Force -PassThru
        $removed.Status | Should -Be 'Removed'
        $removed.SecTag | Should -Be 12
        Get-StoredText $script:sim 12 4 | Should -BeNullOrEmpty
    }

    It 'reports a missing entry as a non-terminating CredentialNotFound and removes the rest' {
        Remove-ModemCredential -SecTag 99 -Type RootCA -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'CredentialNotFound,*'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Get-ModemCredential).Count | Should -Be 4
    }

    It 'refuses to delete what belongs to the modem' {
        $owned = $script:sim.Modem.Credentials | Where-Object { $_.SecTag -eq 4294967293 }
        { Remove-ModemCredential -SecTag 4294967293 -Type NordicIdentityRootCA -Force -ErrorAction Stop } | Should -Throw -ErrorId 'CredentialModemOwned,*'
        Get-SentCount $script:sim 'AT%CMNG=3*' | Should -Be 0
        @($script:sim.Modem.Credentials | Where-Object { $_.SecTag -eq 4294967293 }).Count | Should -Be @($owned).Count
    }

    It 'switches an active modem offline with -Force and back afterwards' {
        Set-ModemFunctionalMode -Mode Normal -Confirm:$false
        Remove-ModemCredential -SecTag 10 -Type RootCA -Force
        Get-StoredText $script:sim 10 0 | Should -BeNullOrEmpty
        (Get-ModemFunctionalMode).Mode | Should -Be 1
        @($script:sim.Modem.FunctionalModeHistory) -join ',' | Should -Be '1,4,1'
    }
}
