namespace Nrf91Cmng.Core.Modem
{
    /// <summary>The identity of a connected modem.</summary>
    public sealed class ModemIdentity
    {
        /// <summary>Creates an identity.</summary>
        public ModemIdentity(string? model, FirmwareInfo firmware, string? imei, string? manufacturer)
        {
            Model = model;
            Firmware = firmware ?? throw new ArgumentNullException(nameof(firmware));
            Imei = imei;
            Manufacturer = manufacturer;
        }

        /// <summary><c>AT+CGMM</c>, e.g. nRF9160-SICA.</summary>
        public string? Model { get; }

        /// <summary><c>AT+CGMR</c>, parsed.</summary>
        public FirmwareInfo Firmware { get; }

        /// <summary><c>AT+CGSN</c>: 15 digits, or null (PTI parts without an IMEI answer ERROR).</summary>
        public string? Imei { get; }

        /// <summary><c>AT+CGMI</c>, when read.</summary>
        public string? Manufacturer { get; }
    }
}
