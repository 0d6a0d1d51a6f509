#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The Nrf91Cmng Pester suite. Every It here has a twin in the hosted-engine xunit suite
    (tests/Nrf91Cmng.Tests, [Trait("Pester", "<It name>")]); a test there compares the two lists.
    Run with build.ps1 -Test, or: Invoke-Pester ./tests/Pester -Tag Unit, Simulator, Help
    Hardware checks run only when $env:NRF91_PORT names a real port.
#>

BeforeAll {
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    Import-Module (Join-Path $repo 'out/Nrf91Cmng/Nrf91Cmng.psd1') -Force
    $script:fixtures = Join-Path ([IO.Path]::GetTempPath()) ("nrf91cmng-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $script:fixtures | Out-Null

    # A CA, a client certificate and its key, made with .NET (no OpenSSL needed).
    $caKey = [Security.Cryptography.RSA]::Create(2048)
    $caRequest = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Pester Root CA', $caKey, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $caRequest.CertificateExtensions.Add([Security.Cryptography.X509Certificates.X509BasicConstraintsExtension]::new($true, $false, 0, $true))
    $ca = $caRequest.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddYears(5))
    $clientKey = [Security.Cryptography.ECDsa]::Create([Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    $clientRequest = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=device-1', $clientKey, 'SHA256')
    $signer = [Security.Cryptography.X509Certificates.X509SignatureGenerator]::CreateForRSA($caKey, [Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $client = $clientRequest.Create($ca.SubjectName, $signer, [DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddYears(1), [byte[]](1, 2, 3))
    $script:caFile = Join-Path $script:fixtures 'ca.pem'
    $script:caKeyFile = Join-Path $script:fixtures 'ca.key'
    $script:clientFile = Join-Path $script:fixtures 'client.pem'
    $script:keyFile = Join-Path $script:fixtures 'client.key'
    Set-Content -Path $script:caFile -Value $ca.ExportCertificatePem() -NoNewline
    Set-Content -Path $script:caKeyFile -Value $caKey.ExportPkcs8PrivateKeyPem() -NoNewline
    Set-Content -Path $script:clientFile -Value $client.ExportCertificatePem() -NoNewline
    Set-Content -Path $script:keyFile -Value $clientKey.ExportPkcs8PrivateKeyPem() -NoNewline
    $script:keyLine = ($clientKey.ExportPkcs8PrivateKeyPem() -split "`n")[1]
    $script:plan = @(
        @{ SecTag = 42; Type = 'RootCA'; Path = $script:caFile }
        @{ SecTag = 42; Type = 'ClientCertificate'; Path = $script:clientFile }
        @{ SecTag = 42; Type = 'ClientPrivateKey'; Path = $script:keyFile }
    )
}

AfterAll {
    Get-ModemSession | Disconnect-Modem
    Stop-ModemSimulator -All -Confirm:$false
    Remove-Item -Recurse -Force $script:fixtures -ErrorAction SilentlyContinue
}

Describe 'Module' -Tag Unit {
    It 'exports exactly the cmdlets the manifest lists' {
        $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../Nrf91Cmng.psd1')
        (Get-Command -Module Nrf91Cmng).Name | Sort-Object | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'passes Test-ModuleManifest' {
        Test-ModuleManifest (Join-Path $PSScriptRoot '../../out/Nrf91Cmng/Nrf91Cmng.psd1') | Should -Not -BeNullOrEmpty
    }
}

Describe 'Sessions and the AT engine' -Tag Simulator {
    AfterEach { Get-ModemSession | Disconnect-Modem; Stop-ModemSimulator -All -Confirm:$false }

    It 'connects to the virtual modem and reads its identity' {
        $info = Connect-Modem -Simulator | Get-ModemInfo
        $info.Model | Should -Be 'nRF9160-SICA'
        $info.Imei | Should -Match '^\d{15}$'
    }

    It 'serves the virtual modem over TCP and a pseudo-terminal' {
        $transports = if ($IsWindows) { 'Tcp' } else { 'Tcp', 'PseudoTerminal' }
        foreach ($transport in $transports) {
            $sim = Start-ModemSimulator -Transport $transport -BaudRate 115200
            $session = $sim | Connect-Modem -Handshake None
            $session.Imei | Should -Be $sim.Imei
            Disconnect-Modem -Session $session
        }
    }

    It 'finds and probes virtual modems and pipes them into Connect-Modem' -Skip:$IsWindows {
        $sim = Start-ModemSimulator -Transport PseudoTerminal
        $port = Find-Modem -Probe | Where-Object PortName -eq $sim.PortName
        $port.Responds | Should -BeTrue
        $port.Imei | Should -Be $sim.Imei
        ($port | Connect-Modem -Handshake None).Imei | Should -Be $sim.Imei
    }

    It 'lists and stops virtual modems' {
        $sim = Start-ModemSimulator -Transport Tcp
        (Get-ModemSimulator).PortName | Should -Contain $sim.PortName
        $sim | Stop-ModemSimulator
        $sim.Running | Should -BeFalse
    }

    It 'times out a silent command naming it, and the next command works' {
        $sim = Start-ModemSimulator -Transport Tcp
        $sim | Connect-Modem -TimeoutSeconds 1 | Out-Null
        $null = $sim.Modem.Faults.NoReply('AT+CGMR')
        { Invoke-ModemCommand 'AT+CGMR' -TimeoutSeconds 1 -ErrorAction Stop } | Should -Throw -ErrorId 'ModemCommandTimeout*'
        (Invoke-ModemCommand 'AT+CGMM').Lines | Should -Be 'nRF9160-SICA'
    }

    It 'keeps the result when unsolicited codes flood a command' {
        $sim = Start-ModemSimulator -Transport Tcp
        $sim | Connect-Modem | Out-Null
        $sim.Modem.Faults.UrcFlood(200)
        (Get-ModemInfo).Imei | Should -Be $sim.Imei
    }
}

Describe 'Credentials' -Tag Simulator {
    BeforeEach {
        $transport = if ($IsWindows) { 'Tcp' } else { 'PseudoTerminal' }
        $script:sim = Start-ModemSimulator -Transport $transport
        $script:sim | Connect-Modem -Handshake None | Out-Null
    }

    AfterEach { Get-ModemSession | Disconnect-Modem; Stop-ModemSimulator -All -Confirm:$false }

    It 'lists, writes, verifies and deletes all five user types' {
        Set-ModemCredential -SecTag 1 -Type RootCA -Path $script:caFile
        Set-ModemCredential -SecTag 2 -Type ClientCertificate -Path $script:clientFile
        Set-ModemCredential -SecTag 2 -Type ClientPrivateKey -Path $script:keyFile
        Set-ModemCredential -SecTag 3 -Type Psk -Content '00112233445566778899AABBCCDDEEFF'
        Set-ModemCredential -SecTag 3 -Type PskIdentity -Content 'device-1'
        (Get-ModemCredential).Count | Should -Be 5
        Test-ModemCredential -SecTag 1 -Type RootCA -Path $script:caFile | Should -BeTrue
        Test-ModemCredential -SecTag 2 -Type ClientPrivateKey -Path $script:keyFile | Should -BeTrue
        Get-ModemCredential | Remove-ModemCredential -Confirm:$false
        Get-ModemCredential | Should -BeNullOrEmpty
    }

    It 'reports Unchanged for the same file and sends no write' {
        (Set-ModemCredential -SecTag 42 -Type RootCA -Path $script:caFile -PassThru).Status | Should -Be 'Written'
        (Set-ModemCredential -SecTag 42 -Type RootCA -Path $script:caFile -PassThru).Status | Should -Be 'Unchanged'
        @($script:sim.Modem.ReceivedCommands | Where-Object { $_ -like 'AT%CMNG=0*' }).Count | Should -Be 1
    }

    It 'replaces a different credential only with -Force' {
        Set-ModemCredential -SecTag 42 -Type PskIdentity -Content 'first'
        (Set-ModemCredential -SecTag 42 -Type PskIdentity -Content 'second' -Force -PassThru).Status | Should -Be 'Replaced'
        @($script:sim.Modem.ReceivedCommands | Where-Object { $_ -like 'AT%CMNG=3*' }).Count | Should -Be 0
    }

    It 'refuses bad content before anything is sent' {
        $quote = Join-Path $script:fixtures 'quote.pem'
        Set-Content -Path $quote -Value ((Get-Content -Raw $script:caFile).Insert(40, '"'))
        { Set-ModemCredential -SecTag 42 -Type RootCA -Path $quote -ErrorAction Stop } | Should -Throw -ErrorId 'CredentialContentHasQuote*'
        { Set-ModemCredential -SecTag 42 -Type Psk -Content 'ABC' -ErrorAction Stop } | Should -Throw -ErrorId 'CredentialPskOddLength*'
        @($script:sim.Modem.ReceivedCommands | Where-Object { $_ -like 'AT%CMNG=0*' }).Count | Should -Be 0
    }

    It 'restores the functional mode after a forced write, also when it fails' {
        Set-ModemFunctionalMode -Mode Normal -Confirm:$false
        Set-ModemCredential -SecTag 7 -Type RootCA -Path $script:caFile -Force
        (Get-ModemFunctionalMode).Mode | Should -Be 1
        $null = $script:sim.Modem.Faults.CmeError(515, 'AT%CMNG=0')
        { Set-ModemCredential -SecTag 8 -Type RootCA -Path $script:caFile -Force -ErrorAction Stop } | Should -Throw -ErrorId 'ModemCmeError515*'
        (Get-ModemFunctionalMode).Mode | Should -Be 1
    }

    It 'explains line-ending differences' {
        Set-ModemCredential -SecTag 3 -Type RootCA -Path $script:caFile -LineEnding CrLf
        $result = Test-ModemCredential -SecTag 3 -Type RootCA -Path $script:caFile -Detailed
        $result.Match | Should -BeTrue
        $result.MatchedVariant | Should -Be 'CrLf'
    }

    It 'removes exactly the listed root CAs, and nothing with -WhatIf' {
        Set-ModemCredential -SecTag 10 -Type RootCA -Path $script:caFile
        Set-ModemCredential -SecTag 11 -Type PskIdentity -Content 'keep-me'
        Get-ModemCredential | Where-Object Type -eq RootCA | Remove-ModemCredential -WhatIf
        (Get-ModemCredential).Count | Should -Be 2
        Get-ModemCredential | Where-Object Type -eq RootCA | Remove-ModemCredential -Confirm:$false
        (Get-ModemCredential).Type | Should -Be 'PskIdentity'
    }

    It 'never shows keys, PSKs or passphrases in any stream' {
        $log = Join-Path $script:fixtures 'transcript.log'
        Disconnect-Modem
        $script:sim | Connect-Modem -Handshake None -TranscriptPath $log | Out-Null
        $all = Set-ModemCredential -SecTag 5 -Type ClientPrivateKey -Path $script:keyFile -Verbose -Debug *>&1 | Out-String
        Disconnect-Modem
        $all + (Get-Content -Raw $log) | Should -Not -Match ([regex]::Escape($script:keyLine))
    }
}

Describe 'Keys and identity' -Tag Simulator {
    AfterEach { Get-ModemSession | Disconnect-Modem; Stop-ModemSimulator -All -Confirm:$false }

    It 'reads the factory public key and explains 519' {
        Connect-Modem -Simulator -Firmware mfw_nrf9160_0.7.0 | Out-Null
        (Get-ModemPublicKey).Curve | Should -Be 'P-256'
        $public = Join-Path $script:fixtures 'public.pem'
        Set-Content -Path $public -Value ([Security.Cryptography.ECDsa]::Create().ExportSubjectPublicKeyInfoPem())
        { Set-ModemPublicKey -Path $public -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ModemCmeError519*'
    }

    It 'provisions an on-modem key with a CA-signed certificate in one pipeline' {
        Connect-Modem -Simulator | Out-Null
        $written = New-ModemKey -SecTag 42 -Force | New-ModemClientCertificate -CACertificate $script:caFile -CAKey $script:caKeyFile |
            Set-ModemCredential -SecTag 42 -Type ClientCertificate -PassThru
        $written.Status | Should -Be 'Written'
        (Get-ModemCredential -SecTag 42).Type | Should -Contain 'ClientPrivateKey'
    }

    It 'decodes the attestation token' {
        $session = Connect-Modem -Simulator
        (Get-ModemAttestationToken).DeviceUuid | Should -Be $session.Simulator.DeviceUuid
    }
}

Describe 'Fleet provisioning' -Tag Simulator {
    AfterEach { Stop-ModemSimulator -All -Confirm:$false }

    It 'provisions 16 modems and changes nothing on a second run' {
        $sims = 1..16 | ForEach-Object { Start-ModemSimulator -Transport Tcp -BaudRate 115200 }
        $results = Invoke-ModemProvisioning -Plan $script:plan -PortName $sims.PortName
        ($results | Where-Object Status -eq 'Provisioned').Count | Should -Be 16
        (Invoke-ModemProvisioning -Plan $script:plan -PortName $sims.PortName | Where-Object Status -eq 'Unchanged').Count | Should -Be 16
    }

    It 'reports a dropped modem as Failed and provisions the others' {
        $sims = 1..4 | ForEach-Object { Start-ModemSimulator -Transport Tcp }
        $null = $sims[2].Modem.Faults.Drop('AT%CMNG=0,42,1', 200)
        $results = Invoke-ModemProvisioning -Plan $script:plan -PortName $sims.PortName -TimeoutSeconds 2 -ErrorAction SilentlyContinue
        ($results | Where-Object Status -eq 'Failed').PortName | Should -Be $sims[2].PortName
        ($results | Where-Object Status -eq 'Provisioned').Count | Should -Be 3
    }

    It 'writes nothing with -WhatIf' {
        $sims = 1..2 | ForEach-Object { Start-ModemSimulator -Transport Tcp }
        (Invoke-ModemProvisioning -Plan $script:plan -PortName $sims.PortName -WhatIf).Status | Should -Be 'WhatIf', 'WhatIf'
        @($sims.Modem.ReceivedCommands | Where-Object { $_ -like 'AT%CMNG=0*' }).Count | Should -Be 0
    }

    It 'keeps results through remoting serialisation' {
        $sim = Start-ModemSimulator -Transport Tcp
        $result = Invoke-ModemProvisioning -Plan $script:plan -PortName $sim.PortName
        $copy = [Management.Automation.PSSerializer]::Deserialize([Management.Automation.PSSerializer]::Serialize($result, 3))
        $copy.Status | Should -Be 'Provisioned'
        $copy.Entries[0].Status | Should -Be 'Written'
    }
}

Describe 'Help, views and export' -Tag Help {
    It 'has complete help for every cmdlet' {
        foreach ($command in Get-Command -Module Nrf91Cmng) {
            $help = Get-Help $command.Name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty -Because $command.Name
            @($help.examples.example).Count | Should -BeGreaterOrEqual 2 -Because $command.Name
        }
    }

    It 'has an about topic with every error code' {
        $about = Get-Help about_Nrf91Cmng | Out-String
        foreach ($code in 0, 23, 50, 60, 513, 514, 515, 518, 519, 520, 523, 527, 528, 529) {
            $about | Should -Match "ModemCmeError$code\b"
        }
    }

    It 'exports every output type to CSV and JSON with clean columns' {
        $session = Connect-Modem -Simulator -Preload @{ SecTag = 42; Type = 'RootCA'; Path = $script:caFile }
        $objects = @(
            $session; Get-ModemInfo; Get-ModemCredential; Test-ModemCredential 42 RootCA -Path $script:caFile -Detailed
            Invoke-ModemCommand 'AT+CGMM'; Get-ModemFunctionalMode; New-ModemKey -SecTag 9 -Force; Get-ModemAttestationToken
            Invoke-ModemProvisioning -Plan $script:plan -Session $session
        )
        foreach ($object in $objects) {
            $csv = $object | ConvertTo-Csv | Out-String
            $csv | Should -Not -Match 'System\.(Object|String)\[\]|Nrf91Cmng\.[A-Za-z]+(\[\])?"' -Because $object.GetType().Name
            { $object | ConvertTo-Json -Depth 3 } | Should -Not -Throw
        }
        Disconnect-Modem
    }

    It 'formats every output type as a concise table' {
        $session = Connect-Modem -Simulator -Preload @{ SecTag = 42; Type = 'RootCA'; Path = $script:caFile }
        (Get-ModemCredential | Format-Table | Out-String) | Should -Match 'SecTag\s+Type\s+Sha256'
        ($session | Format-Table | Out-String) | Should -Match 'Id\s+Name\s+PortName'
        Disconnect-Modem
    }
}

Describe 'A real modem' -Tag Hardware -Skip:(-not $env:NRF91_PORT) {
    It 'answers on the port named by NRF91_PORT' {
        $info = Connect-Modem -PortName $env:NRF91_PORT | Get-ModemInfo
        $info.Imei | Should -Match '^\d{15}$'
        Disconnect-Modem
    }
}
