#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    $onCore = $PSVersionTable.PSEdition -eq 'Core'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Get-ModemSession' {
    BeforeEach {
        $script:sim = Start-ModemSimulator -Transport $script:SerialTransport
        $script:bench1 = $script:sim | Connect-Modem -Handshake None -Name bench1
        $script:bench2 = Connect-Modem -Simulator -Name bench2
    }

    AfterEach { Clear-TestModems }

    It 'lists every open session of this runspace' {
        @(Get-ModemSession | ForEach-Object Name) | Should -Be 'bench1', 'bench2'
    }

    It 'finds a session by name, also with wildcards, and by id' {
        (Get-ModemSession -Name bench1).Id | Should -Be $script:bench1.Id
        @(Get-ModemSession -Name 'BENCH*' | ForEach-Object Id) | Should -Be $script:bench1.Id, $script:bench2.Id
        (Get-ModemSession -Id $script:bench2.Id).Name | Should -Be 'bench2'
        (Get-ModemSession $script:bench1.Id).PortName | Should -Be $script:sim.PortName
    }

    It 'reports an unknown <How> as ModemSessionNotFound' -ForEach @(
        @{ How = 'name'; Arguments = @{ Name = 'no-such-bench' } }
        @{ How = 'id'; Arguments = @{ Id = 999999 } }
    ) {
        $arguments = $Arguments
        $thrown = { Get-ModemSession @arguments -ErrorAction Stop } | Should -Throw -ErrorId 'ModemSessionNotFound,*' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'marks the default session with IsDefault and a star in the table, and says which one takes over after a disconnect' {
        @(Get-ModemSession | Where-Object IsDefault | ForEach-Object Name) | Should -Be 'bench2' -Because 'the latest connect is the default'
        $table = Get-ModemSession | Out-String -Width 80
        $table | Should -Match ('(?m)^\s*' + $script:bench2.Id + '\*\s')
        $table | Should -Match ('(?m)^\s*' + $script:bench1.Id + '\s')
        $said = @(Disconnect-Modem -Session $script:bench2 -Verbose 4>&1)
        "$said" | Should -BeLike ('*Session ' + $script:bench1.Id + ' (' + $script:sim.PortName + ') is now the default*')
        (Get-ModemSession).IsDefault | Should -BeTrue
    }

    It 'turns Connected False when the virtual modem behind a session stops' {
        $script:bench1.Connected | Should -BeTrue
        $script:sim | Stop-ModemSimulator
        $script:bench1.Connected | Should -BeFalse
        $script:bench2.Connected | Should -BeTrue -Because 'the in-process modem of the other session still runs'
    }

    It 'returns nothing, without an error, for a wildcard that matches no session' {
        Get-ModemSession -Name 'nothing*' -ErrorVariable errors | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty
    }

    It 'keeps the sessions of parallel runspaces apart' -Skip:(-not $onCore) {
        $module = $script:ModuleManifest
        $results = 1..6 | ForEach-Object -ThrottleLimit 6 -Parallel {
            Import-Module $using:module
            $null = Connect-Modem -Simulator
            $null = Set-ModemCredential -SecTag 1 -Type PskIdentity -Content "id-$_"
            [pscustomobject]@{ Sessions = @(Get-ModemSession).Count; Imei = (Get-ModemInfo).Imei; Identity = (Get-ModemCredential -SecTag 1 -IncludeContent).Content; Expected = "id-$_" }
            Disconnect-Modem
        }
        @($results).Count | Should -Be 6
        @($results | Where-Object Sessions -ne 1).Count | Should -Be 0
        @($results | Where-Object { $_.Identity -ne $_.Expected }).Count | Should -Be 0
        @($results | ForEach-Object Imei | Sort-Object -Unique).Count | Should -Be 6
        @(Get-ModemSession | ForEach-Object Name) | Should -Be 'bench1', 'bench2' -Because 'this runspace saw none of theirs'
    }
}
