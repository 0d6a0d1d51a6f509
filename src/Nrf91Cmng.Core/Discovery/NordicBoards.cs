using System;
using System.Collections.Generic;

namespace Nrf91Cmng.Core.Discovery
{
    /// <summary>
    /// Nordic development kits and Thingies recognised by the USB serial number their interface
    /// MCU reports (SEGGER J-Link OB: vendor 0x1366; Thingy:91: Nordic, 0x1915), with which of
    /// the board's serial ports carries the modem's AT console (0 = the first, in interface order),
    /// as Nordic's own tools (nrfcredstore, nRF Cloud utils) identify them.
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
        };

        /// <summary>SEGGER's USB vendor id (J-Link OB interface MCUs of the DKs).</summary>
        public const string SeggerVendorId = "1366";

        /// <summary>Nordic Semiconductor's USB vendor id.</summary>
        public const string NordicVendorId = "1915";

        /// <summary>Finds the board a USB serial number belongs to.</summary>
        public static bool TryIdentify(string? serialNumber, out string name, out int atPortIndex, out bool cellular)
        {
            if (!string.IsNullOrEmpty(serialNumber))
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
