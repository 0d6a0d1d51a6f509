#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The default view of every output type, at 80 and 120 columns. Layouts are not pinned (they will be
# redesigned): each view must render without error, be a view (not the type name) and show the values
# that identify the object, whole.

BeforeDiscovery {
    $typeNames = 'ModemSession', 'ModemInfo', 'ModemCredential', 'ModemCredentialTest', 'ModemResponse', 'ModemFunctionalMode', 'ModemPort',
    'ModemSimulator', 'ModemPublicKey', 'ModemKeyResult', 'ModemClientCertificate', 'ModemAttestationToken', 'ProvisioningResult', 'ProvisioningEntryResult'
    $cases = foreach ($width in 80, 120) { foreach ($name in $typeNames) { @{ TypeName = $name; Width = $width } } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:samples = New-OutputSample
}

AfterAll {
    Clear-TestModems
}

Describe 'Default views' {
    It 'has a view for every type a cmdlet declares' {
        $declared = @(Get-Command -Module Nrf91Cmng | ForEach-Object { $_.OutputType.Name } | Where-Object { $_ -like 'Nrf91Cmng.*' } | Sort-Object -Unique)
        $declared.Count | Should -BeGreaterThan 10
        foreach ($type in $declared + 'Nrf91Cmng.ProvisioningEntryResult') {
            Get-FormatData -TypeName $type | Should -Not -BeNullOrEmpty -Because "$type needs a view"
        }
        @($script:samples.Keys | ForEach-Object { "Nrf91Cmng.$_" }) | Should -Be @($script:samples.Values | ForEach-Object { $_.Object.GetType().FullName })
    }

    It 'shows <TypeName> at <Width> columns with its key values' -ForEach $cases {
        $sample = $script:samples[$TypeName]
        $text = $sample.Object | Out-String -Width $Width -ErrorVariable problems
        $problems | Should -BeNullOrEmpty
        $text.Trim() | Should -Not -BeNullOrEmpty
        $text | Should -Not -Match 'Nrf91Cmng\.[A-Za-z]+' -Because 'a view shows values, not type names'
        foreach ($line in $text -split "`r?`n") { $line.TrimEnd().Length | Should -BeLessOrEqual $Width }
        foreach ($value in $sample.Values) {
            $text | Should -BeLike "*$value*" -Because "the $TypeName view at $Width columns must show '$value' whole"
        }
    }
}
