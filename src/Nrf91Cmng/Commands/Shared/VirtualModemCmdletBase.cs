using Nrf91Cmng.Simulator;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// Base of the cmdlets that build a virtual modem (Start-ModemSimulator, Connect-Modem
    /// -Simulator): the parameters that shape it, declared once, in the parameter set
    /// <see cref="SimulatorSet"/>, and the one way they become a <see cref="SimulatorRequest"/>.
    /// No member's signature names a type of the Nrf91Cmng.Simulator assembly, so loading a
    /// cmdlet class does not load the virtual modem.
    /// </summary>
    public abstract class VirtualModemCmdletBase : ModemCmdletBase
    {
        /// <summary>The parameter set of these parameters (Connect-Modem's -Simulator set; Start-ModemSimulator's only set).</summary>
        protected const string SimulatorSet = "Simulator";

        /// <summary>115200-baud pacing, real-time flash and key-generation delays, +CEREG/+CSCON noise around CFUN changes.</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        public SwitchParameter Realistic { get; set; }

        /// <summary>
        /// Console in front of the modem: AtHost (at_client sample, default), SerialLteModem, Shell (a
        /// Zephyr shell with only 'at', as modem_shell: no colours, \n unescaped, 3584-byte lines) or
        /// ZephyrShell (an NCS build's defaults: colours, 'at' and 'cred' on the nRF modem backend,
        /// 255-character lines, a 64-byte RX ring). The Shell… and Credential… parameters change a
        /// shell; given without -Framing they choose ZephyrShell.
        /// </summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        [ValidateSet("AtHost", "SerialLteModem", "Shell", "ZephyrShell", IgnoreCase = true)]
        public string? Framing { get; set; }

        /// <summary>The shell's commands besides its own (help, shell, retval…): At (NCS at_shell), Cred (Zephyr TLS credentials shell), both, or None. Default: Shell At; ZephyrShell At and Cred.</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        [ValidateSet("At", "Cred", "None", IgnoreCase = true)]
        public string[]? ShellCommands { get; set; }

        /// <summary>Where 'cred add' stores credentials: Modem (the NCS 3.0+ nRF modem backend, writing to the modem's %CMNG store; default), Volatile (RAM, 4 entries, lost on reset) or Psa (protected storage, 4 entries, kept).</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        [ValidateSet("Volatile", "Psa", "Modem", IgnoreCase = true)]
        public string? CredentialBackend { get; set; }

        /// <summary>The 'cred' code: NcsFork (what NCS builds; default) or Upstream (Zephyr main: 'cred buf load', 'cred expiry', PK_PSA).</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        [ValidateSet("NcsFork", "Upstream", IgnoreCase = true)]
        public string? CredShellVariant { get; set; }

        /// <summary>VT100 colours (errors red, warnings yellow, the prompt green). Default: off for Shell, on for ZephyrShell (-ShellColors:$false turns them off).</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        public SwitchParameter ShellColors { get; set; }

        /// <summary>CONFIG_SHELL_WILDCARD: an argument with ? or * is matched against subcommands, so 'at AT+CFUN?' prints the usage instead of reaching the modem.</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        public SwitchParameter ShellWildcards { get; set; }

        /// <summary>CONFIG_SHELL_CMD_BUFF_SIZE, the NUL included: a line holds one character less (default 256; 3584 for Shell, as modem_shell). Raise it to send whole PEMs through 'at'.</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        [ValidateRange(2, 65536)]
        public int ShellBufferSize { get; set; }

        /// <summary>UART RX ring buffer: bytes kept while the shell runs a command; more are lost with 'RX ring buffer full.' (default 64; 512 for Shell; 0 = unlimited).</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        [ValidateRange(0, 65536)]
        public int ShellRxBufferSize { get; set; }

        /// <summary>CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE: 'cred buf' holds one character less (default 1024, so at most a 765-byte credential).</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        [ValidateRange(1, 1048576)]
        public int CredentialBufferSize { get; set; }

        /// <summary>The shell prompt (default 'uart:~$ '; modem_shell uses 'mosh:~$ ').</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        [ValidateNotNull]
        public string? ShellPrompt { get; set; }

        /// <summary>Credentials stored before the first command: objects or hashtables with SecTag, Type and Content or Path.</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        [ValidateNotNull]
        public object[]? Preload { get; set; }

        /// <summary>The virtual modem these parameters describe, for <paramref name="firmware"/> paced at <paramref name="baudRate"/> (0 = unpaced).</summary>
        internal SimulatorRequest NewSimulatorRequest(string? firmware, int baudRate)
        {
            var request = new SimulatorRequest
            {
                Firmware = firmware,
                BaudRate = baudRate,
                Realistic = Realistic,
                Preload = Preload,
                FramingChosen = Framing is not null,
            };
            if (Framing is not null)
            {
                request.Framing = (ModemFraming)Enum.Parse(typeof(ModemFraming), Framing, ignoreCase: true);
            }

            request.Shell.Bind(MyInvocation.BoundParameters);
            return request;
        }
    }
}
