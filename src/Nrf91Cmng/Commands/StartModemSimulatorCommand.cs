using System.Runtime.InteropServices;
using Nrf91Cmng.Simulator;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Starts a virtual nRF91 modem served on a pseudo-terminal or on loopback TCP, for scripts, Pester checks and other tools.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "ModemSimulator", HelpUri = HelpLinks.Base + "Start-ModemSimulator.md", SupportsShouldProcess = true)]
    [OutputType(typeof(ModemSimulator))]
    public sealed class StartModemSimulatorCommand : ModemCmdletBase
    {
        /// <summary>Firmware profile to imitate (default mfw_nrf9160_1.3.5).</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(Completers.FirmwareCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Firmware { get; set; }

        /// <summary>PseudoTerminal (default on Linux and macOS: a device path any serial tool opens) or Tcp (default on Windows: tcp://127.0.0.1:port).</summary>
        [Parameter]
        [ValidateSet("Tcp", "PseudoTerminal", IgnoreCase = true)]
        public string? Transport { get; set; }

        /// <summary>TCP port to listen on (0, the default, picks a free one).</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>Pace the line like a UART at this rate (bytes take 10 bit times each way); 0 = as fast as possible.</summary>
        [Parameter]
        [ValidateRange(0, 4000000)]
        public int BaudRate { get; set; }

        /// <summary>115200-baud pacing, real-time flash and key-generation delays, +CEREG/+CSCON noise around CFUN changes.</summary>
        [Parameter]
        public SwitchParameter Realistic { get; set; }

        /// <summary>
        /// Console in front of the modem: AtHost (at_client sample, default), SerialLteModem, Shell (a
        /// Zephyr shell with only 'at', as modem_shell: no colours, \n unescaped, 3584-byte lines) or
        /// ZephyrShell (an NCS build's defaults: colours, 'at' and 'cred' on the nRF modem backend,
        /// 255-character lines, a 64-byte RX ring). The Shell… and Credential… parameters change a
        /// shell; given without -Framing they choose ZephyrShell.
        /// </summary>
        [Parameter]
        [ValidateSet("AtHost", "SerialLteModem", "Shell", "ZephyrShell", IgnoreCase = true)]
        public string Framing { get; set; } = "AtHost";

        /// <summary>The shell's commands besides its own (help, shell, retval…): At (NCS at_shell), Cred (Zephyr TLS credentials shell), both, or None. Default: Shell At; ZephyrShell At and Cred.</summary>
        [Parameter]
        [ValidateSet("At", "Cred", "None", IgnoreCase = true)]
        public string[]? ShellCommands { get; set; }

        /// <summary>Where 'cred add' stores credentials: Modem (the NCS 3.0+ nRF modem backend, writing to the modem's %CMNG store; default), Volatile (RAM, 4 entries, lost on reset) or Psa (protected storage, 4 entries, kept).</summary>
        [Parameter]
        [ValidateSet("Volatile", "Psa", "Modem", IgnoreCase = true)]
        public string? CredentialBackend { get; set; }

        /// <summary>The 'cred' code: NcsFork (what NCS builds; default) or Upstream (Zephyr main: 'cred buf load', 'cred expiry', PK_PSA).</summary>
        [Parameter]
        [ValidateSet("NcsFork", "Upstream", IgnoreCase = true)]
        public string? CredShellVariant { get; set; }

        /// <summary>CONFIG_AT_SHELL_UNESCAPE_LF: 'at' turns every two-character \n into CR LF before the modem sees it. Default: on for Shell, off for ZephyrShell (-ShellUnescapeLf:$false turns it off).</summary>
        [Parameter]
        public SwitchParameter ShellUnescapeLf { get; set; }

        /// <summary>VT100 colours (errors red, warnings yellow, the prompt green). Default: off for Shell, on for ZephyrShell (-ShellColors:$false turns them off).</summary>
        [Parameter]
        public SwitchParameter ShellColors { get; set; }

        /// <summary>CONFIG_SHELL_WILDCARD: an argument with ? or * is matched against subcommands, so 'at AT+CFUN?' prints the usage instead of reaching the modem.</summary>
        [Parameter]
        public SwitchParameter ShellWildcards { get; set; }

        /// <summary>CONFIG_SHELL_CMD_BUFF_SIZE, the NUL included: a line holds one character less (default 256; 3584 for Shell, as modem_shell). Raise it to send whole PEMs through 'at'.</summary>
        [Parameter]
        [ValidateRange(2, 65536)]
        public int ShellBufferSize { get; set; }

        /// <summary>UART RX ring buffer: bytes kept while the shell runs a command; more are lost with 'RX ring buffer full.' (default 64; 512 for Shell; 0 = unlimited).</summary>
        [Parameter]
        [ValidateRange(0, 65536)]
        public int ShellRxBufferSize { get; set; }

        /// <summary>CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE: 'cred buf' holds one character less (default 1024, so at most a 765-byte credential).</summary>
        [Parameter]
        [ValidateRange(1, 1048576)]
        public int CredentialBufferSize { get; set; }

        /// <summary>The shell prompt (default 'uart:~$ '; modem_shell uses 'mosh:~$ ').</summary>
        [Parameter]
        [ValidateNotNull]
        public string? ShellPrompt { get; set; }

        /// <summary>Credentials stored before the first command: objects or hashtables with SecTag, Type and Content or Path.</summary>
        [Parameter]
        [ValidateNotNull]
        public object[]? Preload { get; set; }

        /// <summary>The IMEI to report (15 digits); default: generated with a valid check digit.</summary>
        [Parameter]
        [ValidatePattern("^[0-9]{15}$")]
        public string? Imei { get; set; }

        /// <summary>Seed for everything random (IMEI, UUID, keys), for reproducible runs.</summary>
        [Parameter]
        public int? Seed { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            string transport = Transport ?? (windows ? "Tcp" : "PseudoTerminal");
            if (string.Equals(transport, "PseudoTerminal", StringComparison.OrdinalIgnoreCase) && windows)
            {
                ThrowError(ErrorIds.SimulatorTransportUnavailable, ErrorCategory.NotImplemented,
                    "Windows has no pseudo-terminals, so the virtual modem cannot be served as a serial device here.",
                    "Use -Transport Tcp and connect with Connect-Modem -Uri (or pipe the result into Connect-Modem); a com0com pair bridged to the TCP port also works.", Transport);
            }

            if (!ShouldProcess(transport + " virtual modem (" + (Firmware ?? FirmwareProfile.Default.Name) + ")", "Start"))
            {
                return;
            }

            var request = new SimulatorRequest
            {
                Firmware = Firmware,
                Imei = Imei,
                Seed = Seed,
                BaudRate = BaudRate,
                Realistic = Realistic,
                Framing = (ModemFraming)Enum.Parse(typeof(ModemFraming), Framing, ignoreCase: true),
                FramingChosen = MyInvocation.BoundParameters.ContainsKey(nameof(Framing)),
                Preload = Preload,
            };
            request.Shell.Bind(MyInvocation.BoundParameters);

            ModemSimulator? served = null;
            if (!Guard(Firmware, () => served = request.Serve(this, transport, Port), terminating: true))
            {
                return;
            }

            ModemSimulator simulator = served!;
            SimulatorRegistry.Add(simulator);
            WriteVerbose("Virtual " + simulator.Model + " (" + simulator.Firmware + ", IMEI " + simulator.Imei + ") serving on " + simulator);
            WriteObject(simulator);
        }
    }
}
