#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests and packages the Nrf91Cmng module.

.DESCRIPTION
    Wraps the .NET build so that a PowerShell user has one entry point. The build lays the
    importable module out at out/Nrf91Cmng (the same layout the bash CI and the tests use).

      ./build.ps1                 # build (Debug)
      ./build.ps1 -Test           # build, run the xunit suites, then Pester in a child pwsh
      ./build.ps1 -Test -SkipUnitTests -TestPath tests/Pester/Set-ModemCredential.Tests.ps1
      ./build.ps1 -Bench          # build Release, then the end-to-end benchmark table of BENCHMARKS.md (a few minutes)
      ./build.ps1 -Help           # build, then regenerate the committed MAML help from the cmdlets and docs/help
      ./build.ps1 -Package        # build Release and write a PowerShell Gallery package to out/package
      ./build.ps1 -Clean          # remove out/ and every bin/obj folder first

.PARAMETER Configuration
    Debug (default) or Release. -Package always builds Release.

.PARAMETER Test
    Run the xunit suites (`dotnet test Nrf91Cmng.sln`), restore Pester from NuGet into
    out/test-packages, then run the Pester suite in tests/Pester in a child pwsh process with out/
    first on PSModulePath (a loaded binary module cannot be unloaded, so this process never
    imports it). Every Pester test runs except those tagged Hardware, which run when
    NRF91CMNG_TEST_PORT names a port with a real nRF91.

.PARAMETER TestPath
    Pester files or folders to run instead of the whole of tests/Pester.

.PARAMETER PesterVerbosity
    Pester's output: Normal (default: failures and the summary) or Detailed (every test).

.PARAMETER SkipUnitTests
    Run only the Pester suite.

.PARAMETER SkipBenchmarkSmoke
    Leave out the benchmark smoke run that -Test ends with (it also is left out when -TestPath picks
    files). The smoke run (bench/Nrf91Cmng.Benchmarks --smoke, about 45 s) provisions virtual modems
    served by another pwsh process on paced pseudo-terminals and fails when cold or warm provisioning
    against the bare-client floor, the one-shot Import-Module overhead or the fleet ratio passes its
    bound (ratios only, bounds in bench/Nrf91Cmng.Benchmarks/EndToEnd.cs and BENCHMARKS.md).

.PARAMETER Bench
    Build Release and print the end-to-end benchmark table (BENCHMARKS.md): cold and warm provisioning
    against the floor, connect, Import-Module, one-shot processes, fleet.

.PARAMETER BenchArguments
    More arguments for the benchmark harness with -Bench, e.g. '--baseline', 'old/Nrf91Cmng.psd1',
    '--nrfcredstore', 'path/to/nrfcredstore/src' or '--quick'.

.PARAMETER Help
    Regenerate src/Nrf91Cmng/en-US/Nrf91Cmng.dll-Help.xml from the built cmdlets, their XML
    documentation and docs/help/*.md (tools/Build-Help.ps1, in a child pwsh), then lay the module out
    again with it. Run it after changing a cmdlet or its page; the Pester suite fails while the
    committed help is stale.

.PARAMETER Package
    Build Release and write the PowerShell Gallery package to out/package: exactly
    `dotnet pack packaging/Nrf91Cmng.Package.csproj -c Release -o out/package` (module files at the
    root, metadata and cmdlet tags from the manifest, release notes from CHANGELOG.md, README,
    LICENSE and CHANGELOG included).

.PARAMETER Clean
    Remove build outputs first.
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    [switch] $Test,

    [string[]] $TestPath,

    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $PesterVerbosity = 'Normal',

    [switch] $SkipUnitTests,

    [switch] $SkipBenchmarkSmoke,

    [switch] $Bench,

    [string[]] $BenchArguments = @(),

    [switch] $Help,

    [switch] $Package,

    [switch] $Clean
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'Nrf91Cmng'

function Assert-DotNet {
    $dotnet = Get-Command dotnet -ErrorAction SilentlyContinue
    if (-not $dotnet) {
        throw 'The .NET SDK (10 or later) is required to build Nrf91Cmng: https://dot.net'
    }
    $sdks = & dotnet --list-sdks
    if (-not ($sdks | Where-Object { $_ -match '^(1[0-9])\.' })) {
        throw "The .NET 10 SDK is required; found: $($sdks -join ', ')"
    }
}

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    Write-Verbose "$File $($Arguments -join ' ')"
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE"
    }
}

Assert-DotNet

if ($Clean) {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $out
    Get-ChildItem -Path $root -Directory -Recurse -Include bin, obj |
        Where-Object { $_.FullName -notmatch '[\\/]\.git[\\/]' } |
        Remove-Item -Recurse -Force
}

if ($Package -or ($Bench -and -not $PSBoundParameters.ContainsKey('Configuration'))) {
    $Configuration = 'Release'
}

# This process's own pwsh, for child processes (the Pester run, the benchmarks).
$pwsh = if ($IsWindows) { Join-Path $PSHOME 'pwsh.exe' } else { Join-Path $PSHOME 'pwsh' }

Invoke-Native dotnet @('build', (Join-Path $root 'src/Nrf91Cmng/Nrf91Cmng.csproj'), '-c', $Configuration, '--nologo')
Write-Host "Module laid out at $moduleOut"

if ($Help) {
    & $pwsh -NoProfile -NonInteractive -File (Join-Path $root 'tools/Build-Help.ps1') -ModuleManifest (Join-Path $moduleOut 'Nrf91Cmng.psd1')
    if ($LASTEXITCODE -ne 0) {
        throw 'Building the help failed.'
    }

    Invoke-Native dotnet @('build', (Join-Path $root 'src/Nrf91Cmng/Nrf91Cmng.csproj'), '-c', $Configuration, '--nologo', '-v', 'quiet')
    Write-Host 'Help regenerated: src/Nrf91Cmng/en-US/Nrf91Cmng.dll-Help.xml'
}

if ($Test) {
    # xunit: the PowerShell-free core (and the few engine-level checks Pester cannot make).
    if (-not $SkipUnitTests) {
        Invoke-Native dotnet @('test', (Join-Path $root 'Nrf91Cmng.sln'), '-c', $Configuration, '--nologo')
    }

    # Pester, restored by an explicit step into out/test-packages and imported by path: never a copy
    # that happens to sit in a package cache.
    $pesterVersion = ([xml](Get-Content -Raw (Join-Path $root 'tools/TestDependencies/TestDependencies.csproj'))).Project.ItemGroup.PackageDownload.Version.Trim('[', ']')
    $packages = Join-Path $out 'test-packages'
    Invoke-Native dotnet @('restore', (Join-Path $root 'tools/TestDependencies/TestDependencies.csproj'), '--packages', $packages, '--nologo', '-v', 'quiet')
    $pesterManifest = Join-Path $packages "pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $pesterManifest)) {
        throw "Pester $pesterVersion was not restored to $pesterManifest."
    }

    # A child process: a loaded binary module cannot be unloaded, so this process never imports it.
    $pesterScript = {
        param($PesterManifest, $ModuleRoot, $Paths, $ExcludeTags, $Verbosity, $ResultPath)
        $env:PSModulePath = $ModuleRoot + [System.IO.Path]::PathSeparator + $env:PSModulePath
        if ([Console]::IsOutputRedirected) { $PSStyle.OutputRendering = 'PlainText' }
        Import-Module $PesterManifest -ErrorAction Stop
        $config = New-PesterConfiguration
        $config.Run.Path = $Paths
        $config.Run.Exit = $true
        $config.Filter.ExcludeTag = $ExcludeTags
        $config.Output.Verbosity = $Verbosity
        $config.TestResult.Enabled = $true
        $config.TestResult.OutputPath = $ResultPath
        Invoke-Pester -Configuration $config
    }
    $exclude = @()
    if (-not $env:NRF91CMNG_TEST_PORT) {
        $exclude += 'Hardware'
        Write-Host 'Hardware tests skipped: set NRF91CMNG_TEST_PORT to a port with a real nRF91 to run them.'
    }
    $paths = if ($TestPath) { @($TestPath | ForEach-Object { (Resolve-Path $_).Path }) } else { @(Join-Path $root 'tests/Pester') }
    & $pwsh -NoProfile -NonInteractive -Command $pesterScript -args $pesterManifest, $out, $paths, $exclude, $PesterVerbosity, (Join-Path $out 'pester-results.xml')
    if ($LASTEXITCODE -ne 0) {
        throw "Pester: $LASTEXITCODE test(s) failed."
    }

    # The benchmark smoke run: ratios against generous bounds, never absolute times.
    if (-not $SkipBenchmarkSmoke -and -not $TestPath) {
        Invoke-Native dotnet @('run', '-c', $Configuration, '--project', (Join-Path $root 'bench/Nrf91Cmng.Benchmarks'), '--', '--smoke', '--pwsh', $pwsh, '--module', (Join-Path $moduleOut 'Nrf91Cmng.psd1'))
    }
}

if ($Bench) {
    Invoke-Native dotnet @(@('run', '-c', 'Release', '--project', (Join-Path $root 'bench/Nrf91Cmng.Benchmarks'), '--', '--e2e', '--pwsh', $pwsh, '--module', (Join-Path $moduleOut 'Nrf91Cmng.psd1')) + $BenchArguments)
}

if ($Package) {
    # The one way to make the Gallery package: the same command works without pwsh.
    $packageDir = Join-Path $out 'package'
    Invoke-Native dotnet @('pack', (Join-Path $root 'packaging/Nrf91Cmng.Package.csproj'), '-c', 'Release', '-o', $packageDir, '--nologo')
    Get-ChildItem $packageDir -Filter *.nupkg | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}
