#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Tab completion of -PortName, -SecTag, -Type and -Firmware through TabExpansion2, as PSReadLine and editors call it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')

    function Get-Completion([string] $InputScript) {
        @((TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches | ForEach-Object CompletionText)
    }
}

Describe 'Tab completion' {
    AfterEach { Clear-TestModems }

    It 'completes -SecTag from the last list of the session, without modem traffic' {
        $sim = Start-TestModem
        Set-ModemCredential -SecTag 16842753 -Type PskIdentity -Content 'a'
        Set-ModemCredential -SecTag 42 -Type PskIdentity -Content 'b'
        $null = Get-ModemCredential
        $before = $sim.CommandsProcessed
        Get-Completion 'Get-ModemCredential -SecTag 168' | Should -Be '16842753'
        Get-Completion 'Remove-ModemCredential -SecTag ' | Should -Contain '42'
        Get-Completion 'Test-ModemCredential -SecTag 4' | Should -Be '42'
        $sim.CommandsProcessed | Should -Be $before
    }

    It 'completes -SecTag before any list by reading one on demand, and forgets it after a change' {
        $sim = Start-TestModem
        Set-ModemCredential -SecTag 77 -Type PskIdentity -Content 'a'
        Get-Completion 'Get-ModemCredential -SecTag 7' | Should -Be '77' -Because 'the session had not listed yet: the completer reads the list'
        Set-ModemCredential -SecTag 78 -Type PskIdentity -Content 'b'
        Get-Completion 'Get-ModemCredential -SecTag 7' | Should -Be '77', '78' -Because 'a write forgets the old list'
        Remove-ModemCredential -SecTag 77 -Type PskIdentity -Force
        Get-Completion 'Get-ModemCredential -SecTag 7' | Should -Be '78'
        $tip = (TabExpansion2 -inputScript 'Get-ModemCredential -SecTag 78' -cursorColumn 30).CompletionMatches[0].ToolTip
        $tip | Should -Be 'PSK identity'
    }

    It 'completes session and simulator ids, session names and key usages' {
        $sim = Start-ModemSimulator -Transport Tcp
        $session = $sim | Connect-Modem -Name 'bench-7'
        Get-Completion 'Get-ModemSession -Id ' | Should -Contain ([string]$session.Id)
        Get-Completion 'Disconnect-Modem -Id ' | Should -Contain ([string]$session.Id)
        Get-Completion 'Get-ModemInfo -SessionId ' | Should -Contain ([string]$session.Id)
        Get-Completion 'Get-ModemSession -Name ben' | Should -Be 'bench-7'
        Get-Completion 'Stop-ModemSimulator -Id ' | Should -Contain ([string]$sim.Id)
        Get-Completion 'New-ModemKey -SecTag 1 -KeyUsage Key' | Should -Be 'KeyEncipherment', 'KeyAgreement', 'KeyCertSign'
        @(Get-Completion 'New-ModemKey -SecTag 1 -KeyUsage ') | Should -Not -Contain 'DecipherOnly' -Because 'the modem refuses decipherOnly'
    }

    It 'completes -Type with the module''s names and aliases, only the writable types for Set-ModemCredential' {
        Get-Completion 'Set-ModemCredential -SecTag 1 -Type Client' | Should -Be 'ClientCertificate', 'ClientPrivateKey', 'ClientCert', 'ClientKey'
        Get-Completion 'Test-ModemCredential -SecTag 1 -Type Ps' | Should -Be 'Psk', 'PskIdentity', 'PskId'
        Get-Completion 'Get-ModemCredential -Type Root' | Should -Be 'RootCA', 'Root', 'RootCertificate'
        @(Get-Completion 'Set-ModemCredential -SecTag 1 -Type ') | Should -Not -Contain 'PublicKey' -Because 'type 5 is written with Set-ModemPublicKey, and the modem''s own types never'
        @(Get-Completion 'Set-ModemCredential -SecTag 1 -Type ') | Should -Not -Contain 'NordicIdentityRootCA'
        @(Get-Completion 'Remove-ModemCredential -SecTag 1 -Type ') | Should -Contain 'PublicKey'
        $ca = (TabExpansion2 -inputScript 'Set-ModemCredential -SecTag 1 -Type CA' -cursorColumn 37).CompletionMatches | Where-Object CompletionText -eq 'CA'
        $ca.ToolTip | Should -BeLike 'alias of RootCA*'
    }

    It 'still takes every form of -Type: name, number, alias and a piped CredentialType' {
        $null = Connect-Modem -Simulator
        (Set-ModemCredential -SecTag 3 -Type 0 -Path (Get-Fixture ca.pem) -PassThru).Type | Should -Be 'RootCA'
        (Set-ModemCredential -SecTag 4 -Type ca -Path (Get-Fixture ca.pem) -PassThru).Type | Should -Be 'RootCA'
        (Get-ModemCredential -SecTag 3 | Remove-ModemCredential -Force -PassThru).Type | Should -Be ([Nrf91Cmng.CredentialType]::RootCA)
        { Set-ModemCredential -SecTag 3 -Type Bogus -Content x -ErrorAction Stop } | Should -Throw -ExpectedMessage '*not a credential type*alias (CA, Cert, Key, PskId)*'
    }

    It 'completes -PortName with the ports of running virtual modems' {
        $sim = Start-ModemSimulator -Transport $script:SerialTransport
        $prefix = $sim.PortName.Substring(0, $sim.PortName.Length - 1)
        @(Get-Completion "Connect-Modem -PortName $prefix" | ForEach-Object { $_.Trim("'") }) | Should -Contain $sim.PortName
        $sim | Stop-ModemSimulator
        @(Get-Completion "Connect-Modem -PortName $prefix" | ForEach-Object { $_.Trim("'") }) | Should -Not -Contain $sim.PortName
    }

    It 'completes -Firmware with the profile names' {
        Get-Completion 'Connect-Modem -Simulator -Firmware mfw_nrf91' | Should -Contain 'mfw_nrf91x1_2.0.2'
        Get-Completion 'Start-ModemSimulator -Firmware mfw_nrf9160_0' | Should -Be 'mfw_nrf9160_0.7.0'
        @(Get-Completion 'Start-ModemSimulator -Firmware ' | Sort-Object) | Should -Be @($script:Profiles | Sort-Object)
    }
}
