#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Export-ModemOnboarding and Invoke-ModemProvisioning -OnboardingPath: the files the clouds ingest,
# read back by strict readers and checked against the CA and the modems.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:generatePlan = @(
        @{ SecTag = 16842753; Type = 'RootCA'; Path = (Get-Fixture ca.pem) }
        @{ SecTag = 16842753; Generate = $true; CACertificate = (Get-Fixture ca.pem); CAKey = (Get-Fixture ca.key) }
    )

    function Start-TestSimulators([int] $Count, [string] $Firmware = 'mfw_nrf91x1_2.0.2') {
        1..$Count | ForEach-Object { Start-ModemSimulator -Transport $script:SerialTransport -Firmware $Firmware }
    }

    function Test-IssuedBy {
        <# True when the PEM certificate chains to the CA certificate file (signature and issuer checked by .NET). #>
        param([string] $Pem, [string] $CaFile)
        $ca = ConvertFrom-PemCertificate ([IO.File]::ReadAllText($CaFile))
        $leaf = ConvertFrom-PemCertificate $Pem
        $chain = New-Object Security.Cryptography.X509Certificates.X509Chain
        $chain.ChainPolicy.RevocationMode = 'NoCheck'
        $chain.ChainPolicy.VerificationFlags = 'AllowUnknownCertificateAuthority'
        $null = $chain.ChainPolicy.ExtraStore.Add($ca)
        $built = $chain.Build($leaf)
        $built -and $chain.ChainElements.Count -eq 2 -and $chain.ChainElements[1].Certificate.Thumbprint -eq $ca.Thumbprint
    }

    function ConvertFrom-Base64Url([string] $Text) {
        $s = $Text.Replace('-', '+').Replace('_', '/')
        while ($s.Length % 4) { $s += '=' }
        [Convert]::FromBase64String($s)
    }

    function Get-TokenDeviceUuid([string] $Token) {
        <# The device UUID in an attestation token, decoded by hand: CBOR [1, bstr(16) uuid, type, bstr(16) firmware, ...]. #>
        $body = ConvertFrom-Base64Url ($Token.Split('.')[0])
        if ($body[0] -eq 0xD9 -and $body[1] -eq 0xD9 -and $body[2] -eq 0xF7) { $body = $body[3..($body.Length - 1)] }   # self-describe tag 55799
        $body[0] | Should -BeIn 0x84, 0x85, 0x86 -Because 'the body is a CBOR array of four (91x1 firmware appends more)'
        $body[1] | Should -Be 0x01 -Because 'message type 1 is the device identity'
        $body[2] | Should -Be 0x50 -Because 'the UUID is a 16-byte string'
        $hex = -join ($body[3..18] | ForEach-Object { $_.ToString('x2') })
        '{0}-{1}-{2}-{3}-{4}' -f $hex.Substring(0, 8), $hex.Substring(8, 4), $hex.Substring(12, 4), $hex.Substring(16, 4), $hex.Substring(20)
    }
}

Describe 'Invoke-ModemProvisioning -OnboardingPath' {
    AfterEach { Clear-TestModems }

    It 'writes one nRF Cloud onboarding CSV for several modems whose keys were made in the modem, each certificate issued by the CA' {
        $sims = Start-TestSimulators 3
        $csv = Join-Path $TestDrive 'onboard.csv'
        $results = Invoke-ModemProvisioning -Plan $script:generatePlan -PortName $sims.PortName -OnboardingPath $csv
        @($results | ForEach-Object Status) | Should -Be 'Provisioned', 'Provisioned', 'Provisioned'

        # Exactly what nRF Cloud ingests: no header, LF rows, the certificate quoted with its line breaks.
        $bytes = [IO.File]::ReadAllBytes($csv)
        $bytes | Should -Not -Contain 13 -Because 'rows end in LF only, on every platform'
        $text = [Text.Encoding]::ASCII.GetString($bytes)
        $text | Should -Not -BeLike 'DeviceId*'
        ([regex]::Matches($text, '-----BEGIN CERTIFICATE-----')).Count | Should -Be 3
        $rowPattern = '(?s)\G([0-9a-f-]{36}),,,APP\|MODEM,"(-----BEGIN CERTIFICATE-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n)"\n'
        $rows = @([regex]::Matches($text, $rowPattern))
        $rows.Count | Should -Be 3 -Because 'every byte of the file belongs to a well-formed row'
        ($rows | ForEach-Object { $_.Length } | Measure-Object -Sum).Sum | Should -Be $text.Length

        $parsed = @(Import-Csv -Path $csv -Header DeviceId, SubType, Tags, FirmwareTypes, Certificate)
        $parsed.Count | Should -Be 3
        @($parsed[0].PSObject.Properties).Count | Should -Be 5
        @($parsed | ForEach-Object DeviceId) | Should -Be @($sims | ForEach-Object { $_.DeviceUuid.ToString() })
        @($parsed | ForEach-Object DeviceId) | Should -Be @($results | ForEach-Object DeviceUuid)
        foreach ($row in $parsed) {
            $row.SubType | Should -BeNullOrEmpty
            $row.Tags | Should -BeNullOrEmpty
            $row.FirmwareTypes | Should -Be 'APP|MODEM'
            Test-IssuedBy $row.Certificate (Get-Fixture ca.pem) | Should -BeTrue
            (ConvertFrom-PemCertificate $row.Certificate).Subject | Should -Be "CN=$($row.DeviceId)"
        }
        for ($i = 0; $i -lt 3; $i++) {
            $parsed[$i].Certificate | Should -BeExactly (Get-StoredText $sims[$i] 16842753 1).Replace("`r`n", "`n") -Because 'the CSV holds the certificate the modem stores'
        }
    }

    It 'adds to the file on the next run and replaces the rows of modems provisioned again, leaving failed modems out with a warning' {
        $sims = Start-TestSimulators 2
        $csv = Join-Path $TestDrive 'batches.csv'
        $null = Invoke-ModemProvisioning -Plan $script:generatePlan -PortName $sims[0].PortName -OnboardingPath $csv
        $more = @(Start-TestSimulators 1) + $sims[0]
        $null = $more[0].Modem.Faults.CmeError(523, 'AT%KEYGEN')
        $null = Invoke-ModemProvisioning -Plan $script:generatePlan -PortName (@($more.PortName) + $sims[1].PortName) -OnboardingPath $csv -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        @($warnings | Where-Object { "$_" -like "*left out of the onboarding file*$($more[0].PortName) (failed)*" }).Count | Should -Be 1
        $parsed = @(Import-Csv -Path $csv -Header DeviceId, SubType, Tags, FirmwareTypes, Certificate)
        @($parsed | ForEach-Object DeviceId | Sort-Object) | Should -Be @($sims | ForEach-Object { $_.DeviceUuid.ToString() } | Sort-Object)
    }

    It 'writes nothing with -WhatIf' {
        $sims = Start-TestSimulators 1
        $csv = Join-Path $TestDrive 'whatif.csv'
        $null = Invoke-ModemProvisioning -Plan $script:generatePlan -PortName $sims.PortName -OnboardingPath $csv -WhatIf
        $csv | Should -Not -Exist
    }
}

Describe 'Export-ModemOnboarding' {
    AfterEach { Clear-TestModems }

    It 'writes an nRF Cloud claim-token CSV from attestation tokens, whose tokens decode to the UUIDs of the modems' {
        $sims = Start-TestSimulators 2
        foreach ($sim in $sims) { $null = $sim | Connect-Modem -Handshake None }
        $tokens = @(Get-ModemSession | Get-ModemAttestationToken)
        $path = Join-Path $TestDrive 'attestation_tokens.csv'
        $export = $tokens | Export-ModemOnboarding -Format NrfCloudClaim -Path $path
        $export.Format | Should -Be 'NrfCloudClaim'
        $export.DeviceCount | Should -Be 2
        $export.Files | Should -Be $path

        $text = [IO.File]::ReadAllText($path)
        $text | Should -Not -Match "`r"
        $text | Should -Not -Match '"' -Because 'claim rows are not quoted'
        $rows = @(Import-Csv -Path $path -Header Imei, Uuid, Token, Timestamp)
        $rows.Count | Should -Be 2
        for ($i = 0; $i -lt 2; $i++) {
            $rows[$i].Imei | Should -Be $sims[$i].Imei
            $rows[$i].Uuid | Should -Be $sims[$i].DeviceUuid.ToString()
            $rows[$i].Token | Should -BeExactly $tokens[$i].Token
            Get-TokenDeviceUuid $rows[$i].Token | Should -Be $sims[$i].DeviceUuid.ToString()
            $tokens[$i].DeviceUuid | Should -Be $sims[$i].DeviceUuid
            $rows[$i].Timestamp | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$'
        }
    }

    It 'writes AWS IoT bulk registration lines and Azure DPS enrollments from provisioning results' {
        $sims = Start-TestSimulators 2
        $results = Invoke-ModemProvisioning -Plan $script:generatePlan -PortName $sims.PortName
        $aws = $results | Export-ModemOnboarding -Format AwsIot -Path (Join-Path $TestDrive 'things.jsonl')
        $lines = @([IO.File]::ReadAllText($aws.Path).TrimEnd("`n") -split "`n")
        $lines.Count | Should -Be 2
        $thing = $lines[0] | ConvertFrom-Json
        $thing.ThingName | Should -Be $results[0].DeviceUuid
        $thing.SerialNumber | Should -Be $results[0].Imei
        Test-IssuedBy $thing.CertificatePem (Get-Fixture ca.pem) | Should -BeTrue

        $azure = $results | Export-ModemOnboarding -Format AzureDps -Path (Join-Path $TestDrive 'enrollments.json')
        $body = Get-Content -Raw $azure.Path | ConvertFrom-Json
        $body.mode | Should -Be 'create'
        @($body.enrollments).Count | Should -Be 2
        @($body.enrollments | ForEach-Object registrationId) | Should -Be @($results | ForEach-Object DeviceUuid)
    }

    It 'refuses an existing file without -Append, refuses devices already in it without -Replace, replaces with -Replace and overwrites with -Force' {
        $sims = Start-TestSimulators 2
        $results = Invoke-ModemProvisioning -Plan $script:generatePlan -PortName $sims.PortName
        $csv = Join-Path $TestDrive 'rules.csv'
        $first = $results[0] | Export-ModemOnboarding -Format NrfCloud -Path $csv
        $first.Rows | Should -Be 1
        $before = [IO.File]::ReadAllText($csv)

        { $results[1] | Export-ModemOnboarding -Format NrfCloud -Path $csv -ErrorAction Stop } | Should -Throw -ErrorId 'OnboardingFileExists*'
        { $results | Export-ModemOnboarding -Format NrfCloud -Path $csv -Append -ErrorAction Stop } | Should -Throw -ErrorId 'OnboardingDuplicateDevice*'
        [IO.File]::ReadAllText($csv) | Should -BeExactly $before -Because 'nothing is written when a device is refused'

        $replaced = $results | Export-ModemOnboarding -Format NrfCloud -Path $csv -Replace
        $replaced.Rows | Should -Be 2
        $replaced.ReplacedCount | Should -Be 1
        $forced = $results[1] | Export-ModemOnboarding -Format NrfCloud -Path $csv -Force
        $forced.Rows | Should -Be 1
        $forced.DeviceIds | Should -Be $results[1].DeviceUuid
    }

    It 'writes nothing with -WhatIf and leaves failed provisioning results out with a warning' {
        $sims = Start-TestSimulators 2
        $null = $sims[1].Modem.Faults.CmeError(523, 'AT%KEYGEN')
        $results = Invoke-ModemProvisioning -Plan $script:generatePlan -PortName $sims.PortName -ErrorAction SilentlyContinue
        $csv = Join-Path $TestDrive 'partial.csv'
        $results | Export-ModemOnboarding -Format NrfCloud -Path $csv -WhatIf
        $csv | Should -Not -Exist
        $export = $results | Export-ModemOnboarding -Format NrfCloud -Path $csv -WarningVariable warnings -WarningAction SilentlyContinue
        $export.DeviceCount | Should -Be 1
        @($warnings | Where-Object { "$_" -like "*$($sims[1].PortName)*not provisioned (Failed)*" }).Count | Should -Be 1
    }

    It 'exports every record of a records folder, with IMEI IDs and a prefix, and warns about the reserved nrf- prefix' {
        $sims = Start-TestSimulators 2
        $records = Join-Path $TestDrive 'records'
        $null = Invoke-ModemProvisioning -Plan $script:generatePlan -PortName $sims.PortName -RecordPath $records
        Clear-TestModems
        $export = Export-ModemOnboarding -RecordPath $records -Format NrfCloud -Path (Join-Path $TestDrive 'from-records.csv') -DeviceId Imei -DeviceIdPrefix 'acme-' -WarningAction SilentlyContinue
        @($export.DeviceIds | Sort-Object) | Should -Be @($sims | ForEach-Object { "acme-$($_.Imei)" } | Sort-Object)
        $null = Export-ModemOnboarding -RecordPath $records -Format NrfCloud -Path (Join-Path $TestDrive 'nrf.csv') -DeviceId Imei -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings | Where-Object { "$_" -like "*'nrf-'*reserves*" }).Count | Should -Be 1
    }

    It 'merges a session and its attestation token into one device, and stops on input that names no device' {
        $sim = Start-TestModem -Firmware mfw_nrf91x1_2.0.2
        $session = Get-ModemSession
        $export = @($session, (Get-ModemAttestationToken)) | Export-ModemOnboarding -Format NrfCloudClaim -Path (Join-Path $TestDrive 'merged.csv')
        $export.DeviceCount | Should -Be 1
        $export.DeviceIds | Should -Be $sim.DeviceUuid.ToString()
        { 'not a device' | Export-ModemOnboarding -Format NrfCloud -Path (Join-Path $TestDrive 'x.csv') -ErrorAction Stop } | Should -Throw -ErrorId 'OnboardingDeviceInvalid*'
    }
}
