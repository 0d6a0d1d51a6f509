#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The Zephyr shell front ends of the virtual modem, talked to raw: the simulator is served on a
# pseudo-terminal, this process opens it with System.IO.Ports and compares the bytes that come back.

BeforeDiscovery {
    $noPty = ($PSVersionTable.PSEdition -eq 'Desktop') -or ((Get-Variable IsWindows -ValueOnly -ErrorAction SilentlyContinue) -eq $true)
    $backends = @(
        @{ Backend = 'Modem'; Digest = '59FXbTxVUc/JBxlTpwmGQFOmq+FOkoHPws0RtI5vBTw='; InModem = $true; Warning = $false }
        @{ Backend = 'Volatile'; Digest = 'ff5KKaTJgecBwk5+rV0KDRQX2hlYHD7vzoi51JwCFhU='; InModem = $false; Warning = $true }
        @{ Backend = 'Psa'; Digest = 'ff5KKaTJgecBwk5+rV0KDRQX2hlYHD7vzoi51JwCFhU='; InModem = $false; Warning = $false }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Esc = [char]27
    $script:P = "-----BEGIN CERTIFICATE-----`nTEST`n-----END CERTIFICATE-----`n"
    $script:PBase64 = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tClRFU1QKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo='

    function Open-RawShell {
        <# Starts a shell simulator on a pseudo-terminal and opens it raw; returns @{ Sim; Port }. #>
        param([hashtable] $Options = @{})
        $sim = Start-ModemSimulator -Transport PseudoTerminal @Options
        $port = [System.IO.Ports.SerialPort]::new($sim.PortName, 115200)
        $port.Encoding = [Text.Encoding]::Latin1
        $port.ReadTimeout = 50
        $port.Open()
        $port.DiscardInBuffer()
        @{ Sim = $sim; Port = $port }
    }

    function Close-RawShell {
        param($Shell)
        if ($Shell -and $Shell.Port) { $Shell.Port.Dispose() }
    }

    function Send-Raw {
        <# Writes the text as bytes and returns everything that comes back until the line is quiet for 150 ms (and -Until matches, if given). #>
        param($Shell, [string] $Text, [int] $QuietMs = 150, [string] $Until)
        $Shell.Port.Write($Text)
        $received = [Text.StringBuilder]::new()
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $idle = [Diagnostics.Stopwatch]::StartNew()
        while ($clock.ElapsedMilliseconds -lt 5000) {
            $chunk = $Shell.Port.ReadExisting()
            if ($chunk.Length -gt 0) {
                $null = $received.Append($chunk)
                $idle.Restart()
            }
            elseif ($idle.ElapsedMilliseconds -ge $QuietMs -and $received.Length -gt 0 -and (-not $Until -or $received.ToString() -match $Until)) {
                break
            }
            elseif ($idle.ElapsedMilliseconds -ge 2000) {
                break
            }
            else {
                Start-Sleep -Milliseconds 10
            }
        }
        $received.ToString()
    }

    function Send-Line {
        <# Sends the line and CR LF; reads until a prompt (plain or coloured) ends the output. #>
        param($Shell, [string] $Line, [int] $QuietMs = 150)
        Send-Raw $Shell ($Line + "`r`n") $QuietMs '(\x1b\[1;32m)?[a-z]+:~\$ (\x1b\[m)?$'
    }
}

Describe 'Start-ModemSimulator -Framing ZephyrShell, talked to raw on a pseudo-terminal' -Skip:$noPty {
    BeforeEach {
        $script:Shell = $null
    }

    AfterEach {
        Close-RawShell $script:Shell
        Clear-TestModems
    }

    It 'answers the detection sequence of the spec (T1) byte for byte, colours included' {
        $script:Shell = Open-RawShell @{ Framing = 'ZephyrShell'; Imei = '352656109480783' }
        $prompt = "$Esc[1;32muart:~$ $Esc[m"
        Send-Line $Shell '' | Should -BeExactly ("`r`n" + $prompt)
        Send-Line $Shell 'cred list' | Should -BeExactly ("cred list`r`n0 credentials found.`r`n" + $prompt)
        Send-Line $Shell 'at AT+CGSN' | Should -BeExactly ("at AT+CGSN`r`n352656109480783`r`r`nOK`r`r`n`r`n" + $prompt)
        Send-Line $Shell 'foo' | Should -BeExactly ("foo`r`n$Esc[1;31mfoo: command not found`r`n$Esc[m" + $prompt)
    }

    It 'stores P with cred add on the <Backend> backend and lists its digest' -ForEach $backends {
        $script:Shell = Open-RawShell @{ Framing = 'ZephyrShell'; ShellColors = $false; CredentialBackend = $Backend }
        $added = Send-Line $Shell "cred add 42 CA DEFAULT bint $PBase64"
        $added | Should -BeLike '*Stored 80 bytes.*Added TLS credential of type CA_CERT, sectag 42, and length 60 bytes.*Credential buffer cleared.*'
        ($added -like '*Credential has been copied to heap.*') | Should -Be $Warning
        Send-Line $Shell 'cred list 42 CA' | Should -BeExactly ("cred list 42 CA`r`n42,CA,$Digest,0`r`n1 credentials found.`r`nuart:~$ ")
        $stored = $Shell.Sim.Modem.GetStoredBytes(42, 0)
        if ($InModem) { [Text.Encoding]::ASCII.GetString($stored) | Should -BeExactly $P } else { $stored | Should -BeNullOrEmpty }
    }

    It 'needs the modem offline on the nRF modem backend and logs the refusal after the prompt' {
        $script:Shell = Open-RawShell @{ ShellColors = $false }
        $Shell.Sim.Modem.Framing | Should -Be 'ZephyrShell'
        $null = Send-Line $Shell 'at AT+CFUN=1'
        $received = Send-Line $Shell "cred add 42 CA DEFAULT bint $PBase64"
        $received | Should -BeLike "*Failed to add TLS credential with sectag 42 and type CA_CERT. Error: -1`r`n.Credential buffer cleared.`r`nuart:~$ $Esc[8D$Esc[J[[]*] <wrn> modem_key_mgmt: Not allowed when LTE connection is active`r`nuart:~$ "
        Send-Line $Shell 'retval' | Should -BeExactly "retval`r`n-1`r`nuart:~$ "
    }

    It 'wraps the echo at 80 columns and prints modem replies with CR CR LF' {
        $script:Shell = Open-RawShell @{ Framing = 'ZephyrShell'; ShellColors = $false }
        $line = 'at AT' + ('+' * 67)
        $received = Send-Line $Shell $line
        $received | Should -BeExactly ($line + "`r`nERROR`r`r`n`r`nuart:~$ ")
        $longer = $line + 'X'
        Send-Line $Shell $longer | Should -BeExactly ($line + "`r`nX`r`nERROR`r`r`n`r`nuart:~$ ")
    }

    It 'loses what a host sends while a command runs beyond the 64-byte RX ring' {
        $script:Shell = Open-RawShell @{ Framing = 'ZephyrShell'; ShellColors = $false }
        $received = Send-Raw $Shell ("cred list`r`ncred buf " + ('A' * 100) + "`r`n") 300 'RX ring buffer full\.[\s\S]*A$'
        $Shell.Sim.Modem.RxBytesDropped | Should -BeGreaterThan 0
        $received | Should -BeLike '*<wrn> shell_uart: RX ring buffer full.*'
        Send-Line $Shell '' | Should -BeLike '*Stored * bytes.*'
    }

    It 'keeps the legacy Shell framing: at only, no colours, \n unescaped' {
        $script:Shell = Open-RawShell @{ Framing = 'Shell' }
        Send-Line $Shell 'cred list' | Should -BeExactly "cred list`r`ncred: command not found`r`nuart:~$ "
        $null = Send-Line $Shell "at 'AT%CMNG=0,7,4,""a\nb""'"
        [Text.Encoding]::ASCII.GetString($Shell.Sim.Modem.GetStoredBytes(7, 4)) | Should -BeExactly "a`r`nb"
    }

    It 'unescapes \n only with -ShellUnescapeLf, so an nRF91x1 takes a PEM through at' {
        $pem = (Get-FixtureText 'ca.pem').Replace("`r`n", "`n").TrimEnd("`n").Replace("`n", '\n') + '\n'
        $command = "at 'AT%CMNG=0,16,0,""$pem""'"
        $script:Shell = Open-RawShell @{ Framing = 'ZephyrShell'; ShellColors = $false; Firmware = 'mfw_nrf91x1_2.0.2'; ShellBufferSize = 3584 }
        $null = Send-Line $Shell 'at AT+CMEE=1'
        Send-Line $Shell $command | Should -BeLike "*+CME ERROR: 527`r`r`n`r`nuart:~$ "
        Close-RawShell $Shell
        $script:Shell = Open-RawShell @{ Framing = 'ZephyrShell'; ShellColors = $false; Firmware = 'mfw_nrf91x1_2.0.2'; ShellBufferSize = 3584; ShellUnescapeLf = $true }
        Send-Line $Shell $command | Should -BeLike "*OK`r`r`n`r`nuart:~$ "
        $Shell.Sim.Modem.GetStoredBytes(16, 0) | Should -Not -BeNullOrEmpty
    }

    It 'cuts a line at the 255-character command buffer unless -ShellBufferSize raises it' {
        $script:Shell = Open-RawShell @{ Framing = 'ZephyrShell'; ShellColors = $false }
        $null = Send-Line $Shell ('at AT' + ('x' * 300))
        $Shell.Sim.Modem.ReceivedCommands[-1].Length | Should -Be 252
    }
}

Describe 'Shell options of the simulator cmdlets' {
    AfterEach { Clear-TestModems }

    It 'refuses shell options for an at_host console' {
        { Start-ModemSimulator -Transport Tcp -Framing AtHost -CredentialBackend Psa -ErrorAction Stop } | Should -Throw -ErrorId 'ModemSimulatorOptionInvalid,*'
        Get-ModemSimulator | Should -BeNullOrEmpty
    }

    It 'chooses ZephyrShell when shell options come without -Framing' {
        $sim = Start-ModemSimulator -Transport Tcp -ShellCommands Cred -CredShellVariant Upstream -CredentialBufferSize 2048
        $sim.Modem.Framing | Should -Be 'ZephyrShell'
    }

    It 'connects the engine to an in-process ZephyrShell with Connect-Modem -Simulator' {
        $session = Connect-Modem -Simulator -Framing ZephyrShell -ShellCommands At, Cred -CredentialBackend Modem -TimeoutSeconds 5
        $session.CommandMode | Should -Be 'CredAndAt'
        $session.Imei | Should -Match '^[0-9]{15}$'
        (Invoke-ModemCommand 'AT+CGMM').Lines | Should -Be 'nRF9160-SICA'
    }
}
