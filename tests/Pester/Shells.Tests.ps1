#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The cmdlets end to end through every console the virtual modem has, over a pseudo-terminal: the raw
# AT console, a Zephyr shell's 'at' with and without \n unescaping, and the TLS credentials shell 'cred'
# on its volatile, PSA and nRF modem backends. Digests are checked against the bytes the emulated
# firmware stores.

BeforeDiscovery {
    $noPty = ($PSVersionTable.PSEdition -eq 'Desktop') -or ((Get-Variable IsWindows -ValueOnly -ErrorAction SilentlyContinue) -eq $true)

    # Store: where the bytes are (Modem = the modem's %CMNG store, Shell = the 'cred' backend's own).
    # Nul: the backend keeps the terminating NUL of a PEM. Variant: the stored form Test-ModemCredential finds.
    # Oversize: a fresh front end with its default buffers and what it says about ca.pem (1143 bytes).
    $frontEnds = @(
        @{ Name = 'raw AT console'; Sim = @{}; Mode = 'At'; Pem = $true; Psk = $true; Store = 'Modem'; Nul = $false; Variant = 'Lf'; Backend = 'Modem'
            Oversize = @{ Sim = @{}; File = 'long.pem'; ErrorId = 'CredentialCommandTooLong' } }
        @{ Name = "shell 'at' that unescapes"; Sim = @{ Framing = 'Shell' }; Mode = 'Shell'; Pem = $true; Psk = $true; Store = 'Modem'; Nul = $false; Variant = 'CrLf'; Backend = 'Modem'
            Oversize = @{ Sim = @{ Framing = 'Shell'; ShellBufferSize = 1024 }; File = 'ca.pem'; ErrorId = 'ModemShellLineTooLong' } }
        @{ Name = "shell 'at' that does not unescape"; Sim = @{ Framing = 'ZephyrShell'; ShellCommands = 'At'; ShellBufferSize = 4096 }; Mode = 'Shell'; Pem = $false; Psk = $true; Store = 'Modem'; Nul = $false; Variant = 'Lf'; Backend = 'Modem'
            Oversize = @{ Sim = @{ Framing = 'ZephyrShell'; ShellCommands = 'At' }; File = 'ca.pem'; ErrorId = 'ModemShellLineTooLong' } }
        @{ Name = "'cred' on the volatile backend"; Sim = @{ Framing = 'ZephyrShell'; ShellCommands = 'Cred'; CredentialBackend = 'Volatile'; CredentialBufferSize = 4096 }; Mode = 'Cred'; Pem = $true; Psk = $true; Store = 'Shell'; Nul = $true; Variant = 'Lf'; Backend = 'Volatile'
            Oversize = @{ Sim = @{ Framing = 'ZephyrShell'; ShellCommands = 'Cred'; CredentialBackend = 'Volatile' }; File = 'ca.pem'; ErrorId = 'CredentialShellBufferTooSmall' } }
        @{ Name = "'cred' on the PSA backend"; Sim = @{ Framing = 'ZephyrShell'; ShellCommands = 'Cred'; CredentialBackend = 'Psa'; CredentialBufferSize = 4096 }; Mode = 'Cred'; Pem = $true; Psk = $true; Store = 'Shell'; Nul = $true; Variant = 'Lf'; Backend = 'Psa'
            Oversize = @{ Sim = @{ Framing = 'ZephyrShell'; ShellCommands = 'Cred'; CredentialBackend = 'Psa' }; File = 'ca.pem'; ErrorId = 'CredentialShellBufferTooSmall' } }
        @{ Name = "'cred' and 'at' on the nRF modem backend"; Sim = @{ Framing = 'ZephyrShell'; CredentialBufferSize = 4096 }; Mode = 'CredAndAt'; Pem = $true; Psk = $false; Store = 'Modem'; Nul = $false; Variant = 'Lf'; Backend = 'Modem'
            Oversize = @{ Sim = @{ Framing = 'ZephyrShell' }; File = 'ca.pem'; ErrorId = 'CredentialShellBufferTooSmall' } }
        @{ Name = "'cred' alone on the nRF modem backend"; Sim = @{ Framing = 'ZephyrShell'; ShellCommands = 'Cred'; CredentialBackend = 'Modem'; CredentialBufferSize = 4096 }; Mode = 'Cred'; Pem = $true; Psk = $false; Store = 'Modem'; Nul = $false; Variant = 'Lf'; Backend = 'Modem'
            Oversize = @{ Sim = @{ Framing = 'ZephyrShell'; ShellCommands = 'Cred' }; File = 'ca.pem'; ErrorId = 'CredentialShellBufferTooSmall' } }
    )
    $pemFrontEnds = @($frontEnds | Where-Object { $_.Pem })
    $pskFrontEnds = @($frontEnds | Where-Object { $_.Psk })
    $noPskFrontEnds = @($frontEnds | Where-Object { -not $_.Psk })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    $script:Items = @(
        @{ Type = 'RootCA'; Number = 0; File = 'ca.pem' }
        @{ Type = 'ClientCertificate'; Number = 1; File = 'client.pem' }
        @{ Type = 'ClientPrivateKey'; Number = 2; File = 'client.key' }
    )

    function Start-FrontEnd {
        <# A virtual modem with the given console on a pseudo-terminal, and a session to it (detected, not forced). #>
        param([hashtable] $Sim, [switch] $NoConnect)
        $simulator = Start-ModemSimulator -Transport PseudoTerminal @Sim
        if (-not $NoConnect) { $null = $simulator | Connect-Modem -Handshake None }
        $simulator
    }

    function Get-Held {
        <# The bytes the emulated firmware stores for (sec_tag, AT type): the 'cred' backend's own store, or the modem's. #>
        param($Simulator, [uint32] $SecTag, [int] $Type, [string] $Store)
        if ($Store -eq 'Shell') { return $Simulator.Modem.GetShellCredentialBytes($SecTag, $Type) }
        $Simulator.Modem.GetStoredBytes($SecTag, $Type)
    }

    function Get-BytesSha256 {
        param([byte[]] $Bytes)
        $sha = [Security.Cryptography.SHA256]::Create()
        try { ([BitConverter]::ToString($sha.ComputeHash($Bytes))).Replace('-', '') } finally { $sha.Dispose() }
    }

    function Get-AllHeld {
        <# Everything both stores hold below the modem-owned tags, as text, to compare before and after. #>
        param($Simulator)
        $modem = (Get-ModemStore $Simulator) -split "`n" | Where-Object { $_ -and [uint64]($_ -split ',')[0] -lt 2147483648 }
        $shell = foreach ($tag in 7, 42, 43) { foreach ($type in 0..4) { $b = $Simulator.Modem.GetShellCredentialBytes($tag, $type); if ($b) { "$tag,$type,$(Get-BytesSha256 $b)" } } }
        (@($modem) + @($shell)) -join "`n"
    }

    function Get-PemText {
        param([string] $File)
        (Get-FixtureText $File).Replace("`r`n", "`n")
    }
}

Describe 'The cmdlets through every console, over a pseudo-terminal' -Skip:$noPty {
    AfterEach { Clear-TestModems }

    It 'Connect-Modem detects the <Name> and says so' -ForEach $frontEnds {
        $sim = Start-FrontEnd $Sim -NoConnect
        $verbose = $sim | Connect-Modem -Handshake None -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message
        $session = Get-ModemSession
        $session.CommandMode | Should -Be $Mode
        $session.Console | Should -Not -BeNullOrEmpty
        ($verbose -join "`n") | Should -BeLike "*Command mode: $($session.Console)*"
        if ($Mode -eq 'Cred') {
            $session.Imei | Should -BeNullOrEmpty
            $session.Model | Should -BeNullOrEmpty
            ($verbose -join "`n") | Should -BeLike "*no 'at' command: the model, firmware, IMEI and functional mode cannot be read*"
            { Invoke-ModemCommand 'AT+CGSN' -ErrorAction Stop } | Should -Throw -ErrorId 'ModemAtNotAvailable,*'
        }
        else {
            $session.Imei | Should -Be $sim.Imei
        }
    }

    It 'writes, lists, verifies and removes a CA, a client certificate and a key through the <Name>' -ForEach $pemFrontEnds {
        $sim = Start-FrontEnd $Sim
        foreach ($item in $script:Items) {
            Set-ModemCredential -SecTag 42 -Type $item.Type -Path (Get-Fixture $item.File) -Force -WarningAction SilentlyContinue -ErrorAction Stop
        }

        $listed = @(Get-ModemCredential -SecTag 42)
        $listed.Count | Should -Be 3
        foreach ($item in $script:Items) {
            $held = Get-Held $sim 42 $item.Number $Store
            $held | Should -Not -BeNullOrEmpty
            $text = Get-PemText $item.File
            if ($Variant -eq 'CrLf') { $text = $text.Replace("`n", "`r`n") }
            if ($Nul) { $text += [char]0 }
            [Text.Encoding]::ASCII.GetString($held) | Should -BeExactly $text
            ($listed | Where-Object { "$($_.Type)" -eq $item.Type }).Sha256 | Should -Be (Get-BytesSha256 $held)
            $test = Test-ModemCredential -SecTag 42 -Type $item.Type -Path (Get-Fixture $item.File) -Detailed
            $test.Match | Should -BeTrue
            $test.MatchedVariant | Should -Be $Variant
            $test.ModemSha256 | Should -Be (Get-BytesSha256 $held)
        }

        (Get-ModemSession).CredentialBackend | Should -Be $Backend
        Test-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture client.pem) | Should -BeFalse

        # Idempotent, then a replace ('cred add' cannot overwrite: delete, then add).
        $unchanged = Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) -PassThru -WarningAction SilentlyContinue
        $unchanged.Status | Should -Be 'Unchanged'
        $replaced = Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture client.pem) -Force -PassThru -WarningAction SilentlyContinue
        $replaced.Status | Should -Be 'Replaced'
        $replaced.Sha256 | Should -Be (Get-BytesSha256 (Get-Held $sim 42 0 $Store))

        Remove-ModemCredential -SecTag 42 -Type RootCA -Force
        Remove-ModemCredential -SecTag 42 -Type ClientCertificate -Force
        Get-Held $sim 42 0 $Store | Should -BeNullOrEmpty
        Get-Held $sim 42 1 $Store | Should -BeNullOrEmpty
        @(Get-ModemCredential -SecTag 42).Type | Should -Be 'ClientPrivateKey'
    }

    It 'writes a PSK and its identity through the <Name>' -ForEach $pskFrontEnds {
        $sim = Start-FrontEnd $Sim
        Set-ModemCredential -SecTag 7 -Type Psk -Content $script:Psk -Force -ErrorAction Stop
        Set-ModemCredential -SecTag 7 -Type PskIdentity -Content 'device 7' -Force -ErrorAction Stop
        $psk = Get-Held $sim 7 3 $Store
        $id = Get-Held $sim 7 4 $Store
        if ($Store -eq 'Shell') {
            # Zephyr's TLS stack takes a PSK as its key bytes.
            [BitConverter]::ToString($psk).Replace('-', '') | Should -Be $script:Psk
        }
        else {
            [Text.Encoding]::ASCII.GetString($psk) | Should -BeExactly $script:Psk
        }

        [Text.Encoding]::ASCII.GetString($id) | Should -BeExactly 'device 7'
        (Get-ModemCredential -SecTag 7 -Type Psk).Sha256 | Should -Be (Get-BytesSha256 $psk)
        Test-ModemCredential -SecTag 7 -Type Psk -Content $script:Psk | Should -BeTrue
        Test-ModemCredential -SecTag 7 -Type PskIdentity -Content 'device 7' | Should -BeTrue
        Remove-ModemCredential -SecTag 7 -Type Psk -Force
        Get-Held $sim 7 3 $Store | Should -BeNullOrEmpty
    }

    It 'refuses a PSK clearly through the <Name>, which has none' -ForEach $noPskFrontEnds {
        $sim = Start-FrontEnd $Sim
        $before = Get-AllHeld $sim
        { Set-ModemCredential -SecTag 7 -Type Psk -Content $script:Psk -Force -ErrorAction Stop } | Should -Throw -ErrorId 'CredentialTypeNotSupported,*'
        { Set-ModemCredential -SecTag 7 -Type PskIdentity -Content 'device 7' -Force -ErrorAction Stop } | Should -Throw -ErrorId 'CredentialTypeNotSupported,*'
        Get-AllHeld $sim | Should -Be $before
    }

    It 'refuses an over-size credential through the <Name> before anything is sent' -ForEach $frontEnds {
        $sim = Start-FrontEnd $Oversize.Sim
        $before = Get-AllHeld $sim
        $writes = Get-SentCount $sim 'AT%CMNG=0*'
        $err = { Set-ModemCredential -SecTag 43 -Type RootCA -Path (Get-Fixture $Oversize.File) -Force -WarningAction SilentlyContinue -ErrorAction Stop } | Should -Throw -ErrorId "$($Oversize.ErrorId),*" -PassThru
        "$($err.Exception.Message) $($err.ErrorDetails.RecommendedAction)" | Should -Match 'CONFIG_|4095|buffer'
        Get-AllHeld $sim | Should -Be $before
        Get-SentCount $sim 'AT%CMNG=0*' | Should -Be $writes
    }

    It 'provisions two modems from one plan through the <Name>' -ForEach $pemFrontEnds {
        $sims = 1..2 | ForEach-Object { Start-FrontEnd $Sim -NoConnect }
        $plan = @($script:Items | ForEach-Object { @{ SecTag = 42; Type = $_.Type; Path = (Get-Fixture $_.File) } })
        $results = @(Invoke-ModemProvisioning -Plan $plan -PortName $sims.PortName -Handshake None -WarningAction SilentlyContinue)
        @($results | ForEach-Object Status) | Should -Be 'Provisioned', 'Provisioned'
        foreach ($sim in $sims) {
            $result = $results | Where-Object PortName -eq $sim.PortName
            foreach ($item in $script:Items) {
                $entry = $result.Entries | Where-Object { "$($_.Type)" -eq $item.Type }
                $entry.Sha256 | Should -Be (Get-BytesSha256 (Get-Held $sim 42 $item.Number $Store))
            }
        }

        $again = @(Invoke-ModemProvisioning -Plan $plan -PortName $sims.PortName -Handshake None -WarningAction SilentlyContinue)
        @($again | ForEach-Object Status) | Should -Be 'Unchanged', 'Unchanged'
    }

    It 'provisions two modems from a PSK plan through the <Name>' -ForEach $pskFrontEnds {
        $sims = 1..2 | ForEach-Object { Start-FrontEnd $Sim -NoConnect }
        $plan = @(
            @{ SecTag = 7; Type = 'Psk'; Content = $script:Psk }
            @{ SecTag = 7; Type = 'PskIdentity'; Content = 'device 7' }
        )
        $results = @(Invoke-ModemProvisioning -Plan $plan -PortName $sims.PortName -Handshake None -WarningAction SilentlyContinue)
        @($results | ForEach-Object Status) | Should -Be 'Provisioned', 'Provisioned'
        foreach ($sim in $sims) {
            $result = $results | Where-Object PortName -eq $sim.PortName
            foreach ($number in 3, 4) {
                $entry = $result.Entries | Where-Object { [int]$_.Type -eq $number }
                $entry.Sha256 | Should -Be (Get-BytesSha256 (Get-Held $sim 7 $number $Store))
            }

            [Text.Encoding]::ASCII.GetString((Get-Held $sim 7 4 $Store)) | Should -BeExactly 'device 7'
        }

        $again = @(Invoke-ModemProvisioning -Plan $plan -PortName $sims.PortName -Handshake None -WarningAction SilentlyContinue)
        @($again | ForEach-Object Status) | Should -Be 'Unchanged', 'Unchanged'
    }
}

Describe 'What each console cannot do, said plainly' -Skip:$noPty {
    AfterEach { Clear-TestModems }

    It "refuses a multi-line credential through a shell 'at' that does not unescape, and leaves the store as it was" {
        $sim = Start-FrontEnd @{ Framing = 'ZephyrShell'; ShellCommands = 'At'; ShellBufferSize = 4096 }
        $before = Get-AllHeld $sim
        $err = { Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ModemShellNoUnescape,*' -PassThru
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*CONFIG_AT_SHELL_UNESCAPE_LF*'
        $err.ErrorDetails.RecommendedAction | Should -BeLike "*'cred'*"
        Get-AllHeld $sim | Should -Be $before
        Get-SentCount $sim 'AT%CMNG=0,42,*' | Should -Be 0
        (Get-ModemSession).ShellUnescapeLf | Should -BeFalse
    }

    It "skips the probe when -ShellUnescapeLf says the firmware unescapes" {
        $sim = Start-ModemSimulator -Transport PseudoTerminal -Framing Shell
        $session = $sim | Connect-Modem -Handshake None -ShellUnescapeLf
        $session.ShellUnescapeLf | Should -BeTrue
        Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) -Force -WarningAction SilentlyContinue
        Get-SentCount $sim 'AT%CMNG=0*' | Should -Be 1
        Get-StoredText $sim 42 0 | Should -BeExactly (Get-PemText ca.pem).Replace("`n", "`r`n")
    }

    It "explains a write refused because the modem is online, when 'cred' has no 'at' to switch it" {
        $sim = Start-FrontEnd @{ Framing = 'ZephyrShell'; ShellCommands = 'Cred'; CredentialBufferSize = 4096 } -NoConnect
        $null = $sim.Modem.Execute('AT+CFUN=1')
        $null = $sim | Connect-Modem -Handshake None
        $err = { Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ModemFunctionalModeActive,*' -PassThru
        $err.Exception.Message | Should -BeLike '*LTE is active*'
        $err.ErrorDetails.RecommendedAction | Should -BeLike '*application*offline*'
        $sim.Modem.GetStoredBytes(42, 0) | Should -BeNullOrEmpty
    }

    It "switches the modem offline through 'at' and back when the shell has both" {
        $sim = Start-FrontEnd @{ Framing = 'ZephyrShell'; CredentialBufferSize = 4096 } -NoConnect
        $null = $sim.Modem.Execute('AT+CFUN=1')
        $null = $sim | Connect-Modem -Handshake None
        Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) -Force -WarningAction SilentlyContinue -ErrorAction Stop
        $sim.Modem.FunctionalMode | Should -Be 1
        Get-StoredText $sim 42 0 | Should -BeExactly (Get-PemText ca.pem)
    }

    It "fails an {Imei} plan per modem on a 'cred' shell without 'at', and provisions the other modem" {
        $cred = Start-FrontEnd @{ Framing = 'ZephyrShell'; ShellCommands = 'Cred'; CredentialBackend = 'Volatile'; CredentialBufferSize = 4096 } -NoConnect
        $raw = Start-FrontEnd @{} -NoConnect
        $plan = @(@{ SecTag = 42; Type = 'RootCA'; Path = (Get-Fixture ca.pem) }, @{ SecTag = 42; Type = 'PskIdentity'; Content = 'device-{Imei}' })
        $results = @(Invoke-ModemProvisioning -Plan $plan -PortName $cred.PortName, $raw.PortName -Handshake None -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        ($results | Where-Object PortName -eq $raw.PortName).Status | Should -Be 'Provisioned'
        $failed = $results | Where-Object PortName -eq $cred.PortName
        $failed.Status | Should -Be 'Failed'
        $failed.Error | Should -BeLike "*{Imei}*without 'at'*"
        $cred.Modem.GetShellCredentialBytes(42, 0) | Should -BeNullOrEmpty
        Get-StoredText $raw 42 4 | Should -Be "device-$($raw.Imei)"
    }

    It 'reads content back where the backend allows, and says where it does not' {
        $sim = Start-FrontEnd @{ Framing = 'ZephyrShell'; ShellCommands = 'Cred'; CredentialBackend = 'Psa'; CredentialBufferSize = 4096 }
        Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) -Force -WarningAction SilentlyContinue
        Set-ModemCredential -SecTag 42 -Type ClientPrivateKey -Path (Get-Fixture client.key) -Force
        $read = @(Get-ModemCredential -SecTag 42 -IncludeContent -WarningVariable warnings -WarningAction SilentlyContinue)
        ($read | Where-Object Type -eq RootCA).Content | Should -BeExactly (Get-PemText ca.pem)
        ($read | Where-Object Type -eq ClientPrivateKey).Content | Should -BeNullOrEmpty
        ($warnings -join ' ') | Should -BeLike '*ClientPrivateKey at 42*secret*'

        $modem = Start-FrontEnd @{ Framing = 'ZephyrShell'; ShellCommands = 'Cred'; CredentialBufferSize = 4096 }
        $session = Get-ModemSession | Where-Object PortName -eq $modem.PortName
        Set-ModemCredential -Session $session -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) -Force -WarningAction SilentlyContinue
        $none = Get-ModemCredential -Session $session -SecTag 42 -IncludeContent -WarningVariable warnings2 -WarningAction SilentlyContinue
        $none.Content | Should -BeNullOrEmpty
        ($warnings2 -join ' ') | Should -BeLike '*nRF modem backend*'
    }

    It 'Find-Modem -Probe names the console of each port' {
        $shell = Start-FrontEnd @{ Framing = 'ZephyrShell'; ShellCommands = 'Cred' } -NoConnect
        $raw = Start-FrontEnd @{} -NoConnect
        $found = @(Find-Modem -Probe | Where-Object { $_.PortName -in @($shell.PortName, $raw.PortName) })
        ($found | Where-Object PortName -eq $shell.PortName).CommandMode | Should -Be 'Cred'
        ($found | Where-Object PortName -eq $shell.PortName).Responds | Should -BeTrue
        ($found | Where-Object PortName -eq $raw.PortName).CommandMode | Should -Be 'At'
        ($found | Where-Object PortName -eq $raw.PortName).Imei | Should -Be $raw.Imei
    }
}
