namespace Nrf91Cmng.Core.Errors
{
    public static partial class ErrorIds
    {
        /// <summary>The modem is active and switching it offline was not allowed.</summary>
        public const string FunctionalModeActive = "ModemFunctionalModeActive";

        /// <summary>The functional mode found could not be restored after writing.</summary>
        public const string FunctionalModeNotRestored = "ModemFunctionalModeNotRestored";

        /// <summary>After a write the modem lists a different digest.</summary>
        public const string CredentialVerifyMismatch = "CredentialVerifyMismatch";

        /// <summary>After a write the modem does not list the credential.</summary>
        public const string CredentialVerifyMissing = "CredentialVerifyMissing";

        /// <summary>An operation ended without settling an item.</summary>
        public const string CredentialNotSettled = "CredentialNotSettled";

        /// <summary>No credential of that type at that sec_tag.</summary>
        public const string CredentialNotFound = "CredentialNotFound";

        /// <summary>A change to an entry that belongs to the modem was refused before sending.</summary>
        public const string CredentialModemOwned = "CredentialModemOwned";
    }
}
