namespace Nrf91Cmng.Core.Errors
{
    // Zephyr shell consoles: the `at` command of NCS's at_shell and the TLS credentials shell `cred`.
    public static partial class ErrorIds
    {
        /// <summary>A Zephyr shell answered, but it has neither <c>at</c> nor <c>cred</c>.</summary>
        public const string ShellWithoutCommands = "ModemShellWithoutCommands";

        /// <summary>An AT command on a session whose shell has no <c>at</c> command (a <c>cred</c>-only shell).</summary>
        public const string AtNotAvailable = "ModemAtNotAvailable";

        /// <summary>A line longer than the shell's command buffer (<c>CONFIG_SHELL_CMD_BUFF_SIZE</c>), refused before sending.</summary>
        public const string ShellLineTooLong = "ModemShellLineTooLong";
    }
}
