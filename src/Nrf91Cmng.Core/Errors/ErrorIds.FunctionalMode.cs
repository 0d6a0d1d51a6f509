namespace Nrf91Cmng.Core.Errors
{
    public static partial class ErrorIds
    {
        /// <summary>The modem is active and switching it offline was not allowed.</summary>
        public const string FunctionalModeActive = "ModemFunctionalModeActive";

        /// <summary>The functional mode found could not be restored after writing.</summary>
        public const string FunctionalModeNotRestored = "ModemFunctionalModeNotRestored";
    }
}
