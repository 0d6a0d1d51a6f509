<#
    Helpers of Adversity.Tests.ps1 and Property.Tests.ps1, dot-sourced after TestSupport.ps1:

        BeforeAll { . (Join-Path $PSScriptRoot 'TestSupport.ps1'); . (Join-Path $PSScriptRoot 'AdversitySupport.ps1') }

    Waits here are on events (a condition of the virtual modem or a pipeline becoming true), never on
    a fixed sleep: Wait-Until polls its condition every few milliseconds and fails, naming what it
    waited for, only after a generous bound.
#>

function Wait-Until {
    <# Returns once -Condition is true; throws after -TimeoutSeconds (a bound for a wedged test, not a timing assertion). #>
    param(
        [Parameter(Mandatory)][scriptblock] $Condition,
        [Parameter(Mandatory)][string] $Because,
        [double] $TimeoutSeconds = 60
    )
    $clock = [Diagnostics.Stopwatch]::StartNew()
    while (-not (& $Condition)) {
        if ($clock.Elapsed.TotalSeconds -gt $TimeoutSeconds) {
            throw "Waited $TimeoutSeconds s for $Because, in vain."
        }
        Start-Sleep -Milliseconds 5
    }
}

if (-not ('Nrf91CmngTests.CapturingHost' -as [type])) {
    # A PowerShell host that records what reaches it directly (Host.UI.WriteWarningLine and friends),
    # as the console would show it: after Ctrl+C a cmdlet can write only there. C# 5, for Windows PowerShell too.
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace Nrf91CmngTests
{
    public sealed class CapturingHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();
        private readonly CapturingUI _ui = new CapturingUI();
        public override string Name { get { return "Nrf91CmngTestHost"; } }
        public override Version Version { get { return new Version(1, 0); } }
        public override Guid InstanceId { get { return _id; } }
        public override PSHostUserInterface UI { get { return _ui; } }
        public CapturingUI Captured { get { return _ui; } }
        public override CultureInfo CurrentCulture { get { return CultureInfo.InvariantCulture; } }
        public override CultureInfo CurrentUICulture { get { return CultureInfo.InvariantCulture; } }
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() { throw new NotSupportedException(); }
        public override void ExitNestedPrompt() { throw new NotSupportedException(); }
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }
    }

    public sealed class CapturingUI : PSHostUserInterface
    {
        private readonly List<string> _lines = new List<string>();
        private readonly List<string> _warnings = new List<string>();

        public string[] Warnings { get { lock (_lines) { return _warnings.ToArray(); } } }
        public string[] Lines { get { lock (_lines) { return _lines.ToArray(); } } }

        private void Add(string kind, string text)
        {
            lock (_lines)
            {
                _lines.Add(kind + text);
                if (kind == "WARNING: ") { _warnings.Add(text); }
            }
        }

        public override PSHostRawUserInterface RawUI { get { return null; } }
        public override string ReadLine() { throw new NotSupportedException("The test host reads nothing."); }
        public override System.Security.SecureString ReadLineAsSecureString() { throw new NotSupportedException("The test host reads nothing."); }
        public override void Write(string value) { Add("", value); }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { Add("", value); }
        public override void WriteLine(string value) { Add("", value); }
        public override void WriteErrorLine(string value) { Add("ERROR: ", value); }
        public override void WriteDebugLine(string message) { Add("DEBUG: ", message); }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { Add("VERBOSE: ", message); }
        public override void WriteWarningLine(string message) { Add("WARNING: ", message); }
        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) { throw new NotSupportedException("The test host answers no prompt."); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) { throw new NotSupportedException(); }
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) { throw new NotSupportedException(); }
        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice) { throw new NotSupportedException("The test host answers no prompt."); }
    }
}
'@
}

function Start-StoppableCommand {
    <#
        Opens a runspace of its own (with a CapturingHost) that imports the module and connects to
        -PortName with -Connect, runs -Setup there, runs -AfterSetup here (to arm faults after the setup), then
        starts -Script asynchronously (BeginInvoke), as
        a user's pipeline that Ctrl+C (Stop-StoppableCommand) will stop. Sessions belong to a runspace,
        so the session lives there; the virtual modem is process-wide and is watched from the caller.
    #>
    param(
        [Parameter(Mandatory)][string] $PortName,
        [Parameter(Mandatory)][string] $Script,
        [string] $Setup = '',
        [string] $Connect = '-Handshake None',
        [scriptblock] $AfterSetup
    )
    $testHost = New-Object Nrf91CmngTests.CapturingHost
    $runspace = [runspacefactory]::CreateRunspace($testHost)
    $runspace.Open()
    $prepare = [powershell]::Create()
    $prepare.Runspace = $runspace
    $null = $prepare.AddScript('param($m, $p) & { $ErrorActionPreference = ''Stop''; Import-Module $m; $null = Connect-Modem -PortName $p ' + $Connect + "`n" + $Setup + ' }').AddArgument($script:ModuleManifest).AddArgument($PortName)
    try {
        $null = $prepare.Invoke()
    }
    finally {
        $prepare.Dispose()
    }
    if ($AfterSetup) { $null = & $AfterSetup }
    $ps = [powershell]::Create()
    $ps.Runspace = $runspace
    $null = $ps.AddScript($Script)
    $output = New-Object 'Management.Automation.PSDataCollection[psobject]'
    $inputData = New-Object 'Management.Automation.PSDataCollection[psobject]'
    $inputData.Complete()
    $async = $ps.BeginInvoke($inputData, $output)
    [pscustomobject]@{ PowerShell = $ps; Runspace = $runspace; Host = $testHost; Async = $async; Output = $output }
}

function Stop-StoppableCommand {
    <#
        Stops the pipeline as Ctrl+C does and waits for it to end (the cmdlet restores what it changed
        first; bounded generously). Returns what it wrote and what reached the host, then closes the runspace.
    #>
    param([Parameter(Mandatory)] $Command, [switch] $NoStop, [double] $TimeoutSeconds = 120)
    $ps = $Command.PowerShell
    try {
        if (-not $NoStop) {
            $stopping = $ps.BeginStop($null, $null)
            if (-not $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSeconds))) {
                throw "The stopped pipeline did not end within $TimeoutSeconds s."
            }
            $ps.EndStop($stopping)
        }
        elseif (-not $Command.Async.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($TimeoutSeconds))) {
            throw "The pipeline did not end within $TimeoutSeconds s."
        }
        [pscustomobject]@{
            State        = $ps.InvocationStateInfo.State
            Output       = @($Command.Output)
            Errors       = @($ps.Streams.Error)
            Warnings     = @($ps.Streams.Warning | ForEach-Object { $_.Message })
            HostWarnings = @($Command.Host.Captured.Warnings)
        }
    }
    finally {
        $ps.Dispose()
        $Command.Runspace.Dispose()
    }
}
