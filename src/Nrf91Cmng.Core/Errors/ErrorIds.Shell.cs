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

        /// <summary>Multi-line content through an <c>at</c> command that does not turn <c>\n</c> into CR LF (<c>CONFIG_AT_SHELL_UNESCAPE_LF</c> off).</summary>
        public const string ShellNoUnescape = "ModemShellNoUnescape";

        /// <summary>A <c>cred</c> command failed (its message and errno are in the error).</summary>
        public const string ShellCommandFailed = "ModemShellCommandFailed";

        /// <summary>A credential larger than the <c>cred</c> shell's credential buffer (<c>CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE</c>).</summary>
        public const string CredentialBufferTooSmall = "CredentialShellBufferTooSmall";

        /// <summary>A type the <c>cred</c> shell's backend does not store (PSK and PSK identity on the nRF modem backend).</summary>
        public const string CredentialTypeNotSupported = "CredentialTypeNotSupported";

        /// <summary>A replace through <c>cred</c> deleted the old credential and the add of the new one failed.</summary>
        public const string CredentialReplaceFailed = "CredentialReplaceFailed";
    }
}
