<#
    Shared setup of the Pester suite, dot-sourced in each file's BeforeAll:

        BeforeAll { . (Join-Path $PSScriptRoot 'TestSupport.ps1') }

    It imports the built module (out/Nrf91Cmng, or $env:NRF91CMNG_MODULE_PATH), names the committed
    test credentials in Fixtures/, and defines the helpers the files share. Windows PowerShell 5.1
    safe: no ternaries, no ?? and no .NET 7 APIs.
#>

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = if ($env:NRF91CMNG_MODULE_PATH) { $env:NRF91CMNG_MODULE_PATH } else { Join-Path $script:RepoRoot 'out/Nrf91Cmng/Nrf91Cmng.psd1' }
if (-not (Test-Path $script:ModuleManifest)) {
    throw "The built module is missing at $script:ModuleManifest: build first (./build.ps1 or dotnet build src/Nrf91Cmng)."
}

Import-Module $script:ModuleManifest -ErrorAction Stop

$script:Fixtures = Join-Path $PSScriptRoot 'Fixtures'
$script:Passphrase = 'correct horse 42'
$script:Psk = '2B7E151628AED2A6ABF7158809CF4F3C'
$script:OnWindows = ($PSVersionTable.PSEdition -eq 'Desktop') -or ((Get-Variable IsWindows -ValueOnly -ErrorAction SilentlyContinue) -eq $true)

# The transport that drives the real serial code path here: a pseudo-terminal on Unix, TCP on Windows.
$script:SerialTransport = if ($script:OnWindows) { 'Tcp' } else { 'PseudoTerminal' }

function Get-Fixture {
    param([Parameter(Mandatory)][string] $Name)
    Join-Path $script:Fixtures $Name
}

function Get-FixtureText {
    param([Parameter(Mandatory)][string] $Name)
    [IO.File]::ReadAllText((Get-Fixture $Name))
}

function Get-TextSha256 {
    param([Parameter(Mandatory)][AllowEmptyString()][string] $Text)
    $sha = [Security.Cryptography.SHA256]::Create()
    try {
        ([BitConverter]::ToString($sha.ComputeHash([Text.Encoding]::ASCII.GetBytes($Text)))).Replace('-', '')
    }
    finally {
        $sha.Dispose()
    }
}

function ConvertTo-TestSecureString {
    param([Parameter(Mandatory)][string] $Text)
    $secure = New-Object Security.SecureString
    foreach ($c in $Text.ToCharArray()) { $secure.AppendChar($c) }
    $secure.MakeReadOnly()
    $secure
}

function Start-TestModem {
    <# Starts a virtual modem on the serial transport (pty on Unix) and connects to it; returns the simulator. #>
    param(
        [string] $Firmware,
        [switch] $Tcp,
        [int] $TimeoutSeconds,
        [hashtable] $Simulator = @{},
        [hashtable] $Connect = @{}
    )
    $transport = if ($Tcp) { 'Tcp' } else { $script:SerialTransport }
    $start = @{ Transport = $transport } + $Simulator
    if ($Firmware) { $start.Firmware = $Firmware }
    $sim = Start-ModemSimulator @start
    $connectArgs = @{ Handshake = 'None' } + $Connect
    if ($TimeoutSeconds) { $connectArgs.TimeoutSeconds = $TimeoutSeconds }
    $null = $sim | Connect-Modem @connectArgs
    $sim
}

function Clear-TestModems {
    Get-ModemSession | Disconnect-Modem
    Stop-ModemSimulator -All -Confirm:$false
}

function Get-PwshPath {
    <# The PowerShell executable of this edition, for child processes. #>
    if ($PSVersionTable.PSEdition -eq 'Desktop') { return Join-Path $PSHOME 'powershell.exe' }
    if ($script:OnWindows) { return Join-Path $PSHOME 'pwsh.exe' }
    Join-Path $PSHOME 'pwsh'
}

function Invoke-ChildShell {
    <#
        Runs a script in a new PowerShell process of this edition with the module under test importable
        by name, feeds -InputLines to its standard input, and returns ExitCode, Output (stdout lines)
        and Errors (stderr text). -Interactive leaves out -NonInteractive so prompts read standard input.
    #>
    param(
        [Parameter(Mandatory)][string] $Script,
        [string[]] $InputLines = @(),
        [switch] $Interactive,
        [int] $TimeoutSeconds = 60,
        [hashtable] $Environment = @{}
    )
    $moduleFolder = Split-Path (Split-Path $script:ModuleManifest -Parent) -Parent
    $prelude = '$ErrorActionPreference = ''Continue''; $env:PSModulePath = ' + "'" + $moduleFolder.Replace("'", "''") + "'" + ' + [IO.Path]::PathSeparator + $env:PSModulePath' + "`n"
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($prelude + $Script))
    $psi = New-Object Diagnostics.ProcessStartInfo
    $psi.FileName = Get-PwshPath
    $arguments = @('-NoProfile', '-NoLogo')
    if (-not $Interactive) { $arguments += '-NonInteractive' }
    $arguments += @('-EncodedCommand', $encoded)
    $psi.Arguments = $arguments -join ' '
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.EnvironmentVariables['NO_COLOR'] = '1'
    $psi.EnvironmentVariables['TERM'] = 'dumb'
    foreach ($name in $Environment.Keys) { $psi.EnvironmentVariables[$name] = [string]$Environment[$name] }
    $process = [Diagnostics.Process]::Start($psi)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    foreach ($line in $InputLines) { $process.StandardInput.WriteLine($line) }
    $process.StandardInput.Close()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill()
        throw "The child PowerShell did not finish within $TimeoutSeconds s. Output so far: $($stdout.Result)"
    }
    $process.WaitForExit()
    [pscustomobject]@{
        ExitCode = $process.ExitCode
        Output   = @($stdout.Result -split "`r?`n" | Where-Object { $_ -ne '' })
        Text     = $stdout.Result
        Errors   = $stderr.Result
    }
}

function Start-SimulatorProcess {
    <#
        Serves a virtual modem from another pwsh process (Start-ModemSimulator), the way a second
        program or a factory bench does, and returns its PortName and Process. The modem runs there:
        this process reaches it only through the port. Stop it with Stop-SimulatorProcess.
    #>
    param(
        [ValidateSet('Tcp', 'PseudoTerminal')][string] $Transport = 'Tcp',
        [string] $Arguments = ''
    )
    $moduleFolder = Split-Path (Split-Path $script:ModuleManifest -Parent) -Parent
    $script = '$env:PSModulePath = ' + "'" + $moduleFolder.Replace("'", "''") + "'" + ' + [IO.Path]::PathSeparator + $env:PSModulePath' + "`n" +
        '$s = Start-ModemSimulator -Transport ' + $Transport + ' ' + $Arguments + '; [Console]::Out.WriteLine("PORT=" + $s.PortName); [Console]::Out.Flush(); [Console]::In.ReadLine() | Out-Null'
    $psi = New-Object Diagnostics.ProcessStartInfo
    $psi.FileName = Get-PwshPath
    $psi.Arguments = '-NoProfile -NoLogo -NonInteractive -EncodedCommand ' + [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($psi)
    $line = $process.StandardOutput.ReadLineAsync()
    if (-not $line.Wait(60000) -or $line.Result -notlike 'PORT=*') {
        $process.Kill()
        throw "The simulator process did not start: $($line.Result) $($process.StandardError.ReadToEnd())"
    }
    [pscustomobject]@{ PortName = $line.Result.Substring(5); Process = $process }
}

function Stop-SimulatorProcess {
    param([Parameter(Mandatory, ValueFromPipeline)] $Server)
    process {
        $Server.Process.StandardInput.WriteLine('stop')
        if (-not $Server.Process.WaitForExit(10000)) { $Server.Process.Kill() }
    }
}

function Get-SentCount {
    <# How many commands the virtual modem received that match -Like (a wildcard), e.g. 'AT%CMNG=0*'. #>
    param([Parameter(Mandatory)] $Simulator, [Parameter(Mandatory)][string] $Like)
    @($Simulator.Modem.ReceivedCommands | Where-Object { $_ -like $Like }).Count
}

function Get-ModemStore {
    <# The virtual modem's credential store as text (sec_tag,type,digest per line), to compare before and after. #>
    param([Parameter(Mandatory)] $Simulator)
    (@($Simulator.Modem.Credentials) | ForEach-Object { '{0},{1},{2}' -f $_.SecTag, $_.Type, $_.Sha256 }) -join "`n"
}

function Get-StoredText {
    <# What the virtual modem stores at a sec_tag and type (ASCII), or $null. #>
    param([Parameter(Mandatory)] $Simulator, [Parameter(Mandatory)][uint32] $SecTag, [Parameter(Mandatory)][int] $Type)
    $bytes = $Simulator.Modem.GetStoredBytes($SecTag, $Type)
    if ($null -eq $bytes) { return $null }
    [Text.Encoding]::ASCII.GetString($bytes)
}

function Get-PemBase64 {
    <# The base64 body of a PEM text, on one line, armour lines left out. #>
    param([Parameter(Mandatory)][string] $Pem)
    (($Pem -split "`r?`n") | Where-Object { $_ -and $_ -notmatch '^-----' }) -join ''
}

function ConvertFrom-PemCertificate {
    <# An X509Certificate2 from PEM text (works on .NET Framework too: no PEM APIs). #>
    param([Parameter(Mandatory)][string] $Pem)
    $der = [Convert]::FromBase64String((Get-PemBase64 ($Pem -split '-----END CERTIFICATE-----')[0]))
    New-Object Security.Cryptography.X509Certificates.X509Certificate2 -ArgumentList (, $der)
}

function Invoke-InNewRunspace {
    <#
        Runs a script block in a new runspace of this process with the module imported (no host: prompts
        fail there) and returns Output, Errors, Progress, Warnings and Verbose as that PowerShell's streams
        recorded them. Virtual modems are process-wide, so their ports and objects can be passed in.
    #>
    param(
        [Parameter(Mandatory)][scriptblock] $ScriptBlock,
        [object[]] $ArgumentList = @()
    )
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddScript('param($ModulePath) Import-Module $ModulePath -ErrorAction Stop').AddArgument($script:ModuleManifest).AddStatement()
        $null = $ps.AddScript($ScriptBlock.ToString())
        foreach ($argument in $ArgumentList) { $null = $ps.AddArgument($argument) }
        $output = $ps.Invoke()
        [pscustomobject]@{
            Output   = @($output)
            Errors   = @($ps.Streams.Error)
            Progress = @($ps.Streams.Progress)
            Warnings = @($ps.Streams.Warning)
            Verbose  = @($ps.Streams.Verbose)
        }
    }
    finally {
        $ps.Dispose()
    }
}

function Invoke-WithTranscript {
    <# Runs a script block under Start-Transcript and returns what the host showed (What if: lines, warnings) as text. #>
    param([Parameter(Mandatory)][scriptblock] $ScriptBlock, [Parameter(Mandatory)][string] $Path)
    $null = Start-Transcript -Path $Path -Force
    try {
        $null = & $ScriptBlock
    }
    finally {
        $null = Stop-Transcript
    }
    [IO.File]::ReadAllText($Path)
}

$script:Profiles = @('mfw_nrf9160_0.7.0', 'mfw_nrf9160_1.3.5', 'mfw_nrf9160_1.3.7', 'mfw_nrf91x1_2.0.2')

function New-OutputSample {
    <#
        One object of every type the cmdlets write, each with values a user must find in its default view
        and in exports. Starts virtual modems (Clear-TestModems ends them). Keys are the type names.
    #>
    $sim = Start-TestModem
    $session = Get-ModemSession
    Set-ModemCredential -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem)
    $credential = Get-ModemCredential -SecTag 42
    $key = New-ModemKey -SecTag 9 -Force
    $certificate = New-ModemKey -SecTag 10 -Force | New-ModemClientCertificate -CACertificate (Get-Fixture ca.pem) -CAKey (Get-Fixture ca.key)
    $token = Get-ModemAttestationToken
    $provisioning = Invoke-ModemProvisioning -Plan @{ SecTag = 43; Type = 'PskIdentity'; Content = 'device-43' } -Session $session
    $tcp = Start-ModemSimulator -Transport Tcp -Firmware mfw_nrf9160_0.7.0
    $old = $tcp | Connect-Modem -Name old
    $publicKey = Get-ModemPublicKey -Session $old
    $samples = [ordered]@{}
    $samples['ModemSession'] = @{ Object = $session; Values = @($session.Name, $session.PortName, $sim.Imei) }
    $samples['ModemInfo'] = @{ Object = (Get-ModemInfo -Session $session); Values = @($sim.Imei, 'nRF9160-SICA', 'mfw_nrf9160_1.3.5') }
    $samples['ModemCredential'] = @{ Object = $credential; Values = @('42', 'RootCA', $credential.Sha256.Substring(0, 8)) }
    $samples['ModemCredentialTest'] = @{ Object = (Test-ModemCredential -Session $session -SecTag 42 -Type RootCA -Path (Get-Fixture ca.pem) -Detailed); Values = @('42', 'RootCA', 'True') }
    $samples['ModemResponse'] = @{ Object = (Invoke-ModemCommand -Session $session 'AT+CGMM'); Values = @('AT+CGMM', 'nRF9160-SICA', 'Ok') }
    $samples['ModemFunctionalMode'] = @{ Object = (Get-ModemFunctionalMode -Session $session); Values = @('0', 'PowerOff') }
    $samples['ModemPort'] = @{ Object = (Find-Modem | Where-Object PortName -eq $tcp.PortName); Values = @($tcp.PortName) }
    $samples['ModemSimulator'] = @{ Object = $tcp; Values = @($tcp.PortName, 'mfw_nrf9160_0.7.0', $tcp.Imei) }
    $samples['ModemPublicKey'] = @{ Object = $publicKey; Values = @('EC', 'P-256', $publicKey.Fingerprint.Substring(0, 8)) }
    $samples['ModemKeyResult'] = @{ Object = $key; Values = @('9', 'Csr', $key.Sha256.Substring(0, 8)) }
    $samples['ModemClientCertificate'] = @{ Object = $certificate; Values = @('10', $certificate.SerialNumber.Substring(0, 8)) }
    $samples['ModemAttestationToken'] = @{ Object = $token; Values = @($sim.DeviceUuid.ToString(), 'nRF9160 SIAA') }
    $samples['ProvisioningResult'] = @{ Object = $provisioning; Values = @($session.PortName, $sim.Imei, 'Provisioned') }
    $samples['ProvisioningEntryResult'] = @{ Object = $provisioning.Entries[0]; Values = @('43', 'PskIdentity', 'Written') }
    $samples
}
