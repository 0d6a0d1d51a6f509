namespace Nrf91Cmng.Core.Errors
{
    /// <summary>No final result arrived in time.</summary>
    public sealed class ModemTimeoutException : ModemException
    {
        /// <summary>Creates the exception.</summary>
        public ModemTimeoutException(string command, TimeSpan timeout, string likelyCause)
            : base(ErrorIds.CommandTimeout, ModemErrorCategory.OperationTimeout,
                string.Format(CultureInfo.InvariantCulture, "No answer to '{0}' within {1:0.#} s. Likely cause: {2}", command, timeout.TotalSeconds, likelyCause),
                "The session resynchronises the console before its next command (a lone quote where one may be open, then AT until OK) and tells you if that fails. If timeouts repeat, check the line terminator (-LineEnding), flow control (-Handshake) and that the board runs an AT host firmware (at_client or serial_lte_modem); raise -TimeoutSeconds only for commands that are really slow.")
        {
            Command = command;
            Timeout = timeout;
            LikelyCause = likelyCause;
        }

        /// <summary>The command (redacted).</summary>
        public string Command { get; }

        /// <summary>The timeout that expired.</summary>
        public TimeSpan Timeout { get; }

        /// <summary>The most likely reason, in words.</summary>
        public string LikelyCause { get; }
    }

    /// <summary>The link to the modem failed or went away.</summary>
    public sealed class ModemConnectionException : ModemException
    {
        /// <summary>Creates the exception.</summary>
        public ModemConnectionException(string errorId, string message, string remedy, Exception? innerException = null)
            : base(errorId, ModemErrorCategory.ConnectionError, message, remedy, innerException)
        {
        }
    }

    /// <summary>The modem answered <c>ERROR</c> or <c>+CME ERROR</c>.</summary>
    public sealed class ModemCommandException : ModemException
    {
        /// <summary>Creates the exception from a failed response.</summary>
        public ModemCommandException(AtResponse response, CommandFamily family, string? what = null)
            : this(response, family, response.ErrorCode is int code ? CmeErrors.Describe(code, family) : null, what)
        {
        }

        private ModemCommandException(AtResponse response, CommandFamily family, CmeErrorInfo? info, string? what)
            : base(
                info?.ErrorId ?? ErrorIds.CommandError,
                info?.Category ?? ModemErrorCategory.DeviceError,
                BuildMessage(response, info, what),
                info?.Remedy ?? "The modem answered ERROR without a code: check the command syntax. Numeric errors are enabled on connect (AT+CMEE=1); if the modem restarted they may be off again, reconnect to re-enable them.")
        {
            Response = response;
            Family = family;
            Cme = info;
        }

        /// <summary>The response that failed.</summary>
        public AtResponse Response { get; }

        /// <summary>The command family the code was interpreted for.</summary>
        public CommandFamily Family { get; }

        /// <summary>The CME explanation, or null for a bare ERROR.</summary>
        public CmeErrorInfo? Cme { get; }

        /// <summary>The CME code, or null.</summary>
        public int? Code => Response.ErrorCode;

        private static string BuildMessage(AtResponse response, CmeErrorInfo? info, string? what)
        {
            string subject = what ?? ("'" + response.Command + "'");
            return info is null
                ? subject + " failed: the modem answered " + response.FinalLine + "."
                : subject + " failed with +CME ERROR: " + info.Code.ToString(CultureInfo.InvariantCulture) + ": " + info.Meaning + ".";
        }
    }

    /// <summary>The reply did not have the expected shape.</summary>
    public sealed class ModemProtocolException : ModemException
    {
        /// <summary>Creates the exception.</summary>
        public ModemProtocolException(string errorId, string message, string? remedy = null, Exception? innerException = null)
            : base(errorId, ModemErrorCategory.ParserError, message,
                remedy ?? "The reply was not what the AT command reference describes: check that the port carries an nRF91 AT console (Find-Modem -Probe) and retry; if it repeats, keep a transcript (Connect-Modem -TranscriptPath) and report it.",
                innerException)
        {
        }
    }
}
