using Nrf91Cmng.Core.Crypto;
using Nrf91Cmng.Core.Keys;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Requests and decodes the modem's attestation token (AT%ATTESTTOKEN): device UUID, device type and firmware UUID.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ModemAttestationToken", HelpUri = HelpLinks.Base + "Get-ModemAttestationToken.md")]
    [OutputType(typeof(ModemAttestationToken))]
    public sealed class GetModemAttestationTokenCommand : SessionCmdletBase
    {
        /// <summary>A challenge (nonce) of 32 hexadecimal digits to bind the token to (nRF91x1 firmware).</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Challenge { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            Guard(session, () =>
            {
                KeyGenerationRules.CheckChallenge(Challenge);
                AttestationToken token = AttestationToken.Parse(session.Client.GetAttestationToken(Challenge, Log, CancelToken));
                WriteObject(new ModemAttestationToken
                {
                    DeviceUuid = token.DeviceUuid,
                    DeviceType = token.DeviceTypeName,
                    DeviceTypeId = token.DeviceType,
                    FirmwareUuid = token.FirmwareUuid,
                    Nonce = token.Nonce,
                    Token = token.Text,
                }.From(session));
            }, ex => Unsupported(ErrorIds.AttestationUnsupported, "AT%ATTESTTOKEN (modem firmware 1.3.0 or later)", session,
                "Update the modem firmware to 1.3.0 or later; the IMEI (Get-ModemInfo) identifies the device meanwhile.", ex));
        }
    }
}
