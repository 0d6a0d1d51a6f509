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

        /// <summary>A -Mode that is not a functional mode.</summary>
        public const string InvalidFunctionalMode = "ModemInvalidFunctionalMode";
    }
}
