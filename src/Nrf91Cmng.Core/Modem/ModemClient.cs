using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Nrf91Cmng.Core.At;
using Nrf91Cmng.Core.Credentials;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Keys;
using Nrf91Cmng.Core.Logging;
using Nrf91Cmng.Core.Transport;

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
    public sealed class ModemClient : IFunctionalModeControl, IDisposable
    {
        private static readonly Regex s_bareName = new Regex(@"^[A-Za-z0-9][A-Za-z0-9_.\-+ ]{1,63}$", RegexOptions.CultureInvariant);
        private static readonly Regex s_imei = new Regex(@"^\d{14,17}$", RegexOptions.CultureInvariant);
        private static readonly Regex s_credentialsFound = new Regex(@"^\d+ credentials found\.$", RegexOptions.CultureInvariant);
        private static readonly Regex s_uuid = new Regex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", RegexOptions.CultureInvariant);

        private readonly object _exclusive = new object();
        private readonly ModemClientOptions _options;
        private int _seenRestarts;

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

        private void EstablishMode(IModemLog log, CancellationToken cancellationToken)
        {
            var cmee = new AtRequest("AT+CMEE=1") { Timeout = _options.DetectTimeout };
            if (_options.Mode != CommandMode.Auto)
            {
                Channel.Mode = _options.Mode;
                if (Channel.IsShell)
                {
                    EnterForcedShell(log, cancellationToken);
                }

                if (Channel.HasAt)
                {
                    cmee.Timeout = null;
                    EnableNumericErrors(cmee, log, cancellationToken, quiet: false);
                }

                _seenRestarts = Channel.RestartCount;
                log.Verbose("Command mode: " + Describe(Channel.Mode) + " (chosen with -CommandMode).");
                return;
            }

            // A mode is taken on the first clean answer. After trouble (a timeout, a refused CMEE) a
            // late answer to an earlier program's command may have been taken for ours, so the mode
            // must then also answer a plain AT before it is believed. Detection is bounded: each probe
            // waits DetectTimeout, and while not a byte has come back a resynchronisation tries once,
            // so a port with nothing behind it fails in a few seconds; a line that answers something
            // (a modem still finishing an interrupted command) gets every attempt.
            // The raw AT console is asked first and costs what it always did (AT+CMEE=1); a Zephyr shell
            // answers that with "AT+CMEE=1: command not found" at once, and only then are the shell's
            // commands probed.
            try
            {
                Channel.Mode = CommandMode.At;
                Channel.ResyncAttempts = Channel.BytesReceived > 0 ? 4 : 1;
                try
                {
                    if (!Channel.NeedsResync || Channel.TryResynchronise(log, cancellationToken))
                    {
                        cmee.DetectShell = true;
                        AtResponse response = SendNumericErrors(cmee, log, cancellationToken, quiet: false);
                        if (response.ShellAnswered)
                        {
                            DetectShell(log, cancellationToken);
                            return;
                        }

                        if (response.IsOk || AnswersAt(log, cancellationToken))
                        {
                            log.Verbose("Command mode: " + Describe(CommandMode.At) + ".");
                            return;
                        }
                    }
                }
                catch (ModemTimeoutException)
                {
                    // Try a shell next.
                }

                // A shell that did not say "command not found" (messages lost, an unusual prompt): it
                // answers an empty line with a prompt.
                Channel.Mode = CommandMode.Shell;
                Channel.ResyncAttempts = Channel.BytesReceived > 0 ? 4 : 1;
                try
                {
                    if ((!Channel.NeedsResync || Channel.TryResynchronise(log, cancellationToken))
                        && Channel.LearnPrompt(_options.DetectTimeout, log, cancellationToken) is not null)
                    {
                        DetectShell(log, cancellationToken);
                        return;
                    }
                }
                catch (ModemTimeoutException)
                {
                    // Nothing there either.
                }

                // A quote left open by an earlier program: the raw resynchronisation closes it.
                Channel.Mode = CommandMode.At;
                Channel.ResyncAttempts = Channel.BytesReceived > 0 ? 4 : 1;
                if (Channel.TryResynchronise(log, cancellationToken, closeQuote: true))
                {
                    EnableNumericErrors(cmee, log, cancellationToken, quiet: false);
                    return;
                }
            }
            finally
            {
                Channel.ResyncAttempts = 4;
            }

            throw new ModemConnectionException(ErrorIds.NoAtConsole,
                "Nothing on " + Channel.Transport.Name + " answered AT, neither as a raw AT console nor as a Zephyr shell"
                + (Channel.BytesReceived == 0 ? "; not a single byte came back." : "; what came back was not an answer (" + Channel.BytesReceived.ToString(CultureInfo.InvariantCulture) + " bytes)."),
                "Check that this is the board's AT port (on an nRF91 DK the first of its serial ports), that the board is powered and runs an AT host firmware (at_client, serial_lte_modem) or a Zephyr shell with 'at' or 'cred' (modem_shell), the baud rate, the line ending (-LineEnding Cr) and flow control (-Handshake None for boards without RTS/CTS).");
        }

        /// <summary>
        /// A Zephyr shell answered: learn its prompt, then ask which of <c>cred</c> and <c>at</c> it has
        /// (<c>cred list</c>, <c>at AT+CMEE=1</c>, one round trip each; the second also turns numeric
        /// errors on) and take the mode: both → <see cref="CommandMode.CredAndAt"/>, <c>cred</c> only →
        /// <see cref="CommandMode.Cred"/>, <c>at</c> only → <see cref="CommandMode.Shell"/>.
        /// </summary>
        private void DetectShell(IModemLog log, CancellationToken cancellationToken)
        {
            Channel.Mode = CommandMode.Shell;
            string prompt = Channel.Prompt ?? Channel.LearnPrompt(_options.DetectTimeout, log, cancellationToken)
                ?? throw new ModemException(ErrorIds.ShellWithoutCommands, ModemErrorCategory.NotImplemented,
                    "The console on " + Channel.Transport.Name + " is a Zephyr shell (it answered 'command not found'), but it prints no prompt, and a shell command is only known to be over when the next prompt arrives.",
                    "Turn the prompt on (shell prompt on, or CONFIG_SHELL_PROMPT_UART), or connect to the board's raw AT console (at_client).");

            bool hasCred = false;
            string credAnswer = "no answer";
            ShellResponse list = Channel.ExecuteShell(new ShellRequest("cred list") { Timeout = _options.DetectTimeout + _options.DefaultTimeout }, log, cancellationToken);
            foreach (string line in list.Lines)
            {
                string text = line.Trim();
                if (s_credentialsFound.IsMatch(text))
                {
                    hasCred = true;
                    credAnswer = text;
                }
                else if (AtResponseCollector.IsCommandNotFound(text))
                {
                    credAnswer = text;
                }
            }

            bool hasAt = false;
            string atAnswer = "no answer";
            try
            {
                AtResponse at = Channel.Execute(new AtRequest("AT+CMEE=1") { Timeout = _options.DetectTimeout, DetectShell = true }, log, cancellationToken);
                hasAt = !at.ShellAnswered;
                atAnswer = at.FinalLine;
                if (hasAt && !at.IsOk)
                {
                    log.Warning("The modem refused AT+CMEE=1 (" + at.FinalLine + "): errors will be reported without CME codes.");
                }
            }
            catch (ModemTimeoutException)
            {
                // 'at' that never answers: taken as absent; the console is resynchronised next.
                atAnswer = "no answer to 'at AT+CMEE=1'";
            }

            _seenRestarts = Channel.RestartCount;
            if (!hasCred && !hasAt)
            {
                throw new ModemException(ErrorIds.ShellWithoutCommands, ModemErrorCategory.NotImplemented,
                    "The console on " + Channel.Transport.Name + " is a Zephyr shell (prompt '" + prompt + "') with neither NCS's 'at' command nor the TLS credentials shell 'cred' ('cred list' answered '"
                    + credAnswer + "', 'at AT+CMEE=1' answered '" + atAnswer + "'): nothing reaches the modem's credentials through it.",
                    "Build the firmware with CONFIG_AT_SHELL=y (NCS at_shell) or CONFIG_TLS_CREDENTIALS_SHELL=y, or connect to the board's raw AT console (at_client); check that this is the right port.");
            }

            Channel.Mode = hasCred && hasAt ? CommandMode.CredAndAt : hasCred ? CommandMode.Cred : CommandMode.Shell;
            log.Verbose("Command mode: " + Describe(Channel.Mode) + " (prompt '" + prompt + "'; 'cred list' answered '" + credAnswer + "', 'at AT+CMEE=1' answered '" + atAnswer + "').");
            if (!hasAt)
            {
                log.Verbose("This shell has no 'at' command: the model, firmware, IMEI and functional mode cannot be read and stay empty; credentials go through 'cred'.");
            }
        }

        /// <summary>-CommandMode Shell, Cred or CredAndAt: learn the prompt (a shell command is over when it comes back).</summary>
        private void EnterForcedShell(IModemLog log, CancellationToken cancellationToken)
        {
            if (Channel.LearnPrompt(_options.DetectTimeout, log, cancellationToken) is null)
            {
                if (Channel.Mode != CommandMode.Shell)
                {
                    throw new ModemException(ErrorIds.ShellWithoutCommands, ModemErrorCategory.NotImplemented,
                        "-CommandMode " + Channel.Mode + " needs a Zephyr shell, but nothing on " + Channel.Transport.Name + " answered an empty line with a prompt.",
                        "Check the port and that the firmware runs a shell with 'cred' (CONFIG_TLS_CREDENTIALS_SHELL=y) and a prompt; or use -CommandMode Auto to detect the console.");
                }

                // The 'at' shell without a prompt: replies still end in OK or ERROR.
                log.Verbose("No shell prompt came back: 'at' replies are taken as over at their OK or ERROR.");
            }
        }

        /// <summary>The console in words.</summary>
        public static string Describe(CommandMode mode) => mode switch
        {
            CommandMode.At => "raw AT console",
            CommandMode.Shell => "Zephyr shell with 'at' (AT commands and credentials as at '<command>')",
            CommandMode.Cred => "Zephyr shell with 'cred' and no 'at' (credentials through the TLS credentials shell; no AT commands)",
            CommandMode.CredAndAt => "Zephyr shell with 'cred' and 'at' (credentials through the TLS credentials shell, other AT commands through 'at')",
            _ => "not detected yet",
        };

        private bool AnswersAt(IModemLog log, CancellationToken cancellationToken)
        {
            try
            {
                bool ok = Channel.Execute(new AtRequest("AT") { Timeout = _options.DetectTimeout }, log, cancellationToken).IsOk
                    && Channel.DrainLateReplies(_options.SettleTime, log, cancellationToken) == 0;
                if (ok)
                {
                    Channel.Execute(new AtRequest("AT+CMEE=1") { Timeout = _options.DetectTimeout }, log, cancellationToken);
                }

                return ok;
            }
            catch (ModemTimeoutException)
            {
                return false;
            }
        }

        /// <summary>Sends AT+CMEE=1; true when the modem accepted it. <paramref name="quiet"/> skips the warning (the caller verifies the mode).</summary>
        private bool EnableNumericErrors(AtRequest cmee, IModemLog log, CancellationToken cancellationToken, bool quiet) =>
            SendNumericErrors(cmee, log, cancellationToken, quiet).IsOk;

        private AtResponse SendNumericErrors(AtRequest cmee, IModemLog log, CancellationToken cancellationToken, bool quiet)
        {
            AtResponse response = Channel.Execute(cmee, log, cancellationToken);
            if (response.ShellAnswered)
            {
                return response; // a Zephyr shell: the caller probes it
            }

            // The answer may have been a late one to an earlier program's command (the modem was still
            // busy, so ours was lost or cut): if more replies follow unasked, ask again until the line
            // is quiet, so that no later answer is taken for the wrong command.
            for (int attempt = 0; attempt < 5 && Channel.DrainLateReplies(_options.SettleTime, log, cancellationToken) > 0; attempt++)
            {
                log.Verbose("Discarded late replies to an earlier command; asking again.");
                response = Channel.Execute(new AtRequest(cmee.Command) { Timeout = cmee.Timeout ?? _options.DetectTimeout }, log, cancellationToken);
            }

            if (!response.IsOk && !quiet)
            {
                log.Warning("The modem refused AT+CMEE=1 (" + response.FinalLine + "): errors will be reported without CME codes.");
            }

            _seenRestarts = Channel.RestartCount;
            return response;
        }

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
