namespace Nrf91Cmng.Core.Modem
{
    /// <summary>Where and how to open a modem: a serial port or a tcp:// address, with the session's settings.</summary>
    public sealed class ConnectRequest
    {
        /// <summary>Creates a request for <paramref name="target"/> (COM5, /dev/ttyACM0, tcp://host:port).</summary>
        public ConnectRequest(string target)
        {
            Target = target ?? throw new ArgumentNullException(nameof(target));
        }

        /// <summary>The serial port or tcp:// address.</summary>
        public string Target { get; }

        /// <summary>Serial speed (115200).</summary>
        public int BaudRate { get; set; } = 115200;

        /// <summary>Serial flow control (RTS/CTS by default).</summary>
        public SerialHandshake Handshake { get; set; } = SerialHandshake.RequestToSend;

        /// <summary>
        /// True when the user chose <see cref="Handshake"/>. Otherwise a port where nothing answers
        /// with RTS/CTS is tried once more without flow control (boards without the wiring).
        /// </summary>
        public bool HandshakeChosen { get; set; }

        /// <summary>The session's options (mode, terminator, timeouts, transcript).</summary>
        public ModemClientOptions Options { get; set; } = new ModemClientOptions();

        /// <summary>True for an address (tcp://host:port; another scheme is refused with a clear error) rather than a serial port.</summary>
        public bool IsTcp => Target.IndexOf("://", StringComparison.Ordinal) > 0;
    }

    /// <summary>
    /// The one policy for opening a modem, shared by Connect-Modem and fleet provisioning: TCP or
    /// serial, the serial port locked against other programs, the no-flow-control retry, and the
    /// session's timeouts.
    /// </summary>
    public static class ModemConnector
    {
        /// <summary>Opens the target, detects the console and reads the modem's identity.</summary>
        public static ModemClient Connect(ConnectRequest request, IModemLog log, CancellationToken cancellationToken)
        {
            if (request.IsTcp)
            {
                Uri uri = ParseTcp(request.Target);
                log.Verbose("Connecting to " + uri);
                TimeSpan connectTimeout = request.Options.DefaultTimeout > TimeSpan.FromSeconds(5) ? request.Options.DefaultTimeout : TimeSpan.FromSeconds(5);

                // A second session to the same endpoint from this process would share the modem's replies.
                PortLock claim = PortLock.Acquire(uri.GetLeftPart(UriPartial.Authority));
                try
                {
                    LinkTransport transport = LinkTransport.ConnectTcp(uri, connectTimeout, cancellationToken);
                    transport.Owned = claim;
                    return ModemClient.Connect(transport, request.Options, log, cancellationToken);
                }
                catch
                {
                    claim.Dispose();
                    throw;
                }
            }

            // A write that waits longer than a whole AT buffer takes on the wire plus a second is stalled by flow control.
            var settings = new SerialSettings(request.Target)
            {
                BaudRate = request.BaudRate,
                Handshake = request.Handshake,
                WriteTimeout = TimeSpan.FromSeconds(Math.Max(2, 1 + (4096.0 * 10 / Math.Max(request.BaudRate, 1)))),
            };
            log.Verbose("Opening " + request.Target + " at " + settings.Describe());
            try
            {
                return ModemClient.Connect(SerialTransport.Open(settings), request.Options, log, cancellationToken);
            }
            catch (ModemConnectionException ex) when (SerialConnectRetry.ShouldRetryWithoutFlowControl(ex, settings.Handshake, request.HandshakeChosen))
            {
                // Boards without RTS/CTS wiring (some Feather and custom boards) stay silent, or stall our writes, with flow control on.
                log.Warning(SerialConnectRetry.RetryWarning(request.Target, ex));
                settings.Handshake = SerialHandshake.None;
                return ModemClient.Connect(SerialTransport.Open(settings), request.Options, log, cancellationToken);
            }
        }

        /// <summary>Flash writes and deletes never get less than this, whatever -TimeoutSeconds says.</summary>
        public static readonly TimeSpan MinimumWriteTimeout = TimeSpan.FromSeconds(2);

        /// <summary>Key generation and attestation tokens never get less than this.</summary>
        public static readonly TimeSpan MinimumKeyGenerationTimeout = TimeSpan.FromSeconds(5);

        /// <summary>
        /// The session's timeouts, one rule: without a value the defaults hold (5 s a command, 10 s a
        /// flash write or delete, 15 s a functional-mode change, 30 s key generation, 1.5 s a
        /// detection probe). With <paramref name="userSeconds"/> (-TimeoutSeconds) that value applies
        /// to every command, except that a flash write or delete gets at least
        /// <see cref="MinimumWriteTimeout"/> and key generation at least
        /// <see cref="MinimumKeyGenerationTimeout"/>; a detection probe waits at most 1.5 s, longer
        /// only on a slow link (above 5 s, in proportion). Every wait also gets the wire time of its
        /// bytes at the session's baud rate (see <see cref="At.AtChannel.WireTime"/>).
        /// </summary>
        public static void ApplyTimeout(ModemClientOptions options, double? userSeconds)
        {
            if (userSeconds is not double seconds)
            {
                return;
            }

            TimeSpan value = TimeSpan.FromSeconds(seconds);
            options.DefaultTimeout = value;
            options.FunctionalModeTimeout = value;
            options.WriteTimeout = value > MinimumWriteTimeout ? value : MinimumWriteTimeout;
            options.KeyGenerationTimeout = value > MinimumKeyGenerationTimeout ? value : MinimumKeyGenerationTimeout;
            options.DetectTimeout = TimeSpan.FromSeconds(seconds < 1.5 ? seconds : 1.5 * Math.Max(1, seconds / 5));
        }

        /// <summary>Parses tcp://host:port or says how to write it.</summary>
        public static Uri ParseTcp(string target)
        {
            if (Uri.TryCreate(target, UriKind.Absolute, out Uri? uri))
            {
                return uri; // ConnectTcp explains a missing port.
            }

            throw new ModemException(ErrorIds.InvalidUri, ModemErrorCategory.InvalidArgument,
                "'" + target + "' is not a tcp://host:port address.", "Write it as tcp://host:port, for example tcp://127.0.0.1:7000.");
        }

    }
}
