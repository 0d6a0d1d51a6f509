using Nrf91Cmng.Core.Crypto;
using Nrf91Cmng.Core.Keys;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Generates a key pair inside the modem (AT%KEYGEN) and returns a signed CSR or the public key; the private key never leaves the modem.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "ModemKey", HelpUri = HelpLinks.Base + "New-ModemKey.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(ModemKeyResult))]
    public sealed class NewModemKeyCommand : SessionCmdletBase
    {
        /// <summary>The sec_tag to generate the private key in (its private key, if any, is replaced).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [SecTagTransformation]
        [ArgumentCompleter(typeof(Completers.SecTagCompleter))]
        public uint SecTag { get; set; }

        /// <summary>Csr (default): a certificate signing request; PublicKey: the public key only.</summary>
        [Parameter]
        [ValidateSet("Csr", "PublicKey", IgnoreCase = true)]
        public string Output { get; set; } = "Csr";

        /// <summary>The CSR subject, e.g. 'CN=nrf-352656100000000,O=Example'; default CN=&lt;device UUID&gt;.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? Subject { get; set; }

        /// <summary>X.509 key usages (DigitalSignature, NonRepudiation, KeyEncipherment, DataEncipherment, KeyAgreement, KeyCertSign, CrlSign, EncipherOnly), or the modem's 9-character 0/1 string.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.KeyUsageCompleter))]
        public string[]? KeyUsage { get; set; }

        /// <summary>ClientPrivateKey (type 2, default) or EndorsementKey (type 8; an existing one is reused).</summary>
        [Parameter]
        [ValidateSet("ClientPrivateKey", "EndorsementKey", IgnoreCase = true)]
        public string KeyType { get; set; } = "ClientPrivateKey";

        /// <summary>Skip the confirmation and switch an active modem offline (restored afterwards).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            Guard(session, () =>
            {
                Core.Credentials.CredentialType keyType = string.Equals(KeyType, "EndorsementKey", StringComparison.OrdinalIgnoreCase)
                    ? Core.Credentials.CredentialType.EndorsementKey : Core.Credentials.CredentialType.ClientPrivateKey;
                bool csr = string.Equals(Output, "Csr", StringComparison.OrdinalIgnoreCase);
                if (keyType == Core.Credentials.CredentialType.ClientPrivateKey)
                {
                    CredentialRules.EnsureWritable(SecTag, keyType, session.Store.Firmware.Is91x1);
                }

                string? attributes = KeyGenerationRules.CheckSubject(Subject);
                string? keyUsage = KeyGenerationRules.KeyUsageFlags(KeyUsage);
                if (!session.Store.Firmware.HasKeyGeneration && session.Store.Firmware.Family != "unknown")
                {
                    throw KeygenUnsupported(session, null);
                }

                var change = new CredentialChange(ChangeKind.GenerateKey, SecTag, keyType, session.PortName, null, null, null);
                if (!new CmdletApprover(this, Force, session.PortName).ApproveChange(change))
                {
                    return;
                }

                string raw = string.Empty;
                RunOffline(session, Force, () => raw = session.Client.GenerateKey(SecTag, keyType, csr ? 0 : 1, attributes, keyUsage, Log, CancelToken));
                KeygenResponse response = KeygenResponse.Parse(raw);
                if (!response.DigestValid)
                {
                    WriteWarning("The digest signed by the modem (" + response.EmbeddedDigest + ") does not match the " + (csr ? "CSR" : "public key")
                        + " received (" + response.Sha256 + "): the reply was altered on the way. Do not use it; generate again.");
                }

                WriteObject(ModemKeyResult.From(response, SecTag, keyType.ToString()).From(session));
            }, ex => KeygenUnsupported(session, ex));
        }

        private static ModemException KeygenUnsupported(ModemSession session, Exception? inner) =>
            Unsupported(ErrorIds.KeyGenerationUnsupported, "AT%KEYGEN (key generation in the modem; modem firmware 1.3.0 or later)", session,
                "Update the modem firmware to 1.3.0 or later, or generate the key pair on the computer and write it with Set-ModemCredential -Type ClientPrivateKey (the key then exists outside the modem).", inner);
    }
}
