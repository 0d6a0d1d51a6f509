namespace Nrf91Cmng.Simulator
{
    /// <summary>
    /// <c>execute()</c>, <c>exec_cmd()</c> and the help printers of Zephyr's <c>shell.c</c> and
    /// <c>shell_help.c</c>: the command line is parsed argument by argument while the command tree
    /// is walked, so an unclosed quote, <c>-h</c>, a wildcard or the 20-argument limit act where the
    /// walk meets them.
    /// </summary>
    internal static class ShellExecutor
    {
        public const int ArgcMax = 20;
        public const int HelpPrinted = 1;
        public const int ENOEXEC = 8;
        public const int EINVAL = 22;

        public static int Execute(ShellContext context, IReadOnlyList<ShellCommand> roots, string line, bool wildcards)
        {
            var parser = new ShellArgv(line);
            var argv = new int[ArgcMax + 2];
            for (int k = 0; k < argv.Length; k++)
            {
                argv[k] = -1;
            }

            ShellCommand? parent = null;
            ShellCommand? entry = null;
            ShellCommand? active = null;
            ShellCommand? helpEntry = null;
            int cmdLvl = 0;
            int handlerLvl = 0;
            bool wildcardFound = false;
            int argc = 0;
            int ap = 0;
            int cmdBuf = 0;
            bool hasLastHandler = false;
            string expanded = line;
            var expandedArgs = new List<string>();
            var rootEntry = new ShellCommand(string.Empty, null, null, 0, 0, Sorted(roots));

            while (argc != 1 && cmdLvl < ArgcMax)
            {
                char quote = parser.MakeArgv(out argc, argv, ap, cmdBuf, 2);
                cmdBuf = argv[ap + 1];
                if (argc == 0)
                {
                    return -ENOEXEC;
                }

                if (argc == 1 && quote != '\0')
                {
                    context.Error("not terminated: " + quote + "\n");
                    return -ENOEXEC;
                }

                string arg = parser.At(argv[ap]);
                if (cmdLvl > 0 && (arg == "-h" || arg == "--help"))
                {
                    if (helpEntry?.Help is not null)
                    {
                        PrintHelp(context, helpEntry);
                        return HelpPrinted;
                    }

                    context.Error("Please specify a subcommand.\n");
                    return -ENOEXEC;
                }

                if (wildcards && cmdLvl > 0 && entry is not null && HasWildcard(arg))
                {
                    var matches = new List<string>();
                    foreach (ShellCommand sub in entry.Subcommands)
                    {
                        if (Glob(arg, sub.Syntax))
                        {
                            matches.Add(sub.Syntax);
                        }
                    }

                    if (matches.Count == 0)
                    {
                        break; // SHELL_WILDCARD_CMD_NO_MATCH_FOUND: the handler runs without this argument and the rest
                    }

                    int at = expanded.IndexOf(arg, StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        expanded = expanded.Substring(0, at) + string.Join(" ", matches) + expanded.Substring(at + arg.Length);
                    }

                    ++cmdLvl;
                    wildcardFound = true;
                    continue;
                }

                if (!hasLastHandler)
                {
                    entry = (parent ?? rootEntry).Find(arg);
                }

                ap++;
                if (entry is not null)
                {
                    if (wildcards && wildcardFound && entry.Handler is not null)
                    {
                        context.Error("Error: requested multiple function executions\n");
                        return -ENOEXEC;
                    }

                    if (entry.Handler is not null)
                    {
                        handlerLvl = cmdLvl;
                        active = entry;
                    }

                    if (entry.Help is not null)
                    {
                        helpEntry = entry;
                    }

                    parent = entry;
                }
                else
                {
                    if (cmdLvl == 0)
                    {
                        context.Error(parser.At(argv[0]) + ": command not found\n");
                    }

                    hasLastHandler = true;
                }

                cmdLvl++;
            }

            if (cmdLvl >= ArgcMax && argc == 2)
            {
                context.Error("Too many arguments in the command.\n\n");
                return -ENOEXEC;
            }

            var args = new List<string>();
            if (wildcardFound)
            {
                args = ShellArgv.Split(expanded, out _, ArgcMax);
                cmdLvl = args.Count;
            }
            else
            {
                for (int k = 0; k < cmdLvl; k++)
                {
                    args.Add(parser.At(argv[k]));
                }
            }

            return ExecCommand(context, active, helpEntry, args.GetRange(handlerLvl, Math.Max(0, cmdLvl - handlerLvl)));
        }

        private static int ExecCommand(ShellContext context, ShellCommand? active, ShellCommand? helpEntry, List<string> argv)
        {
            if (active?.Handler is null)
            {
                if (helpEntry?.Help is null)
                {
                    return -ENOEXEC;
                }

                PrintHelp(context, helpEntry);
                return HelpPrinted;
            }

            if (active.Mandatory > 0)
            {
                int optional = active.Optional == ShellCommand.CheckSkip ? ushort.MaxValue : active.Optional;
                if (argv.Count < active.Mandatory || argv.Count > active.Mandatory + optional)
                {
                    context.Error(active.Syntax + ": wrong parameter count\n");
                    PrintHelp(context, active);
                    return -EINVAL;
                }
            }

            return active.Handler(context, argv);
        }

        /// <summary><c>shell_internal_help_print</c>: <c>name - help</c>, then the subcommands.</summary>
        public static void PrintHelp(ShellContext context, ShellCommand command)
        {
            context.Print(command.Syntax + " - ");
            FormattedText(context.Out, command.Help, command.Syntax.Length + 3);
            PrintSubcommands(context, command.Subcommands, "Subcommands:\n");
        }

        /// <summary><c>z_shell_help_subcmd_print</c>.</summary>
        public static void PrintSubcommands(ShellContext context, IReadOnlyList<ShellCommand> subcommands, string description)
        {
            int longest = 0;
            foreach (ShellCommand sub in subcommands)
            {
                longest = Math.Max(longest, sub.Syntax.Length);
            }

            if (longest == 0)
            {
                return;
            }

            context.Print(description);
            foreach (ShellCommand sub in subcommands)
            {
                // help_item_print: "  <name padded>  :<help>" (the help starts right after the colon).
                context.Print("  " + sub.Syntax.PadRight(longest) + "  :");
                if (sub.Help is null)
                {
                    context.Out.NewLine();
                    continue;
                }

                FormattedText(context.Out, sub.Help, (2 * 2) + longest + 1);
            }
        }

        /// <summary><c>formatted_text_print</c>: word-wrapped at the terminal width, continuation lines indented by cursor moves.</summary>
        private static void FormattedText(ShellWriter writer, string? text, int margin)
        {
            if (text is null)
            {
                return;
            }

            const int width = 80;
            int offset = 0;
            while (offset < text.Length && ShellArgv.IsSpace(text[offset]))
            {
                ++offset;
            }

            while (true)
            {
                int length = text.Length - offset;
                if (length <= width - margin)
                {
                    for (int idx = 0; idx < length; idx++)
                    {
                        if (text[offset + idx] == '\n')
                        {
                            writer.Raw(text.Substring(offset, idx));
                            offset += idx + 1;
                            writer.NewLine();
                            writer.HorizontalMove(margin);
                            break;
                        }
                    }

                    writer.Raw(text.Substring(offset));
                    break;
                }

                length = width - margin;
                int i = 0;
                while (true)
                {
                    char c = offset + i < text.Length ? text[offset + i] : '\0';
                    if (ShellArgv.IsSpace(c))
                    {
                        length = i;
                        if (c == '\n')
                        {
                            break;
                        }
                    }

                    if (i + margin >= width)
                    {
                        break;
                    }

                    ++i;
                }

                writer.Raw(text.Substring(offset, Math.Min(length, text.Length - offset)));
                offset += length;
                while (offset < text.Length && ShellArgv.IsSpace(text[offset]))
                {
                    ++offset;
                }

                writer.NewLine();
                writer.HorizontalMove(margin);
            }

            writer.NewLine();
        }

        /// <summary>Root commands in the order the linker sorts them (by name).</summary>
        public static ShellCommand[] Sorted(IReadOnlyList<ShellCommand> roots)
        {
            var sorted = new List<ShellCommand>(roots);
            sorted.Sort((a, b) => string.CompareOrdinal(a.Syntax, b.Syntax));
            return sorted.ToArray();
        }

        private static bool HasWildcard(string text) => text.IndexOf('?') >= 0 || text.IndexOf('*') >= 0;

        /// <summary><c>fnmatch</c> with <c>?</c> and <c>*</c>.</summary>
        internal static bool Glob(string pattern, string text)
        {
            int p = 0;
            int t = 0;
            int star = -1;
            int mark = 0;
            while (t < text.Length)
            {
                if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
                {
                    p++;
                    t++;
                }
                else if (p < pattern.Length && pattern[p] == '*')
                {
                    star = p++;
                    mark = t;
                }
                else if (star >= 0)
                {
                    p = star + 1;
                    t = ++mark;
                }
                else
                {
                    return false;
                }
            }

            while (p < pattern.Length && pattern[p] == '*')
            {
                p++;
            }

            return p == pattern.Length;
        }
    }
}
