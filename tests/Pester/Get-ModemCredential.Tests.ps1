#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Get-ModemCredential' {
    BeforeAll {
        $script:sim = Start-TestModem
        Set-ModemCredential -SecTag 1 -Type RootCA -Path (Get-Fixture ca.pem)
        Set-ModemCredential -SecTag 1 -Type ClientCertificate -Path (Get-Fixture client.pem)
        Set-ModemCredential -SecTag 1 -Type ClientPrivateKey -Path (Get-Fixture client.key)
        Set-ModemCredential -SecTag 2 -Type PskIdentity -Content 'device-2'
    }

    AfterAll { Clear-TestModems }

    It 'lists the user credentials with their digests, modem-owned ones left out' {
        @(Get-ModemCredential | ForEach-Object { "$($_.SecTag)/$($_.Type)" }) | Should -Be '1/RootCA', '1/ClientCertificate', '1/ClientPrivateKey', '2/PskIdentity'
        (Get-ModemCredential -SecTag 1 -Type RootCA).Sha256 | Should -Be (Get-TextSha256 (Get-FixtureText ca.pem))
        (Get-ModemCredential -SecTag 1 -Type RootCA).Imei | Should -Be $script:sim.Imei
    }

    It 'filters by sec_tag and by type' {
        @(Get-ModemCredential -SecTag 1 | ForEach-Object Type) | Should -Be 'RootCA', 'ClientCertificate', 'ClientPrivateKey'
        @(Get-ModemCredential -Type RootCA, PskIdentity | ForEach-Object { "$($_.SecTag)/$($_.Type)" }) | Should -Be '1/RootCA', '2/PskIdentity'
    }

    It 'includes the modem-owned credentials only when asked' {
        $owned = @(Get-ModemCredential -IncludeModemOwned | Where-Object IsModemOwned)
        @($owned | ForEach-Object { "$($_.Type)" } | Sort-Object) | Should -Be 'DeviceIdentityPublicKey', 'NordicBasePublicKey', 'NordicIdentityRootCA'
        Get-ModemCredential | Where-Object IsModemOwned | Should -BeNullOrEmpty
    }

    It 'reads back and decodes a root CA with -IncludeContent, never a private key' {
        $ca = Get-ModemCredential -SecTag 1 -Type RootCA -IncludeContent
        $ca.Content | Should -BeExactly (Get-FixtureText ca.pem)
        $ca.Subject | Should -Be 'CN=Nrf91Cmng Test Root CA, O=Nrf91Cmng Tests'
        $ca.NotAfter.Year | Should -Be 2124
        (Get-ModemCredential -SecTag 2 -Type PskIdentity -IncludeContent).Content | Should -BeExactly 'device-2'
        (Get-ModemCredential -SecTag 1 -Type ClientPrivateKey -IncludeContent).Content | Should -BeNullOrEmpty
        Get-SentCount $script:sim 'AT%CMNG=2,1,2*' | Should -Be 0
    }

    It 'says in one warning which contents -IncludeContent cannot return, instead of only in -Verbose' {
        $listed = @(Get-ModemCredential -SecTag 1 -IncludeContent -WarningVariable warned -WarningAction SilentlyContinue)
        $listed.Count | Should -Be 3
        $warned.Count | Should -Be 1
        "$warned" | Should -BeLike '*-IncludeContent*ClientPrivateKey at 1 (never returned: a secret)*Test-ModemCredential*'
        $null = Get-ModemCredential -SecTag 1 -Type RootCA -IncludeContent -WarningVariable none -WarningAction SilentlyContinue
        $none | Should -BeNullOrEmpty -Because 'a root CA is returned'
    }
}
