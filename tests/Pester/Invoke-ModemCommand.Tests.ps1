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

    It 'keeps the result when unsolicited codes flood the line before a command, and reports each one' {
        $before = $script:sim.Modem.BytesSent
        $script:sim.Modem.Faults.UrcFlood(200)
        # Wait until the virtual modem has put the whole flood on the line (its output stops growing).
        $clock = [Diagnostics.Stopwatch]::StartNew()
        do {
            $sent = $script:sim.Modem.BytesSent
            Start-Sleep -Milliseconds 100
        } until (($sent -gt $before -and $script:sim.Modem.BytesSent -eq $sent) -or $clock.Elapsed.TotalSeconds -gt 10)

        $all = Invoke-ModemCommand 'AT+CGSN=1' -Verbose 4>&1
        $response = @($all | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] })
        $response.Count | Should -Be 1
        $response[0].Lines | Should -Be "+CGSN: `"$($script:sim.Imei)`""
        $response[0].Result | Should -Be 'Ok'
        # Each code is set aside and reported, whether read before the command was sent or with its answer.
        @($all | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like 'Unsolicited:*' }).Count | Should -Be 200
        @($response[0].Unsolicited).Count | Should -BeLessOrEqual 200
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
