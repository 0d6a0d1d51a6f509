using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Provisioning;
using Nrf91Cmng.Sessions;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Deletes credentials from a modem (AT%CMNG=3), switching it offline only when allowed and restoring its mode.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "ModemCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByTagSet)]
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
        public CredentialType Type { get; set; }

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
            ModemSession session;
            uint tag;
            CredentialType type;
            if (InputObject is not null)
            {
                session = Session ?? SessionRegistry.Find(InputObject.SessionId) ?? ResolveSession();
                tag = InputObject.SecTag;
                type = InputObject.Type;
            }
            else
            {
                session = ResolveSession();
                tag = SecTag;
                type = Type;
            }

            if (CredentialMapping.IsModemOwned(tag, (int)type, session))
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
                var targets = group.Select(t => new KeyValuePair<uint, int>(t.SecTag, (int)t.Type)).Distinct().ToList();
                IReadOnlyList<RemoveResult> results;
                ModemException? restoreError;
                try
                {
                    results = CredentialRemover.Remove(session.Client, targets,
                        entry => ShouldProcessUnlessForced(Force, Describe(entry.SecTag, entry.Type, entry.Sha256, session), "Remove"),
                        mode => ApproveModeSwitch(this, Force, mode, session),
                        Log, CancelToken, out restoreError);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (ModemException ex)
                {
                    WriteModemError(ex, session);
                    continue;
                }

                foreach (RemoveResult result in results)
                {
                    switch (result.Status)
                    {
                        case RemoveStatus.Removed when PassThru:
                            WriteObject(new ModemCredential
                            {
                                SecTag = result.SecTag,
                                Type = (CredentialType)result.Type,
                                Sha256 = result.Sha256 ?? string.Empty,
                                Status = CredentialStatus.Removed,
                                SessionId = session.Id,
                                PortName = session.PortName,
                                Imei = session.Imei,
                            });
                            break;
                        case RemoveStatus.NotFound:
                        case RemoveStatus.Failed:
                            WriteModemError(result.Error!, Describe(result.SecTag, result.Type, result.Sha256, session));
                            break;
                    }
                }

                if (restoreError is not null)
                {
                    WriteModemError(restoreError, session);
                }
            }

            base.EndProcessing();
        }

        /// <summary>The ShouldProcess target: "root CA certificate at sec_tag 42 (SHA-256 2C43952E…) on COM5".</summary>
        internal static string Describe(uint secTag, int type, string? sha256, ModemSession session) =>
            Digests.TypeWords(type) + " at sec_tag " + secTag.ToString(CultureInfo.InvariantCulture)
            + (string.IsNullOrEmpty(sha256) ? string.Empty : " (SHA-256 " + sha256!.Substring(0, 8) + "...)")
            + " on " + session.PortName;

        /// <summary>
        /// -Force, or an interactive yes: may an active modem be switched offline and back? A host
        /// that cannot ask counts as no, so unattended scripts need -Force.
        /// </summary>
        internal static bool ApproveModeSwitch(PSCmdlet cmdlet, bool force, int mode, ModemSession session)
        {
            if (force)
            {
                cmdlet.WriteVerbose("The modem on " + session.PortName + " is in functional mode " + mode.ToString(CultureInfo.InvariantCulture) + "; -Force: switching it offline for the change and back to " + mode.ToString(CultureInfo.InvariantCulture) + " afterwards.");
                return true;
            }

            try
            {
                return cmdlet.ShouldContinue(
                    "The modem on " + session.PortName + " is in functional mode " + mode.ToString(CultureInfo.InvariantCulture) + " (LTE active). Credentials can only be changed offline: switch it to offline (CFUN=4) now and back to " + mode.ToString(CultureInfo.InvariantCulture) + " afterwards?",
                    "Switch the modem offline");
            }
            catch (Exception ex) when (ex is PSInvalidOperationException || ex is System.Management.Automation.Host.HostException || ex is NotImplementedException || ex is NotSupportedException)
            {
                return false;
            }
        }
    }
}
