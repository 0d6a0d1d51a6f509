using System;
using System.Management.Automation;
using Nrf91Cmng.Core.At;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Modem;
using Nrf91Cmng.Core.Transport;
using Nrf91Cmng.Sessions;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Opens a session to an nRF91 modem over a serial port, TCP, or the built-in virtual modem.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "Modem", DefaultParameterSetName = SerialSet)]
    [OutputType(typeof(ModemSession))]
    public sealed partial class ConnectModemCommand : ModemCmdletBase
    {
        private const string SerialSet = "Serial";
        private const string TcpSet = "Tcp";

        /// <summary>The serial port (COM5, /dev/ttyACM0, a pseudo-terminal path).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = SerialSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.PortNameCompleter))]
        [Alias("Port", "Path")]
        public string PortName { get; set; } = string.Empty;

        /// <summary>Bits per second (115200).</summary>
        [Parameter(ParameterSetName = SerialSet)]
        [ValidateRange(1200, 4000000)]
        public int BaudRate { get; set; } = 115200;

        /// <summary>Flow control: RequestToSend (RTS/CTS, default), None or XOnXOff.</summary>
        [Parameter(ParameterSetName = SerialSet)]
        [ValidateSet("None", "RequestToSend", "XOnXOff", IgnoreCase = true)]
        public string Handshake { get; set; } = "RequestToSend";

        /// <summary>A raw TCP serial server or a virtual modem: tcp://host:port.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TcpSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public Uri? Uri { get; set; }

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

            ModemClient client;
            object? simulator = null;
            try
            {
                switch (ParameterSetName)
                {
                    case TcpSet:
                        WriteVerbose("Connecting to " + Uri);
                        client = ModemClient.Connect(LinkTransport.ConnectTcp(Uri!, TimeSpan.FromSeconds(Math.Max(TimeoutSeconds, 5)), CancelToken), options, Log, CancelToken);
                        break;
                    default:
                        client = ConnectSerial(options);
                        break;
                }
            }
            catch (ModemException ex)
            {
                ThrowModemError(ex, (object?)Uri ?? PortName);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var session = new ModemSession(Name, client, simulator, System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty);
            SessionRegistry.Add(session);
            WriteVerbose("Session " + session.Id + " on " + session.PortName + ": " + (session.Model ?? "model unknown") + ", "
                + (session.Firmware ?? "firmware unknown") + ", IMEI " + (session.Imei ?? "unknown") + ", CFUN "
                + (client.KnownFunctionalMode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown") + ", " + session.CommandMode + " mode.");
            WriteObject(session);
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
