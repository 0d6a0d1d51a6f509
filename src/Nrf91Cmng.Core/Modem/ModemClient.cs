using Nrf91Cmng.Core.Keys;

namespace Nrf91Cmng.Core.Modem
{
    /// <summary>Settings of a modem connection.</summary>
    public sealed class ModemClientOptions
    {
        /// <summary>Raw AT, Zephyr shell, or detect.</summary>
        public CommandMode Mode { get; set; } = CommandMode.Auto;

        /// <summary>Appended to every command (CR LF works with every at_host build).</summary>
        public LineTerminator Terminator { get; set; } = LineTerminator.CrLf;

        /// <summary>Timeout of ordinary commands.</summary>
        public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>Timeout of a credential write (the modem writes flash).</summary>
        public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Timeout of a functional-mode change (detaching from the network can take seconds).</summary>
        public TimeSpan FunctionalModeTimeout { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>Timeout of <c>%KEYGEN</c> and <c>%ATTESTTOKEN</c> (nRF Cloud's tools use 30 s).</summary>
        public TimeSpan KeyGenerationTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>How long each command-mode probe waits on connect.</summary>
        public TimeSpan DetectTimeout { get; set; } = TimeSpan.FromMilliseconds(1500);

        /// <summary>Read identity (model, firmware, IMEI) and the functional mode on connect.</summary>
        public bool Identify { get; set; } = true;

        /// <summary>How long the line must stay quiet after the first answer on connect (late replies of an earlier program are discarded).</summary>
        public TimeSpan SettleTime { get; set; } = TimeSpan.FromMilliseconds(100);

        /// <summary>Sees every exchange from the first byte on (a transcript); null for none.</summary>
        public Logging.ITrafficObserver? Observer { get; set; }

        /// <summary>
        /// What the user says about the shell's <c>at</c> (<c>CONFIG_AT_SHELL_UNESCAPE_LF</c>): true skips the
        /// one-time probe write before the first multi-line write; null probes.
        /// </summary>
        public bool? ShellUnescapeLf { get; set; }
    }

    /// <summary>
    /// A connected modem: the AT channel plus the modem's identity and every credential operation
    /// as one AT command each. Failures are thrown as typed <see cref="ModemException"/>s whose
    /// CME codes are explained for the command family that produced them.
    /// </summary>
    public sealed partial class ModemClient : IFunctionalModeControl, IDisposable
    {
        private static readonly Regex s_bareName = new Regex(@"^[A-Za-z0-9][A-Za-z0-9_.\-+ ]{1,63}$", RegexOptions.CultureInvariant);
        private static readonly Regex s_imei = new Regex(@"^\d{14,17}$", RegexOptions.CultureInvariant);
        private static readonly Regex s_credentialsFound = new Regex(@"^\d+ credentials found\.$", RegexOptions.CultureInvariant);
        private static readonly Regex s_uuid = new Regex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", RegexOptions.CultureInvariant);

        private readonly object _exclusive = new object();
        private readonly ModemClientOptions _options;
        private int _seenRestarts;

        // Connect took a clean OK to AT+CMEE=1 without waiting for a quiet line; Identify checks its replies.
        private bool _settleDeferred;

        private ModemClient(AtChannel channel, ModemClientOptions options)
        {
            Channel = channel;
            _options = options;
            Identity = new ModemIdentity(null, FirmwareInfo.Parse(null), null, null);
        }

        /// <summary>The AT channel.</summary>
        public AtChannel Channel { get; }

        /// <summary>The options the client was created with.</summary>
        public ModemClientOptions Options => _options;

        /// <inheritdoc />
        public bool IsUsable => Channel.IsUsable;

        /// <summary>The detected or chosen command mode.</summary>
        public CommandMode Mode => Channel.Mode;

        /// <summary>Model, firmware and IMEI as last read.</summary>
        public ModemIdentity Identity { get; private set; }

        /// <summary>
        /// The functional mode as last read or set by this client; null when unknown (after a
        /// restart). Write paths use it to avoid a read, and recover from a stale value on 518.
        /// </summary>
        public int? KnownFunctionalMode { get; private set; }

        /// <summary>
        /// Opens an AT session over <paramref name="transport"/>: detects the command mode, enables
        /// numeric errors (<c>AT+CMEE=1</c>) and reads the identity and functional mode.
        /// The transport is disposed if this fails.
        /// </summary>
        public static ModemClient Connect(IModemTransport transport, ModemClientOptions? options, IModemLog? log, CancellationToken cancellationToken)
        {
            options ??= new ModemClientOptions();
            log ??= NullModemLog.Instance;
            var channel = new AtChannel(transport)
            {
                Terminator = options.Terminator,
                DefaultTimeout = options.DefaultTimeout,
                Observer = options.Observer,
            };
            var client = new ModemClient(channel, options) { ShellUnescapesLf = options.ShellUnescapeLf };
            try
            {
                transport.DiscardInput();
                client.EstablishMode(log, cancellationToken);
                if (options.Identify && channel.HasAt)
                {
                    client.Identify(log, cancellationToken);
                    try
                    {
                        client.GetFunctionalMode(log, cancellationToken);
                    }
                    catch (ModemException ex) when (channel.IsShell && ex.ErrorId == ErrorIds.ShellCommandFailed)
                    {
                        // A shell whose 'at' cannot pass "AT+CFUN?" (wildcards): the session still works without the mode.
                        client.FunctionalModeReadable = false;
                        log.Warning("The functional mode cannot be read through this shell: " + ex.Message + " Credentials are written without switching the modem offline: put it offline yourself (Set-ModemFunctionalMode -Mode Offline sends AT+CFUN=4, which has no '?').");
                    }
                }

                return client;
            }
            catch
            {
                channel.Dispose();
                throw;
            }
        }

        /// <summary>Holds the session for a multi-command operation so no other thread interleaves commands.</summary>
        public IDisposable Exclusive()
        {
            Monitor.Enter(_exclusive);
            return new Releaser(_exclusive);
        }

        /// <summary>As <see cref="Exclusive"/>, but gives up after <paramref name="timeout"/>: null while another thread holds the session.</summary>
        public IDisposable? TryExclusive(TimeSpan timeout) => Monitor.TryEnter(_exclusive, timeout) ? new Releaser(_exclusive) : null;

        /// <summary>Sends a command and returns the response whatever its result (Invoke-ModemCommand).</summary>
        public AtResponse Send(AtRequest request, IModemLog? log, CancellationToken cancellationToken)
        {
            lock (_exclusive)
            {
                ReapplyAfterRestart(log, cancellationToken);
                AtResponse response = Channel.Execute(request, log, cancellationToken);
                Track(request.Command, response);
                return response;
            }
        }

        /// <summary>Runs one shell command line (<c>cred …</c>) and returns what it printed up to the next prompt.</summary>
        public ShellResponse SendShell(ShellRequest request, IModemLog? log, CancellationToken cancellationToken)
        {
            lock (_exclusive)
            {
                ReapplyAfterRestart(log, cancellationToken);
                return Channel.ExecuteShell(request, log, cancellationToken);
            }
        }

        /// <summary>
        /// Whether the shell's <c>at</c> turns <c>\n</c> into CR LF (<c>CONFIG_AT_SHELL_UNESCAPE_LF</c>):
        /// null until a probe write or the user (-ShellUnescapeLf) says; the firmware cannot be asked.
        /// </summary>
        public bool? ShellUnescapesLf { get; set; }

        /// <summary>False when the functional mode cannot be read (a shell that takes '?' as a wildcard): stores then do not manage it.</summary>
        public bool FunctionalModeReadable { get; private set; } = true;

        /// <summary>The console in words (<see cref="Describe(CommandMode)"/>).</summary>
        public string ConsoleDescription => Describe(Mode);

        /// <summary>Sends a command and throws a typed error unless it answers OK.</summary>
        public AtResponse Execute(AtRequest request, CommandFamily family, IModemLog? log, CancellationToken cancellationToken, string? what = null)
        {
            AtResponse response = Send(request, log, cancellationToken);
            if (!response.IsOk)
            {
                throw new ModemCommandException(response, family, what);
            }

            return response;
        }

        /// <summary>Reads model, firmware and IMEI (<c>AT+CGMM</c>, <c>AT+CGMR</c>, <c>AT+CGSN</c>).</summary>
        public ModemIdentity Identify(IModemLog? log, CancellationToken cancellationToken)
        {
            string? model = ReadBare("AT+CGMM", log, cancellationToken, line => s_bareName.IsMatch(line));
            string? firmware = ReadBare("AT+CGMR", log, cancellationToken, line => s_bareName.IsMatch(line));
            string? imei = ReadBare("AT+CGSN", log, cancellationToken, line => s_imei.IsMatch(line));
            if (_settleDeferred)
            {
                _settleDeferred = false;
                if (model is null || firmware is null)
                {
                    // Connect took the first clean OK without waiting for a quiet line. A model or firmware
                    // answered with a bare OK means that OK was a late one (ours to AT+CMEE=1, behind an
                    // earlier program's answer) and every reply since belongs to the command before: let
                    // the line go quiet, then read again.
                    IModemLog l = log ?? NullModemLog.Instance;
                    l.Verbose("The identity replies were shifted by a late answer: waiting for a quiet line and reading them again.");
                    WaitForQuietLine(l, cancellationToken);

                    return Identify(log, cancellationToken);
                }
            }

            Identity = new ModemIdentity(model, FirmwareInfo.Parse(firmware), imei, Identity.Manufacturer);
            return Identity;
        }

        /// <summary>Reads the manufacturer (<c>AT+CGMI</c>).</summary>
        public string? ReadManufacturer(IModemLog? log, CancellationToken cancellationToken)
        {
            string? manufacturer = ReadBare("AT+CGMI", log, cancellationToken, line => s_bareName.IsMatch(line));
            Identity = new ModemIdentity(Identity.Model, Identity.Firmware, Identity.Imei, manufacturer);
            return manufacturer;
        }

        /// <summary>Reads the device UUID with <c>AT%DEVICEUUID</c> (nRF91x1 firmware); null where the firmware lacks it.</summary>
        public Guid? ReadDeviceUuid(IModemLog? log, CancellationToken cancellationToken)
        {
            if (!Identity.Firmware.HasDeviceUuidCommand)
            {
                return null;
            }

            AtResponse response = Send(new AtRequest("AT%DEVICEUUID") { ResponsePrefix = "%DEVICEUUID:" }, log, cancellationToken);
            if (!response.IsOk || response.Lines.Count == 0)
            {
                return null;
            }

            Match m = s_uuid.Match(response.Lines[0]);
            return m.Success ? Guid.Parse(m.Value) : (Guid?)null;
        }

        /// <summary>
        /// The device UUID from <c>AT%DEVICEUUID</c>, else from an attestation token (mfw 1.3.0 and
        /// later); null on firmware that has neither.
        /// </summary>
        public Guid? ReadDeviceUuidOrAttest(IModemLog? log, CancellationToken cancellationToken)
        {
            Guid? uuid = ReadDeviceUuid(log, cancellationToken);
            if (uuid is null && Identity.Firmware.HasKeyGeneration)
            {
                uuid = Crypto.AttestationToken.Parse(this.GetAttestationToken(null, log, cancellationToken)).DeviceUuid;
            }

            return uuid;
        }

        /// <summary>
        /// As <see cref="ReadDeviceUuidOrAttest"/>, but a modem error other than a lost connection or
        /// a timeout gives null (logged), so an identity read never fails on the UUID alone.
        /// </summary>
        public Guid? TryReadDeviceUuid(IModemLog log, CancellationToken cancellationToken)
        {
            try
            {
                return ReadDeviceUuidOrAttest(log, cancellationToken);
            }
            catch (ModemException ex) when (ex.Category != ModemErrorCategory.ConnectionError && ex.Category != ModemErrorCategory.OperationTimeout)
            {
                log.Verbose("The device UUID could not be read: " + ex.Message);
                return null;
            }
        }

        /// <summary>
        /// Reads the modem clock with <c>AT+CCLK?</c>: the <c>+CCLK:</c> line as the modem prints it
        /// (judge it with <c>Readiness.ModemClock.Parse</c>), or null when the firmware answers an
        /// error or no such line. Reads only: the clock is never set.
        /// </summary>
        public string? ReadClock(IModemLog? log, CancellationToken cancellationToken)
        {
            AtResponse response = Send(new AtRequest("AT+CCLK?") { ResponsePrefix = "+CCLK:" }, log, cancellationToken);
            if (!response.IsOk || response.Lines.Count == 0)
            {
                (log ?? NullModemLog.Instance).Verbose("AT+CCLK? gave no time (" + response.FinalLine + ").");
                return null;
            }

            return response.Lines[0].Trim();
        }

        /// <summary>Reads the functional mode (<c>AT+CFUN?</c>).</summary>
        public int GetFunctionalMode(IModemLog? log, CancellationToken cancellationToken)
        {
            AtResponse response = Execute(new AtRequest("AT+CFUN?") { ResponsePrefix = "+CFUN:" }, CommandFamily.FunctionalMode, log, cancellationToken);
            int mode = ParseIntAfterColon(response, "+CFUN:");
            KnownFunctionalMode = mode;
            return mode;
        }

        /// <summary>Sets the functional mode (<c>AT+CFUN=n</c>).</summary>
        public void SetFunctionalMode(int mode, IModemLog? log, CancellationToken cancellationToken)
        {
            var request = new AtRequest("AT+CFUN=" + mode.ToString(CultureInfo.InvariantCulture))
            {
                Timeout = _options.FunctionalModeTimeout,
                SlowBecause = "changing the functional mode (attaching to or detaching from the network)",
            };
            try
            {
                Execute(request, CommandFamily.FunctionalMode, log, cancellationToken);
                KnownFunctionalMode = mode;
            }
            catch
            {
                KnownFunctionalMode = null;
                throw;
            }
        }

        /// <summary>True for modes in which credentials cannot be written (LTE active: 1, 2, 21).</summary>
        public static bool IsActiveMode(int mode) => mode == 1 || mode == 2 || mode == 21;

        /// <summary>Closes the connection.</summary>
        public void Dispose() => Channel.Dispose();

        private void ReapplyAfterRestart(IModemLog? log, CancellationToken cancellationToken)
        {
            if (Channel.RestartCount == _seenRestarts)
            {
                return;
            }

            _seenRestarts = Channel.RestartCount;
            KnownFunctionalMode = null;
            if (!Channel.HasAt)
            {
                (log ?? NullModemLog.Instance).Warning("The board on " + Channel.Transport.Name + " restarted; a volatile credential store (RAM) has lost what was written since boot.");
                return;
            }

            (log ?? NullModemLog.Instance).Warning("The modem on " + Channel.Transport.Name + " restarted; it is in its power-on functional mode and numeric errors are re-enabled.");
            Channel.Execute(new AtRequest("AT+CMEE=1"), log, cancellationToken);
        }

        private void Track(string command, AtResponse response)
        {
            if (response.IsOk && command.StartsWith("AT+CFUN=", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(command.Substring(8), NumberStyles.None, CultureInfo.InvariantCulture, out int mode))
            {
                KnownFunctionalMode = mode;
            }
            else if (response.ErrorCode == 518)
            {
                // The cached mode was stale: the modem says it is active.
                KnownFunctionalMode = null;
            }
        }

        private string? ReadBare(string command, IModemLog? log, CancellationToken cancellationToken, Func<string, bool>? filter = null)
        {
            // Line noise (garbage bytes glued to the front of the reply, a stray line before it) must
            // not become the model, firmware or IMEI: the value is the last line that, cut after
            // its last non-printable byte, has the expected shape.
            Func<string, bool>? accept = filter is null ? null : line => filter(AfterNoise(line));
            AtResponse response = Send(new AtRequest(command) { BareLineFilter = accept }, log, cancellationToken);
            string? value = response.IsOk ? response.Lines.Select(AfterNoise).LastOrDefault(l => l.Length > 0 && (filter is null || filter(l))) : null;
            if (value is null)
            {
                (log ?? NullModemLog.Instance).Verbose(command + " gave no value (" + response.FinalLine + ").");
            }

            return value;
        }

        /// <summary>The part of a line after its last control or non-ASCII byte, trimmed.</summary>
        internal static string AfterNoise(string line)
        {
            int last = -1;
            for (int i = 0; i < line.Length; i++)
            {
                if (line[i] < 0x20 || line[i] > 0x7E)
                {
                    last = i;
                }
            }

            return line.Substring(last + 1).Trim();
        }

        private static int ParseIntAfterColon(AtResponse response, string prefix)
        {
            foreach (string line in response.Lines)
            {
                string rest = line.Substring(prefix.Length).Trim();
                int comma = rest.IndexOf(',');
                if (comma >= 0)
                {
                    rest = rest.Substring(0, comma);
                }

                if (int.TryParse(rest, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
                {
                    return value;
                }
            }

            throw new ModemProtocolException(ErrorIds.UnexpectedResponse, "'" + response.Command + "' did not answer with a '" + prefix + " <number>' line.");
        }

        internal static string QuotedPayload(AtResponse response, string prefix)
        {
            if (response.Lines.Count > 0)
            {
                string line = response.Lines[0];
                int first = line.IndexOf('"');
                int last = line.LastIndexOf('"');
                if (first >= 0 && last > first)
                {
                    return line.Substring(first + 1, last - first - 1);
                }
            }

            throw new ModemProtocolException(ErrorIds.UnexpectedResponse, "'" + response.Command + "' did not answer with a quoted " + prefix + " line.");
        }

        private sealed class Releaser : IDisposable
        {
            private object? _gate;

            public Releaser(object gate)
            {
                _gate = gate;
            }

            public void Dispose()
            {
                object? gate = Interlocked.Exchange(ref _gate, null);
                if (gate is not null)
                {
                    Monitor.Exit(gate);
                }
            }
        }
    }
}
