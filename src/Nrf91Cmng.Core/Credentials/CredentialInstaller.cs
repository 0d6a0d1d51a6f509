namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>
    /// Puts credentials on a modem safely and idempotently: one list before (identical digests are
    /// skipped, nothing is ever deleted first: the modem overwrites in place), writes only while
    /// offline (switching from an active mode only when approved, and restoring the mode found, also
    /// when a write fails), and one list after to verify every digest. With the modem offline and
    /// three items in one sec_tag that is five commands: list, three writes, list.
    /// </summary>
    public sealed class CredentialInstaller
    {
        private readonly ICredentialStore _store;
        private readonly IModemLog _log;

        /// <summary>Creates an installer for one modem's store.</summary>
        public CredentialInstaller(ICredentialStore store, IModemLog? log)
        {
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _log = log ?? NullModemLog.Instance;
        }

        /// <summary>Reads what is stored and decides, per item, write, replace or leave.</summary>
        public InstallPlan Plan(IReadOnlyList<InstallItem> items, CancellationToken cancellationToken)
        {
            IReadOnlyList<CredentialEntry> listed = List(items, cancellationToken);
            bool placeholders = listed.Any(e => e.IsPlaceholderDigest) || !_store.Firmware.HasRealDigests && _store.Firmware.Family != "unknown";
            var steps = new List<InstallStep>(items.Count);
            foreach (InstallItem item in items)
            {
                string stored = _store.TextAfterWrite(item.Content);
                CredentialEntry? existing = listed.FirstOrDefault(e => e.SecTag == item.SecTag && e.Type == item.Type);
                InstallAction action = existing is null ? InstallAction.Write
                    : existing.Sha256 is string sha && _store.IsDigestOf(sha, stored, item.Type) ? InstallAction.Unchanged
                    : InstallAction.Replace;
                steps.Add(new InstallStep(item, _store.DigestOf(stored, item.Type), action, existing));
            }

            int? mode = _store.FunctionalMode?.KnownFunctionalMode;
            if (mode is null && _store.FunctionalMode is IFunctionalModeControl control && steps.Any(s => s.Action != InstallAction.Unchanged))
            {
                mode = control.GetFunctionalMode(_log, cancellationToken);
            }

            return new InstallPlan(steps, mode, placeholders);
        }

        /// <summary>Carries out the approved steps of <paramref name="plan"/>; the store is held for the whole operation.</summary>
        public InstallOutcome Execute(InstallPlan plan, IChangeApprover approver, CancellationToken cancellationToken)
        {
            var results = new InstallResult?[plan.Steps.Count];
            var toWrite = new List<int>();
            for (int i = 0; i < plan.Steps.Count; i++)
            {
                InstallStep step = plan.Steps[i];
                if (step.Action == InstallAction.Unchanged)
                {
                    results[i] = new InstallResult(step.Item, InstallStatus.Unchanged, step.Existing?.Sha256, null);
                    _log.Verbose(Messages.Capital(step.Item.Target) + " already holds this content (SHA-256 " + step.ExpectedSha256 + "): nothing written.");
                }
                else if (approver.ApproveChange(CredentialChange.For(step, _store.Location)))
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

            using (_store.Exclusive())
            using (var guard = new OfflineGuard(_store, approver, _log, cancellationToken))
            {
                try
                {
                    guard.EnsureOffline(plan.FunctionalMode);
                    var written = new List<int>();
                    foreach (int i in toWrite)
                    {
                        InstallStep step = plan.Steps[i];
                        InstallItem item = step.Item;
                        try
                        {
                            guard.Run(() => _store.Write(item.SecTag, item.Type, item.Content, item.Passphrase, step.Action == InstallAction.Replace, _log, cancellationToken));
                            written.Add(i);
                        }
                        catch (ModemException ex) when (ex.Category != ModemErrorCategory.ConnectionError && ex.ErrorId != ErrorIds.FunctionalModeActive)
                        {
                            results[i] = new InstallResult(item, InstallStatus.Failed, step.Existing?.Sha256, ex);
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

                guard.Restore();
                return new InstallOutcome(results!, guard.OriginalMode ?? plan.FunctionalMode, guard.SwitchedOffline, guard.RestoreError);
            }
        }

        private IReadOnlyList<CredentialEntry> List(IReadOnlyList<InstallItem> items, CancellationToken cancellationToken)
        {
            uint[] tags = items.Select(i => i.SecTag).Distinct().ToArray();
            return _store.List(tags.Length == 1 ? tags[0] : (uint?)null, null, _log, cancellationToken);
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
                else if (!_store.IsDigestOf(entry.Sha256, _store.TextAfterWrite(step.Item.Content), step.Item.Type))
                {
                    results[i] = new InstallResult(step.Item, InstallStatus.Failed, entry.Sha256, new ModemException(ErrorIds.CredentialVerifyMismatch, ModemErrorCategory.DeviceError,
                        "After writing " + step.Item.Target + " the modem lists SHA-256 " + entry.Sha256 + ", but the bytes sent hash to " + step.ExpectedSha256 + ".",
                        "Something between this computer and the modem changed the bytes (a shell that rewrites line endings, a serial bridge). Check the connection and -CommandMode, then write again."));
                }
                else
                {
                    results[i] = new InstallResult(step.Item, done, entry.Sha256, null);
                    _log.Verbose(Messages.Capital(step.Item.Target) + " " + (done == InstallStatus.Replaced ? "replaced" : "written") + " and verified (SHA-256 " + entry.Sha256 + ").");
                }
            }
        }
    }
}
