#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Disconnect-Modem' {
    BeforeEach {
        $script:sim = Start-TestModem
        $script:session = Get-ModemSession
    }

    AfterEach { Clear-TestModems }

    It 'closes the session and passes it through' {
        $closed = Disconnect-Modem -Session $script:session -PassThru
        $closed.Id | Should -Be $script:session.Id
        $closed.Connected | Should -BeFalse
        Get-ModemSession | Should -BeNullOrEmpty
        { Get-ModemInfo -ErrorAction Stop } | Should -Throw -ErrorId 'ModemNoSession,*'
    }

    It 'closes a session given by -Id and frees its port for a new session' {
        Disconnect-Modem -Id $script:session.Id
        $script:session.Connected | Should -BeFalse
        $again = $script:sim | Connect-Modem -Handshake None
        $again.Connected | Should -BeTrue
        (Get-ModemInfo).Imei | Should -Be $script:sim.Imei
    }

    It 'closes nothing when an empty pipeline is piped to it' {
        @() | Disconnect-Modem
        $script:session.Connected | Should -BeTrue
        @(Get-ModemSession).Count | Should -Be 1
    }

    It 'closes nothing with -WhatIf' {
        Disconnect-Modem -Session $script:session -WhatIf
        $script:session.Connected | Should -BeTrue
    }
}
