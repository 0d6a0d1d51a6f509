#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Export-Csv and ConvertTo-Json of every output type: plain values (no type names), nothing truncated, no warnings.

BeforeDiscovery {
    $typeNames = 'ModemSession', 'ModemInfo', 'ModemCredential', 'ModemCredentialTest', 'ModemResponse', 'ModemFunctionalMode', 'ModemPort',
    'ModemSimulator', 'ModemPublicKey', 'ModemKeyResult', 'ModemClientCertificate', 'ModemAttestationToken', 'ProvisioningResult', 'ProvisioningEntryResult'
    $cases = $typeNames | ForEach-Object { @{ TypeName = $_ } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:samples = New-OutputSample
    # A value that is only a type's name: what a property without a readable form exports as.
    $script:typeNamePattern = '^(System|Nrf91Cmng)\.[A-Za-z0-9_.+]+(\[\])?$|`\d\['
}

AfterAll {
    Clear-TestModems
}

Describe 'Export' {
    It 'exports <TypeName> with Export-Csv as plain values' -ForEach $cases {
        $sample = $script:samples[$TypeName]
        $file = Join-Path $TestDrive "$TypeName.csv"
        $sample.Object | Export-Csv -Path $file -NoTypeInformation -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
        $row = @(Import-Csv -Path $file)
        $row.Count | Should -Be 1
        foreach ($property in $row[0].PSObject.Properties) {
            $property.Value | Should -Not -Match $script:typeNamePattern -Because "$TypeName.$($property.Name) must export as its value"
        }
        $text = [IO.File]::ReadAllText($file)
        foreach ($value in $sample.Values) { $text | Should -BeLike "*$value*" }
    }

    It 'converts <TypeName> with ConvertTo-Json without warnings or type names' -ForEach $cases {
        $sample = $script:samples[$TypeName]
        $json = $sample.Object | ConvertTo-Json -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings | ForEach-Object { "$_" }) | Should -BeNullOrEmpty -Because "$TypeName must fit the default depth"
        $json | Should -Not -Match '"(System|Nrf91Cmng)\.[A-Za-z0-9_.+]+(\[\])?"' -Because 'no value may be a type name'
        $back = $json | ConvertFrom-Json
        $back | Should -Not -BeNullOrEmpty
        # ConvertTo-Json writes enums as their numbers (PowerShell's default, -EnumsAsStrings otherwise).
        $enums = @($sample.Object.PSObject.Properties | Where-Object { $_.Value -is [Enum] } | ForEach-Object { $_.Value.ToString() })
        foreach ($value in $sample.Values | Where-Object { $enums -notcontains $_ }) { $json | Should -BeLike "*$value*" }
    }

    It 'keeps every enum of every output type as its name when serialised (Export-Clixml, remoting)' {
        $checked = [Collections.Generic.List[string]]::new()
        foreach ($typeName in $script:samples.Keys) {
            $object = $script:samples[$typeName].Object
            $copy = [Management.Automation.PSSerializer]::Deserialize([Management.Automation.PSSerializer]::Serialize($object, 2))
            foreach ($property in @($object.PSObject.Properties | Where-Object { $_.Value -is [Enum] })) {
                $value = $copy.($property.Name)
                $value | Should -BeOfType [string] -Because "$typeName.$($property.Name) must come back from Import-Clixml or Invoke-Command as a word, not a number"
                $value | Should -BeExactly $property.Value.ToString()
                $value -eq $property.Value | Should -BeTrue
                $checked.Add("$typeName.$($property.Name)")
            }
        }
        $checked | Should -Contain 'ModemCredential.Type'
        $checked | Should -Contain 'ModemResponse.Result'
        $checked | Should -Contain 'ProvisioningEntryResult.Type'
    }

    It 'reads credentials back from Export-Clixml with types that filter by name' {
        $null = Start-TestModem -Simulator @{ Preload = @{ SecTag = 42; Type = 'RootCA'; Path = (Join-Path $PSScriptRoot 'Fixtures/ca.pem') }, @{ SecTag = 43; Type = 'PskIdentity'; Content = 'device-1' } }
        $file = Join-Path $TestDrive 'credentials.clixml'
        Get-ModemCredential | Export-Clixml -Path $file
        $back = @(Import-Clixml -Path $file)
        $back.Count | Should -Be 2
        @($back | Where-Object Type -eq 'RootCA').SecTag | Should -Be 42
        @($back | Where-Object Type -eq ([Nrf91Cmng.CredentialType]::PskIdentity)).SecTag | Should -Be 43
    }

    It 'keeps the virtual modem''s internal state (the hidden Modem property) out of CSV and JSON' {
        $simulator = $script:samples['ModemSimulator'].Object
        $file = Join-Path $TestDrive 'simulator.csv'
        $simulator | Export-Csv -Path $file -NoTypeInformation
        @((Import-Csv -Path $file)[0].PSObject.Properties.Name) | Should -Not -Contain 'Modem'
        $json = $simulator | ConvertTo-Json -Depth 1 -WarningAction SilentlyContinue | ConvertFrom-Json
        @($json.PSObject.Properties.Name) | Should -Not -Contain 'Modem'
    }
}
