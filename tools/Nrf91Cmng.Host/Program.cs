using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Security;

// nrf91-host: runs PowerShell with the Nrf91Cmng module imported, where pwsh is not installed.
//   nrf91-host [-NoImport] [-Module <psd1>] [-Command] '<script>'
//   nrf91-host [-NoImport] [-Module <psd1>] -File <script.ps1>
// Output goes through Out-Default, so the module's table views are used.
// Exit code: 0, or 1 when the script wrote an error.

string? script = null;
string? file = null;
bool import = true;
string module = Environment.GetEnvironmentVariable("NRF91CMNG_MODULE")
    ?? typeof(Marker).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "ModuleManifest").Value!;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i].ToLowerInvariant())
    {
        case "-noimport":
            import = false;
            break;
        case "-module":
            module = args[++i];
            break;
        case "-file":
            file = args[++i];
            break;
        case "-command":
        case "-c":
            script = string.Join(" ", args.Skip(i + 1));
            i = args.Length;
            break;
        case "-h":
        case "-help":
        case "--help":
            Console.WriteLine("nrf91-host [-NoImport] [-Module <psd1>] [-Command] '<script>' | -File <script.ps1>");
            return 0;
        default:
            script = string.Join(" ", args.Skip(i));
            i = args.Length;
            break;
    }
}

if (script is null && file is null)
{
    script = "Connect-Modem -Simulator | Get-ModemInfo";
}

var host = new ConsoleHost();
InitialSessionState iss = InitialSessionState.CreateDefault2();
using Runspace runspace = RunspaceFactory.CreateRunspace(host, iss);
runspace.Open();
using PowerShell ps = PowerShell.Create();
ps.Runspace = runspace;
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    ps.BeginStop(null, null);
};

if (Console.IsOutputRedirected)
{
    ps.AddScript("$PSStyle.OutputRendering = 'PlainText'").AddStatement();
}

if (import)
{
    ps.AddCommand("Import-Module").AddParameter("Name", module).AddParameter("ErrorAction", "Stop").AddStatement();
}

if (file is not null)
{
    ps.AddCommand(Path.GetFullPath(file));
}
else
{
    ps.AddScript(script!);
}

ps.AddCommand("Out-Default");
try
{
    ps.Invoke();
}
catch (RuntimeException ex)
{
    host.UI.WriteErrorLine(ex.ErrorRecord.ToString());
    return 1;
}

foreach (ErrorRecord error in ps.Streams.Error)
{
    host.UI.WriteErrorLine(error.FullyQualifiedErrorId + ": " + error);
    if (error.ErrorDetails?.RecommendedAction is string remedy)
    {
        host.UI.WriteErrorLine("  " + remedy);
    }
}

return ps.HadErrors ? 1 : 0;

internal sealed class Marker
{
}

/// <summary>A console host: enough UI for Out-Default, warnings, verbose and errors.</summary>
internal sealed class ConsoleHost : PSHost
{
    private readonly ConsoleUI _ui = new();

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "nrf91-host";

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

    public override void SetShouldExit(int exitCode) => Environment.Exit(exitCode);
}

internal sealed class ConsoleUI : PSHostUserInterface
{
    public override PSHostRawUserInterface RawUI { get; } = new ConsoleRawUI();

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        Console.WriteLine(caption);
        Console.WriteLine(message);
        var result = new Dictionary<string, PSObject>();
        foreach (FieldDescription field in descriptions)
        {
            Console.Write(field.Name + ": ");
            result[field.Name] = new PSObject(Console.ReadLine() ?? string.Empty);
        }

        return result;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        Console.WriteLine(caption);
        Console.WriteLine(message);
        for (int i = 0; i < choices.Count; i++)
        {
            Console.WriteLine("[" + i + "] " + choices[i].Label.Replace("&", string.Empty));
        }

        Console.Write("Choice [" + defaultChoice + "]: ");
        string? line = Console.ReadLine();
        return int.TryParse(line, out int choice) && choice >= 0 && choice < choices.Count ? choice : defaultChoice;
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

    public override string ReadLine() => Console.ReadLine() ?? string.Empty;

    public override SecureString ReadLineAsSecureString()
    {
        var secure = new SecureString();
        foreach (char c in Console.ReadLine() ?? string.Empty)
        {
            secure.AppendChar(c);
        }

        return secure;
    }

    public override void Write(string value) => Console.Write(Plain(value));

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Console.Write(Plain(value));

    public override void WriteLine(string value) => Console.WriteLine(Plain(value));

    // Redirected output (CI logs, pipes) gets no ANSI colour sequences, as pwsh does with OutputRendering PlainText.
    private static string Plain(string value) =>
        Console.IsOutputRedirected ? System.Text.RegularExpressions.Regex.Replace(value, "\x1b\\[[0-9;?]*[ -/]*[@-~]", string.Empty) : value;

    public override void WriteDebugLine(string message) => Console.WriteLine("DEBUG: " + message);

    public override void WriteErrorLine(string value) => Console.Error.WriteLine(value);

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
    }

    public override void WriteVerboseLine(string message) => Console.WriteLine("VERBOSE: " + message);

    public override void WriteWarningLine(string message) => Console.WriteLine("WARNING: " + message);
}

internal sealed class ConsoleRawUI : PSHostRawUserInterface
{
    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

    public override Size BufferSize
    {
        get => new(Width(), 3000);
        set { }
    }

    public override Coordinates CursorPosition { get; set; }

    public override int CursorSize { get; set; }

    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

    public override bool KeyAvailable => false;

    public override Size MaxPhysicalWindowSize => new(Width(), 50);

    public override Size MaxWindowSize => new(Width(), 50);

    public override Coordinates WindowPosition { get; set; }

    public override Size WindowSize
    {
        get => new(Width(), 50);
        set { }
    }

    public override string WindowTitle { get; set; } = "nrf91-host";

    public override void FlushInputBuffer()
    {
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();

    private static int Width()
    {
        try
        {
            return Console.IsOutputRedirected ? 160 : Math.Max(80, Console.WindowWidth);
        }
        catch (IOException)
        {
            return 160;
        }
    }
}
