#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-Help as a user sees it: complete for every cmdlet, an about topic with every error code, and
# examples that run against the virtual modem. (That the committed MAML file matches the code is checked
# by the xunit help staleness test.)

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

    It 'names its inputs, its outputs and related links' {
        $help.inputTypes | Should -Not -BeNullOrEmpty
        $help.relatedLinks | Should -Not -BeNullOrEmpty
        $outputs = $help.returnValues | Out-String
        foreach ($type in (Get-Command $Name).OutputType) { $outputs | Should -BeLike "*$($type.Name)*" }
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
