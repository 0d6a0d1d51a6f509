namespace Nrf91Cmng
{
    /// <summary>A serial port that may carry an nRF91 AT console (Find-Modem).</summary>
    public sealed class ModemPort
    {
        /// <summary>What to pass to Connect-Modem -PortName (binds by property name).</summary>
        public string PortName { get; internal set; } = string.Empty;

        /// <summary>Recognised board (nRF9160-DK, nRF9161-DK, Thingy:91, Virtual nRF91), or null.</summary>
        public string? Board { get; internal set; }

        /// <summary>True for a board's AT console port, false for its other ports, null when unknown.</summary>
        public bool? IsAtPort { get; internal set; }

        /// <summary>USB serial number (a DK's J-Link serial).</summary>
        public string? SerialNumber { get; internal set; }

        /// <summary>USB vendor id (1366 SEGGER, 1915 Nordic).</summary>
        public string? VendorId { get; internal set; }

        /// <summary>USB product id.</summary>
        public string? ProductId { get; internal set; }

        /// <summary>USB manufacturer string.</summary>
        public string? Manufacturer { get; internal set; }

        /// <summary>USB product string.</summary>
        public string? Product { get; internal set; }

        /// <summary>USB interface number.</summary>
        public int? Interface { get; internal set; }

        /// <summary>With -Probe: whether an AT console answered.</summary>
        public bool? Responds { get; internal set; }

        /// <summary>With -Probe: AT+CGMM.</summary>
        public string? Model { get; internal set; }

        /// <summary>With -Probe: AT+CGSN.</summary>
        public string? Imei { get; internal set; }

        /// <summary>With -Probe: the console that answered, as Connect-Modem -CommandMode names it (At, Shell, Cred, CredAndAt).</summary>
        public string? CommandMode { get; internal set; }

        /// <summary>With -Probe: why the port did not answer, or that it is open in a session.</summary>
        public string? ProbeNote { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => PortName;
    }
}
