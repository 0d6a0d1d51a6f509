namespace Nrf91Cmng.Core.Discovery
{
    /// <summary>A serial port the operating system reports, with what USB says about it.</summary>
    public sealed class SerialPortInfo
    {
        /// <summary>What to pass to Connect-Modem -PortName.</summary>
        public string PortName { get; set; } = string.Empty;

        /// <summary>USB vendor id, 4 uppercase hex digits, or null.</summary>
        public string? VendorId { get; set; }

        /// <summary>USB product id, 4 uppercase hex digits, or null.</summary>
        public string? ProductId { get; set; }

        /// <summary>USB serial number string, or null.</summary>
        public string? SerialNumber { get; set; }

        /// <summary>USB manufacturer string.</summary>
        public string? Manufacturer { get; set; }

        /// <summary>USB product string.</summary>
        public string? Product { get; set; }

        /// <summary>USB interface number of this port on a composite device.</summary>
        public int? InterfaceNumber { get; set; }

        /// <summary>USB bus location (Linux: 1-1.4; Windows: the device instance id).</summary>
        public string? Location { get; set; }

        /// <summary>A Nordic board recognised from the serial number (nRF9160-DK, Thingy:91, ...).</summary>
        public string? Board { get; set; }

        /// <summary>True for the board's AT console port; false for its other ports; null when unknown.</summary>
        public bool? IsAtPort { get; set; }

        /// <summary>True when the board has a cellular modem (nRF91 family).</summary>
        public bool IsCellularBoard { get; set; }
    }
}
