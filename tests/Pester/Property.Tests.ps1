#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Property test: random sequences of cmdlets (connect, list, set, test, remove, get and set the
    functional mode, new key, provisioning of a small plan) against a virtual modem on a
    pseudo-terminal, under random adversity (URCs and log lines inside replies, stalled replies, a
    second program on the port, slow baud, CME errors, resets, silent commands, store faults, a
    power-off warning, URC floods), with the invariant checked after every step:

      each result is either correct (checked against the virtual modem's own store and mode) or a
      clear error (an ErrorRecord with an Nrf91Cmng id); the functional mode afterwards is the one
      found, or a warning said otherwise; no credential is partial or mismatched without being reported.

    Knobs: NRF91CMNG_PROPERTY_SECONDS (time budget, default 80 s: one to two minutes in CI with the
    set-up), NRF91CMNG_PROPERTY_SEED (first run's seed; default random), NRF91CMNG_PROPERTY_RUNS (at
    most this many runs), NRF91CMNG_PROPERTY_TRANSCRIPTS (a folder: each session's transcript is
    written there, seed-<n>.log). A failure prints the run's seed and its steps; replay it with
        $env:NRF91CMNG_PROPERTY_SEED = <seed>; $env:NRF91CMNG_PROPERTY_RUNS = 1
    (the same choices and faults; the line's timing is the machine's). The figures of the last run
    are written to out/property-figures.txt.
#>

BeforeDiscovery {
    $onWindows = ($PSVersionTable.PSEdition -eq 'Desktop') -or ((Get-Variable IsWindows -ValueOnly -ErrorAction SilentlyContinue) -eq $true)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    . (Join-Path $PSScriptRoot 'AdversitySupport.ps1')

    # Every error id the module defines: a clear error carries one of these (or ModemCmeError<n>).
    $script:KnownIds = @{}
    foreach ($file in Get-ChildItem (Join-Path $script:RepoRoot 'src/Nrf91Cmng.Core/Errors') -Filter 'ErrorIds*.cs') {
        foreach ($m in [regex]::Matches([IO.File]::ReadAllText($file.FullName), 'const string \w+ = "(\w+)"')) { $script:KnownIds[$m.Groups[1].Value] = $true }
    }

    $script:Items = @(
        @{ Type = 'RootCA'; Number = 0; Path = (Get-Fixture ca.pem); Text = (Get-FixtureText ca.pem) }
        @{ Type = 'ClientCertificate'; Number = 1; Path = (Get-Fixture client.pem); Text = (Get-FixtureText client.pem) }
        @{ Type = 'ClientPrivateKey'; Number = 2; Path = (Get-Fixture client.key); Text = (Get-FixtureText client.key) }
        @{ Type = 'Psk'; Number = 3; Content = $script:Psk; Text = $script:Psk }
        @{ Type = 'PskIdentity'; Number = 4; Content = 'device-A'; Text = 'device-A' }
        @{ Type = 'PskIdentity'; Number = 4; Content = 'device-B'; Text = 'device-B' }
    )
    $script:Tags = 40, 41, 42

    function Pick($Rng, [object[]] $From) { $From[$Rng.Next($From.Count)] }

    function Test-ClearError($Record) {
        <# An ErrorRecord with an Nrf91Cmng id: '<id>,Nrf91Cmng.Commands.<Cmdlet>' where <id> is one of the module's. #>
        $fqid = [string] $Record.FullyQualifiedErrorId
        if ($fqid -notmatch '^(\w+),Nrf91Cmng\.Commands\.\w+$') { return $false }
        $id = $Matches[1]
        ($script:KnownIds.ContainsKey($id) -or $id -match '^ModemCmeError\d+$') -and -not [string]::IsNullOrWhiteSpace($Record.ToString())
    }

    function Get-UserStore($Sim) {
        <# The modem's user credentials (types 0-4 at the test tags) as key -> stored text. #>
        $store = @{}
        foreach ($tag in $script:Tags) {
            foreach ($type in 0..4) {
                $bytes = $Sim.Modem.GetStoredBytes([uint32]$tag, $type)
                if ($null -ne $bytes) { $store["$tag,$type"] = [Text.Encoding]::ASCII.GetString($bytes) }
            }
        }
        $store
    }

    function Get-Sha([string] $Text) { Get-TextSha256 $Text }

    function Invoke-PropertyRun {
        <# One run: a fresh modem and session, then random steps; returns Steps, Log and Failure (null when the invariant held). #>
        param([int] $Seed)
        $rng = New-Object Random $Seed
        $log = New-Object Collections.Generic.List[string]
        $firmware = Pick $rng @('mfw_nrf9160_1.3.5', 'mfw_nrf9160_1.3.7', 'mfw_nrf91x1_2.0.2')
        $baud = Pick $rng @(0, 0, 115200, 9600)
        $timeout = Pick $rng @(2, 3)
        $noise = Pick $rng @(0.0, 0.0, 0.05, 0.2)
        $start = @{ Transport = 'PseudoTerminal'; Firmware = $firmware; Seed = $Seed }
        if ($baud) { $start.BaudRate = $baud }
        $sim = Start-ModemSimulator @start
        $sim.Modem.InterleavedNoiseRate = $noise
        $connect = @{ Handshake = 'None'; TimeoutSeconds = $timeout }
        if ($baud) { $connect.BaudRate = $baud }
        if ($env:NRF91CMNG_PROPERTY_TRANSCRIPTS) { $connect.TranscriptPath = Join-Path $env:NRF91CMNG_PROPERTY_TRANSCRIPTS "seed-$Seed.log" }
        $log.Add("seed $Seed`: $firmware, baud $baud, -TimeoutSeconds $timeout, interleaved noise rate $noise")
        $session = $sim | Connect-Modem @connect
        # What a failed step may still bring about later (bytes already on the wire when it gave up):
        # content per key (null = removed) and functional modes.
        $model = @{ InFlight = @{}; InFlightModes = @() }
        $steps = $rng.Next(6, 13)
        try {
            for ($step = 1; $step -le $steps; $step++) {
                $r = Invoke-PropertyStep -Rng $rng -Sim $sim -Session $session -Model $model -Connect $connect -Step $step
                $log.Add($r.Description)
                $session = $r.Session
                if ($r.Failure) {
                    return [pscustomobject]@{ Seed = $Seed; Steps = $step; Log = $log; Failure = $r.Failure }
                }
            }
        }
        finally {
            Get-ModemSession | Disconnect-Modem
            Stop-ModemSimulator -All -Confirm:$false
        }
        [pscustomobject]@{ Seed = $Seed; Steps = $steps; Log = $log; Failure = $null }
    }

    function Invoke-PropertyStep {
        param($Rng, $Sim, $Session, [hashtable] $Model, [hashtable] $Connect, [int] $Step)
        # $Model: InFlight (key -> possible late contents) and InFlightModes of earlier failed steps.
        $modem = $Sim.Modem
        $ops = @('list', 'list', 'set', 'set', 'set', 'test', 'remove', 'getmode', 'setmode', 'newkey', 'provision', 'connect')
        $op = if (-not $Session.Connected) { 'connect' } else { Pick $Rng $ops }
        $tag = Pick $Rng $script:Tags
        $item = Pick $Rng $script:Items
        $command = @{ list = 'AT%CMNG=1'; set = 'AT%CMNG=0'; test = 'AT%CMNG=1'; remove = 'AT%CMNG=3'; getmode = 'AT+CFUN?'; setmode = 'AT+CFUN='; newkey = 'AT%KEYGEN'; provision = 'AT%CMNG=0'; connect = 'AT+CGSN' }[$op]
        $timeout = [double] $Connect.TimeoutSeconds

        # The adversity of this step (at most one fault rule; noise rate, baud and flood apply too).
        $adversities = @('none', 'none', 'none', 'lines', 'stall', 'longstall', 'cme', 'silent', 'reboot', 'stray', 'steal', 'flood', 'store', 'poweroff')
        $adversity = Pick $Rng $adversities
        $detail = ''
        switch ($adversity) {
            'lines' { $null = $modem.Faults.InterleaveLines([int[]] (0, 1, 2, 5), [string[]] ('+CEREG: 5,"0A0B","0102ABCD",7', '[00:01:02.345,678] <inf> app: lines inside the reply', '%XMODEMSLEEP: 1,500'), $command, 2) }
            'stall' { $ms = $Rng.Next(100, [int]($timeout * 500)); $detail = " $ms ms"; $null = $modem.Faults.StallReply([TimeSpan]::FromMilliseconds($ms), -1, $command) }
            'longstall' { $null = $modem.Faults.StallReply([TimeSpan]::FromSeconds($timeout + 6), -1, $command) }
            'cme' { $code = Pick $Rng @(23, 50, 60, 513, 514, 515, 518, 519, 527, 528); $detail = " $code"; $null = $modem.Faults.CmeError($code, $command) }
            'silent' { $execute = ($Rng.Next(2) -eq 1); $detail = " (executed: $execute)"; $null = $modem.Faults.NoReply($command, 1, $execute) }
            'reboot' {
                $how = Pick $Rng @('mid-reply', 'while-receiving', 'after-executing', 'between')
                $detail = " $how"
                switch ($how) {
                    'mid-reply' { $null = $modem.Faults.RebootMidReply($command) }
                    'while-receiving' { $null = $modem.Faults.RebootWhileReceiving($command, $Rng.Next(0, 30)) }
                    'after-executing' { $null = $modem.Faults.RebootOn($command, $true) }
                    'between' { $modem.Reboot() }
                }
            }
            'stray' { $null = $modem.Faults.StrayInput([Text.Encoding]::ASCII.GetBytes("AT+GCAP`r"), $command) }
            'steal' { $null = $modem.Faults.StealReply($Rng.Next(1, 40), $Rng.Next(0, 60), 'AT%CMNG=2') }
            'flood' { $modem.Faults.UrcFlood($Rng.Next(20, 200)) }
            'store' { if ($Rng.Next(2) -eq 1) { $detail = ' rewrite line endings'; $null = $modem.Faults.RewriteLineEndings('AT%CMNG=0') } else { $detail = ' flip a stored byte'; $null = $modem.Faults.FlipStoredByte(-1, 4, 'AT%CMNG=0') } }
            'poweroff' { $modem.Faults.PowerOffWarning = $true }
        }

        $modeBefore = $modem.FunctionalMode
        $rebootsBefore = $modem.RebootCount
        $storeBefore = Get-UserStore $Sim
        $output = @()
        $errors = New-Object Collections.Generic.List[object]
        $warnings = New-Object Collections.Generic.List[string]
        $touched = @{}       # key -> what the step may leave there: 'new:<text>' / 'absent' / 'generated'
        $targetMode = $null  # the mode a successful Set-ModemFunctionalMode asks for
        $description = ''
        $common = @{ ErrorAction = 'SilentlyContinue'; ErrorVariable = 'stepErrors'; WarningAction = 'SilentlyContinue'; WarningVariable = 'stepWarnings' }
        $stepErrors = $null; $stepWarnings = $null
        try {
            switch ($op) {
                'connect' {
                    $description = 'reconnect'
                    $Session | Disconnect-Modem
                    $Session = $Sim | Connect-Modem @Connect @common
                }
                'list' {
                    $content = ($Rng.Next(3) -eq 0)
                    $description = 'Get-ModemCredential' + $(if ($content) { ' -IncludeContent' } else { '' })
                    $output = @(Get-ModemCredential -Session $Session -IncludeContent:$content @common)
                }
                'set' {
                    $key = "$tag,$($item.Number)"
                    $description = "Set-ModemCredential $tag $($item.Type) -Force"
                    $source = if ($item.Path) { @{ Path = $item.Path } } else { @{ Content = $item.Content } }
                    $touched[$key] = 'new:' + $item.Text
                    $output = @(Set-ModemCredential -Session $Session -SecTag $tag -Type $item.Type @source -Force -PassThru @common)
                }
                'test' {
                    $description = "Test-ModemCredential $tag $($item.Type)"
                    $source = if ($item.Path) { @{ Path = $item.Path } } else { @{ Content = $item.Content } }
                    $output = @(Test-ModemCredential -Session $Session -SecTag $tag -Type $item.Type @source @common)
                }
                'remove' {
                    $key = "$tag,$($item.Number)"
                    $description = "Remove-ModemCredential $tag $($item.Type) -Force"
                    $touched[$key] = 'absent'
                    $output = @(Remove-ModemCredential -Session $Session -SecTag $tag -Type $item.Type -Force @common)
                }
                'getmode' {
                    $description = 'Get-ModemFunctionalMode'
                    $output = @(Get-ModemFunctionalMode -Session $Session @common)
                }
                'setmode' {
                    $targetMode = Pick $Rng @(0, 1, 4)
                    $description = "Set-ModemFunctionalMode $targetMode"
                    $output = @(Set-ModemFunctionalMode -Session $Session -Mode $targetMode -Confirm:$false @common)
                }
                'newkey' {
                    $description = "New-ModemKey $tag -Force"
                    $touched["$tag,2"] = 'generated'
                    $output = @(New-ModemKey -Session $Session -SecTag $tag -Force @common)
                }
                'provision' {
                    $plan = @(
                        @{ SecTag = $tag; Type = 'RootCA'; Path = (Get-Fixture ca.pem) }
                        @{ SecTag = $tag; Type = 'PskIdentity'; Content = "plan-$tag" }
                    )
                    $description = "Invoke-ModemProvisioning (RootCA, PskIdentity at $tag)"
                    $touched["$tag,0"] = 'new:' + (Get-FixtureText ca.pem)
                    $touched["$tag,4"] = 'new:' + "plan-$tag"
                    $output = @(Invoke-ModemProvisioning -Plan $plan -Session $Session -Force @common)
                }
            }
        }
        catch {
            $errors.Add($_)
        }
        foreach ($e in @($stepErrors)) {
            # -ErrorVariable also holds the exception of a terminating error; its record is the one caught.
            if ($e -isnot [Management.Automation.ErrorRecord] -and $null -ne $e -and $e.PSObject.Properties['ErrorRecord']) { $e = $e.ErrorRecord }
            if ($null -ne $e -and -not @($errors | Where-Object { [object]::ReferenceEquals($_, $e) -or ($_.FullyQualifiedErrorId -eq $e.FullyQualifiedErrorId -and "$_" -eq "$e") }).Count) { $errors.Add($e) }
        }
        foreach ($w in @($stepWarnings)) { if ($null -ne $w) { $warnings.Add([string] $w) } }
        $modem.Faults.Clear()
        $description = "step $Step`: $description under $adversity$detail"
        if ($errors.Count) { $description += ' -> ' + (($errors | ForEach-Object { ([string] $_.FullyQualifiedErrorId).Split(',')[0] }) -join ', ') }
        if ($warnings.Count) { $description += " [$($warnings.Count) warning(s)]" }
        $failure = Test-PropertyInvariant -Sim $Sim -Op $op -Output $output -Errors $errors -Warnings $warnings -Run $Model -StoreBefore $storeBefore -Touched $touched `
            -ModeBefore $modeBefore -TargetMode $targetMode -Rebooted ($modem.RebootCount -ne $rebootsBefore) -Tag $tag -Item $item -StoreFault ($adversity -eq 'store')
        [pscustomobject]@{ Description = $description; Session = $Session; Failure = $failure }
    }

    function Test-FaultedForm([string] $Written, [string] $Stored) {
        <# True when $Stored is $Written as the virtual modem's store faults leave it: line endings rewritten to CR LF, or one byte flipped. #>
        if ($null -eq $Written -or $null -eq $Stored -or $Written -eq '<generated>') { return $false }
        if ($Stored -ceq $Written.Replace("`r`n", "`n").Replace("`n", "`r`n")) { return $true }
        if ($Stored.Length -ne $Written.Length) { return $false }
        @(0..($Stored.Length - 1) | Where-Object { $Stored[$_] -cne $Written[$_] }).Count -eq 1
    }

    function Test-PropertyInvariant {
        <#
            Null when the step kept the invariant, else what broke it. A step that failed may still take
            effect after it returned (its bytes were on the wire): its possible outcomes are remembered in
            $Run and accepted when they appear later.
        #>
        param($Sim, $Op, $Output, $Errors, $Warnings, [hashtable] $Run, [hashtable] $StoreBefore, [hashtable] $Touched, $ModeBefore, $TargetMode, [bool] $Rebooted, $Tag, $Item, [bool] $StoreFault)
        $modem = $Sim.Modem

        # 1. Errors are clear: an ErrorRecord with an Nrf91Cmng id, a message and (for engine errors) a remedy.
        foreach ($e in $Errors) {
            if (-not (Test-ClearError $e)) { return "an unclear error: $($e.FullyQualifiedErrorId): $e" }
        }
        $said = (@($Errors | ForEach-Object { "$_ $($_.ErrorDetails.RecommendedAction)" }) + @($Warnings)) -join ' '
        $failed = $Errors.Count -gt 0

        # 2. The functional mode afterwards is the one found (or the one asked for), or something said otherwise.
        $mode = $modem.FunctionalMode
        $expectedModes = @($ModeBefore) + @($Run.InFlightModes)
        if ($null -ne $TargetMode) { $expectedModes = if ($failed) { @($ModeBefore, $TargetMode) + @($Run.InFlightModes) } else { @($TargetMode) } }
        if ($expectedModes -notcontains $mode) {
            $toldRestart = $Rebooted -and ($said -match 'restart')
            $toldMode = ($said -match 'Set-ModemFunctionalMode') -and ($said -match "mode $ModeBefore|offline")
            if (-not ($toldRestart -or $toldMode)) { return "the modem is in mode $mode after the step, it was in $ModeBefore, and nothing said so" }
        }

        # 3. The store: untouched keys unchanged; touched keys hold the old or the new content, or an error said otherwise.
        $store = Get-UserStore $Sim
        $keys = @($StoreBefore.Keys) + @($store.Keys) | Sort-Object -Unique
        foreach ($key in $keys) {
            $now = $store[$key]; $before = $StoreBefore[$key]
            if (-not $Touched.ContainsKey($key)) {
                # A late write of an earlier failed step that lands during this step takes this step's store fault if one is armed.
                $late = $Run.InFlight.ContainsKey($key) -and @($Run.InFlight[$key] | Where-Object { $_ -ceq $now -or ($null -eq $_ -and $null -eq $now) -or $_ -eq '<generated>' -or ($StoreFault -and (Test-FaultedForm $_ $now)) }).Count
                if ($now -cne $before -and -not $late) { return "credential $key changed although the step did not touch it (nor did an earlier step that failed)" }
                continue
            }
            $want = $Touched[$key]
            if ($want -eq 'generated') {
                if (-not $failed -and $null -eq $now) { return "New-ModemKey reported success but $key holds no key" }
                continue
            }
            $new = if ($want -like 'new:*') { $want.Substring(4) } else { $null }
            $keyFailed = $failed
            if ($Op -eq 'provision') {
                $entry = @($Output | ForEach-Object { $_.Entries } | Where-Object { "$($_.SecTag),$([int]$_.Type)" -eq $key })
                $keyFailed = $failed -or (@($Output | Where-Object { $_.Status -eq 'Failed' }).Count -gt 0) -or (@($entry | Where-Object { $_.Status -eq 'Failed' }).Count -gt 0)
                if ($keyFailed -and @($Output | Where-Object { $_.Status -eq 'Failed' -and [string]::IsNullOrWhiteSpace($_.Error) }).Count) { return 'a failed provisioning result without its error' }
                $said += ' ' + (@($Output | ForEach-Object { "$($_.ErrorId) $($_.Error) " + (@($_.Entries | ForEach-Object { $_.Error }) -join ' ') }) -join ' ')
            }
            if (-not $keyFailed) {
                if ($now -cne $new) { return "the step reported success but $key holds $(if ($null -eq $now) { 'nothing' } else { "$($now.Length) bytes, SHA-256 $(Get-Sha $now)" }) instead of what was asked" }
                continue
            }
            if ($now -ceq $before -or $now -ceq $new) { continue }
            if ($said -notmatch 'CredentialVerifyMismatch|CredentialVerifyMissing|After writing|does not list it|lists SHA-256') {
                return "$key holds $(if ($null -eq $now) { 'nothing' } else { "$($now.Length) bytes, SHA-256 $(Get-Sha $now)" }): neither the old nor the new content, and no error said so"
            }
        }

        # 4. Results are correct against the modem's own store and mode.
        if (-not $failed) {
            switch ($Op) {
                'list' {
                    $listed = @($Output | ForEach-Object { "$($_.SecTag),$([int]$_.Type),$($_.Sha256)" } | Sort-Object)
                    $truth = @($modem.Credentials | Where-Object { -not $_.IsModemOwned -and $_.Type -le 4 -and $_.SecTag -lt 2147483648 } | ForEach-Object { "$($_.SecTag),$($_.Type),$($_.Sha256)" } | Sort-Object)
                    if (($listed -join ';') -ne ($truth -join ';')) { return "Get-ModemCredential listed [$($listed -join '; ')] but the modem stores [$($truth -join '; ')]" }
                    foreach ($c in @($Output | Where-Object { $null -ne $_.Content })) {
                        if ($c.Content -cne $store["$($c.SecTag),$([int]$c.Type)"]) { return "Get-ModemCredential -IncludeContent returned content for $($c.SecTag),$($c.Type) that the modem does not store" }
                    }
                }
                'test' {
                    $stored = $store["$Tag,$($Item.Number)"]
                    $truth = ($null -ne $stored) -and ($stored -ceq $Item.Text)
                    if ($Output.Count -ne 1 -or [bool]$Output[0] -ne $truth) { return "Test-ModemCredential said '$($Output -join ',')' but the content is $(if ($truth) { '' } else { 'not ' })stored" }
                }
                'getmode' {
                    if ($Output.Count -ne 1 -or $Output[0].Mode -ne $mode) { return "Get-ModemFunctionalMode said $($Output[0].Mode), the modem is in $mode" }
                }
                'newkey' {
                    if ($Output.Count -ne 1 -or -not $Output[0].DigestValid) { return 'New-ModemKey reported success without a valid signed CSR' }
                    if (@($modem.Credentials | Where-Object { $_.SecTag -eq $Tag -and $_.Type -eq 2 -and "$($_.Origin)" -eq 'Generated' }).Count -ne 1) { return "New-ModemKey reported success but the modem has no generated key at $Tag" }
                }
                'provision' {
                    foreach ($o in $Output) { if ('Provisioned', 'Unchanged' -notcontains $o.Status) { if ([string]::IsNullOrWhiteSpace($o.Error)) { return "provisioning ended $($o.Status) without an error" } } }
                }
            }
        }

        # A failed step may still take effect later.
        if ($failed -or ($Op -eq 'provision')) {
            foreach ($key in $Touched.Keys) {
                $late = if ($Touched[$key] -like 'new:*') { $Touched[$key].Substring(4) } elseif ($Touched[$key] -eq 'generated') { '<generated>' } else { $null }
                if (-not $Run.InFlight.ContainsKey($key)) { $Run.InFlight[$key] = @() }
                $Run.InFlight[$key] = @($Run.InFlight[$key]) + @(, $late)
            }
            if ($null -ne $TargetMode) { $Run.InFlightModes = @($Run.InFlightModes) + $TargetMode }
            if ('set', 'remove', 'newkey', 'provision' -contains $Op) { $Run.InFlightModes = @($Run.InFlightModes) + 4 + $ModeBefore }
        }
        $null
    }
}

Describe 'Property: random cmdlet sequences under random adversity' -Skip:$onWindows {
    AfterAll { Clear-TestModems }

    It 'keeps the invariant after every step' {
        $budget = 80.0
        if ($env:NRF91CMNG_PROPERTY_SECONDS) { $budget = [double] $env:NRF91CMNG_PROPERTY_SECONDS }
        $maxRuns = [int]::MaxValue
        if ($env:NRF91CMNG_PROPERTY_RUNS) { $maxRuns = [int] $env:NRF91CMNG_PROPERTY_RUNS }
        $first = Get-Random -Minimum 1 -Maximum 1000000
        if ($env:NRF91CMNG_PROPERTY_SEED) { $first = [int] $env:NRF91CMNG_PROPERTY_SEED }

        $clock = [Diagnostics.Stopwatch]::StartNew()
        $runs = 0; $steps = 0; $failure = $null
        while ($clock.Elapsed.TotalSeconds -lt $budget -and $runs -lt $maxRuns) {
            $run = Invoke-PropertyRun -Seed ($first + $runs)
            $runs++
            $steps += $run.Steps
            if ($run.Failure) { $failure = $run; break }
        }
        $clock.Stop()

        $summary = "Property test: $runs run(s), $steps step(s) in $([Math]::Round($clock.Elapsed.TotalSeconds)) s, seeds $first..$($first + $runs - 1)"
        Write-Host $summary
        $figures = Join-Path $script:RepoRoot 'out/property-figures.txt'
        if (Test-Path (Split-Path $figures)) { Set-Content -Path $figures -Value $summary }
        if ($failure) {
            $report = "seed $($failure.Seed) broke the invariant: $($failure.Failure)`n  " + ($failure.Log -join "`n  ") +
                "`nReplay: `$env:NRF91CMNG_PROPERTY_SEED = $($failure.Seed); `$env:NRF91CMNG_PROPERTY_RUNS = 1"
            Write-Host $report
            $failure.Failure | Should -BeNullOrEmpty -Because $report
        }
        $runs | Should -BeGreaterThan 0
    }
}
