@{
    RootModule             = 'Nrf91Cmng.dll'
    ModuleVersion          = '0.2.0'
    GUID                   = '6f2f4a53-2d1c-4f0e-9a57-8d4b9e61c0a1'
    Author                 = 'Nrf91Cmng contributors'
    CompanyName            = 'Nrf91Cmng'
    Copyright              = '(c) Nrf91Cmng contributors. MIT License.'
    Description            = 'Manage the TLS/DTLS credentials of Nordic nRF91-series cellular modems (nRF9160, nRF9161, nRF9151, nRF9131) over their serial AT console: list, read, write, verify and delete AT%CMNG entries, read public keys, generate keys and CSRs on the modem, and provision many modems at once. Ships a virtual nRF91 modem for trying scripts without hardware.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    CmdletsToExport        = @(
        'Connect-Modem'
        'Disconnect-Modem'
        'Export-ModemOnboarding'
        'Find-Modem'
        'Get-ModemAttestationToken'
        'Get-ModemCredential'
        'Get-ModemFunctionalMode'
        'Get-ModemInfo'
        'Get-ModemPublicKey'
        'Get-ModemSimulator'
        'Get-ModemSession'
        'Invoke-ModemCommand'
        'Invoke-ModemProvisioning'
        'New-ModemClientCertificate'
        'New-ModemKey'
        'Remove-ModemCredential'
        'Set-ModemCredential'
        'Set-ModemFunctionalMode'
        'Set-ModemPublicKey'
        'Start-ModemSimulator'
        'Stop-ModemSimulator'
        'Test-ModemCredential'
        'Test-ModemSecTag'
    )
    FunctionsToExport      = @()
    AliasesToExport        = @()
    VariablesToExport      = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('nRF91', 'nRF9160', 'nRF9161', 'nRF9151', 'Nordic', 'LTE-M', 'NB-IoT', 'AT', 'CMNG', 'TLS', 'Certificate', 'Provisioning', 'Serial', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'macOS')
            ProjectUri   = 'https://github.com/nrf91cmng/Nrf91Cmng'
            LicenseUri   = 'https://github.com/nrf91cmng/Nrf91Cmng/blob/main/LICENSE'
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
