#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-Help as a user sees it: complete for every cmdlet, an about topic with every error code, and
# examples that run against the virtual modem, syntax that matches the cmdlets, a page online, and a
# committed help file that is what the build step (tools/Build-Help.ps1, ./build.ps1 -Help) makes.

BeforeDiscovery {
    $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../Nrf91Cmng.psd1')
    $cmdlets = $manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } }

    # The examples come from the help the module ships, so the module is imported for discovery too.
    $built = if ($env:NRF91CMNG_MODULE_PATH) { $env:NRF91CMNG_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/Nrf91Cmng/Nrf91Cmng.psd1' }
    Import-Module $built -ErrorAction Stop
    $examples = foreach ($name in $manifest.CmdletsToExport) {
        $number = 0
        foreach ($example in @((Get-Help $name -Examples).examples.example)) {
            $number++
            $code = $example.code
            $runnable = ($code -notmatch '# needs hardware') -and (($code -match '-Simulator|Start-ModemSimulator') -or ($code -match '# runs as is'))
            @{ Cmdlet = $name; Number = $number; Title = ($example.title -replace '^-+\s*|\s*-+$', ''); Code = $code; Skip = -not $runnable; ShowsError = $code -match '# shows an error' }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $commonParameters = [Management.Automation.PSCmdlet]::CommonParameters + [Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Get-Help <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
    }

    It 'comes from the module''s help file, not made up by Get-Help' {
        $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo'
    }

    It 'has a synopsis of its own (not the syntax Get-Help makes up when there is none)' {
        $synopsis = "$($help.Synopsis)".Trim()
        $synopsis.Length | Should -BeGreaterThan 20
        $synopsis | Should -Not -BeLike "$Name*"
        $synopsis | Should -Not -Match '\[-\w+\]|\s-\w+\s<\w+'
    }

    It 'has a description' {
        (@($help.description | ForEach-Object Text) -join ' ').Trim().Length | Should -BeGreaterOrEqual 40
    }

    It 'has at least two examples' {
        $all = @($help.examples.example)
        $all.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $all) { "$($example.code)".Trim() | Should -Not -BeNullOrEmpty }
    }

    It 'describes every parameter' {
        $parameters = @((Get-Command $Name).Parameters.Keys | Where-Object { $commonParameters -notcontains $_ })
        $described = @{}
        foreach ($parameter in @($help.parameters.parameter | Where-Object { $_ })) {
            $described[$parameter.name] = (@($parameter.description | ForEach-Object Text) -join ' ').Trim()
        }
        $undescribed = @($parameters | Where-Object { -not $described[$_] })
        $undescribed | Should -BeNullOrEmpty
    }

    It 'shows the syntax Get-Command -Syntax shows: switches as switches, -WhatIf and -Confirm where supported' {
        $command = Get-Command $Name
        $helpSyntax = @($help.syntax.syntaxItem)
        $helpSyntax.Count | Should -Be $command.ParameterSets.Count
        foreach ($set in $command.ParameterSets) {
            $names = @($set.Parameters | Where-Object { $commonParameters -notcontains $_.Name } | ForEach-Object Name | Sort-Object)
            $match = $helpSyntax | Where-Object { (@($_.parameter | ForEach-Object name | Where-Object { $commonParameters -notcontains $_ } | Sort-Object) -join ',') -eq ($names -join ',') }
            $match | Should -Not -BeNullOrEmpty -Because "the parameter set $($set.Name) ($($names -join ', ')) appears in the help syntax"
        }
        $text = Get-Help $Name | Select-Object -ExpandProperty syntax | Out-String -Width 4096
        $text | Should -Not -Match '<SwitchParameter>'
        if ($command.Parameters.ContainsKey('WhatIf')) {
            $text | Should -Match '\[-WhatIf\]'
            $text | Should -Match '\[-Confirm\]'
        }
    }

    It 'gives the real default of every parameter that has one' {
        $instance = [Activator]::CreateInstance((Get-Command $Name).ImplementingType)
        foreach ($parameter in @($help.parameters.parameter | Where-Object { $_ })) {
            $property = $instance.GetType().GetProperty($parameter.name)
            if (-not $property -or $property.PropertyType -eq [switch]) { continue }
            $value = $property.GetValue($instance)
            if ((($value -is [int] -or $value -is [double]) -and $value -ne 0) -or ($value -is [string] -and $value)) {
                "$($parameter.defaultValue)" | Should -Be ([string]::Format([Globalization.CultureInfo]::InvariantCulture, '{0}', $value)) -Because "-$($parameter.name) defaults to $value"
            }
        }
    }

    It 'opens its page online: HelpUri points at docs/help/<Name>.md in the project''s repository' {
        $uri = (Get-Command $Name).HelpUri
        $uri | Should -Be ('https://github.com/nrf91cmng/Nrf91Cmng/blob/main/docs/help/' + $Name + '.md')
        Test-Path (Join-Path $PSScriptRoot "../../docs/help/$Name.md") | Should -BeTrue
        @($help.relatedLinks.navigationLink)[0].uri | Should -Be $uri
    }

    It 'names its inputs, its outputs and related links' {
        $help.inputTypes | Should -Not -BeNullOrEmpty
        $help.relatedLinks | Should -Not -BeNullOrEmpty
        $outputs = $help.returnValues | Out-String
        foreach ($type in (Get-Command $Name).OutputType) { $outputs | Should -BeLike "*$($type.Name)*" }
    }
}

Describe 'The committed help file' {
    It 'is what the help build step makes from the cmdlets and docs/help (run ./build.ps1 -Help after a change)' {
        $fresh = Join-Path $TestDrive 'Nrf91Cmng.dll-Help.xml'
        $child = Invoke-ChildShell -TimeoutSeconds 120 -Script ("& '" + (Join-Path $script:RepoRoot 'tools/Build-Help.ps1') + "' -ModuleManifest '" + $script:ModuleManifest + "' -OutFile '" + $fresh + "'")
        $child.Errors | Should -BeNullOrEmpty
        $committed = Join-Path $script:RepoRoot 'src/Nrf91Cmng/en-US/Nrf91Cmng.dll-Help.xml'
        [IO.File]::ReadAllText($fresh) | Should -BeExactly ([IO.File]::ReadAllText($committed)) -Because 'src/Nrf91Cmng/en-US/Nrf91Cmng.dll-Help.xml is stale: run ./build.ps1 -Help and commit it'
    }
}

Describe 'about_Nrf91Cmng' {
    It 'explains the concepts and every error code' {
        $about = Get-Help about_Nrf91Cmng | Out-String
        foreach ($topic in 'SESSIONS', 'SEC_TAG', 'LINE ENDINGS', 'FUNCTIONAL MODE', 'FLEET', 'VIRTUAL MODEM', 'ERROR') {
            $about | Should -BeLike "*$topic*"
        }
        foreach ($code in 0, 23, 50, 60, 513, 514, 515, 518, 519, 520, 523, 527, 528, 529) {
            $about | Should -MatchExactly "ModemCmeError$code\b"
        }
    }
}

Describe 'Help examples' {
    BeforeAll {
        $workspace = Join-Path $TestDrive 'examples'
        $null = New-Item -ItemType Directory -Path $workspace
        $files = @{
            'ca.pem' = 'ca.pem'; 'AmazonRootCA1.pem' = 'ca.pem'; 'chain.pem' = 'chain.pem'; 'client.pem' = 'client.pem'; 'client.key' = 'client.key'
            'client-encrypted.key' = 'client-encrypted.key'; 'ca.key' = 'ca.key'; 'public.pem' = 'public.pem'
        }
        foreach ($name in $files.Keys) { Copy-Item (Get-Fixture $files[$name]) (Join-Path $workspace $name) }
        [IO.File]::WriteAllText((Join-Path $workspace 'plan.csv'), "SecTag,Type,Path`n42,RootCA,ca.pem`n42,ClientCertificate,client.pem`n42,ClientPrivateKey,client.key`n")
    }

    AfterEach { Clear-TestModems }

    It '<Cmdlet> example <Number> (<Title>) runs against the virtual modem' -ForEach $examples {
        if ($Skip) { Set-ItResult -Skipped -Because 'the example needs a real modem' }
        # In a runspace of its own, as a user pastes it; tables are rendered to text, not to this host.
        $code = [regex]::Replace($Code, '\| *Format-(Table|List)[^\n|]*', '| Out-String')
        $run = Invoke-InNewRunspace -ArgumentList $workspace, $code {
            param($Workspace, $Code)
            Set-Location $Workspace
            $ProgressPreference = 'SilentlyContinue'
            try {
                $null = . ([scriptblock]::Create($Code))
            }
            finally {
                Get-ModemSession | Disconnect-Modem
            }
        }
        if (-not $ShowsError) {
            @($run.Errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" }) | Should -BeNullOrEmpty
        }
    }

    It 'runs most examples without hardware (<Runnable> of <Total>)' -ForEach @{ Runnable = @($examples | Where-Object { -not $_.Skip }).Count; Total = @($examples).Count } {
        $Runnable | Should -BeGreaterOrEqual 30
    }
}
