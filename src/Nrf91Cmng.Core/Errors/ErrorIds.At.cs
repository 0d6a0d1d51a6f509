namespace Nrf91Cmng.Core.Errors
{
    public static partial class ErrorIds
    {
        /// <summary>No final result within the timeout.</summary>
        public const string CommandTimeout = "ModemCommandTimeout";

        /// <summary>The modem answered a bare ERROR.</summary>
        public const string CommandError = "ModemCommandError";

        /// <summary>The link went away during a command.</summary>
        public const string ConnectionLost = "ModemConnectionLost";

        /// <summary>The port, socket or simulator could not be opened.</summary>
        public const string ConnectionFailed = "ModemConnectionFailed";

        /// <summary>Nothing on the port answered AT in either command mode.</summary>
        public const string NoAtConsole = "ModemNoAtConsole";

        /// <summary>A command longer than the AT host buffer was refused before sending.</summary>
        public const string CommandTooLong = "ModemCommandTooLong";

        /// <summary>A command that cannot be framed (quote in shell mode, newline outside %CMNG=0 in shell mode, non-ASCII).</summary>
        public const string CommandNotSendable = "ModemCommandNotSendable";

        /// <summary>A reply line did not parse.</summary>
        public const string UnexpectedResponse = "ModemUnexpectedResponse";

        /// <summary>The session was disconnected or the console could not be resynchronised.</summary>
        public const string SessionUnusable = "ModemSessionUnusable";

        /// <summary>The modem restarted during an operation.</summary>
        public const string ModemRestarted = "ModemRestarted";

        /// <summary>The port is already open in this process or held by another program.</summary>
        public const string PortBusy = "ModemPortBusy";

        /// <summary>The serial port does not exist (or is not a device).</summary>
        public const string PortNotFound = "ModemPortNotFound";

        /// <summary>The host has no SerialPort implementation.</summary>
        public const string SerialUnavailable = "ModemSerialUnavailable";

        /// <summary>A -Uri that is not tcp://host:port.</summary>
        public const string InvalidUri = "ModemInvalidUri";
    }
}
