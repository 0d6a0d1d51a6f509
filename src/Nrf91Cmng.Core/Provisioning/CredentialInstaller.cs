using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Logging;
using Nrf91Cmng.Core.Modem;

namespace Nrf91Cmng.Core.Provisioning
{
    /// <summary>One credential to put on a modem: validated content, exactly the bytes to send.</summary>
    public sealed class InstallItem
    {
        /// <summary>Creates an item; <paramref name="content"/> is sent as is and hashed as is.</summary>
        public InstallItem(uint secTag, int type, string content, string? passphrase, string description)
        {
            SecTag = secTag;
            Type = type;
            Content = content ?? throw new ArgumentNullException(nameof(content));
            Passphrase = passphrase;
            Description = description;
            Sha256 = Digests.Sha256Hex(content);
        }

        /// <summary>The sec_tag.</summary>
        public uint SecTag { get; }

        /// <summary>The type number.</summary>
        public int Type { get; }

        /// <summary>The exact text between the quotes of <c>AT%CMNG=0</c>.</summary>
        public string Content { get; }

        /// <summary>PKCS#8 passphrase for an encrypted key, or null.</summary>
        public string? Passphrase { get; }

        /// <summary>Where the content came from, for messages (a file name, "-Content").</summary>
        public string Description { get; }

        /// <summary>The digest the modem will list: uppercase SHA-256 of <see cref="Content"/>.</summary>
        public string Sha256 { get; }

        /// <summary>"root CA certificate at sec_tag 42".</summary>
        public string Target => Digests.TypeWords(Type) + " at sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>What the installer will do with one item.</summary>
    public enum InstallAction
    {
        /// <summary>Nothing stored there: write.</summary>
        Write,

        /// <summary>A different credential is stored there: overwrite it in place.</summary>
        Replace,

        /// <summary>The modem already lists the same digest: nothing to do.</summary>
        Unchanged,
    }

    /// <summary>The outcome for one item.</summary>
    public enum InstallStatus
    {
        /// <summary>Written where nothing was.</summary>
        Written,

        /// <summary>Written over a different credential.</summary>
        Replaced,

        /// <summary>Already there: nothing sent.</summary>
        Unchanged,

        /// <summary>Not approved (-WhatIf, or declined): nothing sent.</summary>
        Skipped,

        /// <summary>Failed; see the error.</summary>
        Failed,
    }

    /// <summary>One planned step.</summary>
    public sealed class InstallStep
    {
        internal InstallStep(InstallItem item, InstallAction action, CredentialEntry? existing)
        {
            Item = item;
            Action = action;
            Existing = existing;
        }

        /// <summary>The item.</summary>
        public InstallItem Item { get; }

        /// <summary>What will be done.</summary>
        public InstallAction Action { get; }

        /// <summary>What the modem lists there now, or null.</summary>
        public CredentialEntry? Existing { get; }
    }

    /// <summary>The plan for a set of items on one modem: read-only facts gathered before any change.</summary>
    public sealed class InstallPlan
    {
        internal InstallPlan(IReadOnlyList<InstallStep> steps, int? functionalMode, bool placeholderDigests)
        {
            Steps = steps;
            FunctionalMode = functionalMode;
            PlaceholderDigests = placeholderDigests;
        }

        /// <summary>One step per item, in the order given.</summary>
        public IReadOnlyList<InstallStep> Steps { get; }

        /// <summary>The functional mode found (as known to the session).</summary>
        public int? FunctionalMode { get; }

        /// <summary>True when the modem is active and must be switched offline to write.</summary>
        public bool NeedsModeSwitch => FunctionalMode is int mode && ModemClient.IsActiveMode(mode) && Steps.Any(s => s.Action != InstallAction.Unchanged);

        /// <summary>The firmware prints placeholder digests: nothing can be compared or verified.</summary>
        public bool PlaceholderDigests { get; }
    }

    /// <summary>The outcome for one item.</summary>
    public sealed class InstallResult
    {
        internal InstallResult(InstallItem item, InstallStatus status, string? listedSha256, ModemException? error)
        {
            Item = item;
            Status = status;
            ListedSha256 = listedSha256;
            Error = error;
        }

        /// <summary>The item.</summary>
        public InstallItem Item { get; }

        /// <summary>What happened.</summary>
        public InstallStatus Status { get; }

        /// <summary>The digest the modem lists afterwards (null where unknown).</summary>
        public string? ListedSha256 { get; }

        /// <summary>The failure, for <see cref="InstallStatus.Failed"/>.</summary>
        public ModemException? Error { get; }
    }

    /// <summary>Approvals asked of the caller (ShouldProcess / ShouldContinue in the cmdlets).</summary>
    public interface IInstallApprover
    {
        /// <summary>May this step be carried out?</summary>
        bool ApproveStep(InstallStep step);

        /// <summary>May the modem be switched from <paramref name="mode"/> to offline (CFUN=4) and back?</summary>
        bool ApproveModeSwitch(int mode);
    }

    /// <summary>The result of <see cref="CredentialInstaller.Execute"/>.</summary>
    public sealed class InstallOutcome
    {
        internal InstallOutcome(IReadOnlyList<InstallResult> results, int? modeFound, bool switched, ModemException? restoreError)
        {
            Results = results;
            ModeFound = modeFound;
            SwitchedOffline = switched;
            RestoreError = restoreError;
        }

        /// <summary>One result per step.</summary>
        public IReadOnlyList<InstallResult> Results { get; }

        /// <summary>The functional mode found.</summary>
        public int? ModeFound { get; }

        /// <summary>True when the modem was switched offline for the writes (and restored).</summary>
        public bool SwitchedOffline { get; }

        /// <summary>Set when the original mode could not be restored: the modem is not as found.</summary>
        public ModemException? RestoreError { get; }
    }

    /// <summary>
    /// Puts credentials on a modem safely and idempotently: one list before (identical digests are
    /// skipped, nothing is ever deleted first: the modem overwrites in place), writes only while
    /// offline (switching from an active mode only when approved, and restoring the mode found, also
    /// when a write fails), and one list after to verify every digest. With the modem offline and
    /// three items in one sec_tag that is five AT commands: list, three writes, list.
    /// </summary>
    public sealed class CredentialInstaller
    {
        private readonly ModemClient _client;
        private readonly IModemLog _log;

        /// <summary>Creates an installer for one modem.</summary>
        public CredentialInstaller(ModemClient client, IModemLog? log)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _log = log ?? NullModemLog.Instance;
        }

        /// <summary>Reads what is stored and decides, per item, write, replace or leave.</summary>
        public InstallPlan Plan(IReadOnlyList<InstallItem> items, CancellationToken cancellationToken)
        {
            IReadOnlyList<CredentialEntry> listed = List(items, cancellationToken);
            bool placeholders = listed.Any(e => e.IsPlaceholderDigest) || !_client.Identity.Firmware.HasRealDigests && _client.Identity.Firmware.Family != "unknown";
            var steps = new List<InstallStep>(items.Count);
            foreach (InstallItem item in items)
            {
                CredentialEntry? existing = listed.FirstOrDefault(e => e.SecTag == item.SecTag && e.Type == item.Type);
                InstallAction action = existing is null ? InstallAction.Write
                    : existing.Sha256 is string sha && string.Equals(sha, item.Sha256, StringComparison.OrdinalIgnoreCase) ? InstallAction.Unchanged
                    : InstallAction.Replace;
                steps.Add(new InstallStep(item, action, existing));
            }

            int? mode = _client.KnownFunctionalMode;
            if (mode is null && steps.Any(s => s.Action != InstallAction.Unchanged))
            {
                mode = _client.GetFunctionalMode(_log, cancellationToken);
            }

            return new InstallPlan(steps, mode, placeholders);
        }

        /// <summary>Carries out the approved steps of <paramref name="plan"/>; the session is held for the whole operation.</summary>
        public InstallOutcome Execute(InstallPlan plan, IInstallApprover approver, CancellationToken cancellationToken)
        {
            var results = new InstallResult?[plan.Steps.Count];
            var toWrite = new List<int>();
            for (int i = 0; i < plan.Steps.Count; i++)
            {
                InstallStep step = plan.Steps[i];
                if (step.Action == InstallAction.Unchanged)
                {
                    results[i] = new InstallResult(step.Item, InstallStatus.Unchanged, step.Existing?.Sha256, null);
                    _log.Verbose(Capital(step.Item.Target) + " already holds this content (SHA-256 " + step.Item.Sha256 + "): nothing written.");
                }
                else if (approver.ApproveStep(step))
                {
                    toWrite.Add(i);
                }
                else
                {
                    results[i] = new InstallResult(step.Item, InstallStatus.Skipped, step.Existing?.Sha256, null);
                }
            }

            if (toWrite.Count == 0)
            {
                return new InstallOutcome(results!, plan.FunctionalMode, false, null);
            }

            using (_client.Exclusive())
            {
                var guard = new OfflineGuard(_client, approver.ApproveModeSwitch, _log, cancellationToken);
                bool switched = false;
                try
                {
                    guard.EnsureOffline(plan.FunctionalMode);
                    var written = new List<int>();
                    foreach (int i in toWrite)
                    {
                        InstallItem item = plan.Steps[i].Item;
                        try
                        {
                            guard.Run(() => _client.WriteCredential(item.SecTag, item.Type, item.Content, item.Passphrase, _log, cancellationToken));
                            written.Add(i);
                        }
                        catch (ModemException ex) when (ex.Category != ModemErrorCategory.ConnectionError && ex.ErrorId != ErrorIds.FunctionalModeActive)
                        {
                            results[i] = new InstallResult(item, InstallStatus.Failed, plan.Steps[i].Existing?.Sha256, ex);
                            _log.Verbose("Writing " + item.Target + " failed: " + ex.Message);
                        }
                    }

                    Verify(plan, written, results, cancellationToken);
                }
                catch (ModemException ex)
                {
                    // The session failed (connection lost, console gone) or the mode could not be changed:
                    // whatever was not settled failed with it.
                    for (int i = 0; i < results.Length; i++)
                    {
                        results[i] ??= new InstallResult(plan.Steps[i].Item, InstallStatus.Failed, null, ex);
                    }
                }
                finally
                {
                    switched = guard.Switched;
                    if (_client.Channel.IsUsable)
                    {
                        guard.Dispose();
                    }
                }

                return new InstallOutcome(results!, guard.OriginalMode ?? plan.FunctionalMode, switched, guard.RestoreError);
            }
        }

        private IReadOnlyList<CredentialEntry> List(IReadOnlyList<InstallItem> items, CancellationToken cancellationToken)
        {
            uint[] tags = items.Select(i => i.SecTag).Distinct().ToArray();
            return tags.Length == 1
                ? _client.ListCredentials(tags[0], null, _log, cancellationToken)
                : _client.ListCredentials(null, null, _log, cancellationToken);
        }

        private void Verify(InstallPlan plan, List<int> written, InstallResult?[] results, CancellationToken cancellationToken)
        {
            if (written.Count == 0)
            {
                return;
            }

            IReadOnlyList<CredentialEntry> after = List(written.Select(i => plan.Steps[i].Item).ToList(), cancellationToken);
            foreach (int i in written)
            {
                InstallStep step = plan.Steps[i];
                CredentialEntry? entry = after.FirstOrDefault(e => e.SecTag == step.Item.SecTag && e.Type == step.Item.Type);
                InstallStatus done = step.Action == InstallAction.Replace ? InstallStatus.Replaced : InstallStatus.Written;
                if (entry is null)
                {
                    results[i] = new InstallResult(step.Item, InstallStatus.Failed, null, new ModemException(ErrorIds.CredentialVerifyMissing, ModemErrorCategory.DeviceError,
                        "The modem answered OK to writing " + step.Item.Target + " but does not list it afterwards.",
                        "Write it again; if it keeps disappearing, the modem may be out of storage or the write was refused silently by an intermediate shell."));
                }
                else if (entry.Sha256 is null)
                {
                    _log.Warning("This firmware lists placeholder digests, so the content of " + step.Item.Target + " cannot be verified; it is present.");
                    results[i] = new InstallResult(step.Item, done, null, null);
                }
                else if (!string.Equals(entry.Sha256, step.Item.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    results[i] = new InstallResult(step.Item, InstallStatus.Failed, entry.Sha256, new ModemException(ErrorIds.CredentialVerifyMismatch, ModemErrorCategory.DeviceError,
                        "After writing " + step.Item.Target + " the modem lists SHA-256 " + entry.Sha256 + ", but the bytes sent hash to " + step.Item.Sha256 + ".",
                        "Something between this computer and the modem changed the bytes (a shell that rewrites line endings, a serial bridge). Check the connection and -CommandMode, then write again."));
                }
                else
                {
                    results[i] = new InstallResult(step.Item, done, entry.Sha256, null);
                    _log.Verbose(Capital(step.Item.Target) + " " + (done == InstallStatus.Replaced ? "replaced" : "written") + " and verified (SHA-256 " + entry.Sha256 + ").");
                }
            }
        }

        private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
    }
}
