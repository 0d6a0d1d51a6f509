using Nrf91Cmng.Core.Modem;
using Nrf91Cmng.Core.Transport;
using System.Threading;
using Nrf91Cmng.Core.Keys;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// Base of every Nrf91Cmng cmdlet: a cancellation token that Ctrl+C (StopProcessing) fires,
    /// a log that forwards the engine's messages to the verbose, debug and warning streams, and
    /// one mapping from engine errors to ErrorRecords with stable ids.
    /// </summary>
    public abstract class ModemCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly CmdletLog _log;

        /// <summary>Creates the cmdlet; its log belongs to the pipeline thread that creates it.</summary>
        protected ModemCmdletBase()
        {
            // The first command of the module (not the import: a script that only imports, or lists
            // commands, never loads the engine) starts the credential warm-up in the background.
            FirstUseWarmup.StartOnce();
            _log = new CmdletLog(this);
        }

        /// <summary>Fires when the user presses Ctrl+C or the pipeline stops.</summary>
        internal CancellationToken CancelToken => _stop.Token;

        /// <summary>Where the engine reports; safe to hand to worker threads.</summary>
        internal CmdletLog Log => _log;

        /// <inheritdoc />
        public void Dispose()
        {
            _stop.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            foreach (string warning in ModuleInitializer.TakeLoadWarnings())
            {
                WriteWarning(warning);
            }
        }

        /// <inheritdoc />
        protected override void StopProcessing()
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Already finished.
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            Log.Flush();
        }

        /// <summary>
        /// ShouldProcess that -Force answers for a high-impact change: -WhatIf still only reports,
        /// an explicit -Confirm still asks, and otherwise -Force proceeds without a prompt.
        /// </summary>
        internal bool ShouldProcessUnlessForced(bool force, string target, string action) =>
            force && !WhatIfRequested && !SwitchGiven("Confirm") ? true : ShouldProcess(target, action);

        /// <summary>-WhatIf was given (ShouldProcess would only report).</summary>
        internal bool WhatIfRequested => SwitchGiven("WhatIf");

        /// <summary>
        /// Sets the command timeouts of <paramref name="options"/> from the cmdlet's -TimeoutSeconds
        /// (<paramref name="timeoutSeconds"/>) when it was given, else the per-command defaults.
        /// </summary>
        internal void ApplyTimeout(ModemClientOptions options, double timeoutSeconds) =>
            ModemConnector.ApplyTimeout(options, MyInvocation.BoundParameters.ContainsKey("TimeoutSeconds") ? timeoutSeconds : (double?)null);

        /// <summary>
        /// How to open <paramref name="target"/> (a port or tcp:// address) from the cmdlet's
        /// -BaudRate and -Handshake (given or not: without -Handshake a silent port is retried
        /// without flow control).
        /// </summary>
        internal ConnectRequest NewConnectRequest(string target, int baudRate, string handshake, ModemClientOptions options) => new ConnectRequest(target)
        {
            BaudRate = baudRate,
            Handshake = (SerialHandshake)Enum.Parse(typeof(SerialHandshake), handshake, ignoreCase: true),
            HandshakeChosen = MyInvocation.BoundParameters.ContainsKey("Handshake"),
            Options = options,
        };

        private bool SwitchGiven(string name) => MyInvocation.BoundParameters.TryGetValue(name, out object? value) && value is SwitchParameter s && s.IsPresent;

        /// <summary>
        /// Runs a device operation and reports its failure the one way every cmdlet does: Ctrl+C
        /// ends it quietly, an AT command the firmware does not know becomes the error
        /// <paramref name="unsupported"/> gives, and any engine error becomes an ErrorRecord with its
        /// stable id, category and remedy (terminating with <paramref name="terminating"/>).
        /// <paramref name="cleanup"/> runs first when it fails. Returns true when <paramref name="body"/> completed.
        /// </summary>
        internal bool Guard(object? target, Action body, Func<ModemCommandException, ModemException>? unsupported = null, bool terminating = false, Action? cleanup = null)
        {
            try
            {
                body();
                return true;
            }
            catch (OperationCanceledException)
            {
                cleanup?.Invoke();
                return false;
            }
            catch (ModemCommandException ex) when (unsupported is not null && KeyGenerationRules.IsUnknownCommand(ex))
            {
                cleanup?.Invoke();
                Report(unsupported(ex), target, terminating);
            }
            catch (ModemException ex)
            {
                cleanup?.Invoke();
                Report(ex, target, terminating);
            }

            return false;
        }

        private bool _yesToAll;
        private bool _noToAll;

        /// <summary>
        /// ShouldContinue offering Yes to All and No to All; the answer holds for the rest of this
        /// command (every credential of a plan, every piped entry).
        /// </summary>
        internal bool ShouldContinueOnce(string query, string caption) => ShouldContinue(query, caption, ref _yesToAll, ref _noToAll);

        /// <summary>Writes a non-terminating error for an engine failure.</summary>
        internal void WriteModemError(ModemException exception, object? target)
        {
            Log.Flush();
            WriteError(ToErrorRecord(exception, target));
        }

        /// <summary>The last engine error <see cref="Guard"/> reported, or null.</summary>
        internal ModemException? LastError { get; private set; }

        private void Report(ModemException exception, object? target, bool terminating)
        {
            LastError = exception;
            if (terminating || exception.Category == ModemErrorCategory.ConnectionError)
            {
                ThrowModemError(exception, target);
            }

            WriteModemError(exception, target);
        }

        /// <summary>Stops the cmdlet with an engine failure.</summary>
        internal void ThrowModemError(ModemException exception, object? target)
        {
            Log.Flush();
            ThrowTerminatingError(ToErrorRecord(exception, target));
        }

        /// <summary>Stops the cmdlet with an error of this layer.</summary>
        internal void ThrowError(string errorId, ErrorCategory category, string message, string remedy, object? target, Exception? inner = null)
        {
            Log.Flush();
            ThrowTerminatingError(MakeRecord(errorId, category, message, remedy, target, inner));
        }

        /// <summary>Writes a non-terminating error of this layer.</summary>
        internal void WriteError(string errorId, ErrorCategory category, string message, string remedy, object? target, Exception? inner = null)
        {
            Log.Flush();
            WriteError(MakeRecord(errorId, category, message, remedy, target, inner));
        }

        /// <summary>The ErrorRecord of an engine failure: id, category, message and remedy.</summary>
        internal static ErrorRecord ToErrorRecord(ModemException exception, object? target)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, Map(exception.Category), target);
            record.ErrorDetails = new ErrorDetails(exception.Message);
            record.ErrorDetails.RecommendedAction = exception.Remedy;

            return record;
        }

        /// <summary>Maps the engine's categories onto PowerShell's.</summary>
        internal static ErrorCategory Map(ModemErrorCategory category) => category switch
        {
            ModemErrorCategory.ConnectionError => ErrorCategory.ConnectionError,
            ModemErrorCategory.OperationTimeout => ErrorCategory.OperationTimeout,
            ModemErrorCategory.DeviceError => ErrorCategory.DeviceError,
            ModemErrorCategory.InvalidData => ErrorCategory.InvalidData,
            ModemErrorCategory.InvalidArgument => ErrorCategory.InvalidArgument,
            ModemErrorCategory.InvalidOperation => ErrorCategory.InvalidOperation,
            ModemErrorCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
            ModemErrorCategory.ResourceBusy => ErrorCategory.ResourceBusy,
            ModemErrorCategory.PermissionDenied => ErrorCategory.PermissionDenied,
            ModemErrorCategory.NotImplemented => ErrorCategory.NotImplemented,
            ModemErrorCategory.LimitsExceeded => ErrorCategory.LimitsExceeded,
            ModemErrorCategory.ParserError => ErrorCategory.ParserError,
            ModemErrorCategory.OperationStopped => ErrorCategory.OperationStopped,
            ModemErrorCategory.WriteError => ErrorCategory.WriteError,
            _ => ErrorCategory.InvalidOperation,
        };

        private static ErrorRecord MakeRecord(string errorId, ErrorCategory category, string message, string remedy, object? target, Exception? inner)
        {
            var record = new ErrorRecord(new InvalidOperationException(message, inner), errorId, category, target);
            record.ErrorDetails = new ErrorDetails(message);
            record.ErrorDetails.RecommendedAction = remedy;

            return record;
        }
    }
}
