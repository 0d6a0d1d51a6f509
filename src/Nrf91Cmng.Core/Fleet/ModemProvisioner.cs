using System.Diagnostics;
using Nrf91Cmng.Core.Keys;

namespace Nrf91Cmng.Core.Fleet
{
    /// <summary>How one fleet run treats each modem.</summary>
    public sealed class ProvisioningOptions
    {
        /// <summary>
        /// Approves replacing a different credential, generating a new key over one that is there, and
        /// switching an active modem offline (restored afterwards); its <see cref="IChangeApprover.WhatIf"/>
        /// makes the run only read and report what it would do. Default: no -Force, no -WhatIf.
        /// </summary>
        public IChangeApprover Approver { get; set; } = new ForceApprover(force: false);

        internal bool WhatIf => Approver.WhatIf;

        /// <summary>Passphrase of encrypted CA keys for Generate entries.</summary>
        public string? CaKeyPassphrase { get; set; }

        /// <summary>Passphrase of encrypted client private keys in the plan.</summary>
        public string? KeyPassphrase { get; set; }

        /// <summary>
        /// A folder of provisioning records (one <c>uuid-…</c>/<c>imei-…</c> JSON file per modem), or
        /// null. The modem's record is read before anything is written (Generate entries are judged
        /// by it) and rewritten after the run from what the modem lists then.
        /// </summary>
        public string? RecordFolder { get; set; }

        /// <summary>Read the device UUID even when the plan does not need it (for onboarding files).</summary>
        public bool ReadDeviceUuid { get; set; }
    }

    /// <summary>
    /// Provisions one modem with a plan: identity, per-device content, on-modem key generation and
    /// CA signing, then the credential installer (one list, the writes, one list to verify), with
    /// the modem offline only while needed and its mode restored. Used by Invoke-ModemProvisioning
    /// for each modem of a fleet, in parallel.
    /// </summary>
    public static class ModemProvisioner
    {
        /// <summary>
        /// Validates the entries that do not depend on the modem, all of them: every bad entry is
        /// reported in one error, before anything is sent, together with the plan's
        /// <paramref name="earlierProblems"/> (rows that did not parse).
        /// </summary>
        public static Dictionary<PlanEntry, CredentialValidationResult> Prevalidate(IReadOnlyList<PlanEntry> entries, ProvisioningOptions options, IReadOnlyList<string>? earlierProblems = null)
        {
            var results = new Dictionary<PlanEntry, CredentialValidationResult>();
            var problems = new List<ModemException>();
            foreach (PlanEntry entry in entries)
            {
                try
                {
                    if (entry.Generate)
                    {
                        Check(entry, () => File.Exists(entry.CACertificate) && File.Exists(entry.CAKey), "its CA certificate or CA key file does not exist (" + entry.CACertificate + ", " + entry.CAKey + ")");
                    }
                    else if (!entry.IsPerDevice)
                    {
                        results[entry] = Validate(entry, entry.Path, entry.Content, options);
                    }
                }
                catch (ModemException ex)
                {
                    problems.Add(ex);
                }
            }

            var all = new List<string>(earlierProblems ?? Array.Empty<string>());
            all.AddRange(problems.Select(p => p.Message));
            ProvisioningPlanReader.ThrowIfAny(all, problems.Count == 1 && all.Count == 1 ? problems[0] : null);
            return results;
        }

        /// <summary>
        /// Provisions one connected modem. With <see cref="ProvisioningOptions.RecordFolder"/> its
        /// record is read first and written afterwards (also after a failure, as long as the modem
        /// still answers: the record says what the modem holds, and a new key whose certificate was
        /// not written stays visible as a mismatch).
        /// </summary>
        public static ModemOutcome Provision(ModemClient client, ICredentialStore store, IReadOnlyList<PlanEntry> entries, IReadOnlyDictionary<PlanEntry, CredentialValidationResult> prevalidated,
            ProvisioningOptions options, IModemLog log, Action<string>? progress, CancellationToken cancellationToken)
        {
            var state = new RunState();
            using (store.Exclusive())
            {
                ModemOutcome outcome;
                try
                {
                    outcome = Run(client, store, entries, prevalidated, options, log, progress, state, cancellationToken);
                }
                catch (ModemException ex)
                {
                    outcome = Fail(entries, state.Outcomes, ex);
                }
                catch (OperationCanceledException ex)
                {
                    outcome = Fail(entries, state.Outcomes, new ModemException(ErrorIds.ProvisioningFailed, ModemErrorCategory.OperationStopped,
                        "Stopped by the user (Ctrl+C) before this modem was finished.", "Run the plan again: entries already written are skipped.", ex));
                }

                outcome = WriteRecord(client, store, options, log, progress, state, outcome, cancellationToken);
                outcome.DeviceUuid = state.DeviceUuid;
                return outcome;
            }
        }

        /// <summary>What one modem's run learnt on the way, kept for the record and for failures.</summary>
        private sealed class RunState
        {
            public Dictionary<PlanEntry, EntryOutcome> Outcomes { get; } = new Dictionary<PlanEntry, EntryOutcome>();

            public Dictionary<PlanEntry, IssuedCertificate> Issued { get; } = new Dictionary<PlanEntry, IssuedCertificate>();

            public Guid? DeviceUuid { get; set; }

            /// <summary>True once the record folder was consulted without error (only then is the record rewritten).</summary>
            public bool RecordRead { get; set; }

            public ProvisioningRecord? Record { get; set; }
        }

        private static ModemOutcome Run(ModemClient client, ICredentialStore store, IReadOnlyList<PlanEntry> entries, IReadOnlyDictionary<PlanEntry, CredentialValidationResult> prevalidated,
            ProvisioningOptions options, IModemLog log, Action<string>? progress, RunState state, CancellationToken cancellationToken)
        {
            Dictionary<PlanEntry, EntryOutcome> outcomes = state.Outcomes;
            string? imei = client.Identity.Imei;
            if (imei is null && entries.FirstOrDefault(e => e.NeedsImei) is PlanEntry needsImei)
            {
                throw new ModemException(ErrorIds.PlanInvalid, ModemErrorCategory.NotImplemented,
                    "The plan uses {Imei} (" + needsImei.Source + "), but the IMEI of the modem on " + client.Channel.Transport.Name + " is not known: "
                    + (client.Channel.HasAt
                        ? "it did not report one (AT+CGSN answered no IMEI; PTI parts without a written IMEI do so)."
                        : "it is reached through a TLS credentials shell without 'at', which cannot read it.") + " Nothing was written to it.",
                    client.Channel.HasAt
                        ? "Use a plan without {Imei} for this modem, or write its IMEI first."
                        : "Connect to a console that can send AT commands (a shell with 'at', or the raw AT console), or use a plan without {Imei} for this modem.");
            }

            Guid? uuid = null;
            if (entries.Any(e => e.NeedsDeviceUuid))
            {
                progress?.Invoke("Reading the device UUID");
                uuid = client.ReadDeviceUuidOrAttest(log, cancellationToken)
                    ?? throw new ModemException(ErrorIds.PlanInvalid, ModemErrorCategory.NotImplemented,
                        "The plan uses {DeviceUuid}, but this modem's firmware (" + client.Identity.Firmware.Name + ") reports no device UUID. Nothing was written.",
                        "Use {Imei} for this modem, or update its firmware to 1.3.0 or later.");
            }
            else if (options.RecordFolder is not null || options.ReadDeviceUuid || entries.Any(e => e.Generate))
            {
                // Records are named by it, and a generated key's certificate is onboarded under it.
                progress?.Invoke("Reading the device UUID");
                uuid = client.TryReadDeviceUuid(log, cancellationToken);
            }

            state.DeviceUuid = uuid;
            if (options.RecordFolder is not null)
            {
                progress?.Invoke("Reading the provisioning record");
                ProvisioningRecordFile.GetFileName(uuid, imei);
                state.Record = ProvisioningRecordFile.Load(options.RecordFolder, uuid, imei);
                state.RecordRead = true;
                log.Verbose(state.Record is null
                    ? "No provisioning record of this modem in " + options.RecordFolder + " yet."
                    : "Provisioning record: " + ProvisioningRecordFile.Find(options.RecordFolder, uuid, imei) + " (" + state.Record + ").");
            }

            // Content that depends on the modem is resolved and validated before anything is written.
            var items = new List<(PlanEntry Entry, InstallItem Item)>();
            foreach (PlanEntry entry in entries.Where(e => !e.Generate))
            {
                CredentialValidationResult validation = prevalidated.TryGetValue(entry, out CredentialValidationResult? known) ? known
                    : Validate(entry, PlanEntry.Expand(entry.Path, imei, uuid), PlanEntry.Expand(entry.Content, imei, uuid), options);
                items.Add((entry, new InstallItem(entry.SecTag, entry.Type, validation.Content, validation.PassphraseRequired ? options.KeyPassphrase : null, entry.Source)));
            }

            List<PlanEntry> generate = entries.Where(e => e.Generate).ToList();
            if (generate.Count > 0)
            {
                progress?.Invoke("Listing credentials");
                IReadOnlyList<CredentialEntry> listed = store.List(null, null, log, cancellationToken);

                // What already matches is Unchanged whatever happens to the rest of this modem.
                foreach ((PlanEntry entry, InstallItem item) in items)
                {
                    CredentialEntry? existing = listed.FirstOrDefault(e => e.SecTag == item.SecTag && e.Type == item.Type);
                    if (existing?.Sha256 is string sha && string.Equals(sha, store.DigestAfterWrite(item.Content), StringComparison.OrdinalIgnoreCase))
                    {
                        outcomes[entry] = new EntryOutcome(entry, EntryStatus.Unchanged, sha, null, CertificateOf(entry.Type, item.Content));
                    }
                }

                foreach (PlanEntry entry in generate.ToList())
                {
                    if (!DecideGenerate(store, entry, listed, state.Record, options, log, outcomes, cancellationToken))
                    {
                        generate.Remove(entry);
                    }
                    else if (options.WhatIf)
                    {
                        outcomes[entry] = new EntryOutcome(entry, EntryStatus.WouldGenerate, null, null);
                        generate.Remove(entry);
                    }
                }
            }

            IChangeApprover approver = options.Approver;
            using (var guard = new OfflineGuard(store, approver, log, cancellationToken))
            {
                if (generate.Count > 0)
                {
                    guard.EnsureOffline(client.KnownFunctionalMode ?? client.GetFunctionalMode(log, cancellationToken));
                    foreach (PlanEntry entry in generate)
                    {
                        progress?.Invoke("Generating a key at sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture));
                        string? subject = PlanEntry.Expand(entry.Subject, imei, uuid);
                        string raw = string.Empty;
                        guard.Run(() => raw = client.GenerateKey(entry.SecTag, CredentialType.ClientPrivateKey, 0, subject, null, log, cancellationToken));
                        KeygenResponse response = KeygenResponse.Parse(raw);
                        response.EnsureDigestValid();
                        IssuedCertificate issued = CertificateIssuer.Sign(response.Request!, File.ReadAllText(entry.CACertificate!), File.ReadAllText(entry.CAKey!),
                            options.CaKeyPassphrase, entry.ValidityDays);
                        state.Issued[entry] = issued;
                        log.Verbose("Key generated at sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture) + " and its certificate issued: " + issued.Subject + ", serial " + issued.SerialNumber + ".");
                        items.Add((entry, new InstallItem(entry.SecTag, CredentialType.ClientCertificate, issued.Pem, null, entry.Source + " (issued for the generated key)")));
                    }
                }

                progress?.Invoke("Comparing digests");
                var installer = new CredentialInstaller(store, log);
                InstallPlan plan = installer.Plan(items.Select(i => i.Item).ToList(), cancellationToken);
                if (options.WhatIf)
                {
                    foreach (InstallStep step in plan.Steps)
                    {
                        PlanEntry entry = items.First(i => i.Item == step.Item).Entry;
                        outcomes[entry] = new EntryOutcome(entry, step.Action == InstallAction.Write ? EntryStatus.WouldWrite : step.Action == InstallAction.Replace ? EntryStatus.WouldReplace : EntryStatus.Unchanged,
                            step.ExpectedSha256, null, CertificateOf(entry.Type, step.Item.Content));
                    }

                    return new ModemOutcome(ModemStatus.WhatIf, entries.Select(e => outcomes[e]).ToList(), null);
                }

                progress?.Invoke("Writing");
                InstallOutcome outcome = installer.Execute(plan, approver, cancellationToken);
                foreach (InstallResult result in outcome.Results)
                {
                    PlanEntry entry = items.First(i => i.Item == result.Item).Entry;
                    EntryStatus status = result.Status switch
                    {
                        InstallStatus.Written when entry.Generate => EntryStatus.Generated,
                        InstallStatus.Replaced when entry.Generate => EntryStatus.Generated,
                        InstallStatus.Written => EntryStatus.Written,
                        InstallStatus.Replaced => EntryStatus.Replaced,
                        InstallStatus.Unchanged => EntryStatus.Unchanged,
                        _ => EntryStatus.Failed,
                    };
                    ModemException? error = result.Error ?? (result.Status == InstallStatus.Skipped
                        ? new ModemException(ErrorIds.ProvisioningReplaceNeedsForce, ModemErrorCategory.InvalidOperation,
                            "The modem holds a different " + entry.Target + " (SHA-256 " + (plan.Steps.First(s => s.Item == result.Item).Existing?.Sha256 ?? "?") + "); it was left as it is.",
                            "Add -Force to replace it (the modem overwrites in place; nothing is deleted first).")
                        : null);
                    if (entry.Generate && status == EntryStatus.Failed && error is not null)
                    {
                        // The key is new, its certificate is not there: say so, the pair is broken until the next run.
                        error = new ModemException(error.ErrorId, error.Category,
                            "A new key was generated at sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture) + ", but the certificate issued for it was not written: " + error.Message,
                            "Run the plan again with -Force: a new key is generated and its certificate written. Until then TLS with this sec_tag fails.", error);
                    }

                    outcomes[entry] = new EntryOutcome(entry, status, result.ListedSha256 ?? plan.Steps.First(s => s.Item == result.Item).ExpectedSha256, error,
                        status == EntryStatus.Failed && entry.Generate ? null : CertificateOf(result.Item.Type, result.Item.Content));
                }

                if (outcome.RestoreError is not null)
                {
                    throw outcome.RestoreError;
                }

                guard.Restore();
                if (guard.RestoreError is not null)
                {
                    return Fail(entries, outcomes, guard.RestoreError);
                }
            }

            List<EntryOutcome> all = entries.Select(e => outcomes[e]).ToList();
            EntryOutcome? failed = all.FirstOrDefault(o => o.Status == EntryStatus.Failed || o.Status == EntryStatus.KeyCertificateMismatch);
            ModemStatus modemStatus = failed is not null ? ModemStatus.Failed
                : all.Any(o => o.Status == EntryStatus.Unverified) ? ModemStatus.Unverified
                : all.All(o => o.Status == EntryStatus.Unchanged) ? ModemStatus.Unchanged
                : ModemStatus.Provisioned;
            return new ModemOutcome(modemStatus, all, failed?.Error);
        }

        /// <summary>
        /// Judges a Generate entry against what the modem lists and the record. Returns true when a
        /// new key is to be generated; otherwise its outcome is set. Only an empty pair of slots is
        /// generated without -Force: a key that is there is replaced only with -Force. A pair the
        /// record verifies is kept, also with -Force.
        /// </summary>
        private static bool DecideGenerate(ICredentialStore store, PlanEntry entry, IReadOnlyList<CredentialEntry> listed, ProvisioningRecord? record,
            ProvisioningOptions options, IModemLog log, Dictionary<PlanEntry, EntryOutcome> outcomes, CancellationToken cancellationToken)
        {
            string tag = entry.SecTag.ToString(CultureInfo.InvariantCulture);
            bool hasKey = listed.Any(e => e.SecTag == entry.SecTag && e.Type == CredentialType.ClientPrivateKey);
            bool hasCert = listed.Any(e => e.SecTag == entry.SecTag && e.Type == CredentialType.ClientCertificate);
            GeneratedKeyAssessment a = ProvisioningRecordDecisions.AssessGenerated(entry.SecTag, listed, record);
            if (a.State == GeneratedKeyState.Unverified && a.Recorded?.PublicKey is not null && hasCert)
            {
                // The certificate changed since the record: its public key decides, where the firmware lets it be read.
                CredentialEntry? read = CredentialReader.TryRead(store, entry.SecTag, CredentialType.ClientCertificate, log, cancellationToken, out _);
                if (read?.Content is not null)
                {
                    a = ProvisioningRecordDecisions.AssessGenerated(entry.SecTag, listed, record, read.Content);
                }
            }

            log.Verbose(a.Reason);
            bool forced = a.State != GeneratedKeyState.Unchanged && (hasKey || hasCert) && options.Approver.ApproveChange(new CredentialChange(
                ChangeKind.GenerateKey, entry.SecTag, CredentialType.ClientPrivateKey, store.Location, entry.Source, null, a.ListedKeySha256));
            switch (a.State)
            {
                case GeneratedKeyState.Unchanged:
                    outcomes[entry] = new EntryOutcome(entry, EntryStatus.Unchanged, a.ListedCertificateSha256, null, a.Recorded?.Certificate, a.Reason);
                    return false;
                case GeneratedKeyState.Absent when !hasKey && !hasCert:
                    return true;
                case GeneratedKeyState.Absent when !forced:
                    outcomes[entry] = new EntryOutcome(entry, EntryStatus.Failed, null, new ModemException(ErrorIds.ProvisioningReplaceNeedsForce, ModemErrorCategory.InvalidOperation,
                        Messages.Capital(a.Reason.TrimEnd('.')) + " (perhaps from a run stopped after %KEYGEN); generating a new pair " + (hasKey ? "replaces that key" : "replaces that certificate") + ", so it was left as it is.",
                        "Add -Force to generate a new key and write its certificate."), null, a.Reason);
                    return false;
                case GeneratedKeyState.Unverified when !forced:
                    outcomes[entry] = new EntryOutcome(entry, EntryStatus.Unverified, a.ListedCertificateSha256, null, null, a.Reason);
                    return false;
                case GeneratedKeyState.KeyCertificateMismatch when !forced:
                    outcomes[entry] = new EntryOutcome(entry, EntryStatus.KeyCertificateMismatch, a.ListedKeySha256, new ModemException(ErrorIds.ProvisioningKeyCertificateMismatch, ModemErrorCategory.InvalidData,
                        a.Reason + " Nothing was written for sec_tag " + tag + ".",
                        "Add -Force to generate a new key at sec_tag " + tag + " and write the certificate issued for it (the broken pair is replaced; nothing else changes)."), null, a.Reason);
                    return false;
                default:
                    log.Verbose("-Force: a new key is generated at sec_tag " + tag + ".");
                    return true;
            }
        }

        /// <summary>
        /// Writes the modem's record from what it lists after the run. A failure to write it fails a
        /// modem that had not failed (the next run could not judge its generated keys).
        /// </summary>
        private static ModemOutcome WriteRecord(ModemClient client, ICredentialStore store, ProvisioningOptions options, IModemLog log, Action<string>? progress,
            RunState state, ModemOutcome outcome, CancellationToken cancellationToken)
        {
            if (options.RecordFolder is null || options.WhatIf || !state.RecordRead)
            {
                return outcome;
            }

            ModemException? error = null;
            try
            {
                progress?.Invoke("Writing the provisioning record");
                IReadOnlyList<CredentialEntry> listed = store.List(null, null, log, cancellationToken);
                IEnumerable<GeneratedKeyRecord> generated = state.Issued
                    .Where(p => state.Outcomes.TryGetValue(p.Key, out EntryOutcome? o) && o.Status == EntryStatus.Generated)
                    .Select(p => new GeneratedKeyRecord(p.Key.SecTag, p.Value.Pem));
                ProvisioningRecord record = ProvisioningRecord.Create(client.Identity.Imei, state.DeviceUuid, client.Identity.Firmware.Name, client.Identity.Model,
                    DateTimeOffset.UtcNow, listed, generated.ToList(), null, state.Record);
                outcome.RecordPath = ProvisioningRecordFile.Save(options.RecordFolder, record);
                log.Verbose("Provisioning record written: " + outcome.RecordPath + ".");
                return outcome;
            }
            catch (OperationCanceledException)
            {
                log.Verbose("Stopped: the provisioning record was not updated.");
                return outcome;
            }
            catch (ModemException ex)
            {
                error = ex;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                error = new ModemException(ErrorIds.ProvisioningRecordWriteFailed, ModemErrorCategory.WriteError,
                    "The provisioning record could not be written to " + options.RecordFolder + ": " + ex.Message,
                    "Check that the records folder (-RecordPath) is writable, then run the plan again (entries already written are skipped).", ex);
            }

            log.Verbose("The provisioning record was not updated: " + error.Message);
            if (outcome.Status == ModemStatus.Failed)
            {
                return outcome;
            }

            return new ModemOutcome(ModemStatus.Failed, outcome.Entries, error.ErrorId == ErrorIds.ProvisioningRecordWriteFailed ? error
                : new ModemException(ErrorIds.ProvisioningRecordWriteFailed, error.Category, "The provisioning record was not updated: " + error.Message, error.Remedy ?? string.Empty, error));
        }

        private static string? CertificateOf(CredentialType type, string content) => type == CredentialType.ClientCertificate ? content : null;

        /// <summary>The outcome of a modem that failed before any entry was attempted (no connection).</summary>
        public static ModemOutcome Failed(IReadOnlyList<PlanEntry> entries, ModemException error) =>
            Fail(entries, new Dictionary<PlanEntry, EntryOutcome>(), error);

        private static ModemOutcome Fail(IReadOnlyList<PlanEntry> entries, Dictionary<PlanEntry, EntryOutcome> outcomes, ModemException error) =>
            new ModemOutcome(ModemStatus.Failed, entries.Select(e => outcomes.TryGetValue(e, out EntryOutcome? o) && o.Status != EntryStatus.WouldWrite ? o : new EntryOutcome(e, EntryStatus.NotAttempted, null, null)).ToList(), error);

        private static CredentialValidationResult Validate(PlanEntry entry, string? path, string? content, ProvisioningOptions options)
        {
            var validation = new CredentialValidationOptions { SecTag = entry.SecTag };
            try
            {
                if (path is not null)
                {
                    Check(entry, () => File.Exists(path), "the file " + path + " does not exist");
                    long length = new FileInfo(path).Length;
                    Check(entry, () => length <= 64 * 1024, "the file " + path + " holds " + length.ToString(CultureInfo.InvariantCulture) + " bytes, more than any AT command carries");
                    return CredentialValidator.Validate(entry.Type, File.ReadAllBytes(path), entry.Type == CredentialType.ClientPrivateKey ? options.KeyPassphrase : null, validation);
                }

                return CredentialValidator.Validate(entry.Type, content!, entry.Type == CredentialType.ClientPrivateKey ? options.KeyPassphrase : null, validation);
            }
            catch (ModemException ex) when (ex.ErrorId != ErrorIds.PlanInvalid)
            {
                throw new ModemException(ex.ErrorId, ex.Category, entry.Source + " (" + entry.Target + "): " + ex.Message, ex.Remedy, ex);
            }
        }

        private static void Check(PlanEntry entry, Func<bool> condition, string why)
        {
            if (!condition())
            {
                throw new ModemException(ErrorIds.PlanInvalid, ModemErrorCategory.ObjectNotFound,
                    "The provisioning plan is not valid: " + entry.Source + ": " + why + ". Nothing was written.",
                    "Fix the path in the plan (relative paths are resolved against the plan file's folder).");
            }
        }
    }
}
