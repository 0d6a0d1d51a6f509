#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    An acceptance check to copy and adapt: provision a modem from a list of credentials, then check
    that it holds exactly those.

    1. Name the modem's AT port with -Port (or the NRF91CMNG_TEST_PORT environment variable): COM5,
       /dev/ttyACM0, tcp://station1:7000. Without one the check runs against the built-in virtual
       modem on a serial port (a pseudo-terminal; TCP on Windows), so you can try it anywhere.
    2. List the expected credentials in -Expected: sec_tag, type, and the file (Path) or text
       (Content) the modem must hold. Private keys and PSKs are compared by digest: the modem never
       returns them.
    3. Invoke-Pester ./Acceptance.Example.Tests.ps1 -Output Detailed

    By default the modem is first provisioned from the list (Invoke-ModemProvisioning -Force: an
    active modem is switched offline and back, different credentials at those sec_tags are
    replaced). To check a modem that was provisioned elsewhere, add -CheckOnly:

        $data = @{ Port = 'COM5'; CheckOnly = $true; Expected = @(@{ SecTag = 42; Type = 'RootCA'; Path = './AmazonRootCA1.pem' }) }
        Invoke-Pester -Container (New-PesterContainer -Path ./Acceptance.Example.Tests.ps1 -Data $data) -Output Detailed
#>
param(
    [string] $Port = $env:NRF91CMNG_TEST_PORT,
    [object[]] $Expected,
    [switch] $CheckOnly
)

BeforeDiscovery {
    # Pester discovers the tests (this block) and runs them (BeforeAll and the Its) in separate phases,
    # so the list is made in both. These defaults are this repository's test credentials.
    function Get-ExpectedCredential {
        if ($Expected) { return $Expected }
        $fixtures = Join-Path $PSScriptRoot 'Fixtures'
        @(
            @{ SecTag = 42; Type = 'RootCA'; Path = (Join-Path $fixtures 'ca.pem') }
            @{ SecTag = 42; Type = 'ClientCertificate'; Path = (Join-Path $fixtures 'client.pem') }
            @{ SecTag = 42; Type = 'ClientPrivateKey'; Path = (Join-Path $fixtures 'client.key') }
            @{ SecTag = 42; Type = 'PskIdentity'; Content = 'device-0001' }
        )
    }
    $expectedForDiscovery = Get-ExpectedCredential
}

BeforeAll {
    if (-not (Get-Module Nrf91Cmng)) {
        $built = Join-Path $PSScriptRoot '../../out/Nrf91Cmng/Nrf91Cmng.psd1'
        if (Test-Path $built) { Import-Module $built } else { Import-Module Nrf91Cmng }
    }
    $fixtures = Join-Path $PSScriptRoot 'Fixtures'
    $script:expected = if ($Expected) { $Expected } else {
        @(
            @{ SecTag = 42; Type = 'RootCA'; Path = (Join-Path $fixtures 'ca.pem') }
            @{ SecTag = 42; Type = 'ClientCertificate'; Path = (Join-Path $fixtures 'client.pem') }
            @{ SecTag = 42; Type = 'ClientPrivateKey'; Path = (Join-Path $fixtures 'client.key') }
            @{ SecTag = 42; Type = 'PskIdentity'; Content = 'device-0001' }
        )
    }

    $script:simulator = $null
    $portName = $Port
    if (-not $portName) {
        $transport = if ($PSVersionTable.PSEdition -eq 'Desktop' -or $env:OS -eq 'Windows_NT') { 'Tcp' } else { 'PseudoTerminal' }
        $script:simulator = Start-ModemSimulator -Transport $transport
        $portName = $script:simulator.PortName
    }

    if (-not $CheckOnly) {
        # Provision as a factory station would, through its own connection; the checks below use another.
        $provisioned = Invoke-ModemProvisioning -Plan $script:expected -PortName $portName -Force -ErrorAction Stop
        if ('Provisioned', 'Unchanged' -notcontains $provisioned.Status) {
            throw "Provisioning $portName failed: $($provisioned.Error)"
        }
    }

    $connect = @{ PortName = $portName }
    if ($script:simulator -and $script:simulator.Transport -eq 'PseudoTerminal') { $connect.Handshake = 'None' }
    $script:session = Connect-Modem @connect
}

AfterAll {
    if ($script:session) { Disconnect-Modem -Session $script:session }
    if ($script:simulator) { $script:simulator | Stop-ModemSimulator }
}

Describe 'Modem credentials' {
    It 'answers AT commands and reports its identity' {
        $info = Get-ModemInfo -Session $script:session
        $info.Imei | Should -Match '^\d{15}$'
        $info.Firmware | Should -Not -BeNullOrEmpty
    }

    It 'holds <Type> at sec_tag <SecTag>' -ForEach $expectedForDiscovery {
        $credential = @{ SecTag = $SecTag; Type = $Type }
        if ($Path) { $credential.Path = $Path } else { $credential.Content = $Content }
        Test-ModemCredential -Session $script:session @credential | Should -BeTrue
    }

    It 'holds nothing else at those sec_tags' {
        $tags = @($script:expected | ForEach-Object { [uint32] $_.SecTag } | Sort-Object -Unique)
        $held = @(Get-ModemCredential -Session $script:session -SecTag $tags | ForEach-Object { "$($_.SecTag)/$($_.Type)" } | Sort-Object)
        $wanted = @($script:expected | ForEach-Object { "$($_.SecTag)/$($_.Type)" } | Sort-Object)
        $held | Should -Be $wanted
    }
}
