#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Test-ModemSecTag against the virtual modem: one report per sec_tag with Ready and the checks R1-R17,
# each finding with its remedy, and never a change to the modem.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    function Start-ReadyModem {
        <# A virtual modem with the clock set to now and a complete certificate set at sec_tag 42. #>
        param([string] $Firmware = 'mfw_nrf91x1_2.0.2', [string] $Certificate = 'client.pem', [switch] $NoRootCA)
        $sim = Start-TestModem -Firmware $Firmware
        $sim.Modem.SetClock([DateTimeOffset]::UtcNow)
        if (-not $NoRootCA) { $sim.Modem.Preload(42, 0, [IO.File]::ReadAllBytes((Get-Fixture ca.pem))) }
        $sim.Modem.Preload(42, 1, [IO.File]::ReadAllBytes((Get-Fixture $Certificate)))
        $sim.Modem.Preload(42, 2, [IO.File]::ReadAllBytes((Get-Fixture client.key)))
        $sim
    }

    # The commands a check may send: lists, read-backs, identity and the clock.
    $script:ReadOnly = '^AT(%CMNG=[12](,.*)?|\+CCLK\?|%DEVICEUUID|%ATTESTTOKEN.*|\+CGM[IMR]|\+CGSN|\+CMEE=1|\+CFUN\?)?$'
}

Describe 'Test-ModemSecTag' {
    AfterEach { Clear-TestModems }

    It 'passes a complete valid set with Ready true, one check object per check, and changes nothing on the modem' {
        $sim = Start-ReadyModem
        $before = Get-ModemStore $sim
        $sent = $sim.Modem.ReceivedCommands.Count
        $report = Test-ModemSecTag -SecTag 42 -RootCA (Get-Fixture ca.pem) -ClientCertificate (Get-Fixture client.pem) -ClientPrivateKey (Get-Fixture client.key) -Server (Get-Fixture ca.pem)
        @($report).Count | Should -Be 1
        $report.Ready | Should -BeTrue
        $report.SecTag | Should -Be 42
        $report.PortName | Should -Be (Get-ModemSession).PortName
        $report.ModemClockState | Should -Be 'Valid'
        @($report.Checks | ForEach-Object Id) | Should -Be @(1..17 | ForEach-Object { "R$_" })
        @($report.Checks | Where-Object Status -eq 'Fail') | Should -BeNullOrEmpty
        foreach ($id in 'R2', 'R3', 'R5', 'R6', 'R7', 'R8', 'R9', 'R13', 'R14', 'R15', 'R17') {
            $report.Checks[$id].Status | Should -Be 'Pass' -Because "$id $($report.Checks[$id].Reason)"
        }
        foreach ($check in $report.Checks) {
            $check.What | Should -Not -BeNullOrEmpty
            $check.Reason | Should -Not -BeNullOrEmpty
            @('Pass', 'Warn', 'Fail', 'NotCheckable') | Should -Contain $check.Status
            if ($check.Status -in 'Fail', 'Warn') { $check.Remedy | Should -Not -BeNullOrEmpty -Because "$($check.Id) $($check.Reason)" }
        }

        Get-ModemStore $sim | Should -Be $before
        $commands = @($sim.Modem.ReceivedCommands | Select-Object -Skip $sent)
        $commands | Should -Not -BeNullOrEmpty
        @($commands | Where-Object { $_ -notmatch $script:ReadOnly }) | Should -BeNullOrEmpty -Because 'a check only reads'
        $commands | Should -Contain 'AT+CCLK?'
    }

    It 'fails R2 without a root CA, with the remedy' {
        $null = Start-ReadyModem -NoRootCA
        $report = Test-ModemSecTag -SecTag 42
        $report.Ready | Should -BeFalse
        $report.Checks['R2'].Status | Should -Be 'Fail'
        $report.Checks['R2'].Reason | Should -BeLike '*No root CA*'
        $report.Checks['R2'].Remedy | Should -BeLike '*root CA as type 0*'
        $report.Summary | Should -BeLike 'Fail: R2*'
    }

    It 'fails R15 for a client certificate that is <Case>' -ForEach @(
        @{ Case = 'expired'; File = 'expired.pem'; Reason = '*client certificate expired on 2021-01-01*'; Remedy = '*Issue a new client certificate*' }
        @{ Case = 'not yet valid'; File = 'notyet.pem'; Reason = '*client certificate is not valid before 2124-01-01*'; Remedy = '*start date in the past*' }
    ) {
        $null = Start-ReadyModem -Firmware mfw_nrf9160_1.3.5 -Certificate $File
        $report = Test-ModemSecTag -SecTag 42 -ClientCertificate (Get-Fixture $File)
        $report.Ready | Should -BeFalse
        $report.Checks['R15'].Status | Should -Be 'Fail'
        $report.Checks['R15'].Reason | Should -BeLike $Reason
        $report.Checks['R15'].Remedy | Should -BeLike $Remedy
    }

    It 'fails R13 for a certificate whose key was generated again in the modem after it was issued' {
        $sim = Start-TestModem
        $sim.Modem.SetClock([DateTimeOffset]::UtcNow)
        $records = Join-Path $TestDrive 'records'
        $plan = @(
            @{ SecTag = 50; Type = 'RootCA'; Path = (Get-Fixture ca.pem) }
            @{ SecTag = 50; Generate = $true; CACertificate = (Get-Fixture ca.pem); CAKey = (Get-Fixture ca.key) }
        )
        $null = Invoke-ModemProvisioning -Plan $plan -Session (Get-ModemSession) -RecordPath $records
        $fresh = Test-ModemSecTag -SecTag 50 -Plan $plan -RecordPath $records
        $fresh.Checks['R13'].Status | Should -Be 'Pass'
        $fresh.RecordPath | Should -Be (Join-Path $records "uuid-$($sim.DeviceUuid).json")
        $fresh.Ready | Should -BeTrue

        (Test-ModemSecTag -SecTag 50).Checks['R13'].Status | Should -Be 'NotCheckable' -Because 'without the record nothing tells'

        $null = New-ModemKey -SecTag 50 -Force
        $report = Test-ModemSecTag -SecTag 50 -Plan $plan -RecordPath $records
        $report.Ready | Should -BeFalse
        $report.Checks['R13'].Status | Should -Be 'Fail'
        $report.Checks['R13'].Reason | Should -BeLike '*replaced after its certificate was issued*'
        $report.Checks['R13'].Remedy | Should -Not -BeNullOrEmpty
    }

    It 'warns (R8) about a root CA chain over 4 KB, with the remedy' {
        $sim = Start-ReadyModem -Firmware mfw_nrf9160_1.3.5
        $long = [IO.File]::ReadAllBytes((Get-Fixture long.pem))
        $long.Length | Should -BeGreaterThan 4096
        $sim.Modem.Preload(42, 0, $long)
        $sent = $sim.Modem.ReceivedCommands.Count
        $report = Test-ModemSecTag -SecTag 42 -RootCA (Get-Fixture long.pem)
        $report.Checks['R8'].Status | Should -Be 'Warn'
        $report.Checks['R8'].Reason | Should -BeLike '*over the 4 KB*'
        $report.Checks['R8'].Remedy | Should -BeLike '*only the root CA*'
        $report.Checks['R5'].Status | Should -Be 'Pass'
        @($sim.Modem.ReceivedCommands | Select-Object -Skip $sent) | Should -Not -Contain 'AT%CMNG=2,42,0' -Because 'content the file gives and the digest confirms is not read again'
    }

    It 'still reports when a root CA over 4 KB cannot be read back (the AT host cuts the reply), and says so' {
        $sim = Start-TestModem -TimeoutSeconds 1
        $sim.Modem.SetClock([DateTimeOffset]::UtcNow)
        $sim.Modem.Preload(42, 0, [IO.File]::ReadAllBytes((Get-Fixture long.pem)))
        $report = Test-ModemSecTag -SecTag 42 -WarningVariable warnings -WarningAction SilentlyContinue
        $report.Checks['R2'].Status | Should -Be 'Pass'
        $report.Checks['R8'].Status | Should -Be 'NotCheckable'
        @($warnings | Where-Object { "$_" -like '*root CA certificate at sec_tag 42 could not be read back*-RootCA*' }).Count | Should -Be 1
        (Get-ModemSession).Connected | Should -BeTrue
    }

    It 'warns (R6) about a CR LF certificate on mfw_nrf91x1_2.0.2 and passes it on 1.3.5' {
        $sim = Start-ReadyModem
        $sim.Modem.Preload(42, 0, [IO.File]::ReadAllBytes((Get-Fixture ca-crlf.pem)))
        $report = Test-ModemSecTag -SecTag 42
        $report.Checks['R6'].Status | Should -Be 'Warn'
        $report.Checks['R6'].Reason | Should -BeLike '*CR LF*527*'
        $report.Checks['R6'].Remedy | Should -BeLike '*LF line ends*'
        $report.Ready | Should -BeTrue -Because 'a warning is not a failure'
        Clear-TestModems

        $old = Start-ReadyModem -Firmware mfw_nrf9160_1.3.5
        $old.Modem.Preload(42, 0, [IO.File]::ReadAllBytes((Get-Fixture ca-crlf.pem)))
        (Test-ModemSecTag -SecTag 42).Checks['R6'].Status | Should -Be 'Pass'
    }

    It 'warns (R14) about a modem clock of <Clock> and judges validity by the host clock' -ForEach @(
        @{ Clock = '15/02/01,00:00:00+00'; State = 'NotSet' }
        @{ Clock = '80/01/06,00:00:14+00'; State = 'Implausible' }
    ) {
        $sim = Start-ReadyModem
        $sim.Modem.SetClock($Clock)
        $report = Test-ModemSecTag -SecTag 42
        $report.ModemClockState | Should -Be $State
        $report.Checks['R14'].Status | Should -Be 'Warn'
        $report.Checks['R14'].Remedy | Should -Not -BeNullOrEmpty
        $report.Checks['R15'].Status | Should -Be 'Pass' -Because 'the certificates (valid 2025-2124) are judged by the host clock, not by a modem clock of 2015 or 2080'
        $report.Checks['R15'].Reason | Should -BeLike '*host clock*modem clock is unknown*'
        $report.Ready | Should -BeTrue
    }

    It 'fails R9 when the root CA is not the one the server profile presents' {
        $null = Start-ReadyModem
        $report = Test-ModemSecTag -SecTag 42 -Server AwsIot
        $report.Server | Should -Be 'AWS IoT Core'
        $report.Checks['R9'].Status | Should -Be 'Fail'
        $report.Checks['R9'].Remedy | Should -BeLike '*Amazon Root CA*'
    }

    It 'takes a plan, checks every sec_tag the modem lists without -SecTag, and binds SecTag and SessionId from the pipeline' {
        $sim = Start-ReadyModem
        $sim.Modem.Preload(43, 4, [Text.Encoding]::ASCII.GetBytes('device-43'))
        $plan = @(
            @{ SecTag = 42; Type = 'RootCA'; Path = (Get-Fixture ca.pem) }
            @{ SecTag = 42; Type = 'ClientCertificate'; Path = (Get-Fixture client.pem) }
            @{ SecTag = 42; Type = 'ClientPrivateKey'; Path = (Get-Fixture client.key) }
        )
        $planned = Test-ModemSecTag -Plan $plan -SecTag 42
        $planned.Checks['R5'].Status | Should -Be 'Pass'
        $planned.Checks['R5'].Reason | Should -BeLike '*matches*'

        @(Test-ModemSecTag | ForEach-Object SecTag) | Should -Be 42, 43
        $piped = @(Get-ModemCredential | Test-ModemSecTag)
        @($piped | ForEach-Object SecTag) | Should -Be 42, 43 -Because 'one report per sec_tag, however many credentials of it are piped'
        $piped[1].Checks['R2'].Status | Should -Not -Be 'Pass'
    }

    It 'judges the root CA against the <Server> profile by its shipped root fingerprints' -ForEach @(
        @{ Server = 'NrfCloudMqtt' }
        @{ Server = 'NrfCloudCoap' }
        @{ Server = 'AzureIot' }
    ) {
        $null = Start-ReadyModem
        $report = Test-ModemSecTag -SecTag 42 -Server $Server
        $report.Server | Should -Not -BeNullOrEmpty
        $report.Checks['R9'].Status | Should -Be 'Fail' -Because 'the test root CA is not a root this server presents'
        $report.Checks['R9'].Remedy | Should -Not -BeNullOrEmpty
        $report.Ready | Should -BeFalse
    }

    It 'warns about a certificate that expires within -WarnDays, and not otherwise' {
        $null = Start-ReadyModem
        (Test-ModemSecTag -SecTag 42).Checks['R15'].Status | Should -Be 'Pass' -Because 'the fixtures are valid until 2124'
        $report = Test-ModemSecTag -SecTag 42 -WarnDays 36500
        $report.Checks['R15'].Status | Should -Be 'Warn'
        $report.Checks['R15'].Reason | Should -BeLike '*expires on*within 36500 days*'
        $report.Checks['R15'].Remedy | Should -Not -BeNullOrEmpty
        $report.Ready | Should -BeTrue -Because 'a warning does not make a sec_tag unready'
    }

    It 'stops with a clear error for a server that is neither a profile nor a file' {
        $null = Start-ReadyModem
        { Test-ModemSecTag -SecTag 42 -Server 'NoSuchCloud' -ErrorAction Stop } | Should -Throw -ExpectedMessage '*neither a server profile*'
    }

    It 'shows the checks at 80 columns: id, status, what, and the reason wrapped' {
        $null = Start-ReadyModem -NoRootCA
        $text = Test-ModemSecTag -SecTag 42 | Out-String -Width 80
        foreach ($line in $text -split "`r?`n") { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $text | Should -Match '(?m)^sec_tag 42 .*not ready'
        $text | Should -Match '(?m)^R2 +Fail +a root CA at the sec_tag'
        $text | Should -BeLike '*No root CA (type 0) is stored at sec_tag 42*'
        $text | Should -Match '(?m)^R17 +Pass'
    }
}
