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

        /// <summary>No modem to provision: neither -PortName nor -Session nor pipeline input.</summary>
        public const string ProvisioningNoTargets = "ProvisioningNoTargets";
    }
}
