namespace Nrf91Cmng.Core.Errors
{
    public static partial class ErrorIds
    {
        /// <summary>The provisioning plan cannot be read or has an invalid entry.</summary>
        public const string PlanInvalid = "ProvisioningPlanInvalid";

        /// <summary>A modem of a fleet run failed (the result carries the reason).</summary>
        public const string ProvisioningFailed = "ProvisioningFailed";

        /// <summary>A different credential is stored where the plan writes, and -Force was not given.</summary>
        public const string ProvisioningReplaceNeedsForce = "ProvisioningReplaceNeedsForce";

        /// <summary>
        /// A Generate entry's private key was replaced after its certificate was issued (the
        /// provisioning record tells), and -Force was not given to generate a new pair.
        /// </summary>
        public const string ProvisioningKeyCertificateMismatch = "ProvisioningKeyCertificateMismatch";

        /// <summary>The provisioning record of a modem could not be written after the run.</summary>
        public const string ProvisioningRecordWriteFailed = "ProvisioningRecordWriteFailed";

        /// <summary>No modem to provision: neither -PortName nor -Session nor pipeline input.</summary>
        public const string ProvisioningNoTargets = "ProvisioningNoTargets";
    }
}
