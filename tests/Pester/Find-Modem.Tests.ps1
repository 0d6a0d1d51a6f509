#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    $onWindows = ($PSVersionTable.PSEdition -eq 'Desktop') -or ((Get-Variable IsWindows -ValueOnly -ErrorAction SilentlyContinue) -eq $true)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Find-Modem' {
    AfterEach { Clear-TestModems }

    It 'lists the virtual modems this process serves as ports' {
        $sim = Start-ModemSimulator -Transport Tcp
        $port = @(Find-Modem | Where-Object PortName -eq $sim.PortName)
        $port.Count | Should -Be 1
        $port[0].IsAtPort | Should -BeTrue
        $port[0].SerialNumber | Should -Be $sim.Imei
        $sim | Stop-ModemSimulator
        Find-Modem | Where-Object PortName -eq $sim.PortName | Should -BeNullOrEmpty
    }

    It 'says with -Verbose that it found nothing, and what to check' {
        if (@(Find-Modem).Count -gt 0) {
            Set-ItResult -Skipped -Because 'this machine has a serial port that could carry an nRF91 console'
            return
        }

        foreach ($probe in $false, $true) {
            $said = @(Find-Modem -Probe:$probe -Verbose 4>&1)
            @($said | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
            "$($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })" | Should -BeLike '*No serial port that could carry an nRF91 AT console was found*-All*plugged in*'
        }
    }

    It 'finds and probes virtual modems and pipes them into Connect-Modem' -Skip:$onWindows {
        $sims = 1..2 | ForEach-Object { Start-ModemSimulator -Transport PseudoTerminal -Firmware mfw_nrf91x1_2.0.2 }
        $found = @(Find-Modem -Probe | Where-Object { $sims.PortName -contains $_.PortName })
        $found.Count | Should -Be 2
        @($found | Where-Object { $_.Responds -and $_.Model -eq 'nRF9161-LACA' -and $sims.Imei -contains $_.Imei }).Count | Should -Be 2
        ($found[0] | Connect-Modem -Handshake None).Imei | Should -Be $found[0].Imei
    }
}
