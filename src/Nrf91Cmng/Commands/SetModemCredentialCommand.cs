using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using Nrf91Cmng.Core.Credentials;
using Nrf91Cmng.Core.Crypto;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Provisioning;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes a credential to a modem (AT%CMNG=0) after validating it, idempotently, verifying the digest and restoring the functional mode.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "ModemCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ModemCredential))]
    public sealed class SetModemCredentialCommand : CredentialTargetCmdletBase
    {
        private readonly List<Pending> _pending = new List<Pending>();

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
            try
            {
                Pending pending = Prepare(session);
                foreach (string warning in pending.Validation.Warnings)
                {
                    WriteWarning(Capital(pending.Item.Target) + ": " + warning);
                }

                int earlier = _pending.FindIndex(p => p.Session == session && p.Item.SecTag == pending.Item.SecTag && p.Item.Type == pending.Item.Type);
                if (earlier >= 0)
                {
                    WriteWarning(Capital(pending.Item.Target) + " was given twice; the later one (" + pending.Item.Description + ") is written.");
                    _pending.RemoveAt(earlier);
                }

                _pending.Add(pending);
            }
            catch (ModemException ex)
            {
                WriteModemError(ex, Digests.TypeWords((int)Type) + " at sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture));
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            foreach (IGrouping<ModemSession, Pending> group in _pending.GroupBy(p => p.Session))
            {
                if (CancelToken.IsCancellationRequested)
                {
                    break;
                }

                WarnOnKeyCertificateMismatch(group.ToList());
                Install(group.Key, group.ToList());
            }

            base.EndProcessing();
        }

        private Pending Prepare(ModemSession session)
        {
            bool is91x1 = session.Client.Identity.Firmware.Is91x1;
            Core.Credentials.CredentialType type = CredentialInput.ToCore(Type);
            CredentialRules.EnsureWritable(SecTag, type, is91x1);
            var options = new CredentialValidationOptions { LineEndings = CredentialInput.ToPolicy(LineEnding), SecTag = SecTag };
            string? passphrase = CredentialInput.Reveal(Passphrase);
            string description;
            CredentialValidationResult validation;
            int sources = (HasPath ? 1 : 0) + (HasContent ? 1 : 0)
                + (SecureContent is null ? 0 : 1) + (Certificate is null ? 0 : 1);
            if (sources != 1)
            {
                throw new ModemException(ErrorIds.CredentialContentMissing, ModemErrorCategory.InvalidArgument,
                    sources == 0 ? "No credential content was given for the " + Digests.TypeWords((int)Type) + " at sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture) + "."
                                 : "Several content sources were given for the " + Digests.TypeWords((int)Type) + " at sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture) + ".",
                    "Give exactly one of -Path, -Content, -SecureContent or -Certificate (in a CSV plan: one of the Path or Content columns per row).");
            }

            if (HasPath)
            {
                validation = CredentialInput.ValidateFile(this, Path!, Type, passphrase, options, out description);
            }
            else if (Certificate is not null)
            {
                description = "certificate " + Certificate.Subject;
                validation = CredentialValidator.Validate(type, CredentialInput.ToPem(Certificate), passphrase, options);
            }
            else if (SecureContent is not null)
            {
                description = "-SecureContent";
                validation = CredentialValidator.Validate(type, CredentialInput.Reveal(SecureContent) ?? string.Empty, passphrase, options);
            }
            else
            {
                description = "-Content";
                validation = CredentialValidator.Validate(type, Content ?? string.Empty, passphrase, options);
            }

            var item = new InstallItem(SecTag, (int)Type, validation.Content, validation.PassphraseRequired ? passphrase : null, description);
            WriteVerbose(Capital(item.Target) + " from " + description + ": valid, " + validation.Length.ToString(CultureInfo.InvariantCulture)
                + " bytes, SHA-256 " + item.Sha256 + ", command " + validation.CommandLength.ToString(CultureInfo.InvariantCulture) + " of "
                + validation.MaxCommandLength.ToString(CultureInfo.InvariantCulture) + " characters.");
            return new Pending(session, item, validation);
        }

        private void WarnOnKeyCertificateMismatch(List<Pending> items)
        {
            foreach (IGrouping<uint, Pending> tag in items.GroupBy(p => p.Item.SecTag))
            {
                PublicKeyInfo? certificateKey = tag.FirstOrDefault(p => p.Item.Type == (int)CredentialType.ClientCertificate)?.Validation.PublicKey;
                PublicKeyInfo? privateKey = tag.FirstOrDefault(p => p.Item.Type == (int)CredentialType.ClientPrivateKey)?.Validation.PublicKey;
                if (certificateKey is not null && privateKey is not null && !certificateKey.Matches(privateKey))
                {
                    WriteWarning("The client certificate and the private key written to sec_tag " + tag.Key.ToString(CultureInfo.InvariantCulture)
                        + " do not belong together (the certificate's public key " + certificateKey.Fingerprint.Substring(0, 16)
                        + "... differs from the key's " + privateKey.Fingerprint.Substring(0, 16) + "...); TLS handshakes with them will fail.");
                }
            }
        }

        private void Install(ModemSession session, List<Pending> items)
        {
            var installer = new CredentialInstaller(session.Client, Log);
            InstallOutcome outcome;
            try
            {
                using (session.Client.Exclusive())
                {
                    InstallPlan plan = installer.Plan(items.Select(p => p.Item).ToList(), CancelToken);
                    if (plan.PlaceholderDigests)
                    {
                        WriteVerbose("This firmware lists placeholder digests: existing credentials cannot be compared, so every write is sent and presence is verified.");
                    }

                    outcome = installer.Execute(plan, new Approver(this, session), CancelToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ModemException ex)
            {
                WriteModemError(ex, session);
                return;
            }

            if (outcome.SwitchedOffline)
            {
                WriteVerbose("The modem was switched offline for the write and " + (outcome.RestoreError is null ? "restored to functional mode " + outcome.ModeFound?.ToString(CultureInfo.InvariantCulture) + "." : "could NOT be restored."));
            }

            var reported = new HashSet<ModemException>();
            foreach (InstallResult result in outcome.Results)
            {
                Pending pending = items.First(p => p.Item == result.Item);
                switch (result.Status)
                {
                    case InstallStatus.Failed:
                        if (result.Error is not null && reported.Add(result.Error))
                        {
                            WriteModemError(result.Error, result.Item.Target + " on " + session.PortName);
                        }

                        break;
                    case InstallStatus.Written:
                    case InstallStatus.Replaced:
                    case InstallStatus.Unchanged:
                        if (PassThru)
                        {
                            WriteObject(ToCredential(session, pending, result));
                        }

                        break;
                }
            }

            if (outcome.RestoreError is not null)
            {
                WriteModemError(outcome.RestoreError, session);
            }
        }

        private static ModemCredential ToCredential(ModemSession session, Pending pending, InstallResult result)
        {
            CertificateInfo? certificate = pending.Validation.Certificates.Count > 0 ? pending.Validation.Certificates[0] : null;
            return new ModemCredential
            {
                SecTag = result.Item.SecTag,
                Type = (CredentialType)result.Item.Type,
                Sha256 = result.ListedSha256 ?? result.Item.Sha256,
                IsModemOwned = false,
                Subject = certificate?.Subject,
                Issuer = certificate?.Issuer,
                NotAfter = certificate?.NotAfter.UtcDateTime,
                Status = result.Status switch
                {
                    InstallStatus.Written => CredentialStatus.Written,
                    InstallStatus.Replaced => CredentialStatus.Replaced,
                    _ => CredentialStatus.Unchanged,
                },
                SessionId = session.Id,
                PortName = session.PortName,
                Imei = session.Imei,
            };
        }

        private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);

        private sealed class Pending
        {
            public Pending(ModemSession session, InstallItem item, CredentialValidationResult validation)
            {
                Session = session;
                Item = item;
                Validation = validation;
            }

            public ModemSession Session { get; }

            public InstallItem Item { get; }

            public CredentialValidationResult Validation { get; }
        }

        /// <summary>ShouldProcess for each write; -Force or a confirmation for replacing; -Force or a confirmation for going offline.</summary>
        private sealed class Approver : IInstallApprover
        {
            private readonly SetModemCredentialCommand _cmdlet;
            private readonly ModemSession _session;

            public Approver(SetModemCredentialCommand cmdlet, ModemSession session)
            {
                _cmdlet = cmdlet;
                _session = session;
            }

            public bool ApproveStep(InstallStep step)
            {
                string target = Capital(step.Item.Target) + " on " + _session.PortName + " (from " + step.Item.Description + ", SHA-256 " + step.Item.Sha256.Substring(0, 8) + "...)";
                bool replace = step.Action == InstallAction.Replace;
                string action = replace
                    ? "Replace the credential stored there" + (step.Existing?.Sha256 is string old ? " (SHA-256 " + old.Substring(0, 8) + "...)" : string.Empty)
                    : "Write";
                if (!_cmdlet.ShouldProcess(target, action))
                {
                    return false;
                }

                if (!replace || _cmdlet.Force)
                {
                    return true;
                }

                try
                {
                    if (_cmdlet.ShouldContinue(Capital(step.Item.Target) + " on " + _session.PortName + " already holds a different credential"
                        + (step.Existing?.Sha256 is string existing ? " (SHA-256 " + existing + ")" : string.Empty) + ". Replace it?", "Replace a credential"))
                    {
                        return true;
                    }

                    _cmdlet.WriteVerbose("Not replacing " + step.Item.Target + ": declined.");
                    return false;
                }
                catch (Exception ex) when (ex is PSInvalidOperationException || ex is System.Management.Automation.Host.HostException || ex is NotImplementedException || ex is NotSupportedException)
                {
                    _cmdlet.WriteError(ErrorIds.CredentialReplaceNotConfirmed, ErrorCategory.ResourceExists,
                        Capital(step.Item.Target) + " on " + _session.PortName + " holds a different credential, and replacing it was not confirmed (this host cannot ask).",
                        "Add -Force to replace it, or remove it first with Remove-ModemCredential.", step.Item.Target);
                    return false;
                }
            }

            public bool ApproveModeSwitch(int mode) => RemoveModemCredentialCommand.ApproveModeSwitch(_cmdlet, _cmdlet.Force, mode, _session);
        }
    }
}
