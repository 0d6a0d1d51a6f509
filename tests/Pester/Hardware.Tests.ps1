#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Checks against a real nRF91 on the port named by NRF91CMNG_TEST_PORT (COM5, /dev/ttyACM0,
    tcp://host:port). build.ps1 -Test leaves the Hardware tag out, and says so, when the variable is not
    set; run directly without it, the tests report themselves skipped. They write, verify and delete a
    PSK identity at a sec_tag of their own (2147480042), switching the modem offline and back with -Force.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:port = $env:NRF91CMNG_TEST_PORT
    $script:testTag = 2147480042
}

Describe 'A real modem' -Tag Hardware {
    BeforeAll {
        if ($script:port) { $script:session = Connect-Modem -PortName $script:port }
    }

    BeforeEach {
        if (-not $script:port) { Set-ItResult -Skipped -Because 'NRF91CMNG_TEST_PORT names no port with a real nRF91' }
    }

    AfterAll {
        if ($script:port) {
            Remove-ModemCredential -SecTag $script:testTag -Type PskIdentity -Force -ErrorAction SilentlyContinue
            Disconnect-Modem
        }
    }

    It 'answers on the port named by NRF91CMNG_TEST_PORT and reports its identity' {
        $info = Get-ModemInfo
        $info.Imei | Should -Match '^\d{15}$'
        $info.Model | Should -Match '^nRF91'
        $info.Firmware | Should -Match '^mfw_nrf91'
    }

    It 'lists its credentials, modem-owned ones included on request' {
        $all = @(Get-ModemCredential -IncludeModemOwned)
        foreach ($credential in $all) { $credential.Sha256 | Should -Match '^([0-9A-F]{64})?$' }
        @(Get-ModemCredential | ForEach-Object { "$($_.SecTag)/$($_.Type)" }) | Should -Be @($all | Where-Object { -not $_.IsModemOwned } | ForEach-Object { "$($_.SecTag)/$($_.Type)" })
    }

    It 'writes, verifies and deletes a PSK identity, and restores the functional mode' {
        $mode = (Get-ModemFunctionalMode).Mode
        (Set-ModemCredential -SecTag $script:testTag -Type PskIdentity -Content 'nrf91cmng-hardware-test' -Force -PassThru).Status | Should -BeIn 'Written', 'Replaced', 'Unchanged'
        Test-ModemCredential -SecTag $script:testTag -Type PskIdentity -Content 'nrf91cmng-hardware-test' | Should -BeTrue
        (Get-ModemCredential -SecTag $script:testTag -Type PskIdentity -IncludeContent).Content | Should -BeExactly 'nrf91cmng-hardware-test'
        Remove-ModemCredential -SecTag $script:testTag -Type PskIdentity -Force
        Get-ModemCredential -SecTag $script:testTag | Should -BeNullOrEmpty
        (Get-ModemFunctionalMode).Mode | Should -Be $mode
    }
}
