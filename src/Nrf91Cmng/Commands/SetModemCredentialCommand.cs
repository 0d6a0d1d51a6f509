using System.Security;
using System.Security.Cryptography.X509Certificates;
using Nrf91Cmng.Core;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes a credential to a modem (AT%CMNG=0) after validating it, idempotently, verifying the digest and restoring the functional mode.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "ModemCredential", HelpUri = HelpLinks.Base + "Set-ModemCredential.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ModemCredential))]
    public sealed class SetModemCredentialCommand : CredentialTargetCmdletBase
    {
        private readonly List<PendingCredential> _pending = new List<PendingCredential>();

        /// <summary>The credential text as a SecureString (PSKs and keys from a vault: Get-Secret).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public SecureString? SecureContent { get; set; }

        /// <summary>A certificate object (Get-Item Cert:\..., New-ModemClientCertificate); only the certificate is written.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public X509Certificate2? Certificate { get; set; }

        /// <summary>The passphrase of an encrypted PKCS#8 private key (ENCRYPTED PRIVATE KEY).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowNull]
        public SecureString? Passphrase { get; set; }

        /// <summary>Lf (default: LF with exactly one trailing newline), CrLf, or Preserve (the bytes as given).</summary>
        [Parameter]
        [ValidateSet("Lf", "CrLf", "Preserve", IgnoreCase = true)]
        public string LineEnding { get; set; } = "Lf";

        /// <summary>Replace a different credential without asking, and switch an active modem offline (restored afterwards).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Emit a ModemCredential with Status Written, Replaced or Unchanged for each credential.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            Guard(Target, () =>
            {
                PendingCredential pending = CredentialInput.Prepare(this, session, SecureContent, Certificate, Passphrase, LineEnding);
                int earlier = _pending.FindIndex(p => p.Session == session && p.Item.SecTag == pending.Item.SecTag && p.Item.Type == pending.Item.Type);
                if (earlier >= 0)
                {
                    WriteWarning(Messages.Capital(pending.Item.Target) + " was given twice; the later one (" + pending.Item.Description + ") is written.");
                    _pending.RemoveAt(earlier);
                }

                _pending.Add(pending);
            });
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            foreach (IGrouping<ModemSession, PendingCredential> group in _pending.GroupBy(p => p.Session))
            {
                if (CancelToken.IsCancellationRequested)
                {
                    break;
                }

                foreach (string warning in CredentialValidator.KeyCertificateMismatches(group.Select(p => (p.Item.SecTag, p.Item.Type, p.Validation))))
                {
                    WriteWarning(warning);
                }

                Install(group.Key, group.ToList());
            }

            base.EndProcessing();
        }

        private void Install(ModemSession session, List<PendingCredential> items)
        {
            var installer = new CredentialInstaller(session.Store, Log);
            InstallOutcome? outcome = null;
            if (!Guard(session, () =>
            {
                using (session.Store.Exclusive())
                {
                    InstallPlan plan = installer.Plan(items.Select(p => p.Item).ToList(), CancelToken);
                    if (plan.PlaceholderDigests)
                    {
                        WriteVerbose("This firmware lists placeholder digests: existing credentials cannot be compared, so every write is sent and presence is verified.");
                    }

                    outcome = installer.Execute(plan, new CmdletApprover(this, Force, session.PortName), CancelToken);
                }
            }))
            {
                return;
            }

            if (outcome!.SwitchedOffline)
            {
                WriteVerbose("The modem was switched offline for the write and " + (outcome.RestoreError is null ? "restored to functional mode " + outcome.ModeFound?.ToString(CultureInfo.InvariantCulture) + "." : "could NOT be restored."));
            }

            var reported = new HashSet<Core.Errors.ModemException>();
            foreach (InstallResult result in outcome.Results)
            {
                if (result.Status == InstallStatus.Failed && result.Error is not null && reported.Add(result.Error))
                {
                    WriteModemError(result.Error, result.Item.Target + " on " + session.PortName);
                }
                else if (PassThru && result.Status != InstallStatus.Failed && result.Status != InstallStatus.Skipped)
                {
                    WriteObject(OutputMapping.ToCredential(result, items.First(p => p.Item == result.Item).Validation, session));
                }
            }

            if (outcome.RestoreError is not null)
            {
                WriteModemError(outcome.RestoreError, session);
            }

            session.Credentials.Invalidate();
        }
    }
}
