namespace Nrf91Cmng.Core.Errors
{
    public static partial class ErrorIds
    {
        /// <summary>A provisioning record file is not JSON, not a record, of a newer schema, or has an invalid field.</summary>
        public const string ProvisioningRecordInvalid = "ProvisioningRecordInvalid";

        /// <summary>A provisioning record belongs to another modem (its IMEI or device UUID differs).</summary>
        public const string ProvisioningRecordMismatch = "ProvisioningRecordMismatch";

        /// <summary>Neither a device UUID nor an IMEI is known, so a record file cannot be named.</summary>
        public const string ProvisioningRecordNoIdentity = "ProvisioningRecordNoIdentity";

        /// <summary>A device cannot be written to an onboarding file (missing or invalid ID, certificate or token).</summary>
        public const string OnboardingDeviceInvalid = "OnboardingDeviceInvalid";

        /// <summary>Two devices (or a device and an existing row) share an ID and replacing was not asked for.</summary>
        public const string OnboardingDuplicateDevice = "OnboardingDuplicateDevice";

        /// <summary>The onboarding file exists and neither appending nor overwriting was asked for.</summary>
        public const string OnboardingFileExists = "OnboardingFileExists";

        /// <summary>An existing onboarding file cannot be read back as that format.</summary>
        public const string OnboardingFileInvalid = "OnboardingFileInvalid";

        /// <summary>The onboarding options are inconsistent (prefix characters, unknown firmware type, ...).</summary>
        public const string OnboardingOptionsInvalid = "OnboardingOptionsInvalid";
    }
}
