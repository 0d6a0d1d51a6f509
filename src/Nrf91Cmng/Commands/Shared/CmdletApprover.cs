using Nrf91Cmng.Core;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// How a cmdlet approves changes to a modem: ShouldProcess (-WhatIf, -Confirm) for every change;
    /// for replacing a credential or generating a key also -Force or a confirmation; for switching
    /// an active modem offline -Force or a confirmation. A host that cannot ask counts as "no", so
    /// unattended scripts need -Force.
    /// </summary>
    internal sealed class CmdletApprover : IChangeApprover
    {
        private const string PromptNeedsForce = "this PowerShell cannot ask (it runs -NonInteractive, or its host has no prompt)";
        private readonly ModemCmdletBase _cmdlet;
        private readonly bool _force;
        private readonly string _location;

        public CmdletApprover(ModemCmdletBase cmdlet, bool force, string location)
        {
            _cmdlet = cmdlet;
            _force = force;
            _location = location;
        }

        /// <inheritdoc />
        public bool WhatIf => _cmdlet.WhatIfRequested;

        /// <inheritdoc />
        public bool ApproveChange(CredentialChange change)
        {
            switch (change.Kind)
            {
                case ChangeKind.Delete:
                    return Process(change, change.Target + Digest(change.ExistingSha256) + " on " + _location, "Remove", unlessForced: true);
                case ChangeKind.GenerateKey:
                    return Process(change, change.Target + " on " + _location, "Generate a new key pair in the modem (replaces a private key stored there)", unlessForced: true);
            }

            string target = Messages.Capital(change.Target) + " on " + _location + " (from " + change.Source + ", SHA-256 " + Short(change.NewSha256) + "...)";
            bool replace = change.Kind == ChangeKind.Replace;
            string action = replace ? "Replace the credential stored there" + Digest(change.ExistingSha256) : "Write";
            if (!Process(change, target, action, unlessForced: false))
            {
                return false;
            }

            if (!replace || _force)
            {
                return true;
            }

            bool? yes = Ask(Messages.Capital(change.Target) + " on " + _location + " already holds a different credential"
                + (change.ExistingSha256 is null ? string.Empty : " (SHA-256 " + change.ExistingSha256 + ")") + ". Replace it?", "Replace a credential", offerAll: true);
            if (yes is null)
            {
                _cmdlet.WriteError(ErrorIds.CredentialReplaceNotConfirmed, ErrorCategory.ResourceExists,
                    Messages.Capital(change.Target) + " on " + _location + " holds a different credential, and replacing it needs a confirmation, but " + PromptNeedsForce + ". Nothing was written.",
                    "Add -Force to replace it, or remove it first with Remove-ModemCredential.", change.Target);
                return false;
            }

            if (!yes.Value)
            {
                _cmdlet.WriteWarning("Not replacing the " + change.Target + " on " + _location + ": declined. The credential stored there is unchanged.");
            }

            return yes.Value;
        }

        /// <inheritdoc />
        public bool ApproveModeSwitch(int mode)
        {
            string m = mode.ToString(CultureInfo.InvariantCulture);
            if (_force)
            {
                _cmdlet.WriteVerbose("The modem on " + _location + " is in functional mode " + m + "; -Force: switching it offline for the change and back to " + m + " afterwards.");
                return true;
            }

            return Ask("The modem on " + _location + " is in functional mode " + m + " (LTE active). Credentials can only be changed offline: switch it to offline (CFUN=4) now and back to " + m + " afterwards?",
                "Switch the modem offline", offerAll: false) == true;
        }

        /// <summary>
        /// ShouldProcess (with -Force answering it for the high-impact changes); where the host would
        /// have to prompt but cannot (-NonInteractive), a module error that says to add -Force instead
        /// of the engine's prompt failure.
        /// </summary>
        private bool Process(CredentialChange change, string target, string action, bool unlessForced)
        {
            try
            {
                return unlessForced ? _cmdlet.ShouldProcessUnlessForced(_force, target, action) : _cmdlet.ShouldProcess(target, action);
            }
            catch (Exception ex) when (IsCannotPrompt(ex))
            {
                _cmdlet.WriteError(ErrorIds.ChangeNotConfirmed, ErrorCategory.InvalidOperation,
                    action + " the " + change.Target + " on " + _location + " needs a confirmation (ConfirmImpact " + (unlessForced ? "High" : "Medium") + "), but " + PromptNeedsForce + ". Nothing was changed.",
                    "Add -Force (or -Confirm:$false) to " + (change.Kind == ChangeKind.Delete ? "delete" : "change") + " without a prompt.", change.Target, ex);
                return false;
            }
        }

        /// <summary>ShouldContinue with Yes to All / No to All kept for the rest of the command; null where the host cannot ask.</summary>
        private bool? Ask(string query, string caption, bool offerAll)
        {
            try
            {
                return offerAll ? _cmdlet.ShouldContinueOnce(query, caption) : _cmdlet.ShouldContinue(query, caption);
            }
            catch (Exception ex) when (IsCannotPrompt(ex))
            {
                return null;
            }
        }

        private static bool IsCannotPrompt(Exception ex) =>
            ex is PSInvalidOperationException || ex is System.Management.Automation.Host.HostException || ex is NotImplementedException || ex is NotSupportedException || ex is InvalidOperationException;

        private static string Digest(string? sha256) => string.IsNullOrEmpty(sha256) ? string.Empty : " (SHA-256 " + Short(sha256) + "...)";

        private static string Short(string? sha256) => sha256 is null ? "?" : sha256.Substring(0, Math.Min(8, sha256.Length));
    }
}
