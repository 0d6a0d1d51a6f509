using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Security;

namespace Nrf91Cmng.Tests.Infrastructure;

/// <summary>Where the built module and the repository are.</summary>
public static class Paths
{
    private static string Metadata(string key) =>
        typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>out/Nrf91Cmng/Nrf91Cmng.psd1.</summary>
    public static string ModuleManifest => Metadata("ModuleManifest");

    /// <summary>The repository root.</summary>
    public static string RepoRoot => Metadata("RepoRoot");
}

/// <summary>The result of one script run in the hosted engine.</summary>
public sealed class RunResult
{
    public required Collection<PSObject> Output { get; init; }

    public required IReadOnlyList<ErrorRecord> Errors { get; init; }

    public required IReadOnlyList<string> Verbose { get; init; }

    public required IReadOnlyList<string> Debug { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public required IReadOnlyList<string> Information { get; init; }

    public required IReadOnlyList<string> HostLines { get; init; }

    /// <summary>Every text any stream or the host carried (for secret-hygiene assertions).</summary>
    public string AllText => string.Join("\n",
        Output.Select(o => o?.ToString() ?? string.Empty)
            .Concat(Errors.SelectMany(e => new[] { e.ToString(), e.Exception?.ToString() ?? string.Empty, e.ErrorDetails?.Message ?? string.Empty, e.ErrorDetails?.RecommendedAction ?? string.Empty, e.FullyQualifiedErrorId, e.TargetObject?.ToString() ?? string.Empty }))
            .Concat(Verbose).Concat(Debug).Concat(Warnings).Concat(Information).Concat(HostLines));

    public PSObject Single() => Assert.Single(Output);

    public T Property<T>(int index, string name) => (T)LanguagePrimitives.ConvertTo(Output[index].Properties[name].Value, typeof(T), CultureInfo.InvariantCulture);
}

/// <summary>
/// A runspace of the real PowerShell engine with the built module imported by its manifest.
/// Scripts run with -Verbose-like preferences so every stream is recorded.
/// </summary>
public sealed class PowerShellHarness : IDisposable
{
    private readonly RecordingHost _host = new();
    private readonly Runspace _runspace;

    public PowerShellHarness(bool importModule = true)
    {
        InitialSessionState iss = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(_host, iss);
        _runspace.Open();
        if (importModule)
        {
            RunChecked($"Import-Module '{Paths.ModuleManifest}' -ErrorAction Stop");
        }
    }

    public Runspace Runspace => _runspace;

    /// <summary>Whether prompts (ShouldProcess, ShouldContinue) are answered Yes; by default they are declined and recorded.</summary>
    public bool AnswerPromptsYes
    {
        get => _host.AnswerYes;
        set => _host.AnswerYes = value;
    }

    /// <summary>Runs a script; errors are recorded, not thrown.</summary>
    public RunResult Run(string script, IDictionary<string, object?>? variables = null, bool debug = false)
    {
        _host.Lines.Clear();
        using PowerShell ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript("$VerbosePreference = 'Continue'; $WarningPreference = 'Continue'; $InformationPreference = 'Continue'; $ProgressPreference = 'SilentlyContinue'; $DebugPreference = '"
            + (debug ? "Continue" : "SilentlyContinue") + "'").AddStatement();
        if (variables is not null)
        {
            foreach (KeyValuePair<string, object?> pair in variables)
            {
                _runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
            }
        }

        ps.AddScript(script);
        Collection<PSObject> output;
        var errors = new List<ErrorRecord>();
        try
        {
            output = ps.Invoke();
        }
        catch (RuntimeException ex)
        {
            output = new Collection<PSObject>();
            errors.Add(ex.ErrorRecord);
        }

        errors.AddRange(ps.Streams.Error);
        return new RunResult
        {
            Output = output,
            Errors = errors,
            Verbose = ps.Streams.Verbose.Select(v => v.Message).ToList(),
            Debug = ps.Streams.Debug.Select(v => v.Message).ToList(),
            Warnings = ps.Streams.Warning.Select(v => v.Message).ToList(),
            Information = ps.Streams.Information.Select(v => v.MessageData?.ToString() ?? string.Empty).ToList(),
            HostLines = _host.Lines.ToList(),
        };
    }

    /// <summary>Runs a script and fails the test on any error.</summary>
    public RunResult RunChecked(string script, IDictionary<string, object?>? variables = null)
    {
        RunResult result = Run(script, variables);
        if (result.Errors.Count > 0)
        {
            Assert.Fail("Script failed: " + string.Join("\n", result.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)) + "\nScript:\n" + script);
        }

        return result;
    }

    public void Dispose()
    {
        _runspace.Dispose();
    }

    /// <summary>A host whose UI records what cmdlets write to it (-WhatIf text, Out-Host).</summary>
    private sealed class RecordingHost : PSHost
    {
        private readonly RecordingUI _ui = new();
        private readonly Guid _id = Guid.NewGuid();

        public List<string> Lines => _ui.Lines;

        public bool AnswerYes
        {
            get => _ui.AnswerYes;
            set => _ui.AnswerYes = value;
        }

        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

        public override Guid InstanceId => _id;

        public override string Name => "Nrf91Cmng.Tests";

        public override PSHostUserInterface UI => _ui;

        public override Version Version => new(1, 0);

        public override void EnterNestedPrompt() => throw new NotSupportedException();

        public override void ExitNestedPrompt() => throw new NotSupportedException();

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }

        public override void SetShouldExit(int exitCode)
        {
        }
    }

    private sealed class RecordingUI : PSHostUserInterface
    {
        private readonly System.Text.StringBuilder _partial = new();

        public List<string> Lines { get; } = new();

        public bool AnswerYes { get; set; }

        public override PSHostRawUserInterface? RawUI => null;

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException("No interactive prompts in tests.");

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Lines.Add("PROMPT: " + caption + ": " + message);
            if (AnswerYes)
            {
                return defaultChoice;
            }

            // A test that did not ask for prompts declines them, so an unexpected prompt cannot approve a change.
            int no = choices.ToList().FindIndex(c => c.Label.Replace("&", string.Empty).StartsWith("No", StringComparison.OrdinalIgnoreCase));
            return no >= 0 ? no : defaultChoice;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

        public override string ReadLine() => string.Empty;

        public override SecureString ReadLineAsSecureString() => new();

        public override void Write(string value) => _partial.Append(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => _partial.Append(value);

        public override void WriteLine(string value)
        {
            Lines.Add(_partial + value);
            _partial.Clear();
        }

        public override void WriteDebugLine(string message) => Lines.Add("DEBUG: " + message);

        public override void WriteErrorLine(string value) => Lines.Add("ERROR: " + value);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message) => Lines.Add("VERBOSE: " + message);

        public override void WriteWarningLine(string message) => Lines.Add("WARNING: " + message);
    }
}
