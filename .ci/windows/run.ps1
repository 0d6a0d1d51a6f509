<#
.SYNOPSIS
    Windows CI recipe for Nrf91Cmng: build, import under each execution policy, Pester in Windows
    PowerShell 5.1 and PowerShell 7 (7.4 and the latest), a provisioning with transcripts on a port
    named COM5, and where every assembly was loaded from.

.DESCRIPTION
    STATUS: NOT YET RUN. None of the project's machines runs Windows; this script was written and
    reviewed on Linux (its syntax is checked there by the PowerShell parser) and is meant to run as
    is on a Windows runner (GitHub Actions windows-latest, or any Windows 10/11 or Server 2019+
    machine with internet access). Its first run on Windows is the proof. It only writes below
    out\ci-windows (and, with com0com, creates the port pair COM5/COM6, removed at the end).

    It runs under Windows PowerShell 5.1 or PowerShell 7 and uses no syntax newer than 5.1:

        powershell.exe -NoProfile -ExecutionPolicy Bypass -File .ci\windows\run.ps1

    GitHub Actions:

        runs-on: windows-latest
        steps:
          - uses: actions/checkout@v4
          - run: powershell.exe -NoProfile -ExecutionPolicy Bypass -File .ci\windows\run.ps1
            shell: cmd

    What it does, in order (each step prints what it found; the summary at the end lists every
    check with what was expected and what happened, and the exit code is 1 if a check marked
    "must" failed):

      1. Tools: the .NET 10 SDK (installed with dotnet-install.ps1 into out\ci-windows\dotnet when
         missing), powershell.exe 5.1 and its .NET Framework release, PowerShell 7.4 and the latest
         PowerShell 7 (taken from Program Files when the version matches, else downloaded as the
         official zip into out\ci-windows).
      2. Build: dotnet build of the module into out\Nrf91Cmng; the xunit suites unless -SkipUnitTests.
      3. Import under execution policies, in each edition, from three copies of the module folder:
         as built, marked as downloaded from the internet (Zone.Identifier ZoneId=3 on every file,
         what a browser or Expand-Archive of a downloaded zip leaves), and marked then unblocked
         (Unblock-File). Policies Restricted, RemoteSigned and Bypass (-ExecutionPolicy sets the
         Process scope; a Group Policy setting would override it and is printed).
      4. Find-Modem in each edition (no boards on a runner: it must list nothing and fail nothing).
      5. Where each assembly came from in each edition after real use (simulator session, a PEM
         parsed by BouncyCastle, a CBOR attestation token): the load context on PowerShell 7, the
         path and GAC flag on 5.1.
      6. The Pester suite (tests\Pester) in each edition against the module as built; on Windows the
         suite serves the virtual modem over TCP (tests\Pester\TestSupport.ps1).
      7. Invoke-ModemProvisioning with -TranscriptPath on a port named COM5: through a com0com pair
         COM5<->COM6 whose COM6 end is bridged to the virtual modem's TCP port when com0com is
         installed (-Com0comSetup), else over TCP; either way COM5's transcript name is created in
         the transcript folder (a file named COM5.log is a device on Windows).

.PARAMETER Pwsh74Version
    The PowerShell 7.4 release to test (the oldest supported).

.PARAMETER PwshLatestVersion
    The latest PowerShell 7 to test; default: the current stable release named by PowerShell's
    tools/metadata.json (ReleaseTag), as its install-powershell.ps1 reads it.

.PARAMETER Configuration
    Build configuration (Release).

.PARAMETER SkipUnitTests
    Skip dotnet test.

.PARAMETER Com0comSetup
    com0com's setupc.exe. When it exists, step 7 creates COM5<->COM6 with it.
#>
[CmdletBinding()]
param(
    [string] $Pwsh74Version = '7.4.6',
    [string] $PwshLatestVersion,
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    [switch] $SkipUnitTests,
    [string] $Com0comSetup = (Join-Path ${env:ProgramFiles(x86)} 'com0com\setupc.exe')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
$ProgressPreference = 'SilentlyContinue'
[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

$Root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
$Work = Join-Path $Root 'out\ci-windows'
$ModuleOut = Join-Path $Root 'out\Nrf91Cmng'
$script:Checks = New-Object System.Collections.Generic.List[object]

if ([Environment]::OSVersion.Platform -ne [PlatformID]::Win32NT) {
    throw 'This recipe is for Windows. On Linux and macOS run .ci/run.'
}

New-Item -ItemType Directory -Force -Path $Work | Out-Null

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

function Write-Step([string] $Text) {
    Write-Host ''
    Write-Host ('=' * 100)
    Write-Host "== $Text"
    Write-Host ('=' * 100)
}

function Add-Check {
    <# Records one check for the summary. -Must: a failure fails the run. #>
    param([string] $Name, [string] $Host_, [string] $Expected, [string] $Actual, [bool] $Ok, [switch] $Must)
    $script:Checks.Add([pscustomobject]@{ Check = $Name; Host = $Host_; Expected = $Expected; Actual = $Actual; Ok = $Ok; Must = [bool]$Must })
    $mark = if ($Ok) { 'ok  ' } elseif ($Must) { 'FAIL' } else { 'note' }
    Write-Host ("[{0}] {1} | {2} | expected: {3} | actual: {4}" -f $mark, $Host_, $Name, $Expected, $Actual)
}

function Invoke-Native {
    param([string] $File, [string[]] $Arguments)
    Write-Host "> $File $($Arguments -join ' ')"
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File failed with exit code $LASTEXITCODE" }
}

function Invoke-Child {
    <#
        Runs $Script in a new process of the given PowerShell with -ExecutionPolicy $Policy (Process
        scope), no profile, non-interactive. Returns ExitCode and Output (stdout and stderr lines).
    #>
    param([string] $Exe, [string] $Script, [string] $Policy = 'Bypass', [int] $TimeoutSeconds = 600)
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Script))
    $psi = New-Object Diagnostics.ProcessStartInfo
    $psi.FileName = $Exe
    $psi.Arguments = "-NoProfile -NoLogo -NonInteractive -ExecutionPolicy $Policy -EncodedCommand $encoded"
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.EnvironmentVariables['NO_COLOR'] = '1'
    $process = [Diagnostics.Process]::Start($psi)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill()
        throw "$Exe did not finish within $TimeoutSeconds s."
    }
    $process.WaitForExit()
    $lines = @($stdout.Result -split "`r?`n") + @($stderr.Result -split "`r?`n") | Where-Object { $_ -ne '' }
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = @($lines) }
}

function Get-Download([string] $Uri, [string] $Path) {
    Write-Host "Downloading $Uri"
    Invoke-WebRequest -Uri $Uri -OutFile $Path -UseBasicParsing
}

function Get-PwshVersion([string] $Exe) {
    (& $Exe -NoProfile -NoLogo -Command '$PSVersionTable.PSVersion.ToString()' | Select-Object -Last 1).Trim()
}

function Get-Pwsh([string] $Version) {
    <# pwsh.exe of exactly $Version: the installed one if it matches, else the official zip. #>
    $installed = Join-Path $env:ProgramFiles 'PowerShell\7\pwsh.exe'
    if ((Test-Path $installed) -and (Get-PwshVersion $installed) -eq $Version) {
        return $installed
    }
    $folder = Join-Path $Work "pwsh-$Version"
    $exe = Join-Path $folder 'pwsh.exe'
    if (-not (Test-Path $exe)) {
        $zip = Join-Path $Work "PowerShell-$Version-win-x64.zip"
        Get-Download "https://github.com/PowerShell/PowerShell/releases/download/v$Version/PowerShell-$Version-win-x64.zip" $zip
        Expand-Archive -Path $zip -DestinationPath $folder -Force
    }
    $actual = Get-PwshVersion $exe
    if ($actual -ne $Version) { throw "Expected PowerShell $Version at $exe, found $actual." }
    $exe
}

function Set-InternetMark([string] $Folder) {
    <# What a browser leaves on a download: the Zone.Identifier stream, zone 3 (Internet). #>
    Get-ChildItem -Path $Folder -Recurse -File | ForEach-Object {
        Set-Content -Path $_.FullName -Stream 'Zone.Identifier' -Value "[ZoneTransfer]`r`nZoneId=3`r`nHostUrl=https://www.powershellgallery.com/" -Encoding Ascii
    }
}

function Copy-Module([string] $Destination) {
    if (Test-Path $Destination) { Remove-Item -Recurse -Force $Destination }
    New-Item -ItemType Directory -Force -Path (Split-Path $Destination -Parent) | Out-Null
    Copy-Item -Recurse -Path $ModuleOut -Destination $Destination
    Join-Path $Destination 'Nrf91Cmng.psd1'
}

# Prepended to child scripts: finds Nrf91Cmng.Core wherever the edition loaded it (the isolated
# load context on PowerShell 7, the AppDomain on 5.1) and prints where assemblies came from.
$ChildPrelude = @'
$ErrorActionPreference = 'Stop'
function Get-NrfCoreAssembly {
    $alc = [Type]::GetType('System.Runtime.Loader.AssemblyLoadContext')
    if ($alc) {
        foreach ($context in $alc::All) {
            foreach ($a in $context.Assemblies) { if ($a.GetName().Name -eq 'Nrf91Cmng.Core') { return $a } }
        }
    }
    [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Nrf91Cmng.Core' } | Select-Object -First 1
}
function Write-LoadOrigins {
    $pattern = '^(Nrf91Cmng|BouncyCastle|System\.Formats\.Cbor|System\.IO\.Ports|System\.Memory|System\.Buffers|netstandard|System\.Management\.Automation)'
    $alc = [Type]::GetType('System.Runtime.Loader.AssemblyLoadContext')
    if ($alc) {
        foreach ($context in $alc::All) {
            foreach ($a in $context.Assemblies) {
                if ($a.GetName().Name -match $pattern) { 'ORIGIN {0,-34} {1,-12} ctx={2,-10} {3}' -f $a.GetName().Name, $a.GetName().Version, $context.Name, $a.Location }
            }
        }
    }
    else {
        foreach ($a in [AppDomain]::CurrentDomain.GetAssemblies()) {
            if ($a.GetName().Name -match $pattern) { 'ORIGIN {0,-34} {1,-12} gac={2,-5} {3}' -f $a.GetName().Name, $a.GetName().Version, $a.GlobalAssemblyCache, $a.Location }
        }
    }
}
'@

# ---------------------------------------------------------------------------------------------
# 1. Tools
# ---------------------------------------------------------------------------------------------
Write-Step '1. Tools'

$dotnet = Get-Command dotnet -ErrorAction SilentlyContinue
$haveSdk = $false
if ($dotnet) { $haveSdk = [bool](& dotnet --list-sdks | Where-Object { $_ -match '^10\.' }) }
if (-not $haveSdk) {
    $installer = Join-Path $Work 'dotnet-install.ps1'
    Get-Download 'https://dot.net/v1/dotnet-install.ps1' $installer
    $dotnetDir = Join-Path $Work 'dotnet'
    & $installer -Channel 10.0 -InstallDir $dotnetDir -NoPath
    $env:PATH = $dotnetDir + [IO.Path]::PathSeparator + $env:PATH
    $env:DOTNET_ROOT = $dotnetDir
}
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
Invoke-Native dotnet @('--info')

$WinPS = Join-Path $env:SystemRoot 'System32\WindowsPowerShell\v1.0\powershell.exe'
if (-not $PwshLatestVersion) {
    # What PowerShell's own install-powershell.ps1 reads for the current stable release.
    $PwshLatestVersion = (Invoke-RestMethod -Uri 'https://raw.githubusercontent.com/PowerShell/PowerShell/master/tools/metadata.json' -UseBasicParsing).ReleaseTag.TrimStart('v')
}
$Hosts = @(
    [pscustomobject]@{ Name = 'Windows PowerShell 5.1'; Exe = $WinPS; Edition = 'Desktop' }
    [pscustomobject]@{ Name = "PowerShell $Pwsh74Version"; Exe = (Get-Pwsh $Pwsh74Version); Edition = 'Core' }
)
if ($PwshLatestVersion -ne $Pwsh74Version) {
    $Hosts += [pscustomobject]@{ Name = "PowerShell $PwshLatestVersion"; Exe = (Get-Pwsh $PwshLatestVersion); Edition = 'Core' }
}

$about = @'
"PSVersion   $($PSVersionTable.PSVersion) ($($PSVersionTable.PSEdition))"
"Runtime     $([Runtime.InteropServices.RuntimeInformation]::FrameworkDescription)"
"OS          $([Environment]::OSVersion.VersionString)"
$release = (Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -ErrorAction SilentlyContinue).Release
".NET Fx     release $release"
Get-ExecutionPolicy -List | ForEach-Object { "Policy      $($_.Scope): $($_.ExecutionPolicy)" }
'@
foreach ($h in $Hosts) {
    Write-Host "--- $($h.Name): $($h.Exe)"
    (Invoke-Child -Exe $h.Exe -Script $about).Output | ForEach-Object { Write-Host "    $_" }
}

# ---------------------------------------------------------------------------------------------
# 2. Build and unit tests
# ---------------------------------------------------------------------------------------------
Write-Step '2. Build'
Invoke-Native dotnet @('build', (Join-Path $Root 'src\Nrf91Cmng\Nrf91Cmng.csproj'), '-c', $Configuration, '--nologo')
if (-not (Test-Path (Join-Path $ModuleOut 'Nrf91Cmng.psd1'))) { throw "The build did not lay out $ModuleOut." }
Get-ChildItem -Recurse -File $ModuleOut | ForEach-Object { Write-Host ('    {0,10} {1}' -f $_.Length, $_.FullName.Substring($ModuleOut.Length + 1)) }

if (-not $SkipUnitTests) {
    Write-Step '2b. xunit'
    & dotnet test (Join-Path $Root 'Nrf91Cmng.sln') -c $Configuration --nologo
    Add-Check -Name 'dotnet test Nrf91Cmng.sln' -Host_ 'dotnet' -Expected 'exit 0' -Actual "exit $LASTEXITCODE" -Ok ($LASTEXITCODE -eq 0) -Must
}

# ---------------------------------------------------------------------------------------------
# 3. Import under execution policies
# ---------------------------------------------------------------------------------------------
Write-Step '3. Import under execution policies'

$PlainManifest = Copy-Module (Join-Path $Work 'modules\plain\Nrf91Cmng')
$MarkedManifest = Copy-Module (Join-Path $Work 'modules\internet\Nrf91Cmng')
Set-InternetMark (Split-Path $MarkedManifest -Parent)
$UnblockedManifest = Copy-Module (Join-Path $Work 'modules\unblocked\Nrf91Cmng')
Set-InternetMark (Split-Path $UnblockedManifest -Parent)
Get-ChildItem -Path (Split-Path $UnblockedManifest -Parent) -Recurse -File | Unblock-File

$importScript = @'
try {
    Import-Module '__MANIFEST__' -ErrorAction Stop
    $m = Get-Module Nrf91Cmng
    "IMPORTED $($m.Version) commands=$(@(Get-Command -Module Nrf91Cmng).Count)"
    $null = Get-ModemSimulator
    'USABLE'
}
catch {
    "FAILED $($_.FullyQualifiedErrorId): $($_.Exception.Message)"
    if ($_.Exception.InnerException) { "INNER $($_.Exception.InnerException.GetType().FullName): $($_.Exception.InnerException.Message)" }
    exit 1
}
'@

# Expected outcomes (to be confirmed by the first run; only the ones marked Must fail the run):
#  - The module holds no .ps1/.psm1/.ps1xml (views are registered from code), so Restricted and
#    AllSigned import it in every edition.
#  - With the internet mark, pwsh imports; Windows PowerShell 5.1's .NET Framework may refuse the marked
#    DLLs (loadFromRemoteSources), which Unblock-File lifts.
$scenarios = @(
    [pscustomobject]@{ Policy = 'Restricted'; Copy = 'as built'; Manifest = $PlainManifest; Expect = 'imports'; Must = $true }
    [pscustomobject]@{ Policy = 'AllSigned'; Copy = 'as built'; Manifest = $PlainManifest; Expect = 'imports'; Must = $true }
    [pscustomobject]@{ Policy = 'RemoteSigned'; Copy = 'as built'; Manifest = $PlainManifest; Expect = 'imports'; Must = $true }
    [pscustomobject]@{ Policy = 'RemoteSigned'; Copy = 'internet mark'; Manifest = $MarkedManifest; Expect = 'imports'; Must = $false }
    [pscustomobject]@{ Policy = 'RemoteSigned'; Copy = 'marked, then Unblock-File'; Manifest = $UnblockedManifest; Expect = 'imports'; Must = $true }
    [pscustomobject]@{ Policy = 'Bypass'; Copy = 'internet mark'; Manifest = $MarkedManifest; Expect = 'imports'; Must = $false }
    [pscustomobject]@{ Policy = 'Bypass'; Copy = 'as built'; Manifest = $PlainManifest; Expect = 'imports'; Must = $true }
)
foreach ($h in $Hosts) {
    foreach ($s in $scenarios) {
        $result = Invoke-Child -Exe $h.Exe -Policy $s.Policy -Script $importScript.Replace('__MANIFEST__', $s.Manifest.Replace("'", "''"))
        $imported = [bool]($result.Output | Where-Object { $_ -like 'USABLE*' })
        $detail = ($result.Output | Where-Object { $_ -match '^(IMPORTED|FAILED|INNER)' }) -join ' / '
        if (-not $detail) { $detail = ($result.Output | Select-Object -Last 3) -join ' / ' }
        $actual = if ($imported) { 'imports' } else { 'fails' }
        Add-Check -Name "Import, -ExecutionPolicy $($s.Policy), $($s.Copy)" -Host_ $h.Name -Expected $s.Expect -Actual "$actual ($detail)" -Ok ($actual -eq $s.Expect) -Must:$s.Must
    }
}

# ---------------------------------------------------------------------------------------------
# 4. Find-Modem on a machine without boards; 5. load origins after real use
# ---------------------------------------------------------------------------------------------
Write-Step '4-5. Find-Modem and assembly load origins'

$pem = Join-Path $Root 'tests\Pester\Fixtures\ca.pem'
$useScript = $ChildPrelude + @'
Import-Module '__MANIFEST__' -ErrorAction Stop
$warnings = $null
$ports = @(Find-Modem -All -WarningVariable warnings -WarningAction SilentlyContinue)
"FINDMODEM ports=$($ports.Count) warnings=$(@($warnings).Count)"
$ports | ForEach-Object { "PORT $($_.PortName) vid=$($_.VendorId) board=$($_.Board)" }
@($warnings) | ForEach-Object { "WARN $_" }
$sim = Start-ModemSimulator -Transport Tcp
try {
    $null = $sim | Connect-Modem -Handshake None
    $info = Get-ModemInfo
    "INFO $($info.Model) $($info.Imei)"
    if (Test-Path '__PEM__') {
        Set-ModemCredential -SecTag 4242 -Type RootCA -Path '__PEM__' -Force -Confirm:$false
        'PEM written (BouncyCastle used)'
    }
    else { 'PEM fixture missing: BouncyCastle may not be loaded' }
    $null = Get-ModemAttestationToken
    'ATTESTATION parsed (System.Formats.Cbor used)'
}
finally {
    Get-ModemSession | Disconnect-Modem
    Stop-ModemSimulator -All -Confirm:$false
}
$core = Get-NrfCoreAssembly
"CORE $($core.Location)"
Write-LoadOrigins
'@
foreach ($h in $Hosts) {
    Write-Host "--- $($h.Name)"
    $result = Invoke-Child -Exe $h.Exe -Script $useScript.Replace('__MANIFEST__', $PlainManifest.Replace("'", "''")).Replace('__PEM__', $pem.Replace("'", "''"))
    $result.Output | ForEach-Object { Write-Host "    $_" }
    $find = $result.Output | Where-Object { $_ -like 'FINDMODEM*' } | Select-Object -First 1
    Add-Check -Name 'Find-Modem -All on a runner (no boards; COM1 may exist)' -Host_ $h.Name -Expected 'no exception' -Actual ([string]$find) -Ok ([bool]$find) -Must
    $dependencies = Join-Path (Split-Path $PlainManifest -Parent) 'Dependencies'
    $ours = @($result.Output | Where-Object { $_ -match '^ORIGIN (Nrf91Cmng\.Core|BouncyCastle\.Cryptography|System\.Formats\.Cbor) ' })
    $foreign = @($ours | Where-Object { $_ -notlike "*$dependencies*" })
    Add-Check -Name 'Engine, BouncyCastle and Cbor load from the module''s Dependencies folder' -Host_ $h.Name -Expected "all $($ours.Count) from $dependencies" -Actual $(if ($foreign.Count) { $foreign -join ' ; ' } else { "$($ours.Count) found, all ours" }) -Ok ($ours.Count -ge 2 -and $foreign.Count -eq 0) -Must
    $ports = @($result.Output | Where-Object { $_ -match '^ORIGIN System\.IO\.Ports ' })
    Add-Check -Name 'SerialPort comes from the host (System.IO.Ports in pwsh, System.dll in 5.1), never from the module' -Host_ $h.Name -Expected 'not under the module folder' -Actual $(if ($ports.Count) { $ports -join ' ; ' } else { 'not loaded as System.IO.Ports' }) -Ok (-not ($ports | Where-Object { $_ -like "*$dependencies*" })) -Must
    if ($result.ExitCode -ne 0) {
        Add-Check -Name 'Use of the module (simulator, credential, attestation)' -Host_ $h.Name -Expected 'exit 0' -Actual "exit $($result.ExitCode)" -Ok $false -Must
    }
}

# ---------------------------------------------------------------------------------------------
# 6. Pester in both editions
# ---------------------------------------------------------------------------------------------
Write-Step '6. Pester'

$packages = Join-Path $Root 'out\test-packages'
$dependenciesProject = Join-Path $Root 'tools\TestDependencies\TestDependencies.csproj'
$pesterVersion = '5.7.1'
if (Test-Path $dependenciesProject) {
    $pesterVersion = ([xml](Get-Content -Raw $dependenciesProject)).Project.ItemGroup.PackageDownload.Version.Trim('[', ']')
    Invoke-Native dotnet @('restore', $dependenciesProject, '--packages', $packages, '--nologo', '-v', 'quiet')
}
$pesterManifest = Join-Path $packages "pester\$pesterVersion\tools\Pester.psd1"
if (-not (Test-Path $pesterManifest)) {
    # No restore project in this tree: the package straight from nuget.org (a zip).
    $nupkg = Join-Path $Work "pester.$pesterVersion.zip"
    Get-Download "https://www.nuget.org/api/v2/package/Pester/$pesterVersion" $nupkg
    Expand-Archive -Path $nupkg -DestinationPath (Join-Path $packages "pester\$pesterVersion") -Force
}
Get-ChildItem -Path (Join-Path $packages "pester\$pesterVersion") -Recurse -File | Unblock-File

$pesterScript = @'
$env:NRF91CMNG_MODULE_PATH = '__MANIFEST__'
Import-Module '__PESTER__' -ErrorAction Stop
$config = New-PesterConfiguration
$config.Run.Path = '__TESTS__'
$config.Run.PassThru = $true
$config.Filter.ExcludeTag = @('Hardware')
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = '__RESULT__'
$run = Invoke-Pester -Configuration $config
"PESTER passed=$($run.PassedCount) failed=$($run.FailedCount) skipped=$($run.SkippedCount) notrun=$($run.NotRunCount)"
exit $run.FailedCount
'@
foreach ($h in $Hosts) {
    Write-Host "--- $($h.Name)"
    $resultFile = Join-Path $Work ("pester-" + ($h.Name -replace '[^A-Za-z0-9.]', '-') + '.xml')
    $script = $pesterScript.Replace('__MANIFEST__', $PlainManifest.Replace("'", "''")).Replace('__PESTER__', $pesterManifest.Replace("'", "''")).Replace('__TESTS__', (Join-Path $Root 'tests\Pester').Replace("'", "''")).Replace('__RESULT__', $resultFile.Replace("'", "''"))
    $result = Invoke-Child -Exe $h.Exe -Script $script -TimeoutSeconds 1800
    $result.Output | ForEach-Object { Write-Host "    $_" }
    $summary = $result.Output | Where-Object { $_ -like 'PESTER *' } | Select-Object -Last 1
    Add-Check -Name "Pester tests\Pester (results: $resultFile)" -Host_ $h.Name -Expected 'failed=0' -Actual ([string]$summary) -Ok ($result.ExitCode -eq 0 -and [bool]$summary) -Must
}

# ---------------------------------------------------------------------------------------------
# 7. Provisioning with transcripts on a port named COM5
# ---------------------------------------------------------------------------------------------
Write-Step '7. Provisioning with transcripts on COM5'

$haveCom0com = Test-Path $Com0comSetup
$com0comPair = $null
if ($haveCom0com) {
    # setupc prints the pair it made ("CNCA3 PortName=COM5"); its number is what "remove" takes.
    Push-Location (Split-Path $Com0comSetup -Parent)
    try {
        $made = @(& $Com0comSetup install PortName=COM5 PortName=COM6)
        $made | ForEach-Object { Write-Host "    $_" }
        $pairLine = $made | Where-Object { $_ -match 'CNCA(\d+)\s+PortName=COM5' } | Select-Object -First 1
        if ($pairLine -and $pairLine -match 'CNCA(\d+)') { $com0comPair = $Matches[1] }
        else { Write-Host 'com0com did not create COM5 (is the name taken?): provisioning runs over TCP.'; $haveCom0com = $false }
    }
    finally { Pop-Location }
}
else {
    Write-Host "com0com not found at ${Com0comSetup}: provisioning runs over TCP; COM5's transcript name is still created."
}

$provisionScript = $ChildPrelude + @'
Import-Module '__MANIFEST__' -ErrorAction Stop
$folder = '__FOLDER__'
if (Test-Path $folder) { Remove-Item -Recurse -Force $folder }
New-Item -ItemType Directory -Path $folder | Out-Null

$sim = Start-ModemSimulator -Transport Tcp

# The name a transcript of COM5 gets, from the engine itself (loaded now); it must be creatable here.
$core = Get-NrfCoreAssembly
$safe = $core.GetType('Nrf91Cmng.Core.Platform.SafeFileNames', $true)
$name = $safe.GetMethod('ForPort').Invoke($null, [object[]]@([string]'COM5')) + '.log'
[IO.File]::WriteAllText((Join-Path $folder $name), 'probe')
"NAME COM5 -> $name created=$(Test-Path -LiteralPath (Join-Path $folder $name))"
Remove-Item -LiteralPath (Join-Path $folder $name)

$bridge = $null
try {
    $port = $sim.PortName
    if (__COM0COM__) {
        # COM6 <-> the simulator's TCP port, in a runspace of this process; COM5 is the modem's port.
        $bridge = [PowerShell]::Create()
        $null = $bridge.AddScript({
            param($TcpPort)
            $serial = New-Object System.IO.Ports.SerialPort 'COM6', 115200
            $serial.ReadTimeout = 50
            $serial.Open()
            $tcp = New-Object System.Net.Sockets.TcpClient '127.0.0.1', $TcpPort
            $net = $tcp.GetStream()
            $buffer = New-Object byte[] 4096
            while ($true) {
                if ($serial.BytesToRead -gt 0) { $n = $serial.Read($buffer, 0, [Math]::Min($buffer.Length, $serial.BytesToRead)); $net.Write($buffer, 0, $n) }
                if ($tcp.Available -gt 0) { $n = $net.Read($buffer, 0, [Math]::Min($buffer.Length, $tcp.Available)); $serial.Write($buffer, 0, $n) }
                Start-Sleep -Milliseconds 2
            }
        }).AddArgument($sim.Uri.Port)
        $null = $bridge.BeginInvoke()
        Start-Sleep -Seconds 1
        $port = 'COM5'
    }
    $plan = @(
        [pscustomobject]@{ SecTag = 4242; Type = 'PskIdentity'; Content = 'nrf-{Imei}' }
        [pscustomobject]@{ SecTag = 4242; Type = 'Psk'; Content = '2B7E151628AED2A6ABF7158809CF4F3C' }
    )
    $results = @(Invoke-ModemProvisioning -PortName $port -Plan $plan -TranscriptPath $folder -Force -Confirm:$false)
    foreach ($r in $results) {
        "RESULT port=$($r.PortName) status=$($r.Status) transcript=$($r.TranscriptPath) error=$($r.Error)"
        if ($r.TranscriptPath) {
            $leaf = Split-Path -Leaf $r.TranscriptPath
            "TRANSCRIPT exists=$(Test-Path -LiteralPath $r.TranscriptPath) reserved=$($safe.GetMethod('IsReservedOnWindows').Invoke($null, [object[]]@([string]$leaf))) leaf=$leaf"
        }
    }
    Get-ChildItem -LiteralPath $folder | ForEach-Object { "FILE $($_.Name) $($_.Length)" }
}
finally {
    if ($bridge) { $bridge.Stop(); $bridge.Dispose() }
    Get-ModemSession | Disconnect-Modem
    Stop-ModemSimulator -All -Confirm:$false
}
'@
foreach ($h in $Hosts) {
    Write-Host "--- $($h.Name)"
    $folder = Join-Path $Work ('transcripts-' + ($h.Name -replace '[^A-Za-z0-9.]', '-'))
    $script = $provisionScript.Replace('__MANIFEST__', $PlainManifest.Replace("'", "''")).Replace('__FOLDER__', $folder.Replace("'", "''")).Replace('__COM0COM__', $(if ($haveCom0com) { '$true' } else { '$false' }))
    $result = Invoke-Child -Exe $h.Exe -Script $script
    $result.Output | ForEach-Object { Write-Host "    $_" }
    $name = $result.Output | Where-Object { $_ -like 'NAME COM5 ->*' } | Select-Object -First 1
    Add-Check -Name 'Transcript name for COM5 is creatable (COM5.log is a device)' -Host_ $h.Name -Expected 'created=True, not COM5.log' -Actual ([string]$name) -Ok ([string]$name -like '*created=True' -and [string]$name -notlike '*-> COM5.log*') -Must
    $line = $result.Output | Where-Object { $_ -like 'RESULT *' } | Select-Object -First 1
    $transcript = $result.Output | Where-Object { $_ -like 'TRANSCRIPT *' } | Select-Object -First 1
    $via = if ($haveCom0com) { 'COM5 (com0com)' } else { 'TCP (no com0com)' }
    Add-Check -Name "Invoke-ModemProvisioning -TranscriptPath over $via" -Host_ $h.Name -Expected 'status=Provisioned, transcript exists, not a device name' -Actual ("$line / $transcript") -Ok ([string]$line -like '*status=Provisioned*' -and [string]$transcript -like '*exists=True reserved=False*') -Must
}

if ($com0comPair -ne $null) {
    Push-Location (Split-Path $Com0comSetup -Parent)
    try { & $Com0comSetup remove $com0comPair | ForEach-Object { Write-Host "    $_" } }
    finally { Pop-Location }
}

# ---------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------
Write-Step 'Summary'
$script:Checks | Format-Table -AutoSize -Wrap Ok, Must, Host, Check, Expected, Actual | Out-String -Width 300 | Write-Host
$failed = @($script:Checks | Where-Object { $_.Must -and -not $_.Ok })
$notes = @($script:Checks | Where-Object { -not $_.Must -and -not $_.Ok })
Write-Host "$($script:Checks.Count) checks; $($failed.Count) required check(s) failed; $($notes.Count) informational outcome(s) differ from the expectation (update the expectation or docs\windows-and-macos.md)."
if ($failed.Count -gt 0) { exit 1 }
exit 0
