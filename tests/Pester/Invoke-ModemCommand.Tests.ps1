#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Invoke-ModemCommand' {
    BeforeEach { $script:sim = Start-TestModem -TimeoutSeconds 2 }

    AfterEach { Clear-TestModems }

    It 'answers with the lines and the final result' {
        $response = Invoke-ModemCommand 'AT+CGSN=1'
        $response.Command | Should -Be 'AT+CGSN=1'
        $response.Lines | Should -Be "+CGSN: `"$($script:sim.Imei)`""
        $response.Result | Should -Be 'Ok'
        $response.ErrorCode | Should -BeNullOrEmpty
    }

    It 'keeps the result when unsolicited codes flood a command' {
        $script:sim.Modem.Faults.UrcFlood(200)
        $response = Invoke-ModemCommand 'AT+CGSN=1'
        $response.Lines | Should -Be "+CGSN: `"$($script:sim.Imei)`""
        $response.Result | Should -Be 'Ok'
        (Get-ModemInfo).Imei | Should -Be $script:sim.Imei
    }

    It 'sets unsolicited lines that arrive with the answer aside' {
        $script:sim.Modem.UnsolicitedNoise = $true
        $response = Invoke-ModemCommand 'AT+CFUN=1'
        $response.Result | Should -Be 'Ok'
        $response.Lines | Should -BeNullOrEmpty
        @($response.Unsolicited).Count | Should -BeGreaterOrEqual 1
        foreach ($line in $response.Unsolicited) { $line | Should -Match '^(\+|%|\[)' }
        (Invoke-ModemCommand 'AT+CFUN?').Lines | Should -Be '+CFUN: 1'
    }

    It 'times out a silent command naming it, and the next command works' {
        $null = $script:sim.Modem.Faults.NoReply('AT+CGMR')
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $thrown = { Invoke-ModemCommand 'AT+CGMR' -TimeoutSeconds 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ModemCommandTimeout,*' -PassThru
        $clock.Stop()
        $thrown.ToString() | Should -BeLike '*AT+CGMR*'
        $thrown.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 15 -Because 'the wait is bounded by the timeout (generous for a busy machine)'
        (Invoke-ModemCommand 'AT+CGMM').Lines | Should -Be 'nRF9160-SICA'
    }

    It 'reports +CME ERROR as a non-terminating error that carries the response' {
        $output = & { Invoke-ModemCommand 'AT%CMNG=2,42,0' -ErrorVariable script:errors -ErrorAction SilentlyContinue; 'after' }
        $output | Should -Be 'after' -Because 'the error does not stop the script'
        $errors = $script:errors
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ModemCmeError513,*'
        $errors[0].TargetObject.Result | Should -Be 'CmeError'
        $errors[0].TargetObject.ErrorCode | Should -Be 513
    }
}
