namespace Nrf91Cmng.Core.At
{
    /// <summary>How a response ended.</summary>
    public enum AtResultKind
    {
        /// <summary>Final result <c>OK</c>.</summary>
        Ok,

        /// <summary>Final result <c>ERROR</c> (numeric errors off, or a syntax error).</summary>
        Error,

        /// <summary>Final result <c>+CME ERROR: n</c>.</summary>
        CmeError,

        /// <summary>Final result <c>+CMS ERROR: n</c>.</summary>
        CmsError,
    }

    /// <summary>What the host appends to every command.</summary>
    public enum LineTerminator
    {
        /// <summary>Carriage return (at_host's build default).</summary>
        Cr,

        /// <summary>Line feed.</summary>
        Lf,

        /// <summary>Carriage return and line feed: works with every at_host build (the default).</summary>
        CrLf,
    }

    /// <summary>How commands are framed on the console, and which protocol reaches the credential store.</summary>
    public enum CommandMode
    {
        /// <summary>
        /// Detect on connect: raw AT first (one command, as before); a Zephyr shell answers it with
        /// <c>command not found</c>, and then <c>cred list</c> and <c>at AT+CMEE=1</c> tell which of
        /// <c>cred</c> and <c>at</c> it has.
        /// </summary>
        Auto,

        /// <summary>Raw AT (at_client / lib/at_host, serial_lte_modem).</summary>
        At,

        /// <summary>
        /// Zephyr shell with NCS's <c>at</c> command (modem_shell and friends): <c>at '&lt;command&gt;'</c>;
        /// multi-line content goes with <c>\n</c> escapes, which only a firmware with
        /// <c>CONFIG_AT_SHELL_UNESCAPE_LF</c> turns back into CR LF.
        /// </summary>
        Shell,

        /// <summary>
        /// Zephyr shell with the TLS credentials shell <c>cred</c> and no <c>at</c>: credentials through
        /// <c>cred</c>; no AT command can be sent (model, firmware, IMEI and functional mode are unknown).
        /// </summary>
        Cred,

        /// <summary>Zephyr shell with both: credentials through <c>cred</c>, every other AT command through <c>at</c>.</summary>
        CredAndAt,
    }

    /// <summary>One command to execute.</summary>
    public sealed class AtRequest
    {
        /// <summary>Creates a request for <paramref name="command"/> (without terminator).</summary>
        public AtRequest(string command)
        {
            Command = command ?? throw new ArgumentNullException(nameof(command));
        }

        /// <summary>The exact command text, e.g. <c>AT%CMNG=1</c>. May hold secrets: never logged.</summary>
        public string Command { get; }

        /// <summary>
        /// What logs, transcripts and errors show instead of <see cref="Command"/>; set it whenever
        /// the command carries credential content or a passphrase. Defaults to the command.
        /// </summary>
        public string? DisplayText { get; set; }

        /// <summary>The display form: <see cref="DisplayText"/> or the command itself.</summary>
        public string Display => DisplayText ?? Command;

        /// <summary>
        /// Prefix of the information lines this command answers with (e.g. <c>%CMNG:</c>). Lines
        /// without it are unsolicited. Null for commands answering with bare lines (<c>AT+CGSN</c>).
        /// </summary>
        public string? ResponsePrefix { get; set; }

        /// <summary>For bare-line commands: which lines belong to the response (default: any line that is not a URC or log line).</summary>
        public Func<string, bool>? BareLineFilter { get; set; }

        /// <summary>Per-call timeout; null uses the channel default.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Why this command might take long, added to a timeout error (e.g. "key generation").</summary>
        public string? SlowBecause { get; set; }

        /// <summary>
        /// Connect detection only: a Zephyr shell's <c>&lt;word&gt;: command not found</c> ends the
        /// response at once (<see cref="AtResponse.ShellAnswered"/>) instead of waiting for a final result
        /// a shell never sends. Off for every other command.
        /// </summary>
        internal bool DetectShell { get; set; }
    }

    /// <summary>The modem's answer to one command.</summary>
    public sealed class AtResponse
    {
        internal AtResponse(string display, IReadOnlyList<string> lines, IReadOnlyList<string> unsolicited, AtResultKind result, int? errorCode, string finalLine, TimeSpan duration)
        {
            Command = display;
            Lines = lines;
            Unsolicited = unsolicited;
            Result = result;
            ErrorCode = errorCode;
            FinalLine = finalLine;
            Duration = duration;
        }

        /// <summary>The command as displayed (redacted where it carried secrets).</summary>
        public string Command { get; }

        /// <summary>The information lines of the response; a quoted string spanning lines is one entry with its newlines.</summary>
        public IReadOnlyList<string> Lines { get; }

        /// <summary>Unsolicited result codes and log lines that arrived meanwhile.</summary>
        public IReadOnlyList<string> Unsolicited { get; }

        /// <summary>How the response ended.</summary>
        public AtResultKind Result { get; }

        /// <summary>The CME/CMS code, when there is one.</summary>
        public int? ErrorCode { get; }

        /// <summary>The final result line as received.</summary>
        public string FinalLine { get; }

        /// <summary>Time from sending the command to the final result.</summary>
        public TimeSpan Duration { get; }

        /// <summary>True for <c>OK</c>.</summary>
        public bool IsOk => Result == AtResultKind.Ok;

        /// <summary>True when a Zephyr shell answered <c>command not found</c> (connect detection only).</summary>
        public bool ShellAnswered { get; internal set; }
    }
}
