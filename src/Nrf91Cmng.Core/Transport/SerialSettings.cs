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
        /// <summary>Creates settings for <paramref name="portName"/>.</summary>
        public SerialSettings(string portName)
        {
            PortName = portName;
        }

        /// <summary>COM5, /dev/ttyACM0, /dev/cu.usbmodem..., or a pseudo-terminal path.</summary>
        public string PortName { get; }

        /// <summary>Bits per second; nRF91 AT consoles run at 115200.</summary>
        public int BaudRate { get; set; } = 115200;

        /// <summary>Flow control.</summary>
        public SerialHandshake Handshake { get; set; } = SerialHandshake.RequestToSend;

        /// <summary>"115200 8N1, RTS/CTS".</summary>
        public string Describe() =>
            BaudRate.ToString(System.Globalization.CultureInfo.InvariantCulture) + " 8N1, "
            + (Handshake == SerialHandshake.RequestToSend ? "RTS/CTS" : Handshake == SerialHandshake.XOnXOff ? "XON/XOFF" : "no flow control");
    }
}
