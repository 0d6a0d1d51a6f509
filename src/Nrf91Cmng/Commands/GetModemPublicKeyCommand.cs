using Nrf91Cmng.Core.Crypto;
using Nrf91Cmng.Core.Keys;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads a public key stored in the modem for authenticated AT commands (AT%XPMNG=2).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ModemPublicKey", HelpUri = HelpLinks.Base + "Get-ModemPublicKey.md")]
    [OutputType(typeof(ModemPublicKey))]
    public sealed class GetModemPublicKeyCommand : SessionCmdletBase
    {
        /// <summary>
        /// The %XPMNG slot to read, 0-9 (default 0): the public keys for authenticated AT commands.
        /// For the public key of a key pair generated in the modem at a sec_tag, use New-ModemKey
        /// -SecTag &lt;tag&gt; -Output PublicKey.
        /// </summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Slot")]
        [XpmngSlot]
        public uint SecTag { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            Guard("public key slot " + SecTag.ToString(CultureInfo.InvariantCulture) + " on " + session.PortName, () =>
            {
                string pem = ModemKeyCommands.ReadPublicKeyVerified(session.Client, session.Store, SecTag, Log, CancelToken);
                PublicKeyInfo key = PublicKeyInfo.FromPem(pem);
                WriteObject(ModemPublicKey.From(key, pem, SecTag, "AT%XPMNG=2" + (SecTag == 0 ? string.Empty : "," + SecTag.ToString(CultureInfo.InvariantCulture))).From(session));
            }, ex => Unsupported(ErrorIds.PublicKeyCommandUnsupported, "AT%XPMNG (public keys for authenticated AT commands)", session,
                "Public keys are listed as type PublicKey (5) by Get-ModemCredential -Type PublicKey; on firmware that generates keys, New-ModemKey -Output PublicKey returns the public key of a key pair kept in the modem.", ex));
        }
    }
}
