namespace Nrf91Cmng.Core.Errors
{
    public static partial class ErrorIds
    {
        /// <summary>A server profile or CA file for the readiness check cannot be used.</summary>
        public const string ReadinessProfileInvalid = "ReadinessProfileInvalid";

        /// <summary>The readiness input is inconsistent (e.g. an expected credential without content or source).</summary>
        public const string ReadinessInputInvalid = "ReadinessInputInvalid";
    }
}
