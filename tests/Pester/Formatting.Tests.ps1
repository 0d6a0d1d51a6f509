#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Views, execution policy and export cleanliness of every output type, in real PowerShell.

    The views are defined in code and registered at import (src/Nrf91Cmng/Formatting): no format
    file, so no execution policy can refuse the import. Every default view fits an 80-column console
    (no line longer than 79, no header split, IMEI and firmware whole) and does not sprawl at 200.
    ConvertTo-Json -Depth 2 and Export-Csv give clean scalars: no truncation warning, no type names,
    no byte arrays, no engine internals.
#>

BeforeDiscovery {
    # Output type (short name) and what produces a sample of it, for the per-type Its.
    $script:OutputTypes = @(
        'ModemSession', 'ModemInfo', 'ModemCredential', 'ModemCredentialTest', 'ModemPublicKey', 'ModemKeyResult',
        'ModemClientCertificate', 'ModemAttestationToken', 'ModemResponse', 'ModemFunctionalMode', 'ModemPort',
        'ModemSimulator', 'ProvisioningResult', 'ProvisioningEntryResult', 'SecTagReadiness', 'OnboardingExport'
    ) | ForEach-Object { @{ Type = $_ } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:ModuleFolder = Split-Path $script:ModuleManifest -Parent

    # The labels a view shows, in order (tables: headers; lists: items).
    function Get-ViewLabel {
        param([Parameter(Mandatory)][string] $TypeName)
        $view = @((Get-FormatData -TypeName $TypeName).FormatViewDefinition)[0]
        if ($view.Control -is [Management.Automation.CustomControl]) {
            # A custom view (the readiness report) lays out its own lines: no labels to look for.
            return
        }
        if ($view.Control -is [Management.Automation.TableControl]) {
            @($view.Control.Headers | ForEach-Object { $_.Label })
        }
        else {
            @($view.Control.Entries[0].Items | ForEach-Object { if ($_.Label) { $_.Label } else { $_.DisplayEntry.Value } })
        }
    }

    function Test-IsTableView {
        param([Parameter(Mandatory)][string] $TypeName)
        @((Get-FormatData -TypeName $TypeName).FormatViewDefinition)[0].Control -is [Management.Automation.TableControl]
    }

    # Every value of a ConvertFrom-Json result, with its path, down to scalars.
    function Get-JsonLeaf {
        param($Value, [string] $Path = '$')
        if ($Value -is [Management.Automation.PSCustomObject]) {
            foreach ($p in $Value.PSObject.Properties) { Get-JsonLeaf $p.Value "$Path.$($p.Name)" }
        }
        elseif ($Value -is [Array]) {
            [pscustomobject]@{ Path = $Path; Value = $Value; IsArray = $true }
            $i = 0
            foreach ($item in $Value) { Get-JsonLeaf $item "$Path[$i]"; $i++ }
        }
        else {
            [pscustomobject]@{ Path = $Path; Value = $Value; IsArray = $false }
        }
    }

    $script:TypeNamePattern = '^(System|Nrf91Cmng|Microsoft)\.[A-Za-z0-9_.`+]+(\[[^\]]*\])*$'

    # One sample set of every output type, from two virtual modems (nRF9160 1.3.5 over TCP, nRF9161 2.0.2 in process).
    Clear-TestModems
    $tcp = Start-ModemSimulator -Transport Tcp
    $pty = if ($script:OnWindows) { $null } else { Start-ModemSimulator -Transport PseudoTerminal -Firmware mfw_nrf91x1_2.0.2 }
    $session = Connect-Modem -Simulator -Firmware mfw_nrf91x1_2.0.2 -Name bench-01 -Preload @{ SecTag = 42; Type = 'RootCA'; Path = (Get-Fixture 'ca.pem') }
    $tcpSession = $tcp | Connect-Modem -Handshake None -Name tcp-1
    $key = New-ModemKey -SecTag 9 -Force -Session $session
    $plan = @(
        @{ SecTag = 44; Type = 'PskIdentity'; Content = 'device-0001' }
        @{ SecTag = 44; Type = 'RootCA'; Path = (Get-Fixture 'ca.pem') }
    )
    $provisioned = @(Invoke-ModemProvisioning -Plan $plan -PortName $tcp.PortName -Force)
    $script:Samples = @{
        ModemSession            = @($session, $tcpSession)
        ModemInfo               = @(Get-ModemInfo -Session $session)
        ModemCredential         = @(Get-ModemCredential -Session $session -IncludeModemOwned)
        ModemCredentialTest     = @(Test-ModemCredential -Session $session 42 RootCA -Path (Get-Fixture 'ca.pem') -Detailed)
        ModemPublicKey          = @(Set-ModemPublicKey -Session $session -SecTag 0 -Path (Get-Fixture 'public.pem') -Force -PassThru)
        ModemKeyResult          = @($key)
        ModemClientCertificate  = @($key | New-ModemClientCertificate -CACertificate (Get-Fixture 'ca.pem') -CAKey (Get-Fixture 'ca.key'))
        ModemAttestationToken   = @(Get-ModemAttestationToken -Session $session)
        ModemResponse           = @(Invoke-ModemCommand -Session $session 'AT+CGMR'; Invoke-ModemCommand -Session $session 'AT+CGSN'; Invoke-ModemCommand -Session $session 'AT%CMNG=1')
        ModemFunctionalMode     = @(Get-ModemFunctionalMode -Session $session)
        ModemPort               = @(Find-Modem -Probe)
        ModemSimulator          = @(Get-ModemSimulator) + @($session.Simulator)
        ProvisioningResult      = $provisioned
        ProvisioningEntryResult = @($provisioned.Entries)
        SecTagReadiness         = @(Test-ModemSecTag -Session $session -SecTag 42, 9 -WarningAction SilentlyContinue)
        OnboardingExport        = @(Get-ModemAttestationToken -Session $session | Export-ModemOnboarding -Path (Join-Path $TestDrive 'tokens.csv') -Format NrfCloudClaim)
    }
    $script:Written = @(Set-ModemCredential -Session $session -SecTag 43 -Type RootCA -Path (Get-Fixture 'ca.pem') -Force -PassThru)
    $script:Session = $session
    $script:Tcp = $tcp
}

AfterAll {
    Clear-TestModems
}

Describe 'Views registered from code' -Tag Unit {
    It 'lays out no format file, type file or script an execution policy could refuse' {
        @(Get-ChildItem -Path $script:ModuleFolder -Recurse -File -Include *.ps1xml, *.ps1, *.psm1, *.cdxml) | Should -BeNullOrEmpty
        $manifest = Import-PowerShellDataFile $script:ModuleManifest
        foreach ($key in 'FormatsToProcess', 'TypesToProcess', 'ScriptsToProcess', 'NestedModules') {
            $manifest.ContainsKey($key) | Should -BeFalse -Because "$key lists files the execution policy checks"
        }
        $manifest.RootModule | Should -Be 'Nrf91Cmng.dll'
    }

    It 'imports and shows its views under the <_> execution policy in a child PowerShell' -ForEach 'Restricted', 'AllSigned' {
        $policy = $_
        $result = Invoke-ChildShell -Script @"
try { Set-ExecutionPolicy $policy -Scope Process -Force -ErrorAction Stop; 'POLICY SET' } catch { 'POLICY IGNORED ' + `$_.Exception.GetType().Name }
'POLICY ' + (Get-ExecutionPolicy)
Import-Module Nrf91Cmng -ErrorAction Stop
'IMPORTED'
'VIEW ' + [bool](Get-FormatData Nrf91Cmng.ModemCredential)
Connect-Modem -Simulator -Name policy | Out-String -Width 80
"@
        $result.Errors | Should -BeNullOrEmpty
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Contain 'IMPORTED'
        $result.Output | Should -Contain 'VIEW True'
        $result.Text | Should -Match '(?m)^\s*Id Name\s+PortName\s+Imei\s+Firmware\s+Connected\s*$'
        if ($script:OnWindows) {
            # Only Windows applies execution policy: there the policy must really have been in force.
            $result.Output | Should -Contain "POLICY $policy"
        }
    }

    It 'has a view for every output type the cmdlets declare' {
        $declared = @(Get-Command -Module Nrf91Cmng | ForEach-Object { $_.OutputType.Name } | Where-Object { $_ -like 'Nrf91Cmng.*' } | Sort-Object -Unique)
        $declared.Count | Should -BeGreaterOrEqual 12
        foreach ($type in $declared + 'Nrf91Cmng.ProvisioningEntryResult') {
            Get-FormatData -TypeName $type | Should -Not -BeNullOrEmpty -Because "$type needs a default view"
        }
    }

    It 'registers each view once, also after Import-Module -Force' {
        # In a child process: -Force removes the module first, which closes this process's sessions.
        $result = Invoke-ChildShell -Script @'
Import-Module Nrf91Cmng -ErrorAction Stop
Import-Module Nrf91Cmng -Force -ErrorAction Stop
Import-Module Nrf91Cmng -Force -ErrorAction Stop
'ENTRIES ' + @([runspace]::DefaultRunspace.InitialSessionState.Formats | Where-Object { $_.FormatData -and $_.FormatData.TypeName -eq 'Nrf91Cmng.ModemSession' }).Count
'VIEWS ' + (@((Get-FormatData Nrf91Cmng.ModemCredential).FormatViewDefinition.Name) -join ',')
'HIDDEN ' + @([runspace]::DefaultRunspace.InitialSessionState.Types | Where-Object { $_.TypeData -and $_.TypeData.TypeName -eq 'Nrf91Cmng.ModemSimulator' }).Count
'@
        $result.Errors | Should -BeNullOrEmpty
        $result.Output | Should -Contain 'ENTRIES 1'
        $result.Output | Should -Contain 'VIEWS Nrf91Cmng.ModemCredential,Content'
        $result.Output | Should -Contain 'HIDDEN 1'
    }

    It 'registers the views in every runspace that imports the module' {
        $ps = [PowerShell]::Create()
        try {
            $text = $ps.AddScript("Import-Module '$($script:ModuleManifest)'; (Get-FormatData Nrf91Cmng.ModemSession).TypeNames; Connect-Modem -Simulator | Out-String -Width 80; Get-ModemSession | Disconnect-Modem").Invoke() -join "`n"
            $ps.Streams.Error | Should -BeNullOrEmpty
        }
        finally {
            $ps.Dispose()
        }
        $text | Should -Match 'Nrf91Cmng.ModemSession'
        $text | Should -Match '(?m)^\s*Id Name\s+PortName\s+Imei\s+Firmware\s+Connected\s*$'
    }

    It 'keeps its views when another module with a format file is imported and removed' {
        $folder = Join-Path ([IO.Path]::GetTempPath()) ('nrf91cmng-other-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $folder | Out-Null
        try {
            Set-Content -Path (Join-Path $folder 'Other.Format.ps1xml') -Value '<Configuration><ViewDefinitions><View><Name>Other</Name><ViewSelectedBy><TypeName>Other.Thing</TypeName></ViewSelectedBy><TableControl><TableHeaders><TableColumnHeader><Label>X</Label></TableColumnHeader></TableHeaders><TableRowEntries><TableRowEntry><TableColumnItems><TableColumnItem><PropertyName>X</PropertyName></TableColumnItem></TableColumnItems></TableRowEntry></TableRowEntries></TableControl></View></ViewDefinitions></Configuration>'
            Set-Content -Path (Join-Path $folder 'Other.psm1') -Value 'function Get-Other { }'
            New-ModuleManifest -Path (Join-Path $folder 'Other.psd1') -RootModule 'Other.psm1' -FormatsToProcess 'Other.Format.ps1xml' -FunctionsToExport 'Get-Other'
            Import-Module (Join-Path $folder 'Other.psd1')
            Remove-Module Other
        }
        finally {
            Remove-Item -Recurse -Force $folder
        }
        Get-FormatData Nrf91Cmng.ModemSession | Should -Not -BeNullOrEmpty
        ($script:Session | Out-String -Width 80) | Should -Match '(?m)^\s*Id Name\s+PortName'
    }
}

Describe 'Default views' -Tag Simulator {
    It 'shows <Type> at 80 columns: no long line, no split header, IMEI and firmware whole' -ForEach $OutputTypes {
        $objects = $script:Samples[$Type]
        $objects | Should -Not -BeNullOrEmpty -Because "the sample of $Type"
        $typeName = "Nrf91Cmng.$Type"
        $text = $objects | Out-String -Width 80
        $lines = @($text -split '\r?\n')
        $long = @($lines | Where-Object { $_.Length -gt 79 })
        $long | Should -BeNullOrEmpty -Because "$Type at 80 columns:`n$text"

        $labels = Get-ViewLabel $typeName
        if (Test-IsTableView $typeName) {
            # The whole header on one line, in order, each label whole.
            $header = '^\s*' + (($labels | ForEach-Object { [regex]::Escape($_) }) -join '\s+') + '\s*$'
            @($lines | Where-Object { $_ -match $header }).Count | Should -BeGreaterOrEqual 1 -Because "the header of $Type on one line:`n$text"
        }
        else {
            foreach ($label in $labels) {
                @($lines | Where-Object { $_ -match ('^' + [regex]::Escape($label) + '\s*: ') }).Count | Should -BeGreaterOrEqual 1 -Because "$label of $Type on its own line:`n$text"
            }
        }

        # Values of known size appear whole (a wrapped or cut IMEI or firmware name would not match).
        foreach ($object in $objects) {
            foreach ($name in 'Imei', 'Firmware') {
                if ($labels -contains $name -and $object.$name) {
                    $text | Should -Match ([regex]::Escape($object.$name)) -Because "$Type shows its $name whole:`n$text"
                }
            }
        }
    }

    It 'does not sprawl: <Type> at 200 columns stays within 120 characters a line' -ForEach $OutputTypes {
        $text = $script:Samples[$Type] | Out-String -Width 200
        $widest = ($text -split '\r?\n' | ForEach-Object { $_.TrimEnd().Length } | Measure-Object -Maximum).Maximum
        $widest | Should -BeLessOrEqual 120 -Because "$Type at 200 columns:`n$text"
        $raw = ($text -split '\r?\n' | ForEach-Object { $_.Length } | Measure-Object -Maximum).Maximum
        $raw | Should -BeLessOrEqual 120 -Because "no padding to the console width either"
    }

    It 'shows <Type> at 120 columns as at 200: nothing wraps or is cut' -ForEach $OutputTypes {
        $at120 = $script:Samples[$Type] | Out-String -Width 120
        $at200 = $script:Samples[$Type] | Out-String -Width 200
        @($at120 -split '\r?\n' | Where-Object { $_.Length -gt 119 }) | Should -BeNullOrEmpty -Because "$Type at 120 columns:`n$at120"
        ($at120 -split '\r?\n' | ForEach-Object TrimEnd) -join "`n" | Should -BeExactly (($at200 -split '\r?\n' | ForEach-Object TrimEnd) -join "`n") -Because "$Type at 120 columns:`n$at120"
    }

    It 'shows the IMEI and firmware of a response whole' {
        $text = $script:Samples.ModemResponse | Out-String -Width 80
        $text | Should -Match ([regex]::Escape($script:Session.Imei))
        $text | Should -Match ([regex]::Escape($script:Session.Firmware))
    }

    It 'lists credentials without always-empty columns and shows what a write did' {
        $listing = $script:Samples.ModemCredential | Out-String -Width 80
        $listing | Should -Match '(?m)^\s*SecTag\s+Type\s+Sha256\s+Status\s*$'
        $listing | Should -Not -Match 'Subject|NotAfter|PortName'
        $listing | Should -Match '(?m)^\s*42 RootCA\s+[0-9A-F]{16}\S*\s+Stored\s*$'
        $listing | Should -Match '(?m)^\s*4294967293 NordicIdentityRootCA\s+\S+\s+ModemOwned\s*$'
        $listing | Should -Not -Match '[0-9A-F]{64}'

        ($script:Written | Out-String -Width 80) | Should -Match '(?m)^\s*43 RootCA\s+[0-9A-F]{16}\S*\s+Written\s*$'
        $script:Samples.ModemCredential[0].Status | Should -BeNullOrEmpty -Because 'the column is calculated; a listing has no Status'

        $content = Get-ModemCredential -Session $script:Session -SecTag 42 -IncludeContent | Format-Table -View Content | Out-String -Width 80
        $content | Should -Match 'CN=Nrf91Cmng Test Root CA'
        $content | Should -Match '(?m)^\s*SecTag\s+Type\s+Subject\s+NotAfter\s*$'
        $content | Should -Match '(?m)^\s*42 RootCA\s+CN=Nrf91Cmng Test Root CA.*2124-12-31\s*$'
    }

    It 'shows the IMEI of a probed port that answered, and says so when one did not' {
        $text = $script:Samples.ModemPort | Out-String -Width 80
        foreach ($port in $script:Samples.ModemPort) {
            if ($port.Responds) {
                $text | Should -Match ("(?m)^" + [regex]::Escape($port.PortName) + " .* " + $port.Imei + "\s*$")
            }
            elseif ($false -eq $port.Responds) {
                $text | Should -Match ("(?m)^" + [regex]::Escape($port.PortName) + " .* \(no answer\)\s*$")
            }
        }
    }
}

Describe 'Export' -Tag Simulator {
    It 'converts <Type> to JSON at depth 2 without warnings, type names or byte arrays' -ForEach $OutputTypes {
        foreach ($object in $script:Samples[$Type]) {
            $warnings = $null
            $json = $object | ConvertTo-Json -Depth 2 -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -BeNullOrEmpty -Because "ConvertTo-Json of $Type"
            foreach ($leaf in Get-JsonLeaf ($json | ConvertFrom-Json)) {
                if ($leaf.IsArray) {
                    $numbers = @($leaf.Value | Where-Object { $_ -is [int] -or $_ -is [long] })
                    ($leaf.Value.Count -gt 0 -and $numbers.Count -eq $leaf.Value.Count) | Should -BeFalse -Because "$($leaf.Path) of $Type is a byte array"
                }
                elseif ($leaf.Value -is [string]) {
                    $leaf.Value | Should -Not -Match $script:TypeNamePattern -Because "$($leaf.Path) of $Type is a type name"
                }
            }
        }
    }

    It 'exports <Type> to CSV as clean scalar columns' -ForEach $OutputTypes {
        $path = Join-Path ([IO.Path]::GetTempPath()) ("nrf91cmng-$Type-" + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.csv')
        try {
            $script:Samples[$Type] | Export-Csv -Path $path -NoTypeInformation
            $rows = @(Import-Csv -Path $path)
            $rows.Count | Should -Be @($script:Samples[$Type]).Count
            foreach ($row in $rows) {
                foreach ($p in $row.PSObject.Properties) {
                    $p.Value | Should -Not -Match $script:TypeNamePattern -Because "$Type.$($p.Name) exports as a type name"
                    $p.Value | Should -Not -Match '^System\.|`1\[' -Because "$Type.$($p.Name)"
                }
            }
        }
        finally {
            Remove-Item -Path $path -ErrorAction SilentlyContinue
        }
    }

    It 'exports a session and a simulator as their few user-facing properties' {
        $session = ($script:Session | ConvertTo-Json -Depth 2 | ConvertFrom-Json).PSObject.Properties.Name
        $session | Should -Contain 'Imei'
        $session | Should -Contain 'Firmware'
        $session | Should -Not -Contain 'Simulator'
        $simulator = ($script:Tcp | ConvertTo-Json -Depth 2 | ConvertFrom-Json).PSObject.Properties.Name
        $simulator | Should -Contain 'PortName'
        $simulator | Should -Not -Contain 'Modem'
        ($script:Session | ConvertTo-Csv -NoTypeInformation | Select-Object -First 1) | Should -Not -Match 'Simulator'
        ($script:Tcp | ConvertTo-Csv -NoTypeInformation | Select-Object -First 1) | Should -Not -Match '"Modem"'
    }

    It 'keeps the hidden members reachable by name and out of Get-Member and Format-List *' {
        $script:Session.Simulator.Imei | Should -Be $script:Session.Imei
        @($script:Tcp.Modem.ReceivedCommands).Count | Should -BeGreaterThan 0
        (Get-Member -InputObject $script:Session -Name Simulator) | Should -BeNullOrEmpty
        (Get-Member -InputObject $script:Session -Name Simulator -Force).MemberType | Should -Be 'CodeProperty'
        (Get-Member -InputObject $script:Tcp -Name Modem) | Should -BeNullOrEmpty
        ($script:Tcp | Format-List * | Out-String) | Should -Not -Match '(?m)^Modem\s*:'
    }

    It 'keeps enum properties as enums: JSON writes their numbers unless -EnumsAsStrings' {
        $credential = $script:Samples.ModemCredential[0]
        $credential.Type | Should -BeOfType ([Nrf91Cmng.CredentialType])
        ($credential | ConvertTo-Json | ConvertFrom-Json).Type | Should -Be ([int]$credential.Type)
        ($credential | ConvertTo-Json -EnumsAsStrings | ConvertFrom-Json).Type | Should -Be ([string]$credential.Type)
    }
}
