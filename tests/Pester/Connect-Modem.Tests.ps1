#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    $onWindows = ($PSVersionTable.PSEdition -eq 'Desktop') -or ((Get-Variable IsWindows -ValueOnly -ErrorAction SilentlyContinue) -eq $true)
    $profiles = @('mfw_nrf9160_0.7.0', 'mfw_nrf9160_1.3.5', 'mfw_nrf9160_1.3.7', 'mfw_nrf91x1_2.0.2') | ForEach-Object { @{ Firmware = $_ } }
    $badTargets = @(
        @{ Target = 'a device path that does not exist'; Arguments = @{ PortName = '/dev/ttyNoSuchPort' }; ErrorId = 'ModemPortNotFound'; Mention = '/dev/ttyNoSuchPort'; UnixOnly = $true }
        @{ Target = 'a folder'; Arguments = @{ PortName = [IO.Path]::GetTempPath() }; ErrorId = 'ModemPortNotFound'; Mention = ''; UnixOnly = $true }
        @{ Target = 'a Windows port name on Linux or macOS'; Arguments = @{ PortName = 'COM5' }; ErrorId = 'ModemPortNotFound'; Mention = 'COM5 is a Windows port name*serial ports are device files'; UnixOnly = $true }
        @{ Target = 'an http URI'; Arguments = @{ Uri = 'http://localhost/' }; ErrorId = 'ModemInvalidUri'; Mention = 'http'; UnixOnly = $false }
        @{ Target = 'a TCP port nobody listens on'; Arguments = @{ PortName = 'tcp://127.0.0.1:1' }; ErrorId = 'ModemConnectionFailed'; Mention = '127.0.0.1'; UnixOnly = $false }
        @{ Target = 'an unknown firmware profile'; Arguments = @{ Simulator = $true; Firmware = 'mfw_nrf9160_9.9.9' }; ErrorId = 'ModemUnknownFirmwareProfile'; Mention = 'mfw_nrf9160_9.9.9'; UnixOnly = $false }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Connect-Modem' {
    AfterEach { Clear-TestModems }

    Context 'Connect-Modem -Simulator (in process)' {
        It 'connects to the virtual modem and pipes the session into Get-ModemInfo' {
            $info = Connect-Modem -Simulator | Get-ModemInfo
            $info.Model | Should -Be 'nRF9160-SICA'
            $info.Imei | Should -Match '^\d{15}$'
            $info.Firmware | Should -BeLike 'mfw_nrf9160_1.3.5*'
            $info.Imei | Should -Be (Get-ModemSession).Simulator.Imei
        }

        It 'connects to firmware profile <Firmware>' -ForEach $profiles {
            $session = Connect-Modem -Simulator -Firmware $Firmware
            $session.Firmware | Should -BeLike "$Firmware*"
            $session.Simulator.Firmware | Should -Be $Firmware
            $session.Transport | Should -Be 'InProcess'
            (Get-ModemInfo).Imei | Should -Be $session.Simulator.Imei
        }

        It 'lists the credentials it was preloaded with' {
            $null = Connect-Modem -Simulator -Preload @{ SecTag = 42; Type = 'PskId'; Content = 'device-1' }, @{ SecTag = 42; Type = 'Psk'; Content = '0011AABB' }
            @(Get-ModemCredential | ForEach-Object { "$($_.SecTag)/$($_.Type)" } | Sort-Object) | Should -Be '42/Psk', '42/PskIdentity'
            Test-ModemCredential -SecTag 42 -Type PskIdentity -Content 'device-1' | Should -BeTrue
        }
    }

    Context 'Connect-Modem over a serial port' {
        It 'enables numeric errors and registers the named session' {
            $sim = Start-ModemSimulator -Transport $script:SerialTransport
            $session = $sim | Connect-Modem -Handshake None -Name bench1
            $sim.Modem.ReceivedCommands | Should -Contain 'AT+CMEE=1'
            $session.Connected | Should -BeTrue
            $session.CommandMode | Should -Be 'At'
            $session.Name | Should -Be 'bench1'
            $session.PortName | Should -Be $sim.PortName
            $session.Imei | Should -Be $sim.Imei
            $session.Transport | Should -Be $(if ($script:OnWindows) { 'Tcp' } else { 'Serial' })
            (Get-ModemSession).Id | Should -Be $session.Id
        }

        It 'refuses to open a port that a session already holds' -Skip:$onWindows {
            $sim = Start-TestModem
            { Connect-Modem -PortName $sim.PortName -Handshake None -ErrorAction Stop } | Should -Throw -ErrorId 'ModemPortBusy,*'
            @(Get-ModemSession).Count | Should -Be 1
            (Get-ModemInfo).Imei | Should -Be $sim.Imei
        }

        It 'reports <Target> as <ErrorId> with what to do' -ForEach $badTargets {
            if ($UnixOnly -and $script:OnWindows) { Set-ItResult -Skipped -Because 'device paths are a Linux and macOS matter' }
            $arguments = $Arguments
            $thrown = { Connect-Modem @arguments -TimeoutSeconds 2 -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,*" -PassThru
            $thrown.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            if ($Mention) { $thrown.ToString() | Should -BeLike "*$Mention*" }
            Get-ModemSession | Should -BeNullOrEmpty
        }

        It 'names the known firmware profiles when asked for an unknown one' {
            $thrown = { Connect-Modem -Simulator -Firmware mfw_nrf9160_9.9.9 -ErrorAction Stop } | Should -Throw -PassThru
            foreach ($known in $script:Profiles) { $thrown.ErrorDetails.RecommendedAction | Should -BeLike "*$known*" }
        }
    }

    Context 'Session lifetime' {
        It 'refuses a serial port that another pwsh process holds, naming the port and the other program' -Skip:$onWindows {
            # Root ignores the port's TIOCEXCL, so without the advisory lock both processes would read each other's replies.
            $server = Start-SimulatorProcess -Transport PseudoTerminal
            try {
                $mine = Connect-Modem -PortName $server.PortName -Handshake None
                $other = Invoke-ChildShell -Script ("try { Connect-Modem -PortName '" + $server.PortName + "' -Handshake None -ErrorAction Stop; 'CONNECTED' } catch { 'ID=' + `$_.FullyQualifiedErrorId; 'MSG=' + `$_.Exception.Message }")
                $other.Output | Should -Not -Contain 'CONNECTED'
                $other.Output | Should -Contain 'ID=ModemPortBusy,Nrf91Cmng.Commands.ConnectModemCommand'
                ($other.Output | Where-Object { $_ -like 'MSG=*' }) | Should -BeLike ('*' + $server.PortName + '*held by another program*')
                (Get-ModemInfo -Session $mine).Imei | Should -Match '^\d{15}$' -Because 'the session that holds the port keeps working'
                Disconnect-Modem -Session $mine
                $again = Invoke-ChildShell -Script ("(Connect-Modem -PortName '" + $server.PortName + "' -Handshake None -ErrorAction Stop).Connected")
                $again.Output | Should -Contain 'True' -Because 'the lock goes with the session that held it'
            }
            finally {
                $server | Stop-SimulatorProcess
            }
        }

        It 'refuses a second session to the same tcp:// address in one process' {
            $sim = Start-ModemSimulator -Transport Tcp
            $first = Connect-Modem -PortName $sim.PortName
            { Connect-Modem -PortName $sim.PortName -ErrorAction Stop } | Should -Throw -ErrorId 'ModemPortBusy,*'
            $first.Connected | Should -BeTrue
        }

        It 'closes the sessions of a runspace when that runspace closes' {
            $runspace = [runspacefactory]::CreateRunspace()
            $runspace.Open()
            $ps = [powershell]::Create()
            $ps.Runspace = $runspace
            $null = $ps.AddScript('param($m) Import-Module $m; Connect-Modem -Simulator').AddArgument($script:ModuleManifest)
            $inner = $ps.Invoke()[0]
            $inner.Connected | Should -BeTrue
            $ps.Dispose()
            $runspace.Dispose()
            $inner.Connected | Should -BeFalse
            Get-ModemSession | Should -BeNullOrEmpty -Because 'the other runspace''s session never belonged to this one'
        }
    }
}
