namespace Nrf91Cmng.Core.Logging
{
    /// <summary>
    /// Where the engine reports what it does. The cmdlet layer forwards these to the verbose,
    /// debug and warning streams from the pipeline thread; tests record them. Every text passed
    /// here is already redacted: no credential content, PSK or passphrase ever reaches a log.
    /// </summary>
    public interface IModemLog
    {
        /// <summary>A step a user may want to follow (-Verbose).</summary>
        void Verbose(string message);

        /// <summary>Wire-level detail (-Debug): redacted commands, response lines, unsolicited lines.</summary>
        void Debug(string message);

        /// <summary>Something the user should know although the operation goes on.</summary>
        void Warning(string message);
    }

    /// <summary>A log that drops everything.</summary>
    public sealed class NullModemLog : IModemLog
    {
        /// <summary>The shared instance.</summary>
        public static readonly NullModemLog Instance = new NullModemLog();

        private NullModemLog()
        {
        }

        /// <inheritdoc />
        public void Verbose(string message)
        {
        }

        /// <inheritdoc />
        public void Debug(string message)
        {
        }

        /// <inheritdoc />
        public void Warning(string message)
        {
        }
    }

    /// <summary>Direction of one transcript record.</summary>
    public enum TrafficDirection
    {
        /// <summary>Bytes the host sent (a command, redacted).</summary>
        Sent,

        /// <summary>A line of the command's response.</summary>
        Received,

        /// <summary>An unsolicited result code or log line that arrived meanwhile.</summary>
        Unsolicited,

        /// <summary>A note by the engine (timeout, resynchronisation, reconnect).</summary>
        Note,
    }

    /// <summary>Receives every AT exchange, time-stamped and redacted (transcripts, -Debug).</summary>
    public interface ITrafficObserver
    {
        /// <summary>Called once per line or note, in order.</summary>
        void OnTraffic(DateTimeOffset time, TrafficDirection direction, string text);
    }
}

namespace Nrf91Cmng.Core.Logging
{
    /// <summary>Prefixes every message with the modem it concerns (fleet runs interleave many modems).</summary>
    public sealed class PrefixedModemLog : IModemLog
    {
        private readonly IModemLog _inner;
        private readonly string _prefix;

        /// <summary>Wraps <paramref name="inner"/>; messages become "[<paramref name="name"/>] message".</summary>
        public PrefixedModemLog(IModemLog inner, string name)
        {
            _inner = inner ?? throw new System.ArgumentNullException(nameof(inner));
            _prefix = "[" + name + "] ";
        }

        /// <inheritdoc />
        public void Verbose(string message) => _inner.Verbose(_prefix + message);

        /// <inheritdoc />
        public void Debug(string message) => _inner.Debug(_prefix + message);

        /// <inheritdoc />
        public void Warning(string message) => _inner.Warning(_prefix + message);
    }
}
