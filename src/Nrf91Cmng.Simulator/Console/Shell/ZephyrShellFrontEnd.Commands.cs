namespace Nrf91Cmng.Simulator
{
    // The built-in commands (shell_cmds.c, shell.c) and the NCS 'at' command.
    internal sealed partial class ZephyrShellFrontEnd
    {
        // ---- built-in commands (shell_cmds.c, shell.c) ----
        private int Clear(ShellContext context, IReadOnlyList<string> argv)
        {
            context.Out.Vt100("\x1b[H");
            context.Out.Vt100("\x1b[2J");
            return 0;
        }

        private int History(ShellContext context, IReadOnlyList<string> argv)
        {
            // The line being run is already in the history, as in shell.c.
            for (int i = _history.Count - 1, n = 0; i >= 0; i--, n++)
            {
                context.Print(string.Format(CultureInfo.InvariantCulture, "[{0,3}] {1}\n", n, _history[i]));
            }

            return 0;
        }

        private int Help(ShellContext context, IReadOnlyList<string> argv)
        {
            context.Print("Please press the <Tab> button to see all available commands.\n");
            context.Print("You can also use the <Tab> button to prompt or auto-complete all commands or its subcommands.\n");
            context.Print("You can try to call commands with <-h> or <--help> parameter for more information.\n");
            context.Print("\nShell supports following meta-keys:\n  Ctrl + (a key from: abcdefklnpuw)\n  Alt  + (a key from: bf)\nPlease refer to shell documentation for more details.\n");
            ShellExecutor.PrintSubcommands(context, _roots, "\nAvailable commands:\n");
            return 0;
        }

        private ShellCommand BuildShellCommand()
        {
            ShellCommand OnOff(string name, string help, string offHelp, string onHelp, Action<bool> set) =>
                new ShellCommand(name, help, null, 0, 0,
                    new ShellCommand("off", offHelp, (c, a) => { set(false); return 0; }, 1, 0),
                    new ShellCommand("on", onHelp, (c, a) => { set(true); return 0; }, 1, 0));

            return new ShellCommand(
                "shell",
                "Useful, not Unix-like shell commands.",
                null,
                0,
                0,
                new ShellCommand("backends", "List active shell backends.\n", (c, a) =>
                {
                    c.Print("Active shell backends:\n");
                    c.Print(string.Format(CultureInfo.InvariantCulture, "  {0,2}. :{1} ({2})\n", 0, _prompt, "shell_uart"));
                    return 0;
                }, 1, 0),
                new ShellCommand("backspace_mode", "Toggle backspace key mode.\nSome terminals are not sending separate escape code for backspace and delete button. This command forces shell to interpret delete key as backspace.", null, 0, 0,
                    new ShellCommand("backspace", "Set different escape code for backspace and delete key.", (c, a) => { _terminal.DeleteMode = false; return 0; }, 1, 0),
                    new ShellCommand("delete", "Set the same escape code for backspace and delete key.", (c, a) => { _terminal.DeleteMode = true; return 0; }, 1, 0)),
                OnOff("colors", "Toggle colored syntax.", "Disable colored syntax.", "Enable colored syntax.", on => _terminal.Colors = on),
                OnOff("vt100", "Toggle vt100 commands.", "Disable vt100 commands.", "Enable vt100 commands.", on => _terminal.Vt100 = on),
                OnOff("prompt", "Toggle prompt.", "Disable prompt.", "Enable prompt.", on => _prompt = on ? _settings.Prompt : string.Empty),
                new ShellCommand("echo", "Toggle shell echo.", (c, a) =>
                {
                    if (a.Count == 2)
                    {
                        c.Error(a[0] + ": unknown parameter: " + a[1] + "\n");
                        return -ShellExecutor.EINVAL;
                    }

                    c.Print("Echo status: " + (_terminal.Echo ? "on" : "off") + "\n");
                    return 0;
                }, 1, 1,
                    new ShellCommand("off", "Disable shell echo. Editing keys and meta-keys are not handled", (c, a) => { _terminal.Echo = false; return 0; }, 1, 0),
                    new ShellCommand("on", "Enable shell echo.", (c, a) => { _terminal.Echo = true; return 0; }, 1, 0)));
        }

        /// <summary>
        /// NCS <c>at_shell()</c>: argument 1 goes to the modem (with <c>CONFIG_AT_SHELL_UNESCAPE_LF</c>,
        /// every two-character <c>\n</c> first becomes CR LF), the reply is printed as it came plus one
        /// LF, which the shell writes as CR LF (so the reply's own CR LF ends in CR CR LF).
        /// </summary>
        private int At(ShellContext context, IReadOnlyList<string> argv)
        {
            if (argv.Count < 2)
            {
                context.Print(AtUsage + "\n");
                return 0;
            }

            string command = argv[1];
            if (_settings.UnescapeLf)
            {
                command = command.Replace("\\n", "\r\n");
            }

            string? reply = context.Modem?.Execute(command);
            if (reply is null)
            {
                context.Hung = true; // nrf_modem_at_cmd never returns
                return 0;
            }

            if (reply.Length > _settings.AtResponseMaxLength)
            {
                context.Print("Sending AT command failed with error code -7\n"); // -NRF_E2BIG
                return -7;
            }

            context.ReplyStart = context.Out.Length;
            context.Print(reply + "\n");
            context.ReplyLength = context.Out.Length - context.ReplyStart;
            return IsErrorReply(reply) ? -ShellExecutor.EINVAL : 0;
        }

        internal static bool IsErrorReply(string reply)
        {
            string[] lines = reply.Split(new[] { "\r\n", "\n" }, StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0)
            {
                return false;
            }

            string last = lines[lines.Length - 1].Trim();
            return last == "ERROR" || last.StartsWith("+CME ERROR", StringComparison.Ordinal) || last.StartsWith("+CMS ERROR", StringComparison.Ordinal);
        }
    }
}
