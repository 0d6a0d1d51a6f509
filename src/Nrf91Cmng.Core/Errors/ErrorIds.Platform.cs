namespace Nrf91Cmng.Core.Errors
{
    public static partial class ErrorIds
    {
        /// <summary>
        /// A write to a serial port did not complete within its write timeout: the device held it
        /// (with RTS/CTS, usually a CTS line that is never raised because the board has no flow
        /// control wiring). Distinct from <see cref="ConnectionLost"/>: the port is still there, so
        /// Connect-Modem may retry without flow control.
        /// </summary>
        public const string SerialWriteStalled = "ModemSerialWriteStalled";

        /// <summary>A port name that the host's SerialPort refuses (for example a Win32 device path it cannot take).</summary>
        public const string PortNameInvalid = "ModemPortNameInvalid";
    }
}
