namespace Nrf91Cmng.Core.Errors
{
    public static partial class ErrorIds
    {
        /// <summary>No session is open and none was given.</summary>
        public const string NoSession = "ModemNoSession";

        /// <summary>-SessionId names no open session.</summary>
        public const string SessionNotFound = "ModemSessionNotFound";

        /// <summary>A -Firmware name that no virtual modem profile has.</summary>
        public const string UnknownFirmwareProfile = "ModemUnknownFirmwareProfile";

        /// <summary>A virtual modem option (IMEI, ...) that the virtual modem refuses.</summary>
        public const string SimulatorOptionInvalid = "ModemSimulatorOptionInvalid";

        /// <summary>A -Preload entry without SecTag, Type and Content or Path, or whose file is missing.</summary>
        public const string SimulatorPreloadInvalid = "ModemSimulatorPreloadInvalid";

        /// <summary>A pseudo-terminal was asked for where the platform has none (Windows).</summary>
        public const string SimulatorTransportUnavailable = "ModemSimulatorTransportUnavailable";

        /// <summary>Stop-ModemSimulator -Id names no running simulator.</summary>
        public const string SimulatorNotFound = "ModemSimulatorNotFound";

        /// <summary>The -TranscriptPath file cannot be created or appended to.</summary>
        public const string TranscriptUnwritable = "ModemTranscriptUnwritable";
    }
}
