namespace Nrf91Cmng.Simulator
{
    /// <summary>A command handler: argv[0] is the command's own name; returns the command's return value.</summary>
    internal delegate int ShellHandler(ShellContext context, IReadOnlyList<string> argv);

    /// <summary><c>struct shell_static_entry</c>: a command with its help text, argument counts and subcommands.</summary>
    internal sealed class ShellCommand
    {
        /// <summary><c>SHELL_OPT_ARG_CHECK_SKIP</c>.</summary>
        public const int CheckSkip = 0xFF;

        public ShellCommand(string syntax, string? help, ShellHandler? handler, int mandatory = 0, int optional = 0, params ShellCommand[] subcommands)
        {
            Syntax = syntax;
            Help = help;
            Handler = handler;
            Mandatory = mandatory;
            Optional = optional;
            Subcommands = subcommands;
        }

        public string Syntax { get; }

        public string? Help { get; }

        public ShellHandler? Handler { get; }

        /// <summary>Mandatory arguments including the command itself (0 = no check).</summary>
        public int Mandatory { get; }

        public int Optional { get; }

        public IReadOnlyList<ShellCommand> Subcommands { get; }

        public ShellCommand? Find(string syntax)
        {
            foreach (ShellCommand sub in Subcommands)
            {
                if (string.Equals(sub.Syntax, syntax, StringComparison.Ordinal))
                {
                    return sub;
                }
            }

            return null;
        }
    }

    /// <summary>What a handler sees: the output, the shell's state and the modem.</summary>
    internal sealed class ShellContext
    {
        public ShellContext(ZephyrShellFrontEnd shell, ShellWriter writer, IShellModem? modem)
        {
            Shell = shell;
            Out = writer;
            Modem = modem;
        }

        public ZephyrShellFrontEnd Shell { get; }

        public ShellWriter Out { get; }

        /// <summary>The modem behind the console (null while no connection is being served).</summary>
        public IShellModem? Modem { get; }

        /// <summary>Log lines the command produced (deferred: printed after the next prompt).</summary>
        public List<string> DeferredLogs { get; } = new List<string>();

        /// <summary>Where the modem's reply starts in the output and how long it is (for reply faults); -1 = none.</summary>
        public int ReplyStart { get; set; } = -1;

        public int ReplyLength { get; set; }

        /// <summary>The modem gave no reply: the handler blocks for ever (no prompt follows).</summary>
        public bool Hung { get; set; }

        public void Print(string text) => Out.Print(text);

        public void Error(string text) => Out.Error(text);

        public void Warn(string text) => Out.Warn(text);

        /// <summary><c>LOG_WRN</c> from a module: a deferred log line.</summary>
        public void LogWarning(string module, string text) => DeferredLogs.Add(Shell.FormatLog("wrn", module, text));

        public void LogError(string module, string text) => DeferredLogs.Add(Shell.FormatLog("err", module, text));
    }

    /// <summary>The modem as the console firmware reaches it (<c>nrf_modem_at_cmd</c>).</summary>
    internal interface IShellModem
    {
        /// <summary>Runs one AT command (faults apply, it is recorded); the raw reply, or null when none comes.</summary>
        string? Execute(string command);

        /// <summary>The uptime shown in log lines.</summary>
        TimeSpan Uptime { get; }
    }
}
