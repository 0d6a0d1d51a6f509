using Nrf91Cmng.Core.At;
using Nrf91Cmng.Core.Logging;
using Nrf91Cmng.Core.Modem;
using Nrf91Cmng.Core.Transport;
using Nrf91Cmng.Sessions;
using Nrf91Cmng.Simulator;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Opens a session to an nRF91 modem over a serial port, TCP, or the built-in virtual modem.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Modem", HelpUri = HelpLinks.Base + "Connect-Modem.md", DefaultParameterSetName = SerialSet)]
    [OutputType(typeof(ModemSession))]
    public sealed class ConnectModemCommand : VirtualModemCmdletBase
    {
        private const string SerialSet = "Serial";
        private const string TcpSet = "Tcp";

        /// <summary>The serial port (COM5, /dev/ttyACM0, a pseudo-terminal path).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = SerialSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.PortNameCompleter))]
        [Alias("Port", "Path")]
        public string PortName { get; set; } = string.Empty;

        /// <summary>Bits per second (115200). With -Simulator: pace the virtual line at this rate (default unpaced).</summary>
        [Parameter(ParameterSetName = SerialSet)]
        [Parameter(ParameterSetName = SimulatorSet)]
        [ValidateRange(1200, 4000000)]
        public int BaudRate { get; set; } = 115200;

        /// <summary>Flow control: RequestToSend (RTS/CTS, default), None or XOnXOff.</summary>
        [Parameter(ParameterSetName = SerialSet)]
        [ValidateSet("None", "RequestToSend", "XOnXOff", IgnoreCase = true)]
        public string Handshake { get; set; } = "RequestToSend";

        /// <summary>A raw TCP serial server or a virtual modem: tcp://host:port.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TcpSet, ValueFromPipelineByPropertyName = true)]
        public Uri? Uri { get; set; }

        /// <summary>Connect to a new in-process virtual nRF91 modem (no hardware needed).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SimulatorSet)]
        public SwitchParameter Simulator { get; set; }

        /// <summary>With -Simulator: the firmware profile to imitate (default mfw_nrf9160_1.3.5).</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        [ArgumentCompleter(typeof(Completers.FirmwareCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Firmware { get; set; }

        /// <summary>
        /// The shell's 'at' turns every \n into CR LF (CONFIG_AT_SHELL_UNESCAPE_LF=y). On any console the session
        /// trusts it and skips its one-time probe write (a two-line PSK identity to a free scratch sec_tag,
        /// read back and deleted) before the first multi-line write through 'at'; -ShellUnescapeLf:$false
        /// refuses such writes without probing. With -Simulator the virtual shell is also built so (default:
        /// on for Shell, off for ZephyrShell).
        /// </summary>
        [Parameter]
        public SwitchParameter ShellUnescapeLf { get; set; }

        /// <summary>Line terminator after each command: CrLf (default, works with every at_host build), Cr or Lf.</summary>
        [Parameter]
        [ValidateSet("Cr", "Lf", "CrLf", IgnoreCase = true)]
        public string LineEnding { get; set; } = "CrLf";

        /// <summary>
        /// Auto (detect: raw AT first, then a Zephyr shell's 'cred' and 'at'), At (raw AT console), Shell
        /// (Zephyr shell 'at' command: credentials as AT%CMNG through it), Cred (Zephyr shell with the TLS
        /// credentials shell 'cred' and no 'at') or CredAndAt (credentials through 'cred', other commands
        /// through 'at').
        /// </summary>
        [Parameter]
        [ValidateSet("Auto", "At", "Shell", "Cred", "CredAndAt", IgnoreCase = true)]
        public string CommandMode { get; set; } = "Auto";

        /// <summary>
        /// How long the modem has to answer each command, in seconds, once the command is on the wire
        /// (the wire time of the bytes at -BaudRate is added). Without it: 5 s, flash writes 10 s,
        /// mode changes 15 s, key generation 30 s. With it: this value for every command, but at least
        /// 2 s for a flash write or delete and 5 s for key generation.
        /// </summary>
        [Parameter]
        [ValidateRange(0.1, 3600)]
        public double TimeoutSeconds { get; set; } = 5;

        /// <summary>Append every AT exchange of the session, time-stamped and with keys and PSKs masked, to this file.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TranscriptPath { get; set; }

        /// <summary>A name for the session.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Name { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var options = new ModemClientOptions
            {
                Mode = (Core.At.CommandMode)Enum.Parse(typeof(Core.At.CommandMode), CommandMode, ignoreCase: true),
                Terminator = (LineTerminator)Enum.Parse(typeof(LineTerminator), LineEnding, ignoreCase: true),
                ShellUnescapeLf = MyInvocation.BoundParameters.ContainsKey(nameof(ShellUnescapeLf)) ? ShellUnescapeLf.IsPresent : (bool?)null,
            };
            ApplyTimeout(options, TimeoutSeconds);
            TranscriptWriter? transcript = null;
            ModemSimulator? simulator = null;
            bool ownsSimulator = ParameterSetName == SimulatorSet;
            ModemClient? client = null;
            bool connected = Guard((object?)Uri ?? PortName, () =>
            {
                transcript = TranscriptPath is null ? null : TranscriptWriter.Create(GetUnresolvedProviderPathFromPSPath(TranscriptPath),
                    "Nrf91Cmng " + typeof(ConnectModemCommand).Assembly.GetName().Version + " transcript, " + (Simulator ? "virtual modem" : Uri?.ToString() ?? PortName));
                options.Observer = transcript;
                if (ownsSimulator)
                {
                    simulator = StartInProcessSimulator();
                    client = ConnectInProcess(simulator, options);
                    return;
                }

                ConnectRequest request = NewConnectRequest(Uri?.ToString() ?? CredentialInput.ResolvePortPath(this, PortName), BaudRate, Handshake, options);
                client = ModemConnector.Connect(request, Log, CancelToken);
                simulator = SimulatorRegistry.FindByAddress(request.IsTcp ? ModemConnector.ParseTcp(request.Target).ToString() : client.Channel.Transport.Name);
            }, terminating: true, cleanup: () =>
            {
                transcript?.Note("Connection failed.");
                transcript?.Dispose();
                if (ownsSimulator)
                {
                    simulator?.Stop();
                }
            });
            if (!connected)
            {
                return;
            }

            var session = new ModemSession(Name, client!, simulator, ownsSimulator, System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty)
            {
                Transcript = transcript,
            };
            SessionRegistry.Add(session);
            WriteVerbose("Session " + session.Id + " on " + session.PortName + ": " + (session.Model ?? "model unknown") + ", "
                + (session.Firmware ?? "firmware unknown") + ", IMEI " + (session.Imei ?? "unknown") + ", CFUN "
                + (client!.KnownFunctionalMode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown") + ", " + session.CommandMode + " mode: " + session.Console + ".");
            WriteObject(session);
        }

        private ModemSimulator StartInProcessSimulator()
        {
            SimulatorRequest request = NewSimulatorRequest(Firmware, MyInvocation.BoundParameters.ContainsKey(nameof(BaudRate)) ? BaudRate : 0);
            VirtualModem modem = request.Create(this);
            var simulator = new ModemSimulator(modem, null, "InProcess");
            WriteVerbose("Started an in-process virtual " + simulator.Model + " (" + simulator.Firmware + ", IMEI " + simulator.Imei + ").");
            return simulator;
        }

        private ModemClient ConnectInProcess(ModemSimulator simulator, ModemClientOptions options)
        {
            string name = "simulator://" + simulator.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var transport = new LinkTransport(simulator.VirtualModem.ConnectInProcess(), name, TransportKind.InProcess,
                simulator.Firmware + (simulator.BaudRate > 0 ? ", paced at " + simulator.BaudRate + " baud" : ", unpaced"))
            {
                BaudRate = simulator.BaudRate,
            };
            return ModemClient.Connect(transport, options, Log, CancelToken);
        }
    }
}
