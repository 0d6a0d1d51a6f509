using System.Collections.Concurrent;
using Nrf91Cmng.Core.Logging;

namespace Nrf91Cmng.Commands
{
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
            try
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
            catch (PipelineStoppedException) when (kind == 'W')
            {
                // Ctrl+C: the pipeline takes no more records, but what the modem was left in (a mode
                // that could not be restored) must still reach the user, straight through the host.
                _cmdlet.CommandRuntime?.Host?.UI?.WriteWarningLine(text);
            }
            catch (PipelineStoppedException)
            {
                // Verbose and debug text of a stopped pipeline is dropped.
            }
        }
    }
}
