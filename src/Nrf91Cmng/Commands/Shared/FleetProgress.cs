using Nrf91Cmng.Core.Fleet;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// What Invoke-ModemProvisioning shows while a fleet runs: one progress bar overall and one per
    /// modem, the engine's queued messages; then the results, also kept in
    /// $Nrf91CmngLastProvisioning (even when the user pressed Ctrl+C).
    /// </summary>
    internal sealed class FleetProgress
    {
        private readonly ModemCmdletBase _cmdlet;
        private readonly List<FleetTarget> _targets;
        private bool _stopped;

        public FleetProgress(ModemCmdletBase cmdlet, List<FleetTarget> targets)
        {
            _cmdlet = cmdlet;
            _targets = targets;
        }

        /// <summary>Writes progress and queued messages; false once the pipeline is stopping (nothing more may be written).</summary>
        public bool Report(bool completed)
        {
            if (_stopped)
            {
                return false;
            }

            try
            {
                _cmdlet.Log.Flush();
                WriteProgress(completed);
                return true;
            }
            catch (PipelineStoppedException)
            {
                _stopped = true;
                return false;
            }
        }

        /// <summary>Keeps the results in $Nrf91CmngLastProvisioning.</summary>
        public void Remember(ProvisioningResult[] results)
        {
            try
            {
                _cmdlet.SessionState.PSVariable.Set(new PSVariable("Nrf91CmngLastProvisioning", results, ScopedItemOptions.None));
            }
            catch (Exception ex) when (ex is PipelineStoppedException || ex is SessionStateException || ex is PSInvalidOperationException)
            {
                // The results still went to the pipeline where it was running.
            }
        }

        /// <summary>
        /// The results, one per modem, each failure also as an error (prefixed with its port); with
        /// <paramref name="whatIf"/> a "What if" line per change; first one warning naming the
        /// generated keys left in place that no provisioning record verifies.
        /// </summary>
        public void WriteResults(ProvisioningResult[] results, bool recorded, bool whatIf)
        {
            WarnUnverified(results, recorded);
            foreach (ProvisioningResult result in results)
            {
                foreach (ProvisioningEntryResult entry in result.Entries.Where(e => whatIf && e.Outcome.WhatIfAction() is not null))
                {
                    _cmdlet.ShouldProcess(CredentialRules.Describe(entry.Type.ToCore()) + " at sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture) + " on " + result.PortName,
                        entry.Outcome.WhatIfAction());
                }

                if (result.Failure is ModemException failure)
                {
                    _cmdlet.WriteModemError(new ModemException(failure.ErrorId, failure.Category, result.PortName + ": " + failure.Message, failure.Remedy, failure), result);
                }

                _cmdlet.WriteObject(result);
            }
        }

        private void WarnUnverified(ProvisioningResult[] results, bool recorded)
        {
            List<string> unverified = results.SelectMany(r => r.Entries.Where(e => e.Outcome == EntryStatus.Unverified).Select(e => r.PortName + " sec_tag " + e.SecTag.ToString(CultureInfo.InvariantCulture))).ToList();
            if (unverified.Count == 0)
            {
                return;
            }

            _cmdlet.WriteWarning(unverified.Count.ToString(CultureInfo.InvariantCulture) + " generated key(s) and their certificates were left as they are but cannot be verified as pairs ("
                + string.Join(", ", unverified.Take(5)) + (unverified.Count > 5 ? ", ..." : string.Empty) + "): "
                + (recorded ? "the provisioning record does not hold them." : "without -RecordPath there is no provisioning record to compare with.")
                + " A later %KEYGEN would have replaced the key under its certificate unnoticed. Add -Force to generate new pairs, and keep -RecordPath so the next run can tell.");
        }

        private void WriteProgress(bool completed)
        {
            int done = _targets.Count(t => t.Result is not null);
            _cmdlet.WriteProgress(new ProgressRecord(0, "Provisioning " + _targets.Count.ToString(CultureInfo.InvariantCulture) + " modem(s)",
                done.ToString(CultureInfo.InvariantCulture) + " of " + _targets.Count.ToString(CultureInfo.InvariantCulture) + " done")
            {
                PercentComplete = _targets.Count == 0 ? 100 : done * 100 / _targets.Count,
                RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            });
            for (int i = 0; i < _targets.Count; i++)
            {
                FleetTarget t = _targets[i];
                _cmdlet.WriteProgress(new ProgressRecord(i + 1, t.PortName, t.Activity ?? "Waiting")
                {
                    ParentActivityId = 0,
                    RecordType = completed || t.Result is not null ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                });
            }
        }
    }
}
