namespace Nrf91Cmng
{
    /// <summary>
    /// A %XPMNG slot (0-9): the public keys for authenticated AT commands live there, not at
    /// sec_tags; a larger number gets a message that says so and where the public key of a key
    /// generated at a sec_tag comes from instead.
    /// </summary>
    public sealed class XpmngSlotAttribute : ValidateArgumentsAttribute
    {
        /// <summary>The highest slot.</summary>
        public const uint MaxSlot = 9;

        /// <inheritdoc />
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object value = arguments is PSObject pso ? pso.BaseObject : arguments;
            if (LanguagePrimitives.TryConvertTo(value, out uint slot) && slot <= MaxSlot)
            {
                return;
            }

            throw new ValidationMetadataException(
                "'" + value + "' is not an AT%XPMNG slot: the public keys for authenticated AT commands live in slots 0 to 9, not at sec_tags. "
                + "For the public key of a key pair generated in the modem at a sec_tag, use New-ModemKey -SecTag <tag> -Output PublicKey; "
                + "Get-ModemCredential -SecTag <tag> lists what a sec_tag holds.");
        }
    }
}
