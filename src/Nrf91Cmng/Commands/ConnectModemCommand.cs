using System;
using System.Management.Automation;
using Nrf91Cmng.Core.At;
using Nrf91Cmng.Core.Errors;
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
    [Cmdlet(VerbsCommunications.Connect, "Modem", DefaultParameterSetName = SerialSet)]
    [OutputType(typeof(ModemSession))]
    public sealed class ConnectModemCommand : ModemCmdletBase
    {
        private const string SerialSet = "Serial";
        private const string TcpSet = "Tcp";
        private const string SimulatorSet = "Simulator";

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

        /// <summary>With -Simulator: credentials the virtual modem holds from the start (SecTag, Type, Content or Path).</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        [ValidateNotNull]
        public object[]? Preload { get; set; }

        /// <summary>With -Simulator: real-time flash and key-generation delays, 115200-baud pacing and network noise.</summary>
        [Parameter(ParameterSetName = SimulatorSet)]
        public SwitchParameter Realistic { get; set; }

        /// <summary>Line terminator after each command: CrLf (default, works with every at_host build), Cr or Lf.</summary>
        [Parameter]
        [ValidateSet("Cr", "Lf", "CrLf", IgnoreCase = true)]
        public string LineEnding { get; set; } = "CrLf";

        /// <summary>Auto (detect), At (raw AT console) or Shell (Zephyr shell 'at' command).</summary>
        [Parameter]
        [ValidateSet("Auto", "At", "Shell", IgnoreCase = true)]
        public string CommandMode { get; set; } = "Auto";

        /// <summary>Default timeout of a command, in seconds (5). Writes, mode changes and key generation have longer ones.</summary>
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
                DefaultTimeout = TimeSpan.FromSeconds(TimeoutSeconds),
            };
            ScaleLongTimeouts(options);
            TranscriptWriter? transcript = OpenTranscript();
            options.Observer = transcript;

            ModemClient client;
            ModemSimulator? simulator = null;
            bool ownsSimulator = false;
            try
            {
                if (ParameterSetName == SimulatorSet)
                {
                    simulator = StartInProcessSimulator();
                    ownsSimulator = true;
                    client = ConnectInProcess(simulator, options);
                }
                else if (ParameterSetName == TcpSet || PortName.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
                {
                    Uri uri = Uri ?? ParseTcpPortName(PortName);
                    WriteVerbose("Connecting to " + uri);
                    client = ModemClient.Connect(LinkTransport.ConnectTcp(uri, TimeSpan.FromSeconds(Math.Max(TimeoutSeconds, 5)), CancelToken), options, Log, CancelToken);
                    simulator = SimulatorRegistry.FindByAddress(uri.ToString());
                }
                else
                {
                    client = ConnectSerial(options);
                    simulator = SimulatorRegistry.FindByAddress(client.Channel.Transport.Name);
                }
            }
            catch (ModemException ex)
            {
                transcript?.Note("Connection failed: " + ex.Message);
                transcript?.Dispose();
                if (ownsSimulator)
                {
                    simulator?.Stop();
                }

                ThrowModemError(ex, (object?)Uri ?? PortName);
                return;
            }
            catch (OperationCanceledException)
            {
                transcript?.Dispose();
                return;
            }

            var session = new ModemSession(Name, client, simulator, ownsSimulator, System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty)
            {
                Transcript = transcript,
            };
            SessionRegistry.Add(session);
            WriteVerbose("Session " + session.Id + " on " + session.PortName + ": " + (session.Model ?? "model unknown") + ", "
                + (session.Firmware ?? "firmware unknown") + ", IMEI " + (session.Imei ?? "unknown") + ", CFUN "
                + (client.KnownFunctionalMode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown") + ", " + session.CommandMode + " mode.");
            WriteObject(session);
        }

        private TranscriptWriter? OpenTranscript()
        {
            if (TranscriptPath is null)
            {
                return null;
            }

            string path = GetUnresolvedProviderPathFromPSPath(TranscriptPath);
            try
            {
                return new TranscriptWriter(path, "Nrf91Cmng " + typeof(ConnectModemCommand).Assembly.GetName().Version + " transcript, " + (Simulator ? "virtual modem" : Uri?.ToString() ?? PortName));
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
            {
                ThrowError(ErrorIds.TranscriptUnwritable, ErrorCategory.WriteError, "The transcript file '" + path + "' cannot be written: " + ex.Message,
                    "Choose a path in a folder you can write to.", TranscriptPath, ex);
                return null;
            }
        }

        private static Uri ParseTcpPortName(string portName)
        {
            if (System.Uri.TryCreate(portName, UriKind.Absolute, out Uri? uri))
            {
                return uri; // ConnectTcp explains a missing port.
            }

            throw new ModemException(ErrorIds.InvalidUri, ModemErrorCategory.InvalidArgument,
                "'" + portName + "' is not a tcp://host:port address.", "Write it as tcp://host:port, for example tcp://127.0.0.1:7000.");
        }

        private ModemSimulator StartInProcessSimulator()
        {
            var request = new SimulatorRequest
            {
                Firmware = Firmware,
                BaudRate = MyInvocation.BoundParameters.ContainsKey(nameof(BaudRate)) ? BaudRate : 0,
                Realistic = Realistic,
                Preload = Preload,
            };
            VirtualModem modem = request.Create(this);
            var simulator = new ModemSimulator(modem, null, "InProcess");
            WriteVerbose("Started an in-process virtual " + simulator.Model + " (" + simulator.Firmware + ", IMEI " + simulator.Imei + ").");
            return simulator;
        }

        private ModemClient ConnectInProcess(ModemSimulator simulator, ModemClientOptions options)
        {
            string name = "simulator://" + simulator.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var transport = new LinkTransport(simulator.VirtualModem.ConnectInProcess(), name, TransportKind.InProcess,
                simulator.Firmware + (simulator.BaudRate > 0 ? ", paced at " + simulator.BaudRate + " baud" : ", unpaced"));
            return ModemClient.Connect(transport, options, Log, CancelToken);
        }

        private void ScaleLongTimeouts(ModemClientOptions options)
        {
            // A user who raises the default (slow links, ser2net over VPN) gets proportionally longer long waits.
            if (TimeoutSeconds > 5)
            {
                double factor = TimeoutSeconds / 5;
                options.WriteTimeout = TimeSpan.FromTicks((long)(options.WriteTimeout.Ticks * factor));
                options.FunctionalModeTimeout = TimeSpan.FromTicks((long)(options.FunctionalModeTimeout.Ticks * factor));
                options.KeyGenerationTimeout = TimeSpan.FromTicks((long)(options.KeyGenerationTimeout.Ticks * factor));
                options.DetectTimeout = TimeSpan.FromTicks((long)(options.DetectTimeout.Ticks * factor));
            }
        }

        private ModemClient ConnectSerial(ModemClientOptions options)
        {
            string port = ResolvePortPath(PortName);
            var handshake = (SerialHandshake)Enum.Parse(typeof(SerialHandshake), Handshake, ignoreCase: true);
            var settings = new SerialSettings(port) { BaudRate = BaudRate, Handshake = handshake };
            WriteVerbose("Opening " + port + " at " + settings.Describe());
            try
            {
                return ModemClient.Connect(SerialTransport.Open(settings), options, Log, CancelToken);
            }
            catch (ModemConnectionException ex) when (ex.ErrorId == ErrorIds.NoAtConsole
                && handshake == SerialHandshake.RequestToSend && !MyInvocation.BoundParameters.ContainsKey(nameof(Handshake)))
            {
                // Boards without RTS/CTS wiring (some Feather and custom boards) stay silent with flow control on.
                WriteWarning("No AT console answered on " + port + " with RTS/CTS flow control; retrying without flow control. Use -Handshake None to skip this retry.");
                settings.Handshake = SerialHandshake.None;
                return ModemClient.Connect(SerialTransport.Open(settings), options, Log, CancelToken);
            }
        }

        private string ResolvePortPath(string port)
        {
            // Accept PowerShell paths for device nodes (./ttyACM0 from /dev, PSDrives) but leave COM names alone.
            if (port.IndexOfAny(new[] { '/', '\\' }) < 0 || port.StartsWith(@"\\.\", StringComparison.Ordinal))
            {
                return port;
            }

            try
            {
                return GetUnresolvedProviderPathFromPSPath(port);
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is ProviderNotFoundException || ex is DriveNotFoundException || ex is NotSupportedException)
            {
                return port;
            }
        }
    }
}
