using Nrf91Cmng.Core.Crypto;
using Nrf91Cmng.Core.Keys;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes a public key for authenticated AT commands to a modem slot (AT%XPMNG=0).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "ModemPublicKey", HelpUri = HelpLinks.Base + "Set-ModemPublicKey.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ModemPublicKey))]
    public sealed class SetModemPublicKeyCommand : SessionCmdletBase
    {
        /// <summary>The %XPMNG slot to write, 0-9 (default 0): a public key for authenticated AT commands.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Slot")]
        [XpmngSlot]
        public uint SecTag { get; set; }

        /// <summary>A PEM file holding one PUBLIC KEY.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "FilePath")]
        [AllowEmptyString]
        [AllowNull]
        public string? Path { get; set; }

        /// <summary>The PUBLIC KEY PEM text (also binds from the Pem property of a ModemPublicKey or ModemKeyResult.PublicKeyPem).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Pem", "PublicKeyPem")]
        [AllowEmptyString]
        [AllowNull]
        public string? Content { get; set; }

        /// <summary>Switch an active modem offline without asking (it is restored afterwards).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the ModemPublicKey written.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            Guard(session, () =>
            {
                if (string.IsNullOrEmpty(Path) == string.IsNullOrEmpty(Content))
                {
                    throw new ModemException(ErrorIds.CredentialContentMissing, ModemErrorCategory.InvalidArgument,
                        string.IsNullOrEmpty(Path) ? "No public key was given." : "Both -Path and -Content were given.", "Give exactly one of -Path or -Content.");
                }

                string text = CredentialInput.TextFrom(this, Path, Content, out string source);
                CredentialValidationResult validation = CredentialValidator.Validate(Core.Credentials.CredentialType.PublicKey, text, null, new CredentialValidationOptions { SecTag = SecTag });
                PublicKeyInfo key = validation.PublicKey!;
                foreach (string warning in validation.Warnings)
                {
                    WriteWarning(warning);
                }

                string target = "public key slot " + SecTag.ToString(CultureInfo.InvariantCulture) + " on " + session.PortName + " (" + key.Algorithm + (key.Curve is null ? string.Empty : " " + key.Curve) + ", SHA-256 " + key.Fingerprint.Substring(0, 8) + "... from " + source + ")";
                if (!ShouldProcess(target, "Write with AT%XPMNG=0"))
                {
                    return;
                }

                RunOffline(session, Force, () => session.Client.WritePublicKey(validation.Content, SecTag == 0 ? (int?)null : (int)SecTag, Log, CancelToken));
                if (PassThru)
                {
                    WriteObject(ModemPublicKey.From(key, validation.Content, SecTag, source).From(session));
                }
            }, ex => Unsupported(ErrorIds.PublicKeyCommandUnsupported, "AT%XPMNG (public keys for authenticated AT commands)", session,
                "On firmware 1.3 and later a public key can be written as a credential: Set-ModemCredential -SecTag <tag> -Type PublicKey -Path key.pem.", ex));
        }
    }
}
