namespace Nrf91Cmng.Core.Discovery
{
    /// <summary>
    /// Nordic development kits and Thingies, recognised by the USB serial number their interface MCU
    /// reports or, failing that, by their USB ids, with which of the board's serial ports carries the
    /// modem's AT console: 0 = the first in interface order (the "VCOM index").
    /// <para>Sources (public, read when this table was written):</para>
    /// <list type="bullet">
    /// <item>Serial prefixes and AT port index: Nordic's nrfcredstore / nRF Cloud Utils,
    /// <c>src/nrfcredstore/comms.py</c> (<c>usb_patterns</c>). Those tools pick the port by this index
    /// among the board's ports sorted by hardware id, i.e. by USB interface.</item>
    /// <item>Interface order is not COM-number order: nRF Connect for Desktop's documentation shows an
    /// nRF9160 DK whose VCOM 0, 1, 2 are COM9, COM12, COM10 ("lists the selected device's serial ports
    /// in ascending order of its virtual serial port index").</item>
    /// <item>SEGGER J-Link OB (vendor 0x1366) product ids by their CDC count (SEGGER's J-Link USB id
    /// list, as in SEGGER's WebUSB sample): 0x1015 = 1 CDC + MSD (nRF52 DKs), 0x1051 = 2 CDC + MSD,
    /// 0x1055 = 3 CDC + MSD (nRF9160 DK), 0x1059 = HID + 2 CDC + MSD (nrfcredstore quotes an nRF9151 DK
    /// as <c>USB VID:PID=1366:1059 SER=001051216197</c>, its second port on Windows at
    /// <c>LOCATION=1-21:x.2</c>); each CDC takes two interfaces, so the VCOMs are interfaces 0, 2, 4.</item>
    /// <item>Thingy:91 (Nordic vendor 0x1915, product 0x9100) and Thingy:91 X (0x910A): the nRF Connect
    /// SDK's connectivity bridge (<c>applications/connectivity_bridge</c>: <c>prj.conf</c>,
    /// <c>boards/thingy91x_nrf5340_cpuapp.conf</c>), serial numbers <c>THINGY91_…</c> and
    /// <c>THINGY91X_…</c> (<c>src/main.c</c>); UART_0 (the nRF91's AT console) is CDC_0; its Windows
    /// driver file names MI_00 "Terminal" and MI_03 "Trace".</item>
    /// </list>
    /// </summary>
    public static class NordicBoards
    {
        private static readonly (string Prefix, string Name, int AtPortIndex, bool Cellular)[] s_patterns =
        {
            ("THINGY91X", "Thingy:91 X", 0, true),
            ("THINGY91", "Thingy:91", 0, true),
            ("PCA20035", "Thingy:91", 0, true),
            ("0009600", "nRF9160-DK", 0, true),
            ("0009601", "nRF5340-DK", 1, false),
            ("0010500", "nRF5340-DK", 1, false),
            ("0010507", "nRF7002-DK", 1, false),
            ("0010509", "nRF9161-DK", 0, true),
            ("0010510", "nRF9131-EK", 0, true),
            ("0010511", "nRF54H20-DK", 0, false),
            ("0010512", "nRF9151-DK", 0, true),
            ("0010550", "Thingy:91 X", 0, true),
            ("0010551", "Thingy:91 X", 0, true),
            ("0010513", "Thingy:91 X", 0, true),
            ("0010577", "nRF54L15-DK", 1, false),
            ("00105", "Unknown Nordic kit", 0, false),
            ("NRFBLEGW", "nRF Cloud Gateway", 0, false),
        };

        // Boards recognised by USB ids when the serial number says nothing (or is not available, as
        // under a Windows composite parent without a unique serial).
        private static readonly (string VendorId, string ProductId, string Name, int AtPortIndex, bool Cellular)[] s_usbIds =
        {
            (NordicVendorId, "9100", "Thingy:91", 0, true),
            (NordicVendorId, "910A", "Thingy:91 X", 0, true),
        };

        /// <summary>SEGGER's USB vendor id (J-Link OB interface MCUs of the DKs).</summary>
        public const string SeggerVendorId = "1366";

        /// <summary>Nordic Semiconductor's USB vendor id.</summary>
        public const string NordicVendorId = "1915";

        /// <summary>Finds the board a USB serial number belongs to (any vendor).</summary>
        public static bool TryIdentify(string? serialNumber, out string name, out int atPortIndex, out bool cellular) =>
            TryIdentify(null, null, serialNumber, out name, out atPortIndex, out cellular);

        /// <summary>
        /// Finds the board of a USB device: by serial-number prefix when the vendor is SEGGER or
        /// Nordic (or unknown, as with macOS names without ioreg), else by Nordic USB ids. Another
        /// vendor's device never matches a prefix (a bridge whose serial happens to start with 0009600
        /// is not a DK).
        /// </summary>
        public static bool TryIdentify(string? vendorId, string? productId, string? serialNumber, out string name, out int atPortIndex, out bool cellular)
        {
            bool prefixApplies = vendorId is null
                || string.Equals(vendorId, SeggerVendorId, StringComparison.OrdinalIgnoreCase)
                || string.Equals(vendorId, NordicVendorId, StringComparison.OrdinalIgnoreCase);
            if (prefixApplies && !string.IsNullOrEmpty(serialNumber))
            {
                foreach (var pattern in s_patterns)
                {
                    if (serialNumber!.StartsWith(pattern.Prefix, StringComparison.OrdinalIgnoreCase))
                    {
                        name = pattern.Name;
                        atPortIndex = pattern.AtPortIndex;
                        cellular = pattern.Cellular;
                        return true;
                    }
                }
            }

            foreach (var ids in s_usbIds)
            {
                if (string.Equals(vendorId, ids.VendorId, StringComparison.OrdinalIgnoreCase) && string.Equals(productId, ids.ProductId, StringComparison.OrdinalIgnoreCase))
                {
                    name = ids.Name;
                    atPortIndex = ids.AtPortIndex;
                    cellular = ids.Cellular;
                    return true;
                }
            }

            name = string.Empty;
            atPortIndex = -1;
            cellular = false;
            return false;
        }

        /// <summary>Vendors whose serial ports may carry an nRF91 AT console (Nordic, SEGGER, common UART bridges).</summary>
        public static IReadOnlyCollection<string> KnownVendors { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            SeggerVendorId, NordicVendorId,
            "10C4", // Silicon Labs CP210x (Circuit Dojo nRF9160 Feather, many custom boards)
            "0403", // FTDI
            "1A86", // WCH CH34x
            "2FE3", // Zephyr's default CDC ACM vendor id
        };
    }
}
