using Nrf91Cmng.Core.Platform;

namespace Nrf91Cmng.Core.Transport
{
    /// <summary>Flow control on a serial port.</summary>
    public enum SerialHandshake
    {
        /// <summary>No flow control (boards without RTS/CTS wiring, e.g. some Feather boards).</summary>
        None,

        /// <summary>Hardware RTS/CTS (the nRF91 DK default, on by default).</summary>
        RequestToSend,

        /// <summary>Software XON/XOFF.</summary>
        XOnXOff,
    }

    /// <summary>How to open a serial port: 115200 8N1 with RTS/CTS unless told otherwise.</summary>
    public sealed class SerialSettings
    {
        /// <summary>Creates settings for <paramref name="portName"/> (<c>\\.\COM10</c> is taken as COM10).</summary>
        public SerialSettings(string portName)
        {
            PortName = SerialPortNames.Normalize(portName ?? throw new ArgumentNullException(nameof(portName)));
        }

        /// <summary>COM5, /dev/ttyACM0, /dev/cu.usbmodem..., or a pseudo-terminal path.</summary>
        public string PortName { get; }

        /// <summary>Bits per second; nRF91 AT consoles run at 115200.</summary>
        public int BaudRate { get; set; } = 115200;

        /// <summary>Flow control.</summary>
        public SerialHandshake Handshake { get; set; } = SerialHandshake.RequestToSend;

        /// <summary>
        /// How long one write may wait for the device to take the bytes before it fails with
        /// <see cref="ErrorIds.SerialWriteStalled"/> (10 s: a 4 KB certificate takes 0.4 s at 115200).
        /// </summary>
        public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>
        /// Raise DTR, and RTS where flow control does not own it, after opening: what Linux and
        /// pyserial do by themselves and Windows does not (with Handshake None, SerialPort leaves RTS
        /// low, and a board whose UART waits for CTS never answers). Ports that refuse the request
        /// (pseudo-terminals) are used as they are. On by default.
        /// </summary>
        public bool RaiseControlLines { get; set; } = true;

        /// <summary>True when DTR is to be raised after opening.</summary>
        public bool RaiseDtr => RaiseControlLines;

        /// <summary>True when RTS is to be raised after opening: never under RTS/CTS, where the driver owns RTS (and SerialPort refuses to set it).</summary>
        public bool RaiseRts => RaiseControlLines && Handshake != SerialHandshake.RequestToSend;

        /// <summary>"115200 8N1, RTS/CTS".</summary>
        public string Describe() =>
            BaudRate.ToString(System.Globalization.CultureInfo.InvariantCulture) + " 8N1, "
            + (Handshake == SerialHandshake.RequestToSend ? "RTS/CTS" : Handshake == SerialHandshake.XOnXOff ? "XON/XOFF" : "no flow control");
    }

    /// <summary>
    /// Connect-Modem's fallback for boards without RTS/CTS wiring: when the first connect under the
    /// default RTS/CTS finds no console or cannot even write, it retries once without flow control.
    /// </summary>
    public static class SerialConnectRetry
    {
        /// <summary>
        /// True when a connect that failed with <paramref name="error"/> should be retried with
        /// <see cref="SerialHandshake.None"/>: flow control was RTS/CTS by default (the user did not
        /// choose it) and either nothing answered (<see cref="ErrorIds.NoAtConsole"/>) or the first
        /// write stalled (<see cref="ErrorIds.SerialWriteStalled"/>: CTS never raised).
        /// </summary>
        public static bool ShouldRetryWithoutFlowControl(ModemException error, SerialHandshake handshake, bool handshakeChosenByUser)
        {
            if (error is null)
            {
                throw new ArgumentNullException(nameof(error));
            }

            // With RTS/CTS our writes wait for CTS: a board that never raises it stalls them. Writes that
            // went out and got no answer are not a flow-control problem (the board is free to reply),
            // so they are not retried: a port with nothing behind it fails once, not twice.
            return handshake == SerialHandshake.RequestToSend && !handshakeChosenByUser
                && error.ErrorId == ErrorIds.SerialWriteStalled;
        }

        /// <summary>The warning to show before the retry.</summary>
        public static string RetryWarning(string portName, ModemException error)
        {
            if (error is null)
            {
                throw new ArgumentNullException(nameof(error));
            }

            string what = error.ErrorId == ErrorIds.SerialWriteStalled
                ? portName + " did not accept data with RTS/CTS flow control (CTS stayed low)"
                : "No AT console answered on " + portName + " with RTS/CTS flow control";
            return what + "; retrying without flow control. Use -Handshake None to skip this retry.";
        }
    }
}
