using Nrf91Cmng.Sessions;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Deletes credentials from a modem (AT%CMNG=3), switching it offline only when allowed and restoring its mode.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "ModemCredential", HelpUri = HelpLinks.Base + "Remove-ModemCredential.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByTagSet)]
    [OutputType(typeof(ModemCredential))]
    public sealed class RemoveModemCredentialCommand : SessionCmdletBase
    {
        private const string ByTagSet = "ByTag";
        private const string ByObjectSet = "ByObject";
        private readonly List<(ModemSession Session, uint SecTag, CredentialType Type)> _targets = new List<(ModemSession, uint, CredentialType)>();

        /// <summary>The sec_tag of the credential to delete.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByTagSet, ValueFromPipelineByPropertyName = true)]
        [SecTagTransformation]
        [ArgumentCompleter(typeof(Completers.SecTagCompleter))]
        public uint SecTag { get; set; }

        /// <summary>The type of the credential to delete (name, number, or CA, Cert, Key).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByTagSet, ValueFromPipelineByPropertyName = true)]
        [CredentialTypeTransformation]
        [ArgumentCompleter(typeof(Completers.CredentialTypeCompleter))]
        public string Type { get; set; } = string.Empty;

        /// <summary>Credentials from Get-ModemCredential.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ByObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public ModemCredential? InputObject { get; set; }

        /// <summary>Switch an active modem offline without asking (it is restored afterwards), and skip the confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit the deleted credentials (Status Removed).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = InputObject is null ? ResolveSession() : Session ?? SessionRegistry.Find(InputObject.SessionId) ?? ResolveSession();
            uint tag = InputObject?.SecTag ?? SecTag;
            CredentialType type = InputObject?.Type ?? CredentialTypeTransformationAttribute.Parse(Type);
            if (CredentialRules.IsModemOwned(tag, type.ToCore(), session.Store.Firmware.Is91x1))
            {
                WriteError(ErrorIds.CredentialModemOwned, ErrorCategory.PermissionDenied,
                    "The " + type + " at sec_tag " + tag.ToString(CultureInfo.InvariantCulture) + " belongs to the modem and cannot be deleted.",
                    "Only user credentials (sec_tag 0-2147483647, types RootCA, ClientCertificate, ClientPrivateKey, Psk, PskIdentity, PublicKey) can be deleted.", InputObject);
                return;
            }

            _targets.Add((session, tag, type));
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            foreach (IGrouping<ModemSession, (ModemSession Session, uint SecTag, CredentialType Type)> group in _targets.GroupBy(t => t.Session))
            {
                ModemSession session = group.Key;
                var targets = group.Select(t => new KeyValuePair<uint, Core.Credentials.CredentialType>(t.SecTag, t.Type.ToCore())).Distinct().ToList();
                RemoveOutcome? outcome = null;
                Guard(session, () => outcome = CredentialRemover.Remove(session.Store, targets, new CmdletApprover(this, Force, session.PortName), Log, CancelToken));
                session.Credentials.Invalidate();
                if (outcome is null)
                {
                    continue;
                }

                foreach (RemoveResult result in outcome.Results)
                {
                    if (result.Status == RemoveStatus.Removed && PassThru)
                    {
                        WriteObject(OutputMapping.ToCredential(result, session));
                    }
                    else if (result.Error is not null)
                    {
                        WriteModemError(result.Error, CredentialRules.Describe(result.Type) + " at sec_tag " + result.SecTag.ToString(CultureInfo.InvariantCulture) + " on " + session.PortName);
                    }
                }

                if (outcome.RestoreError is not null)
                {
                    WriteModemError(outcome.RestoreError, session);
                }
            }

            base.EndProcessing();
        }
    }
}
