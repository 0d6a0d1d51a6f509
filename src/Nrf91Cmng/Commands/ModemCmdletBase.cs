using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Logging;

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
        internal bool ShouldProcessUnlessForced(bool force, string target, string action)
        {
            bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w) && w is SwitchParameter ws && ws.IsPresent;
            bool confirm = MyInvocation.BoundParameters.TryGetValue("Confirm", out object? c) && c is SwitchParameter cs && cs.IsPresent;
            return force && !whatIf && !confirm ? true : ShouldProcess(target, action);
        }

        /// <summary>Writes a non-terminating error for an engine failure.</summary>
        internal void WriteModemError(ModemException exception, object? target)
        {
            Log.Flush();
            WriteError(ToErrorRecord(exception, target));
        }

        /// <summary>Stops the cmdlet with an engine failure.</summary>
        internal void ThrowModemError(ModemException exception, object? target)
        {
            Log.Flush();
            ThrowTerminatingError(ToErrorRecord(exception, target));
        }

        /// <summary>Stops the cmdlet with an error of this layer.</summary>
        internal void ThrowError(string errorId, ErrorCategory category, string message, string? remedy, object? target, Exception? inner = null)
        {
            Log.Flush();
            ThrowTerminatingError(MakeRecord(errorId, category, message, remedy, target, inner));
        }

        /// <summary>Writes a non-terminating error of this layer.</summary>
        internal void WriteError(string errorId, ErrorCategory category, string message, string? remedy, object? target, Exception? inner = null)
        {
            Log.Flush();
            WriteError(MakeRecord(errorId, category, message, remedy, target, inner));
        }

        /// <summary>The ErrorRecord of an engine failure: id, category, message and remedy.</summary>
        internal static ErrorRecord ToErrorRecord(ModemException exception, object? target)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, Map(exception.Category), target);
            record.ErrorDetails = new ErrorDetails(exception.Message);
            if (exception.Remedy is not null)
            {
                record.ErrorDetails.RecommendedAction = exception.Remedy;
            }

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
            _ => ErrorCategory.NotSpecified,
        };

        private static ErrorRecord MakeRecord(string errorId, ErrorCategory category, string message, string? remedy, object? target, Exception? inner)
        {
            var record = new ErrorRecord(new InvalidOperationException(message, inner), errorId, category, target);
            record.ErrorDetails = new ErrorDetails(message);
            if (remedy is not null)
            {
                record.ErrorDetails.RecommendedAction = remedy;
            }

            return record;
        }

        /// <summary>
        /// Forwards engine messages to the cmdlet's streams. Calls from the pipeline thread write at
        /// once; calls from worker threads (fleet provisioning) are queued and written by the next
        /// <see cref="Flush"/> on the pipeline thread, because PowerShell streams are single-threaded.
        /// </summary>
        internal sealed class CmdletLog : IModemLog
        {
            private readonly Cmdlet _cmdlet;
            private readonly int _pipelineThread;
            private readonly ConcurrentQueue<(char Kind, string Text)> _queued = new ConcurrentQueue<(char, string)>();

            public CmdletLog(Cmdlet cmdlet)
            {
                _cmdlet = cmdlet;
                _pipelineThread = Environment.CurrentManagedThreadId;
            }

            public void Verbose(string message) => Write('V', message);

            public void Debug(string message) => Write('D', message);

            public void Warning(string message) => Write('W', message);

            /// <summary>Writes what worker threads queued; call from the pipeline thread only.</summary>
            public void Flush()
            {
                while (_queued.TryDequeue(out (char Kind, string Text) item))
                {
                    Emit(item.Kind, item.Text);
                }
            }

            private void Write(char kind, string text)
            {
                text = SecretScrubber.Scrub(text);
                if (Environment.CurrentManagedThreadId == _pipelineThread)
                {
                    Flush();
                    Emit(kind, text);
                }
                else
                {
                    _queued.Enqueue((kind, text));
                }
            }

            private void Emit(char kind, string text)
            {
                switch (kind)
                {
                    case 'V':
                        _cmdlet.WriteVerbose(text);
                        break;
                    case 'D':
                        _cmdlet.WriteDebug(text);
                        break;
                    default:
                        _cmdlet.WriteWarning(text);
                        break;
                }
            }
        }
    }
}
