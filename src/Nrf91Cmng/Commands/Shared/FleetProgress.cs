using Nrf91Cmng.Core.Fleet;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// What Invoke-ModemProvisioning shows while a fleet runs: one progress bar overall and one per
    /// modem, the engine's queued messages, and the results kept in $Nrf91CmngLastProvisioning
    /// (also when the user pressed Ctrl+C).
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
