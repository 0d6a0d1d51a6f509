namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>What happened to one credential to delete.</summary>
    public enum RemoveStatus
    {
        /// <summary>Deleted.</summary>
        Removed,

        /// <summary>Not stored there.</summary>
        NotFound,

        /// <summary>Not approved (-WhatIf, or declined).</summary>
        Skipped,

        /// <summary>Failed; see the error.</summary>
        Failed,
    }

    /// <summary>The outcome for one (sec_tag, type).</summary>
    public sealed class RemoveResult
    {
        internal RemoveResult(uint secTag, CredentialType type, RemoveStatus status, string? sha256, ModemException? error)
        {
            SecTag = secTag;
            Type = type;
            Status = status;
            Sha256 = sha256;
            Error = error;
        }

        /// <summary>The sec_tag.</summary>
        public uint SecTag { get; }

        /// <summary>The type.</summary>
        public CredentialType Type { get; }

        /// <summary>What happened.</summary>
        public RemoveStatus Status { get; }

        /// <summary>The digest the modem listed before the deletion.</summary>
        public string? Sha256 { get; }

        /// <summary>The failure, for <see cref="RemoveStatus.Failed"/> and <see cref="RemoveStatus.NotFound"/>.</summary>
        public ModemException? Error { get; }
    }

    /// <summary>What <see cref="CredentialRemover.Remove"/> did.</summary>
    public sealed class RemoveOutcome
    {
        internal RemoveOutcome(IReadOnlyList<RemoveResult> results, ModemException? restoreError)
        {
            Results = results;
            RestoreError = restoreError;
        }

        /// <summary>One result per target, in the order given.</summary>
        public IReadOnlyList<RemoveResult> Results { get; }

        /// <summary>Set when the modem was switched offline and its mode could not be restored.</summary>
        public ModemException? RestoreError { get; }
    }

    /// <summary>
    /// Deletes credentials: one list to find what is there (a missing entry is reported, not sent),
    /// then the approved deletions while offline (switching only when approved, restoring the mode
    /// found afterwards, also after a failure).
    /// </summary>
    public static class CredentialRemover
    {
        /// <summary>Deletes <paramref name="targets"/>; <paramref name="approver"/> is asked per existing entry and for a mode switch.</summary>
        public static RemoveOutcome Remove(ICredentialStore store, IReadOnlyList<KeyValuePair<uint, CredentialType>> targets,
            IChangeApprover approver, IModemLog? log, CancellationToken cancellationToken)
        {
            log ??= NullModemLog.Instance;
            var results = new List<RemoveResult>(targets.Count);
            using (store.Exclusive())
            {
                uint[] tags = targets.Select(t => t.Key).Distinct().ToArray();
                IReadOnlyList<CredentialEntry> listed = store.List(tags.Length == 1 ? tags[0] : (uint?)null, null, log, cancellationToken);
                var approved = new List<CredentialEntry>();
                foreach (KeyValuePair<uint, CredentialType> target in targets)
                {
                    CredentialEntry? entry = listed.FirstOrDefault(e => e.SecTag == target.Key && e.Type == target.Value);
                    if (entry is null)
                    {
                        results.Add(new RemoveResult(target.Key, target.Value, RemoveStatus.NotFound, null, new ModemException(ErrorIds.CredentialNotFound, ModemErrorCategory.ObjectNotFound,
                            "No " + CredentialRules.Describe(target.Value) + " is stored at sec_tag " + target.Key.ToString(CultureInfo.InvariantCulture) + "; nothing was deleted.",
                            "List what is stored with Get-ModemCredential.")));
                    }
                    else if (approver.ApproveChange(new CredentialChange(ChangeKind.Delete, entry.SecTag, entry.Type, store.Location, null, null, entry.Sha256)))
                    {
                        approved.Add(entry);
                    }
                    else
                    {
                        results.Add(new RemoveResult(target.Key, target.Value, RemoveStatus.Skipped, entry.Sha256, null));
                    }
                }

                if (approved.Count == 0)
                {
                    return new RemoveOutcome(results, null);
                }

                using (var guard = new OfflineGuard(store, approver, log, cancellationToken))
                {
                    try
                    {
                        guard.EnsureOffline(store.FunctionalMode?.KnownFunctionalMode);
                        foreach (CredentialEntry entry in approved)
                        {
                            try
                            {
                                guard.Run(() => store.Delete(entry.SecTag, entry.Type, log, cancellationToken));
                                results.Add(new RemoveResult(entry.SecTag, entry.Type, RemoveStatus.Removed, entry.Sha256, null));
                                log.Verbose("Deleted the " + CredentialRules.Describe(entry.Type) + " at sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture) + ".");
                            }
                            catch (ModemException ex) when (ex.Category != ModemErrorCategory.ConnectionError && ex.ErrorId != ErrorIds.FunctionalModeActive)
                            {
                                results.Add(new RemoveResult(entry.SecTag, entry.Type, RemoveStatus.Failed, entry.Sha256, ex));
                            }
                        }
                    }
                    catch (ModemException ex)
                    {
                        foreach (CredentialEntry entry in approved.Where(a => !results.Any(r => r.SecTag == a.SecTag && r.Type == a.Type)))
                        {
                            results.Add(new RemoveResult(entry.SecTag, entry.Type, RemoveStatus.Failed, entry.Sha256, ex));
                        }
                    }

                    guard.Restore();
                    return new RemoveOutcome(results, guard.RestoreError);
                }
            }
        }
    }
}
