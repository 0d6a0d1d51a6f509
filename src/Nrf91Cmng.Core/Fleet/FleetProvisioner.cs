using System.Diagnostics;
using System.Threading.Tasks;
using Nrf91Cmng.Core.Platform;

namespace Nrf91Cmng.Core.Fleet
{
    /// <summary>One modem of a fleet run: a port to open, or a session that is already open.</summary>
    public sealed class FleetTarget
    {
        private volatile string? _activity;

        /// <summary>A modem reached by opening <paramref name="portName"/>.</summary>
        public FleetTarget(string portName)
        {
            PortName = portName;
        }

        /// <summary>A modem of an open session (left open afterwards).</summary>
        public FleetTarget(string portName, ModemClient client, ICredentialStore store)
        {
            PortName = portName;
            Client = client;
            Store = store;
        }

        /// <summary>The port or address.</summary>
        public string PortName { get; }

        /// <summary>The open session's client, or null when the run opens the port.</summary>
        public ModemClient? Client { get; }

        /// <summary>The open session's store, or null when the run opens the port.</summary>
        public ICredentialStore? Store { get; }

        /// <summary>What the run is doing with this modem now (for progress).</summary>
        public string? Activity => _activity;

        /// <summary>The result, once this modem is done.</summary>
        public FleetResult? Result { get; internal set; }

        internal void Report(string activity) => _activity = activity;
    }

    /// <summary>What happened to one modem of a fleet run.</summary>
    public sealed class FleetResult
    {
        internal FleetResult(string portName, string? imei, ModemOutcome outcome, TimeSpan duration, string? transcriptPath)
        {
            PortName = portName;
            Imei = imei;
            Outcome = outcome;
            Duration = duration;
            TranscriptPath = transcriptPath;
        }

        /// <summary>The port or address.</summary>
        public string PortName { get; }

        /// <summary>The modem's IMEI, when it was reached.</summary>
        public string? Imei { get; }

        /// <summary>The modem's status, entries and first error.</summary>
        public ModemOutcome Outcome { get; }

        /// <summary>How long the modem took.</summary>
        public TimeSpan Duration { get; }

        /// <summary>The modem's transcript file, or null.</summary>
        public string? TranscriptPath { get; }
    }

    /// <summary>How a fleet run opens and treats its modems.</summary>
    public sealed class FleetOptions
    {
        /// <summary>How many modems are provisioned at once.</summary>
        public int ThrottleLimit { get; set; } = 16;

        /// <summary>A folder for one transcript per modem, or null.</summary>
        public string? TranscriptFolder { get; set; }

        /// <summary>Opens a port target: settings of the serial line and the session (its target is replaced per modem).</summary>
        public Func<string, ConnectRequest> Connect { get; set; } = port => new ConnectRequest(port);

        /// <summary>The approver (-Force, -WhatIf), passphrases and the record folder.</summary>
        public ProvisioningOptions Provisioning { get; set; } = new ProvisioningOptions();
    }

    /// <summary>
    /// Provisions many modems with one plan in parallel (at most <see cref="FleetOptions.ThrottleLimit"/>
    /// at once), one masked transcript and one result per modem; a modem that fails, or whose
    /// transcript cannot be written, never costs another modem its result.
    /// </summary>
    public sealed class FleetProvisioner
    {
        private readonly IReadOnlyList<PlanEntry> _entries;
        private readonly IReadOnlyDictionary<PlanEntry, CredentialValidationResult> _prevalidated;
        private readonly FleetOptions _options;
        private readonly IModemLog _log;

        /// <summary>Creates a run of a validated plan (see <see cref="ModemProvisioner.Prevalidate"/>).</summary>
        public FleetProvisioner(IReadOnlyList<PlanEntry> entries, IReadOnlyDictionary<PlanEntry, CredentialValidationResult> prevalidated, FleetOptions options, IModemLog log)
        {
            _entries = entries;
            _prevalidated = prevalidated;
            _options = options;
            _log = log;
        }

        /// <summary>Starts every target; each task ends with its target's <see cref="FleetTarget.Result"/> set.</summary>
        public Task Start(IReadOnlyList<FleetTarget> targets, CancellationToken cancellationToken)
        {
            var gate = new SemaphoreSlim(_options.ThrottleLimit);
            Task[] tasks = targets.Select(t => Task.Factory.StartNew(() => RunGated(t, gate, cancellationToken),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            return Task.WhenAll(tasks).ContinueWith(_ => gate.Dispose(), TaskScheduler.Default);
        }

        /// <summary>The result of a modem that was never started because the run was stopped.</summary>
        public FleetResult NotStarted(FleetTarget target) => new FleetResult(target.PortName, target.Client?.Identity.Imei,
            ModemProvisioner.Failed(_entries, Stopped("before this modem was started")), TimeSpan.Zero, null);

        private void RunGated(FleetTarget target, SemaphoreSlim gate, CancellationToken cancellationToken)
        {
            try
            {
                gate.Wait(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                target.Result = NotStarted(target);
                return;
            }

            try
            {
                target.Result = RunOne(target, cancellationToken);
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                // Whatever went wrong with this modem stays with this modem.
                target.Result = new FleetResult(target.PortName, target.Client?.Identity.Imei, ModemProvisioner.Failed(_entries,
                    new ModemException(ErrorIds.ProvisioningFailed, ModemErrorCategory.InvalidOperation, ex.Message, "See the modem's transcript; run the plan again for this modem.", ex)),
                    TimeSpan.Zero, null);
            }
            finally
            {
                gate.Release();
                target.Report((target.Result?.Outcome.Status ?? ModemStatus.Failed).ToString());
            }
        }

        private FleetResult RunOne(FleetTarget target, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            var log = new PrefixedModemLog(_log, target.PortName);
            TranscriptWriter? transcript = null;
            ModemClient? opened = null;
            ITrafficObserver? previousObserver = target.Client?.Channel.Observer;
            ModemOutcome outcome;
            string? imei = target.Client?.Identity.Imei;
            try
            {
                transcript = OpenTranscript(target);
                target.Report("Connecting");
                ModemClient client = target.Client ?? (opened = Open(target.PortName, transcript, log, cancellationToken));
                ICredentialStore store = target.Store ?? CredentialStores.For(client);
                if (target.Client is not null && transcript is not null)
                {
                    client.Channel.Observer = transcript;
                }

                imei = client.Identity.Imei;
                transcript?.Note("Modem " + client.Identity.Model + ", " + client.Identity.Firmware.Name + ", IMEI " + imei);
                outcome = ModemProvisioner.Provision(client, store, _entries, _prevalidated, _options.Provisioning, log, target.Report, cancellationToken);
            }
            catch (ModemException ex)
            {
                outcome = ModemProvisioner.Failed(_entries, ex);
            }
            catch (OperationCanceledException)
            {
                outcome = ModemProvisioner.Failed(_entries, Stopped("before this modem was reached"));
            }
            finally
            {
                if (target.Client is not null)
                {
                    target.Client.Channel.Observer = previousObserver;
                }

                opened?.Dispose();
            }

            watch.Stop();
            transcript?.Note("Result: " + outcome.Status + (outcome.Error is null ? string.Empty : " - " + outcome.Error.ErrorId + ": " + outcome.Error.Message)
                + " (" + watch.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s)");
            transcript?.Dispose();
            return new FleetResult(target.PortName, imei, outcome, watch.Elapsed, transcript?.Path);
        }

        private ModemClient Open(string portName, TranscriptWriter? transcript, IModemLog log, CancellationToken cancellationToken)
        {
            ConnectRequest request = _options.Connect(portName);
            request.Options.Observer = transcript;
            return ModemConnector.Connect(request, log, cancellationToken);
        }

        private TranscriptWriter? OpenTranscript(FleetTarget target)
        {
            if (string.IsNullOrEmpty(_options.TranscriptFolder))
            {
                return null;
            }

            return TranscriptWriter.Create(Path.Combine(_options.TranscriptFolder, SafeFileNames.ForPort(target.PortName) + ".log"),
                "Nrf91Cmng provisioning of " + target.PortName + (_options.Provisioning.WhatIf ? " (WhatIf)" : string.Empty));
        }

        private static ModemException Stopped(string when) => new ModemException(ErrorIds.ProvisioningFailed, ModemErrorCategory.OperationStopped,
            "Stopped by the user (Ctrl+C) " + when + ".", "Run the plan again: entries already written are skipped.");
    }
}
