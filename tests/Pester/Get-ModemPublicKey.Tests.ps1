#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Get-ModemPublicKey' {
    AfterEach { Clear-TestModems }

    It 'reads the factory public key of mfw_nrf9160_0.7.0 as an object' {
        $sim = Start-TestModem -Firmware mfw_nrf9160_0.7.0
        $key = Get-ModemPublicKey
        $key.Algorithm | Should -Be 'EC'
        $key.Curve | Should -Be 'P-256'
        $key.KeySize | Should -Be 256
        $key.Source | Should -Be 'AT%XPMNG=2'
        $key.Pem | Should -BeExactly (Get-StoredText $sim 0 5)
        $key.Fingerprint | Should -Match '^[0-9A-F]{64}$'
        $key.Imei | Should -Be $sim.Imei
    }

    It 'refuses a sec_tag given as a slot, and says where the public key of a generated key pair comes from' {
        $null = Start-TestModem
        $thrown = { Get-ModemPublicKey -SecTag 42 -ErrorAction Stop } | Should -Throw -PassThru
        $thrown.ToString() | Should -BeLike "*'42' is not an AT%XPMNG slot*slots 0 to 9*New-ModemKey -SecTag <tag> -Output PublicKey*"
        Get-SentCount (Get-ModemSimulator) 'AT%XPMNG*' | Should -Be 0
    }

    It 'reports an empty slot as a non-terminating error' {
        $null = Start-TestModem -Firmware mfw_nrf9160_0.7.0
        $output = & { Get-ModemPublicKey -SecTag 7 -ErrorVariable script:errors -ErrorAction SilentlyContinue; 'after' }
        $output | Should -Be 'after'
        $script:errors.Count | Should -Be 1
        $script:errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
