namespace Nrf91Cmng
{
    /// <summary>What a modem is (Get-ModemInfo).</summary>
    public sealed class ModemInfo : ModemOutput
    {
        /// <summary>Model (AT+CGMM), e.g. nRF9160-SICA.</summary>
        public string? Model { get; internal set; }

        /// <summary>Modem firmware (AT+CGMR), e.g. mfw_nrf9160_1.3.5.</summary>
        public string? Firmware { get; internal set; }

        /// <summary>Firmware family: nrf9160, nrf91x1, ...</summary>
        public string? FirmwareFamily { get; internal set; }

        /// <summary>Firmware version number, e.g. 1.3.5.</summary>
        public string? FirmwareVersion { get; internal set; }

        /// <summary>Manufacturer (AT+CGMI).</summary>
        public string? Manufacturer { get; internal set; }

        /// <summary>Device UUID where the firmware has it (%DEVICEUUID on nRF91x1, the attestation token on 1.3.x).</summary>
        public string? DeviceUuid { get; internal set; }

        /// <summary>Functional mode (AT+CFUN?).</summary>
        public int FunctionalMode { get; internal set; }

        /// <summary>Name of the functional mode.</summary>
        public string FunctionalModeName => FunctionalModeNames.Describe(FunctionalMode);

    }

    /// <summary>A modem's functional mode (Get-ModemFunctionalMode).</summary>
    public sealed class ModemFunctionalMode
    {
        internal ModemFunctionalMode(int sessionId, string portName, int mode)
        {
            SessionId = sessionId;
            PortName = portName;
            Mode = mode;
        }

        /// <summary>The +CFUN number.</summary>
        public int Mode { get; }

        /// <summary>Its name (Normal, Offline, PowerOff, ...).</summary>
        public string Name => FunctionalModeNames.Describe(Mode);

        /// <summary>True when LTE is active (1, 2, 21): credentials cannot be written.</summary>
        public bool IsLteActive => Mode == 1 || Mode == 2 || Mode == 21;

        /// <summary>The session.</summary>
        public int SessionId { get; }

        /// <summary>Port name, URI or simulator address.</summary>
        public string PortName { get; }
    }

    /// <summary>The +CFUN modes of the nRF91 AT reference.</summary>
    public enum FunctionalMode
    {
        /// <summary>0: power off (stores settings to flash).</summary>
        PowerOff = 0,

        /// <summary>1: normal operation (LTE and GNSS on).</summary>
        Normal = 1,

        /// <summary>2: receive only (nRF91x1).</summary>
        ReceiveOnly = 2,

        /// <summary>4: offline / flight mode: the mode for writing credentials.</summary>
        Offline = 4,

        /// <summary>20: LTE off, GNSS as it was.</summary>
        LteOff = 20,

        /// <summary>21: LTE on.</summary>
        LteOn = 21,

        /// <summary>30: GNSS off.</summary>
        GnssOff = 30,

        /// <summary>31: GNSS on.</summary>
        GnssOn = 31,

        /// <summary>40: UICC off.</summary>
        UiccOff = 40,

        /// <summary>41: UICC on.</summary>
        UiccOn = 41,

        /// <summary>44: offline, keeping the UICC powered.</summary>
        OfflineKeepUicc = 44,
    }

    internal static class FunctionalModeNames
    {
        public static string Describe(int mode) =>
            Enum.IsDefined(typeof(FunctionalMode), mode) ? ((FunctionalMode)mode).ToString() : "Mode" + mode.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
