#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    An acceptance check to copy and adapt: does this modem hold exactly the credentials we expect?

    1. Set $Port (or the NRF91_PORT environment variable) to the modem's AT port: COM5,
       /dev/ttyACM0, tcp://station1:7000. Without one the check runs against the built-in
       virtual modem, provisioned from the same files, so you can try it anywhere.
    2. List the expected credentials in $Expected: sec_tag, type and the file the modem must hold.
       Private keys and PSKs are compared by digest: the modem never returns them.
    3. Invoke-Pester ./Acceptance.Example.Tests.ps1 -Output Detailed

    Its twin in the hosted xunit suite runs the same checks against the virtual modem.
#>
param(
    [string] $Port = $env:NRF91_PORT,
    [object[]] $Expected
)

BeforeDiscovery {
    # Pester 5 discovers the tests (this block) and runs them (BeforeAll and the Its) in separate
    # phases, so the example's own files are made once here and found again by path below.
    $folder = Join-Path ([IO.Path]::GetTempPath()) 'nrf91cmng-acceptance'
    if (-not $Expected -and -not (Test-Path (Join-Path $folder 'ca.pem'))) {
        # The credentials this example expects; replace with your own files.
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        $key = [Security.Cryptography.RSA]::Create(2048)
        $request = [Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=Example Root CA', $key, 'SHA256', [Security.Cryptography.RSASignaturePadding]::Pkcs1)
        Set-Content -Path (Join-Path $folder 'ca.pem') -Value $request.CreateSelfSigned([DateTimeOffset]::UtcNow, [DateTimeOffset]::UtcNow.AddYears(5)).ExportCertificatePem()
        Set-Content -Path (Join-Path $folder 'identity.txt') -Value 'device-0001' -NoNewline
    }

    $script:expectedForDiscovery = if ($Expected) { $Expected } else {
        @(
            @{ SecTag = 16842753; Type = 'RootCA'; Path = (Join-Path $folder 'ca.pem') }
            @{ SecTag = 16842753; Type = 'PskIdentity'; Path = (Join-Path $folder 'identity.txt') }
        )
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/Nrf91Cmng/Nrf91Cmng.psd1') -ErrorAction SilentlyContinue
    if (-not (Get-Module Nrf91Cmng)) { Import-Module Nrf91Cmng }
    $folder = Join-Path ([IO.Path]::GetTempPath()) 'nrf91cmng-acceptance'
    $script:expected = if ($Expected) { $Expected } else {
        @(
            @{ SecTag = 16842753; Type = 'RootCA'; Path = (Join-Path $folder 'ca.pem') }
            @{ SecTag = 16842753; Type = 'PskIdentity'; Path = (Join-Path $folder 'identity.txt') }
        )
    }
    if ($Port) {
        $script:session = Connect-Modem -PortName $Port
    }
    else {
        $script:session = Connect-Modem -Simulator -Preload $script:expected
    }
}

AfterAll {
    Disconnect-Modem -Session $script:session
}

Describe 'Modem credentials' {
    It 'answers AT commands and reports its identity' {
        $info = Get-ModemInfo -Session $script:session
        $info.Imei | Should -Match '^\d{15}$'
        $info.Firmware | Should -Not -BeNullOrEmpty
    }

    It 'holds <Type> at sec_tag <SecTag>' -ForEach $script:expectedForDiscovery {
        Test-ModemCredential -Session $script:session -SecTag $SecTag -Type $Type -Path $Path | Should -BeTrue
    }

    It 'holds no other user credentials' {
        $held = Get-ModemCredential -Session $script:session | ForEach-Object { "$($_.SecTag)/$($_.Type)" } | Sort-Object
        $wanted = $script:expected | ForEach-Object { "$($_.SecTag)/$($_.Type)" } | Sort-Object
        $held | Should -Be $wanted
    }
}
