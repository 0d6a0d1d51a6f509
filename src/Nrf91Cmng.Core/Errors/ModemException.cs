namespace Nrf91Cmng.Core.Errors
{
    /// <summary>
    /// Base of every error the engine reports. Carries a stable error id (one per code path, see
    /// <see cref="ErrorIds"/>), a category the cmdlet layer maps to a PowerShell ErrorCategory, and
    /// the remedy in plain words. Messages never contain credential content, PSKs or passphrases.
    /// </summary>
    public class ModemException : Exception
    {
        /// <summary>Creates the exception; every failure says what to do about it (<paramref name="remedy"/> is required).</summary>
        public ModemException(string errorId, ModemErrorCategory category, string message, string remedy, Exception? innerException = null)
            : base(message, innerException)
        {
            if (string.IsNullOrWhiteSpace(errorId))
            {
                throw new ArgumentException("Every failure has a stable error id.", nameof(errorId));
            }

            if (string.IsNullOrWhiteSpace(remedy))
            {
                throw new ArgumentException("Every failure says what to do about it (" + errorId + ").", nameof(remedy));
            }

            ErrorId = errorId;
            Category = category;
            Remedy = remedy;
        }

        /// <summary>Stable identifier of the code path that failed (see <see cref="ErrorIds"/>).</summary>
        public string ErrorId { get; }

        /// <summary>What kind of failure this is.</summary>
        public ModemErrorCategory Category { get; }

        /// <summary>What the user can do about it.</summary>
        public string Remedy { get; }
    }

    /// <summary>Failure kinds; the cmdlet layer maps them one to one onto PowerShell's ErrorCategory.</summary>
    public enum ModemErrorCategory
    {
        /// <summary>The port, socket or simulator could not be reached or went away.</summary>
        ConnectionError,

        /// <summary>No final result arrived within the timeout.</summary>
        OperationTimeout,

        /// <summary>The modem answered ERROR or +CME ERROR.</summary>
        DeviceError,

        /// <summary>Input rejected before anything was sent.</summary>
        InvalidData,

        /// <summary>An argument is out of range or malformed.</summary>
        InvalidArgument,

        /// <summary>The modem is in a state that forbids the operation (functional mode, power-off warning).</summary>
        InvalidOperation,

        /// <summary>A credential, session or key is not there.</summary>
        ObjectNotFound,

        /// <summary>The port is already open.</summary>
        ResourceBusy,

        /// <summary>The modem or the rules refuse access (modem-owned entries, unreadable types).</summary>
        PermissionDenied,

        /// <summary>The firmware does not implement the command.</summary>
        NotImplemented,

        /// <summary>A size or capacity limit would be exceeded.</summary>
        LimitsExceeded,

        /// <summary>The reply could not be understood.</summary>
        ParserError,

        /// <summary>The user stopped the operation.</summary>
        OperationStopped,

        /// <summary>A file could not be written (a transcript, a record).</summary>
        WriteError,
    }
}
