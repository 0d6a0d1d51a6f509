#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Set-ModemPublicKey' {
    AfterEach { Clear-TestModems }

    It 'explains +CME ERROR 519 when the slot already holds a key' {
        $sim = Start-TestModem -Firmware mfw_nrf9160_0.7.0
        $before = Get-StoredText $sim 0 5
        $thrown = { Set-ModemPublicKey -Path (Get-Fixture public.pem) -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ModemCmeError519,*' -PassThru
        $thrown.ToString() | Should -BeLike '*already exists*'
        $thrown.ErrorDetails.RecommendedAction | Should -BeLike '*Remove-ModemCredential*'
        Get-StoredText $sim 0 5 | Should -BeExactly $before
    }

    It 'writes a key to a free slot and reads the same key back' {
        $sim = Start-TestModem -Firmware mfw_nrf9160_0.7.0
        $written = Set-ModemPublicKey -SecTag 3 -Path (Get-Fixture public.pem) -Confirm:$false -PassThru
        $written.Fingerprint | Should -Be (Get-ModemPublicKey -SecTag 3).Fingerprint
        (Get-ModemPublicKey -SecTag 3).Pem.Trim() | Should -BeExactly (Get-FixtureText public.pem).Trim()
    }
}
