#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    $planFormats = @(
        @{ Format = 'csv'; Text = "SecTag,Type,Path,Content`n7,RootCA,certs/ca.pem,`n7,PskIdentity,,`"device-{Imei}`"`n" }
        @{ Format = 'json'; Text = '[ { "SecTag": 7, "Type": "RootCA", "Path": "certs/ca.pem" }, { "SecTag": "7", "Type": 4, "Content": "device-{Imei}" } ]' }
        @{ Format = 'psd1'; Text = "@{ Entries = @( @{ SecTag = 7; Type = 'CA'; Path = 'certs/ca.pem' }; @{ SecTag = 7; Type = 'PskId'; Content = 'device-{Imei}' } ) }" }
    )
    $badPlans = @(
        @{ Case = 'an unknown type'; Csv = "SecTag,Type,Path`n7,Bogus,ca.pem`n"; Mention = "*Type 'Bogus'*" }
        @{ Case = 'a negative sec_tag'; Csv = "SecTag,Type,Path`n-1,RootCA,ca.pem`n"; Mention = '*SecTag*' }
        @{ Case = 'a missing file'; Csv = "SecTag,Type,Path`n7,RootCA,missing.pem`n"; Mention = '*does not exist*' }
        @{ Case = 'an unknown column'; Csv = "SecTag,Type,Color`n7,RootCA,red`n"; Mention = '*Color*' }
        @{ Case = 'a certificate that does not parse'; Csv = "SecTag,Type,Path`n7,RootCA,garbage.pem`n"; Mention = '*entry 1*' }
        @{ Case = 'three bad rows (all named at once)'; Csv = "SecTag,Type,Path`n7,Bogus,ca.pem`n-1,RootCA,ca.pem`n8,RootCA,missing.pem`n"; Mention = '*(3 problems). Nothing was sent*entry 1*Bogus*entry 2*SecTag*entry 3*does not exist*' }
    )
    $onCore = $PSVersionTable.PSEdition -eq 'Core'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:plan = @(
        @{ SecTag = 42; Type = 'RootCA'; Path = (Get-Fixture ca.pem) }
        @{ SecTag = 42; Type = 'ClientCertificate'; Path = (Get-Fixture client.pem) }
        @{ SecTag = 42; Type = 'ClientPrivateKey'; Path = (Get-Fixture client.key) }
    )

    function Start-TestSimulators([int] $Count) {
        1..$Count | ForEach-Object { Start-ModemSimulator -Transport $script:SerialTransport }
    }
}

Describe 'Invoke-ModemProvisioning' {
    AfterEach { Clear-TestModems }

    It 'provisions 16 modems and changes nothing on a second run' {
        $sims = Start-TestSimulators 16
        $transcripts = Join-Path $TestDrive 'transcripts'
        $results = Invoke-ModemProvisioning -Plan $script:plan -PortName $sims.PortName -TranscriptPath $transcripts
        @($results | Where-Object Status -eq 'Provisioned').Count | Should -Be 16
        @($results | Where-Object WrittenCount -eq 3).Count | Should -Be 16
        @($sims | Where-Object { (Get-StoredText $_ 42 0) -ceq (Get-FixtureText ca.pem) }).Count | Should -Be 16
        @($sims | Where-Object { (Get-StoredText $_ 42 2) -ceq (Get-FixtureText client.key) }).Count | Should -Be 16
        @(Get-ChildItem $transcripts -File -Filter *.log).Count | Should -Be 16
        @(Get-ChildItem $transcripts -File -Filter uuid-*.json).Count | Should -Be 16 -Because 'records go to the -TranscriptPath folder when -RecordPath is not given'
        @($results | Where-Object { $_.RecordPath -and (Test-Path $_.RecordPath) }).Count | Should -Be 16

        $again = Invoke-ModemProvisioning -Plan $script:plan -PortName $sims.PortName
        @($again | Where-Object Status -eq 'Unchanged').Count | Should -Be 16
        @($sims | Where-Object { (Get-SentCount $_ 'AT%CMNG=0*') -ne 3 }).Count | Should -Be 0
    }

    It 'reports a dropped modem as Failed with its reason and transcript, and provisions the others' {
        $sims = Start-TestSimulators 4
        $null = $sims[2].Modem.Faults.Drop('AT%CMNG=0,42,1', 200)
        $results = Invoke-ModemProvisioning -Plan $script:plan -PortName $sims.PortName -TranscriptPath $TestDrive -TimeoutSeconds 2 -ErrorVariable errors -ErrorAction SilentlyContinue
        @($results | ForEach-Object Status) | Should -Be 'Provisioned', 'Provisioned', 'Failed', 'Provisioned'
        $failed = $results[2]
        $failed.PortName | Should -Be $sims[2].PortName
        $failed.Error | Should -Not -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Match '^(Modem|Provisioning)'
        $transcript = [IO.File]::ReadAllText($failed.TranscriptPath)
        $transcript | Should -BeLike '*> AT%CMNG=0,42,0*'
        $transcript | Should -BeLike '*Result: Failed*'
        $transcript | Should -Not -BeLike ('*' + ((Get-FixtureText client.key) -split "`n")[1] + '*')
    }

    It 'writes nothing with -WhatIf and says what it would write' {
        $sims = Start-TestSimulators 2
        $script:results = $null
        $shown = Invoke-WithTranscript -Path (Join-Path $TestDrive 'whatif.txt') {
            $script:results = Invoke-ModemProvisioning -Plan $script:plan -PortName $sims.PortName -WhatIf
        }
        @($script:results | ForEach-Object Status) | Should -Be 'WhatIf', 'WhatIf'
        @($script:results[0].Entries | ForEach-Object Status) | Should -Be 'WouldWrite', 'WouldWrite', 'WouldWrite'
        @($sims | ForEach-Object { $_.Modem.ReceivedCommands } | Where-Object { $_ -like 'AT%CMNG=0*' -or $_ -like 'AT+CFUN=*' }).Count | Should -Be 0
        ([regex]::Matches($shown, 'What if:')).Count | Should -Be 6
    }

    It 'reads a <Format> plan with paths relative to the plan file' -ForEach $planFormats {
        $folder = Join-Path $TestDrive $Format
        $null = New-Item -ItemType Directory -Path (Join-Path $folder 'certs')
        Copy-Item (Get-Fixture ca.pem) (Join-Path $folder 'certs/ca.pem')
        $planFile = Join-Path $folder "plan.$Format"
        [IO.File]::WriteAllText($planFile, $Text)
        $sim = Start-TestModem
        $result = Invoke-ModemProvisioning -Plan $planFile -Session (Get-ModemSession)
        $result.Status | Should -Be 'Provisioned'
        Get-StoredText $sim 7 4 | Should -BeExactly "device-$($sim.Imei)"
        Get-StoredText $sim 7 0 | Should -BeExactly (Get-FixtureText ca.pem)
    }

    It 'refuses a plan with <Case> as one error, sending nothing to any modem' -ForEach $badPlans {
        Copy-Item (Get-Fixture garbage.pem) (Join-Path $TestDrive 'garbage.pem')
        Copy-Item (Get-Fixture ca.pem) (Join-Path $TestDrive 'ca.pem')
        $planFile = Join-Path $TestDrive 'plan.csv'
        [IO.File]::WriteAllText($planFile, $Csv)
        $sims = Start-TestSimulators 2
        $thrown = { Invoke-ModemProvisioning -Plan $planFile -PortName $sims.PortName -ErrorAction Stop } | Should -Throw -PassThru
        $thrown.ToString() | Should -BeLike $Mention
        @($sims | ForEach-Object { $_.Modem.ReceivedCommands }).Count | Should -Be 0
    }

    It 'keeps a generated key in the modem, writes the certificate issued for it, and changes nothing on a second run' {
        $sim = Start-TestModem
        $session = Get-ModemSession
        $generatePlan = @(
            @{ SecTag = 50; Type = 'RootCA'; Path = (Get-Fixture ca.pem) }
            @{ SecTag = 50; Generate = $true; CACertificate = (Get-Fixture ca.pem); CAKey = (Get-Fixture ca.key); Subject = 'CN=nrf-{Imei}' }
        )
        $result = Invoke-ModemProvisioning -Plan $generatePlan -Session $session
        @($result.Entries | ForEach-Object Status) | Should -Be 'Written', 'Generated'
        @(Get-ModemCredential -SecTag 50 | ForEach-Object { "$($_.Type)" }) | Should -Be 'RootCA', 'ClientCertificate', 'ClientPrivateKey'
        (ConvertFrom-PemCertificate (Get-StoredText $sim 50 1)).Subject | Should -Be "CN=nrf-$($sim.Imei)"
        Get-SentCount $sim 'AT%CMNG=0,50,2*' | Should -Be 0
        $result.RecordPath | Should -BeNullOrEmpty -Because 'no -RecordPath, no -TranscriptPath'
        $result.Entries[1].Certificate | Should -BeExactly (Get-StoredText $sim 50 1)
    }

    Context 'with a provisioning record' {
        BeforeAll {
            $script:generatePlan = @(
                @{ SecTag = 50; Type = 'RootCA'; Path = (Get-Fixture ca.pem) }
                @{ SecTag = 50; Generate = $true; CACertificate = (Get-Fixture ca.pem); CAKey = (Get-Fixture ca.key) }
            )
            function Get-Record([string] $Path) { Get-Content -Raw $Path | ConvertFrom-Json }
        }

        It 'records the generated pair and reports it Unchanged on a second run, also with -Force' {
            $sim = Start-TestModem
            $records = Join-Path $TestDrive 'records-unchanged'
            $first = Invoke-ModemProvisioning -Plan $script:generatePlan -Session (Get-ModemSession) -RecordPath $records
            @($first.Entries | ForEach-Object Status) | Should -Be 'Written', 'Generated'
            $first.DeviceUuid | Should -Be $sim.DeviceUuid.ToString()
            $first.RecordPath | Should -Be (Join-Path $records "uuid-$($sim.DeviceUuid).json")
            $record = Get-Record $first.RecordPath
            $key = $record.credentials | Where-Object { $_.secTag -eq 50 -and $_.type -eq 2 }
            $key.generated | Should -BeTrue
            $key.sha256 | Should -Be (Get-ModemCredential -SecTag 50 -Type ClientPrivateKey).Sha256
            $key.certificateSha256 | Should -Be (Get-ModemCredential -SecTag 50 -Type ClientCertificate).Sha256
            $key.certificate | Should -BeExactly (Get-StoredText $sim 50 1)

            $again = Invoke-ModemProvisioning -Plan $script:generatePlan -Session (Get-ModemSession) -RecordPath $records -Force
            $again.Status | Should -Be 'Unchanged'
            @($again.Entries | ForEach-Object Status) | Should -Be 'Unchanged', 'Unchanged'
            $again.Entries[1].Certificate | Should -BeExactly (Get-StoredText $sim 50 1) -Because 'the certificate comes from the record'
            Get-SentCount $sim 'AT%KEYGEN*' | Should -Be 1
        }

        It 'reports a generated pair as Unverified without a record, never Unchanged, writes nothing and warns' {
            $sim = Start-TestModem
            $null = Invoke-ModemProvisioning -Plan $script:generatePlan -Session (Get-ModemSession)
            $before = Get-ModemStore $sim
            $again = Invoke-ModemProvisioning -Plan $script:generatePlan -Session (Get-ModemSession) -RecordPath (Join-Path $TestDrive 'records-empty') -WarningVariable warnings -WarningAction SilentlyContinue
            $again.Status | Should -Be 'Unverified'
            @($again.Entries | ForEach-Object Status) | Should -Be 'Unchanged', 'Unverified'
            $again.Entries[1].Detail | Should -BeLike '*no provisioning record*'
            @($warnings | Where-Object { "$_" -like '*cannot be verified*-Force*' }).Count | Should -Be 1
            Get-ModemStore $sim | Should -Be $before
            Get-SentCount $sim 'AT%KEYGEN*' | Should -Be 1

            $withoutFolder = Invoke-ModemProvisioning -Plan $script:generatePlan -Session (Get-ModemSession) -WarningAction SilentlyContinue
            $withoutFolder.Entries[1].Status | Should -Be 'Unverified'
        }

        It 'notices a new key left beside the old certificate (KeyCertificateMismatch) and makes a new pair only with -Force' {
            $sim = Start-TestModem
            $records = Join-Path $TestDrive 'records-rekey'
            $null = Invoke-ModemProvisioning -Plan $script:generatePlan -Session (Get-ModemSession) -RecordPath $records
            $oldCertificate = Get-StoredText $sim 50 1

            # A re-key stopped after %KEYGEN: the new key sits beside the certificate of the old one.
            $null = New-ModemKey -SecTag 50 -Force
            $mismatch = Invoke-ModemProvisioning -Plan $script:generatePlan -Session (Get-ModemSession) -RecordPath $records -ErrorVariable errors -ErrorAction SilentlyContinue
            $mismatch.Status | Should -Be 'Failed'
            @($mismatch.Entries | ForEach-Object Status) | Should -Be 'Unchanged', 'KeyCertificateMismatch'
            $mismatch.ErrorId | Should -Be 'ProvisioningKeyCertificateMismatch'
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'ProvisioningKeyCertificateMismatch*'
            "$($errors[0])" | Should -BeLike '*replaced after its certificate was issued*'
            $errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*-Force*'
            Get-StoredText $sim 50 1 | Should -BeExactly $oldCertificate
            Get-SentCount $sim 'AT%KEYGEN*' | Should -Be 2

            # -Force regenerates, but the certificate write fails: the next run still sees the mismatch.
            $null = $sim.Modem.Faults.CmeError(23, 'AT%CMNG=0,50,1')
            $stopped = Invoke-ModemProvisioning -Plan $script:generatePlan -Session (Get-ModemSession) -RecordPath $records -Force -ErrorAction SilentlyContinue
            $stopped.Status | Should -Be 'Failed'
            $stopped.Entries[1].Status | Should -Be 'Failed'
            $stopped.Entries[1].Error | Should -BeLike '*new key was generated at sec_tag 50*not written*'
            Get-SentCount $sim 'AT%KEYGEN*' | Should -Be 3
            Get-StoredText $sim 50 1 | Should -BeExactly $oldCertificate
            $again = Invoke-ModemProvisioning -Plan $script:generatePlan -Session (Get-ModemSession) -RecordPath $records -ErrorAction SilentlyContinue
            $again.Entries[1].Status | Should -Be 'KeyCertificateMismatch' -Because 'the record still pairs the stored certificate with the old key'

            $fixed = Invoke-ModemProvisioning -Plan $script:generatePlan -Session (Get-ModemSession) -RecordPath $records -Force
            $fixed.Status | Should -Be 'Provisioned'
            @($fixed.Entries | ForEach-Object Status) | Should -Be 'Unchanged', 'Generated'
            Get-StoredText $sim 50 1 | Should -Not -Be $oldCertificate
            $key = (Get-Record $fixed.RecordPath).credentials | Where-Object { $_.secTag -eq 50 -and $_.type -eq 2 }
            $key.sha256 | Should -Be (Get-ModemCredential -SecTag 50 -Type ClientPrivateKey).Sha256
            (Invoke-ModemProvisioning -Plan $script:generatePlan -Session (Get-ModemSession) -RecordPath $records).Status | Should -Be 'Unchanged'
        }

        It 'reports entries that already matched as Unchanged when a Generate entry of the same modem fails' {
            $sim = Start-TestModem
            $null = Invoke-ModemProvisioning -Plan $script:generatePlan[0] -Session (Get-ModemSession)
            $null = $sim.Modem.Faults.CmeError(523, 'AT%KEYGEN')
            $result = Invoke-ModemProvisioning -Plan $script:generatePlan -Session (Get-ModemSession) -RecordPath (Join-Path $TestDrive 'records-keygen') -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'Failed'
            @($result.Entries | ForEach-Object Status) | Should -Be 'Unchanged', 'NotAttempted'
        }

        It 'fails each modem whose record file is damaged with an error naming the file, and provisions the others' {
            $sims = Start-TestSimulators 2
            $records = Join-Path $TestDrive 'records-corrupt'
            $null = New-Item -ItemType Directory -Path $records
            $corrupt = Join-Path $records "imei-$($sims[0].Imei).json"
            $damaged = '{ "schema": "nrf91cmng-provisioning-record", "schemaVersion": 1, "credentials": [ '
            [IO.File]::WriteAllText($corrupt, $damaged)
            $results = Invoke-ModemProvisioning -Plan $script:plan -PortName $sims.PortName -RecordPath $records -ErrorVariable errors -ErrorAction SilentlyContinue
            @($results | ForEach-Object Status) | Should -Be 'Failed', 'Provisioned'
            $results[0].ErrorId | Should -Be 'ProvisioningRecordInvalid'
            @($results[0].Entries | ForEach-Object Status) | Should -Be 'NotAttempted', 'NotAttempted', 'NotAttempted'
            $errors.Count | Should -Be 1
            "$($errors[0])" | Should -BeLike "*$($sims[0].PortName)*$corrupt*not valid JSON*"
            $errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*-RecordPath*'
            Get-SentCount $sims[0] 'AT%CMNG=0*' | Should -Be 0
            [IO.File]::ReadAllText($corrupt) | Should -BeExactly $damaged -Because 'a record that cannot be read is left for the user to look at'
            $results[1].RecordPath | Should -Be (Join-Path $records "uuid-$($sims[1].DeviceUuid).json")
            $results[1].RecordPath | Should -Exist
            $results[0].RecordPath | Should -BeNullOrEmpty
        }
    }

    It 'keeps results through remoting serialisation' {
        $null = Start-TestModem
        $session = Get-ModemSession
        $result = Invoke-ModemProvisioning -Plan $script:plan -Session $session
        $copy = [Management.Automation.PSSerializer]::Deserialize([Management.Automation.PSSerializer]::Serialize($result, 3))
        $copy.Status | Should -Be 'Provisioned'
        $copy.Imei | Should -Be $session.Imei
        @($copy.Entries).Count | Should -Be 3
        $copy.Entries[0].Status | Should -Be 'Written'
        $copy.Entries[2].Sha256 | Should -Be (Get-TextSha256 (Get-FixtureText client.key))
        $copy.Duration | Should -BeOfType [TimeSpan]
    }

    It 'writes progress for the run and for each modem' {
        $sims = Start-TestSimulators 3
        foreach ($sim in $sims) { $null = $sim.Modem.Faults.Delay([TimeSpan]::FromMilliseconds(300), 'AT%CMNG=0', 3) }
        $run = Invoke-InNewRunspace -ArgumentList $script:plan, ([string[]] $sims.PortName) {
            param($plan, $ports)
            $ProgressPreference = 'Continue'
            Invoke-ModemProvisioning -Plan $plan -PortName $ports
        }
        @($run.Output | ForEach-Object Status) | Should -Be 'Provisioned', 'Provisioned', 'Provisioned'
        $overall = @($run.Progress | Where-Object ActivityId -eq 0)
        $overall[0].Activity | Should -Be 'Provisioning 3 modem(s)'
        @($overall | Where-Object { $_.RecordType -eq 'Processing' -and $_.PercentComplete -lt 100 }).Count | Should -BeGreaterThan 0 -Because 'the run reports while modems are still at work'
        $overall[-1].RecordType | Should -Be 'Completed'
        $overall[-1].StatusDescription | Should -Be '3 of 3 done'
        $overall[-1].PercentComplete | Should -Be 100
        $perModem = @($run.Progress | Where-Object ActivityId -gt 0)
        @($perModem | ForEach-Object Activity | Sort-Object -Unique) | Should -Be @($sims.PortName | Sort-Object)
        @($perModem | Where-Object ParentActivityId -ne 0).Count | Should -Be 0
        @($perModem | Where-Object { $_.RecordType -eq 'Processing' -and $_.StatusDescription -ne 'Waiting' }).Count | Should -BeGreaterThan 0 -Because 'each modem says what it is doing'
    }

    It 'stops cleanly on Ctrl+C, keeps what each modem got, and a re-run completes' {
        $sims = Start-TestSimulators 4
        # Each write takes a second, so every modem is mid-run when the stop comes, and done with the write it
        # was stopped in (a modem busy writing flash drops what arrives) soon after.
        foreach ($sim in $sims) { $null = $sim.Modem.Faults.Delay([TimeSpan]::FromSeconds(1), 'AT%CMNG=0', 3) }
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $ps = [powershell]::Create()
        try {
            $ps.Runspace = $runspace
            $null = $ps.AddScript('param($m, $plan, $ports) Import-Module $m; Invoke-ModemProvisioning -Plan $plan -PortName $ports -TimeoutSeconds 10').AddArgument($script:ModuleManifest).AddArgument($script:plan).AddArgument([string[]] $sims.PortName)
            $running = $ps.BeginInvoke()
            # Stop once every modem holds a write in its delay (an event, not a pause).
            $waiting = [Diagnostics.Stopwatch]::StartNew()
            while (@($sims | Where-Object { (Get-SentCount $_ 'AT%CMNG=0*') -gt 0 }).Count -lt $sims.Count) {
                if ($waiting.Elapsed.TotalSeconds -gt 60) { throw 'The run never reached a write on every modem.' }
                Start-Sleep -Milliseconds 5
            }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $running.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(30)) | Should -BeTrue -Because 'Ctrl+C stops the run'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 30

            $after = [powershell]::Create()
            $after.Runspace = $runspace
            $last = @($after.AddScript('$Nrf91CmngLastProvisioning').Invoke())
            $after.Dispose()
            $last.Count | Should -Be 4
            @($last | Where-Object { $_.Status -eq 'Failed' -and $_.Error -like '*Ctrl+C*' }).Count | Should -Be 4
        }
        finally {
            $ps.Dispose()
            $runspace.Dispose()
        }
        # Whatever a modem got is whole: a root CA is either absent or exactly the file.
        @($sims | Where-Object { $stored = Get-StoredText $_ 42 0; $null -ne $stored -and $stored -cne (Get-FixtureText ca.pem) }).Count | Should -Be 0
        foreach ($sim in $sims) { $sim.Modem.Faults.Clear() }
        $again = Invoke-ModemProvisioning -Plan $script:plan -PortName $sims.PortName
        @($again | Where-Object { 'Provisioned', 'Unchanged' -contains $_.Status }).Count | Should -Be 4
    }
}
