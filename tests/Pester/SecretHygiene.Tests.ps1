#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Private keys, PSKs and passphrases never show: not in any stream with -Verbose -Debug, not in the
# session's own transcript (Connect-Modem -TranscriptPath), not in PowerShell's Start-Transcript.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    # -Debug means Inquire (a prompt) in Windows PowerShell 5.1: there the preference does the same job.
    $script:DebugArgs = @{}
    if ($PSVersionTable.PSEdition -eq 'Core') { $script:DebugArgs = @{ Debug = $true } }

    # Every secret the writes below send, and every 24-character run of the keys' base64 (18 bytes of key).
    function Assert-NoSecret([Parameter(Mandatory)][string] $Text) {
        foreach ($secret in $script:Psk, $script:Passphrase, 'wrong-passphrase') {
            $Text.IndexOf($secret, [StringComparison]::OrdinalIgnoreCase) | Should -Be -1 -Because "'$secret' must never be shown"
        }
        foreach ($file in 'client.key', 'client-encrypted.key') {
            $base64 = Get-PemBase64 (Get-FixtureText $file)
            for ($i = 0; $i + 24 -le $base64.Length; $i += 4) {
                $fragment = $base64.Substring($i, 24)
                $Text.Contains($fragment) | Should -BeFalse -Because "no fragment of $file ($fragment at $i) may be shown"
            }
        }
    }

    function Invoke-SecretWrites {
        $passphrase = ConvertTo-TestSecureString $script:Passphrase
        $debugArgs = $script:DebugArgs
        Set-ModemCredential -SecTag 5 -Type ClientPrivateKey -Path (Get-Fixture client-encrypted.key) -Passphrase $passphrase -Verbose @debugArgs
        Set-ModemCredential -SecTag 5 -Type ClientPrivateKey -Path (Get-Fixture client.key) -Force -Verbose @debugArgs
        Set-ModemCredential -SecTag 5 -Type Psk -Content $script:Psk -Verbose @debugArgs
        Set-ModemCredential -SecTag 6 -Type ClientPrivateKey -Path (Get-Fixture client-encrypted.key) -Passphrase (ConvertTo-TestSecureString 'wrong-passphrase') -Verbose @debugArgs
        Test-ModemCredential -SecTag 5 -Type Psk -Content $script:Psk -Detailed -Verbose @debugArgs
        Invoke-ModemCommand 'AT%CMNG=1' -Verbose @debugArgs
    }
}

Describe 'Secrets' {
    AfterEach { Clear-TestModems }

    It 'never shows keys, PSKs or passphrases in any stream or in the session transcript' {
        $log = Join-Path $TestDrive 'session.log'
        $null = Start-TestModem -Connect @{ TranscriptPath = $log }
        $streams = & {
            $DebugPreference = 'Continue'
            Invoke-SecretWrites
        } *>&1
        Disconnect-Modem

        $errors = @($streams | Where-Object { $_ -is [Management.Automation.ErrorRecord] })
        @($errors | ForEach-Object FullyQualifiedErrorId) | Should -Be 'PrivateKeyPassphraseIncorrect,Nrf91Cmng.Commands.SetModemCredentialCommand'
        $debug = @($streams | Where-Object { $_ -is [Management.Automation.DebugRecord] } | ForEach-Object Message)
        $debug | Should -Not -BeNullOrEmpty
        ($debug -join "`n") | Should -BeLike '*AT%CMNG=0*' -Because 'the debug stream shows the traffic, masked'
        $session = [IO.File]::ReadAllText($log)
        $session | Should -BeLike '*> AT%CMNG=0,5,2,*'
        $session | Should -BeLike '*< OK*'

        $all = ($streams | Out-String) + "`n" + (($errors | ForEach-Object { $_.Exception.ToString(); $_.ErrorDetails.Message; $_.ErrorDetails.RecommendedAction; "$($_.TargetObject)" }) -join "`n") + "`n" + $session
        Assert-NoSecret $all
    }

    It 'leaves no key, PSK or passphrase in a Start-Transcript of writes with -Verbose -Debug' {
        $null = Start-TestModem
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $null = Start-Transcript -Path $transcript -Force
        try {
            $DebugPreference = 'Continue'
            $VerbosePreference = 'Continue'
            # Verbose and debug lines go to the host (and so to the transcript); so do the errors, objects do not.
            Invoke-SecretWrites 2>&1 | Where-Object { $_ -is [Management.Automation.ErrorRecord] } | Out-Host
        }
        finally {
            $DebugPreference = 'SilentlyContinue'
            $VerbosePreference = 'SilentlyContinue'
            $null = Stop-Transcript
        }
        $text = [IO.File]::ReadAllText($transcript)
        $text | Should -BeLike '*VERBOSE:*' -Because 'the transcript recorded the verbose stream'
        $text | Should -BeLike '*DEBUG:*AT%CMNG=0,5,*' -Because 'the transcript recorded the debug stream'
        $text | Should -BeLike '*passphrase does not open the encrypted private key*'
        Assert-NoSecret $text
    }
}
