#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The built module as a package: its manifest, what it exports, its versions, where its engine loads,
    autoloading by name, and that every script in the repository (this suite included) parses.
#>

BeforeDiscovery {
    $repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $skipFolders = 'bin', 'obj', '.git', 'out', 'node_modules'
    $scriptFiles = @(Get-ChildItem -Path $repoRoot -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' |
            Where-Object {
                $relative = $_.FullName.Substring($repoRoot.Length + 1)
                -not (@($relative -split '[\\/]') | Where-Object { $skipFolders -contains $_ })
            } |
            Sort-Object FullName |
            ForEach-Object { @{ File = $_.FullName; Name = $_.FullName.Substring($repoRoot.Length + 1).Replace('\', '/') } })
    $suiteFiles = @(Get-ChildItem -Path $PSScriptRoot -Recurse -File -Include '*.ps1' |
            ForEach-Object { @{ File = $_.FullName; Name = $_.Name } })
    $onCore = $PSVersionTable.PSEdition -eq 'Core'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:SourceManifest = Import-PowerShellDataFile (Join-Path $script:RepoRoot 'Nrf91Cmng.psd1')
    $script:ModuleFolder = Split-Path $script:ModuleManifest -Parent

    function Get-LoadedAssembly([string] $Name) {
        [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq $Name }
    }

    # The engine loads on first use: a refused connection is use enough.
    try { Connect-Modem -Uri tcp://127.0.0.1:1 -TimeoutSeconds 0.5 -ErrorAction Stop } catch { $null = $_ }
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest with the version, cmdlets and help files of the source manifest, and no file an execution policy could refuse' {
        $manifest = Test-ModuleManifest -Path $script:ModuleManifest -ErrorAction Stop
        $manifest.Name | Should -Be 'Nrf91Cmng'
        $manifest.Version | Should -Be ([version] $script:SourceManifest.ModuleVersion)
        $manifest.RootModule | Should -Be 'Nrf91Cmng.dll'
        @($manifest.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($script:SourceManifest.CmdletsToExport | Sort-Object)
        @($manifest.ExportedFormatFiles) | Should -BeNullOrEmpty -Because 'the views are registered from code at import'
        foreach ($file in (Join-Path $script:ModuleFolder 'en-US/Nrf91Cmng.dll-Help.xml'), (Join-Path $script:ModuleFolder 'en-US/about_Nrf91Cmng.help.txt')) {
            $file | Should -Exist
        }
    }

    It 'exports no functions, aliases or variables and declares both editions from 5.1' {
        $script:SourceManifest.FunctionsToExport | Should -BeNullOrEmpty
        $script:SourceManifest.AliasesToExport | Should -BeNullOrEmpty
        $script:SourceManifest.VariablesToExport | Should -BeNullOrEmpty
        $script:SourceManifest.CompatiblePSEditions | Should -Be 'Desktop', 'Core'
        $script:SourceManifest.PowerShellVersion | Should -Be '5.1'
        $script:SourceManifest.ContainsKey('FormatsToProcess') | Should -BeFalse
    }

    It 'exports exactly the cmdlets the manifest lists, and those are all the cmdlet classes' {
        @((Get-Command -Module Nrf91Cmng).Name | Sort-Object) | Should -Be @($script:SourceManifest.CmdletsToExport | Sort-Object)
        $classes = (Get-LoadedAssembly 'Nrf91Cmng').GetExportedTypes() |
            ForEach-Object { $_.GetCustomAttributes([Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { $_.VerbName + '-' + $_.NounName }
        @($classes | Sort-Object) | Should -Be @($script:SourceManifest.CmdletsToExport | Sort-Object)
    }

    It 'has the manifest version on the module and its engine assemblies' {
        $version = $script:SourceManifest.ModuleVersion
        (Get-Module Nrf91Cmng).Version.ToString() | Should -Be $version
        (Get-LoadedAssembly 'Nrf91Cmng').GetName().Version.ToString(3) | Should -Be $version
        @(Get-LoadedAssembly 'Nrf91Cmng.Core').Count | Should -Be 1
        (Get-LoadedAssembly 'Nrf91Cmng.Core').GetName().Version.ToString(3) | Should -Be $version
    }
}

Describe 'Loading' {
    It 'loads its engine and BouncyCastle in its own load context' -Skip:(-not $onCore) {
        $contexts = [AppDomain]::CurrentDomain.GetAssemblies() |
            Where-Object { 'Nrf91Cmng.Core', 'BouncyCastle.Cryptography', 'Nrf91Cmng' -contains $_.GetName().Name } |
            ForEach-Object { $_.GetName().Name + '=' + [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
        $contexts | Should -Contain 'Nrf91Cmng.Core=Nrf91Cmng'
        $contexts | Should -Contain 'Nrf91Cmng=Default'
    }

    It 'resolves its public types by name in scripts' {
        [Nrf91Cmng.ModemSession].FullName | Should -Be 'Nrf91Cmng.ModemSession'
        [int][Nrf91Cmng.FunctionalMode]::Offline | Should -Be 4
    }

    It 'autoloads by name from a folder on PSModulePath in a new PowerShell' {
        $child = Invoke-ChildShell -Script @'
if (Get-Module Nrf91Cmng) { 'ALREADY LOADED' }
$sessions = @(Get-ModemSession)
"SESSIONS:$($sessions.Count)"
$module = Get-Module Nrf91Cmng
"LOADED:$($module.Name) $($module.Version) $($module.ModuleBase)"
'@
        $child.Errors | Should -BeNullOrEmpty
        $child.Output | Should -Not -Contain 'ALREADY LOADED'
        $child.Output | Should -Contain 'SESSIONS:0'
        $child.Output | Should -Contain ('LOADED:Nrf91Cmng {0} {1}' -f $script:SourceManifest.ModuleVersion, $script:ModuleFolder)
    }
}

Describe 'The Gallery package' {
    It 'is made one way (build.ps1 -Package runs dotnet pack) with the manifest''s metadata, the CHANGELOG''s notes and the README' {
        $build = Get-Content -Raw (Join-Path $script:RepoRoot 'build.ps1')
        $build | Should -Match "dotnet @\('pack', \(Join-Path \`$root 'packaging/Nrf91Cmng.Package.csproj'\)"
        $build | Should -Not -Match 'Compress-PSResource|Publish-PSResource'
        $folder = Join-Path $TestDrive 'package'
        & dotnet pack (Join-Path $script:RepoRoot 'packaging/Nrf91Cmng.Package.csproj') -c Release -o $folder --nologo -v quiet | Out-Null
        $LASTEXITCODE | Should -Be 0
        $nupkg = Get-ChildItem $folder -Filter *.nupkg
        $nupkg.Name | Should -Be ('Nrf91Cmng.' + $script:SourceManifest.ModuleVersion + '.nupkg')
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($nupkg.FullName)
        try {
            $names = @($zip.Entries.FullName)
            foreach ($file in 'Nrf91Cmng.psd1', 'Nrf91Cmng.dll', 'en-US/Nrf91Cmng.dll-Help.xml', 'Dependencies/Nrf91Cmng.Core.dll', 'README.md', 'LICENSE', 'CHANGELOG.md') { $names | Should -Contain $file }
            $names | Where-Object { $_ -like '*.pdb' -or $_ -like 'lib/*' } | Should -BeNullOrEmpty
            $reader = [IO.StreamReader]::new(($zip.Entries | Where-Object FullName -eq 'Nrf91Cmng.nuspec').Open())
            [xml] $nuspec = $reader.ReadToEnd()
            $reader.Dispose()
        }
        finally {
            $zip.Dispose()
        }
        $meta = $nuspec.package.metadata
        $meta.version | Should -Be $script:SourceManifest.ModuleVersion
        $meta.readme | Should -Be 'README.md'
        $meta.tags | Should -Match 'PSModule'
        foreach ($cmdlet in $script:SourceManifest.CmdletsToExport) { $meta.tags | Should -Match "PSCmdlet_$cmdlet\b" }
        $changelog = Get-Content -Raw (Join-Path $script:RepoRoot 'CHANGELOG.md')
        $section = [regex]::Match($changelog, '(?ms)^## \[(' + [regex]::Escape($script:SourceManifest.ModuleVersion) + '|Unreleased)\][^\n]*\n(.*?)(?=^## \[|\z)').Groups[2].Value.Trim()
        $meta.releaseNotes.Trim().Substring(0, 200) | Should -Be $section.Substring(0, 200)
    }
}

Describe 'Errors' {
    It 'maps every engine error category to a PowerShell category other than NotSpecified' {
        $map = [Nrf91Cmng.Commands.ModemCmdletBase].GetMethod('Map', [Reflection.BindingFlags]'NonPublic, Static')
        $categories = $map.GetParameters()[0].ParameterType
        foreach ($category in [Enum]::GetValues($categories)) {
            $map.Invoke($null, @($category)) | Should -Not -Be ([Management.Automation.ErrorCategory]::NotSpecified) -Because "$category needs a category of its own"
        }
    }

    It 'gives an engine error its id, category and recommended action (provisioning an online modem without -Force)' {
        $sim = Start-ModemSimulator -Transport Tcp
        $null = $sim.Modem.Execute('AT+CFUN=1')
        $null = Invoke-ModemProvisioning -Plan @{ SecTag = 42; Type = 'RootCA'; Path = (Get-Fixture ca.pem) } -PortName $sim.PortName -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ModemFunctionalModeActive,*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failures[0].ErrorDetails.RecommendedAction | Should -BeLike '*-Force*'
        $sim | Stop-ModemSimulator
    }
}

Describe 'The virtual modem assembly' -Skip:(-not $onCore) {
    BeforeAll { $script:server = Start-SimulatorProcess -Transport Tcp }
    AfterAll { $script:server | Stop-SimulatorProcess }

    # Tiered compilation off compiles every method fully optimised at once, inlining included, as
    # hot methods are later: a simulator type inlined into a common path would load it there.
    It 'loads only when a simulator is used, into the engine''s load context (tiered compilation <Tiered>)' -ForEach @(
        @{ Tiered = 'on' }, @{ Tiered = 'off' }
    ) {
        $environment = @{}
        if ($Tiered -eq 'off') { $environment['DOTNET_TieredCompilation'] = '0' }
        $child = Invoke-ChildShell -Environment $environment -Script (@'
function Loaded { [Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object { $c = $_.Name; $_.Assemblies | Where-Object { $_.GetName().Name -eq 'Nrf91Cmng.Simulator' } | ForEach-Object { "$c" } } }
$session = Connect-Modem -PortName 'PORT' -ErrorAction Stop
$null = Get-ModemInfo; $null = Get-ModemCredential
Set-ModemCredential -SecTag 42 -Type RootCA -Path 'CAFILE' -Force
$null = TabExpansion2 -inputScript 'Get-ModemCredential -SecTag ' -cursorColumn 28
$null = Find-Modem; $null = Get-ModemSession
try { Connect-Modem -PortName /dev/nrf91cmng-no-such-port -ErrorAction Stop } catch { 'REFUSED' }
Disconnect-Modem -Session $session
"BEFORE:" + ((Loaded) -join ',')
$null = Connect-Modem -Simulator
"AFTER:" + ((Loaded) -join ',')
'@).Replace('PORT', $script:server.PortName).Replace('CAFILE', (Get-Fixture 'ca.pem'))
        $child.Errors | Should -BeNullOrEmpty
        $child.Output | Should -Contain 'REFUSED'
        $child.Output | Should -Contain 'BEFORE:'
        $child.Output | Should -Contain 'AFTER:Nrf91Cmng'
    }
}

Describe 'Scripts in the repository' {
    It 'finds the scripts to check (<Count> of them)' -ForEach @{ Count = $scriptFiles.Count; Names = @($scriptFiles | ForEach-Object { $_.Name }) } {
        $Names | Should -Contain 'build.ps1'
        $Names | Should -Contain 'Nrf91Cmng.psd1'
        $Names | Should -Contain 'tests/Pester/TestSupport.ps1'
    }

    It '<Name> parses' -ForEach $scriptFiles {
        $errors = $null
        $null = [Management.Automation.Language.Parser]::ParseFile($File, [ref] $null, [ref] $errors)
        @($errors | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Message)" }) | Should -BeNullOrEmpty
    }

    It 'the Pester file <Name> uses nothing Windows PowerShell 5.1 lacks' -ForEach $suiteFiles {
        $ast = [Management.Automation.Language.Parser]::ParseFile($File, [ref] $null, [ref] $null)
        $found = $ast.FindAll({
                param($node)
                $type = $node.GetType().Name
                ($type -eq 'TernaryExpressionAst') -or ($type -eq 'PipelineChainAst') -or
                ($node -is [Management.Automation.Language.BinaryExpressionAst] -and $node.Operator.ToString() -eq 'QuestionQuestion') -or
                ($node -is [Management.Automation.Language.AssignmentStatementAst] -and $node.Operator.ToString() -eq 'QuestionQuestionEquals') -or
                ($node -is [Management.Automation.Language.MemberExpressionAst] -and $node.NullConditional) -or
                ($node -is [Management.Automation.Language.VariableExpressionAst] -and @('IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR') -contains $node.VariablePath.UserPath)
            }, $true)
        @($found | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Extent.Text)" }) | Should -BeNullOrEmpty
    }
}
