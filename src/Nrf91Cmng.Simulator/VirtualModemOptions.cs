namespace Nrf91Cmng.Simulator
{
    /// <summary>Which firmware sits between the serial line and the modem.</summary>
    public enum ModemFraming
    {
        /// <summary>
        /// NCS <c>lib/at_host</c> (the at_client sample): quote-aware line assembly, replies written
        /// verbatim with no echo and no leading CR LF, over-long lines dropped silently.
        /// </summary>
        AtHost,

        /// <summary>
        /// <c>serial_lte_modem</c>: replies framed as <c>\r\n&lt;resp&gt;\r\n</c> then <c>\r\nOK\r\n</c>,
        /// an over-long line answered with <c>ERROR</c> once the terminator arrives.
        /// </summary>
        SerialLteModem,

        /// <summary>
        /// A Zephyr shell with NCS at_shell as the engine has always met it (modem_shell-like): the
        /// Zephyr line discipline, prompt and echo, <c>at '&lt;command&gt;'</c> only, no colours, a
        /// 3584-byte command buffer, a 512-byte RX ring and <c>CONFIG_AT_SHELL_UNESCAPE_LF</c> on.
        /// Every shell option overrides these defaults.
        /// </summary>
        Shell,

        /// <summary>
        /// A Zephyr shell as an NCS build for nRF91 configures it by default: VT100 colours, a
        /// 256-byte command buffer, a 64-byte UART RX ring, <c>at</c> and <c>cred</c> (nRF modem
        /// backend), <c>CONFIG_AT_SHELL_UNESCAPE_LF</c> off. See the <c>Shell…</c> and
        /// <c>Credential…</c> options of <see cref="VirtualModemOptions"/>.
        /// </summary>
        ZephyrShell,
    }

    /// <summary>What ends a command line on the device (a build-time choice of at_host and SLM).</summary>
    public enum AtHostTerminator
    {
        /// <summary>NUL (at_host only).</summary>
        Nul,

        /// <summary>Carriage return: at_host's Kconfig default.</summary>
        Cr,

        /// <summary>Line feed.</summary>
        Lf,

        /// <summary>CR then LF: serial_lte_modem's default. The LF submits only right after a CR.</summary>
        CrLf,
    }

    /// <summary>How a <see cref="VirtualModem"/> is built. Everything has a default.</summary>
    public sealed class VirtualModemOptions
    {
        /// <summary>Firmware profile name (see <see cref="FirmwareProfile.Names"/>); null = <c>mfw_nrf9160_1.3.5</c>.</summary>
        public string? Firmware { get; set; }

        /// <summary>The 15-digit IMEI; null = generated (profile TAC, Luhn check digit).</summary>
        public string? Imei { get; set; }

        /// <summary>The device UUID (KEYGEN default subject, attestation); null = generated.</summary>
        public Guid? DeviceUuid { get; set; }

        /// <summary>Line terminator the device expects; null = the framing's default (at_host CR, SLM CR LF).</summary>
        public AtHostTerminator? Terminator { get; set; }

        /// <summary>Which console firmware to imitate. Default <see cref="ModemFraming.AtHost"/>.</summary>
        public ModemFraming Framing { get; set; } = ModemFraming.AtHost;

        /// <summary>Prompt of the shell front ends (<c>CONFIG_SHELL_PROMPT_UART</c>). Default <c>uart:~$ </c>.</summary>
        public string ShellPrompt { get; set; } = "uart:~$ ";

        /// <summary>Commands of the shell front ends besides the built-in ones; null = the framing's default (Shell: At, ZephyrShell: At and Cred).</summary>
        public ShellCommandSet? ShellCommands { get; set; }

        /// <summary>VT100 colours (<c>CONFIG_SHELL_VT100_COLORS</c>: errors red, warnings yellow, the prompt green); null = the framing's default (Shell: off, ZephyrShell: on). <c>shell colors off|on</c> changes it at run time.</summary>
        public bool? ShellColors { get; set; }

        /// <summary>Echo of typed characters (<c>CONFIG_SHELL_ECHO_STATUS</c>). Default true; <c>shell echo off|on</c> changes it at run time.</summary>
        public bool ShellEcho { get; set; } = true;

        /// <summary><c>CONFIG_SHELL_CMD_BUFF_SIZE</c>, NUL included (a line holds one character less); null = the framing's default (Shell: 3584 as modem_shell, ZephyrShell: 256).</summary>
        public int? ShellBufferSize { get; set; }

        /// <summary>
        /// <c>CONFIG_SHELL_BACKEND_SERIAL_RX_RING_BUFFER_SIZE</c>: how many bytes the UART keeps while the
        /// shell runs a command; further bytes are dropped with the <c>RX ring buffer full.</c> warning.
        /// 0 = unlimited; null = the framing's default (Shell: 512 as modem_shell, ZephyrShell: 64).
        /// </summary>
        public int? ShellRxBufferSize { get; set; }

        /// <summary><c>CONFIG_AT_SHELL_UNESCAPE_LF</c>: <c>at</c> turns every two-character <c>\n</c> into CR LF; null = the framing's default (Shell: on, ZephyrShell: off).</summary>
        public bool? ShellUnescapeLf { get; set; }

        /// <summary><c>CONFIG_SHELL_WILDCARD</c>: an argument with <c>?</c> or <c>*</c> after a command is matched against its subcommands (no match: it and the rest are dropped, so <c>at AT+CFUN?</c> prints the <c>at</c> usage). Default false.</summary>
        public bool ShellWildcards { get; set; }

        /// <summary>The <c>cred</c> code: NCS fork (default) or upstream Zephyr.</summary>
        public CredShellVariant CredShellVariant { get; set; } = CredShellVariant.NcsFork;

        /// <summary>The TLS credentials backend behind <c>cred</c>. Default <see cref="TlsCredentialBackend.Modem"/> (the nRF91 default of NCS 3.0+).</summary>
        public TlsCredentialBackend CredentialBackend { get; set; } = TlsCredentialBackend.Modem;

        /// <summary><c>CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE</c>: the <c>cred buf</c> buffer holds one character less. Default 1024.</summary>
        public int CredentialBufferSize { get; set; } = 1024;

        /// <summary><c>CONFIG_TLS_MAX_CREDENTIALS_NUMBER</c>, the backend's table size; null = 4 (volatile, PSA) or 20 (modem).</summary>
        public int? CredentialTableSize { get; set; }

        /// <summary>Serial line pacing in baud (10 bit times per byte, both directions); 0 = unpaced.</summary>
        public int BaudRate { get; set; }

        /// <summary>Processing-time model and how much of it to wait for. Default: modelled, not waited.</summary>
        public ProcessingDelays ProcessingDelays { get; set; } = ProcessingDelays.Off;

        /// <summary>
        /// at_host disables UART RX while a command runs: bytes arriving meanwhile (including the rest
        /// of the chunk after the terminator, e.g. the LF of CR LF sent to a CR build) are lost.
        /// Default true. Applies to <see cref="ModemFraming.AtHost"/> only.
        /// </summary>
        public bool DropInputWhileBusy { get; set; } = true;

        /// <summary>Emit +CEREG/+CSCON and Zephyr log lines around functional-mode changes. Default false.</summary>
        public bool UnsolicitedNoise { get; set; }

        /// <summary>
        /// Random URCs: the probability that one precedes a reply, and the mean number per second
        /// while idle. 0 (default) = none. Never inside a reply buffer.
        /// </summary>
        public double RandomNoiseRate { get; set; }

        /// <summary>
        /// Lines interleaved into the output: the probability (0 to 1) that a line is inserted at each
        /// line boundary of everything the console writes, between the lines of a reply too (the lines
        /// of a PEM read back with <c>%CMNG=2</c> or <c>%XPMNG=2</c> included), as an application and
        /// the modem sharing the UART produce. 0 (default) = none. Where they go is fixed by
        /// <see cref="Seed"/>. <see cref="VirtualModemFaults.InterleaveLines"/> puts lines at chosen places.
        /// </summary>
        public double InterleavedNoiseRate { get; set; }

        /// <summary>
        /// The lines <see cref="InterleavedNoiseRate"/> inserts (no CR or LF; the console frames them);
        /// null (default) = URCs such as <c>+CEREG: 0</c> and <c>+CSCON: 1</c> and Zephyr log lines such
        /// as <c>[00:00:28.460,540] &lt;inf&gt; app: tick</c>.
        /// </summary>
        public IReadOnlyList<string>? InterleavedNoiseLines { get; set; }

        /// <summary>
        /// What <c>AT+CCLK?</c> reads at the start, as <c>yy/MM/dd,hh:mm:ss±zz</c> (zone in quarter hours,
        /// two-digit years are 20yy): a good time (<see cref="VirtualModem.FormatClock"/> of the host's
        /// clock), or what real modems show: <c>15/02/01,00:00:00+00</c> after a power-on reset
        /// (<see cref="VirtualModem.PowerOnClock"/>, the default), <c>80/01/06,00:00:14+00</c> (year
        /// 2080) after some NB-IoT networks. A reset of the board goes back to the power-on clock.
        /// </summary>
        public string? Clock { get; set; }

        /// <summary>Whether the clock advances in real time (default true); false holds it, for exact comparisons.</summary>
        public bool ClockRuns { get; set; } = true;

        /// <summary>Most user credentials the store holds (515 beyond). Default 32.</summary>
        public int MaxCredentials { get; set; } = 32;

        /// <summary>Most content bytes the store holds over all user credentials (515 beyond). Default 32 KiB.</summary>
        public int CredentialStorageBytes { get; set; } = 32 * 1024;

        /// <summary>
        /// Cut replies at the AT host buffer (4095 characters), as <c>nrf_modem_at_cmd</c> into
        /// at_host's 4096-byte buffer must. Default true.
        /// </summary>
        public bool TruncateLongReplies { get; set; } = true;

        /// <summary>Seed for everything random (IMEI, UUIDs, keys, nonces, noise); null = different every time.</summary>
        public int? Seed { get; set; }

        /// <summary>A realistic preset: 115200 baud pacing, real-time processing delays, noise around CFUN changes.</summary>
        public static VirtualModemOptions Realistic(string? firmware = null) => new VirtualModemOptions
        {
            Firmware = firmware,
            BaudRate = 115200,
            ProcessingDelays = ProcessingDelays.Realistic,
            UnsolicitedNoise = true,
        };
    }
}
