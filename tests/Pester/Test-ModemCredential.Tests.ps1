#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Test-ModemCredential' {
    BeforeEach { $script:sim = Start-TestModem }

    AfterEach { Clear-TestModems }

    It 'explains line-ending differences' {
        $null = Set-ModemCredential -SecTag 3 -Type RootCA -Path (Get-Fixture ca.pem) -LineEnding CrLf -WarningAction SilentlyContinue
        $detail = Test-ModemCredential -SecTag 3 -Type RootCA -Path (Get-Fixture ca.pem) -Detailed
        $detail.Match | Should -BeTrue
        $detail.Present | Should -BeTrue
        $detail.MatchedVariant | Should -Be 'CrLf'
        $detail.MatchedVariantDescription | Should -Not -BeNullOrEmpty
        $detail.ModemSha256 | Should -Be (Get-TextSha256 (Get-FixtureText ca-crlf.pem))
        $detail.LocalSha256 | Should -Be (Get-TextSha256 (Get-FixtureText ca.pem))
        Test-ModemCredential -SecTag 3 -Type RootCA -Path (Get-Fixture ca.pem) -LineEnding Lf | Should -BeFalse
        Test-ModemCredential -SecTag 3 -Type RootCA -Path (Get-Fixture ca-crlf.pem) -LineEnding Preserve | Should -BeTrue
    }

    It 'reports an empty slot as not present' {
        $detail = Test-ModemCredential -SecTag 4 -Type RootCA -Path (Get-Fixture ca.pem) -Detailed
        $detail.Present | Should -BeFalse
        $detail.Match | Should -BeFalse
        Test-ModemCredential -SecTag 4 -Type RootCA -Path (Get-Fixture ca.pem) | Should -BeFalse
    }

    It 'compares secrets by digest: the right PSK and key match, others do not' {
        Set-ModemCredential -SecTag 5 -Type Psk -Content $script:Psk
        Set-ModemCredential -SecTag 5 -Type ClientPrivateKey -Path (Get-Fixture client.key)
        (Test-ModemCredential -SecTag 5 -Type Psk -Content $script:Psk -Detailed).ComparedBy | Should -Be 'Digest'
        Test-ModemCredential -SecTag 5 -Type Psk -Content $script:Psk | Should -BeTrue
        Test-ModemCredential -SecTag 5 -Type Psk -Content '00112233445566778899AABBCCDDEEFF' | Should -BeFalse
        Test-ModemCredential -SecTag 5 -Type ClientPrivateKey -Path (Get-Fixture client.key) | Should -BeTrue
        Test-ModemCredential -SecTag 5 -Type ClientPrivateKey -Path (Get-Fixture other.key) | Should -BeFalse
        Get-SentCount $script:sim 'AT%CMNG=2*' | Should -Be 0 -Because 'secrets are never read back'
    }

    It 'refuses -Path and -Content together as CredentialContentMissing' {
        $thrown = { Test-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) -Content x -ErrorAction Stop } |
            Should -Throw -ErrorId 'CredentialContentMissing,*' -PassThru
        $thrown.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Get-SentCount $script:sim 'AT%CMNG=*' | Should -Be 0
    }
}
