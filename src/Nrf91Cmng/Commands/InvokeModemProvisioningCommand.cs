using System.Security;
using System.Threading.Tasks;
using Nrf91Cmng.Core.Fleet;
using Nrf91Cmng.Core.Modem;
using Nrf91Cmng.Core.Transport;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Provisions many modems in parallel from one plan: idempotent, verified, functional mode restored, one result and one transcript per modem.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "ModemProvisioning", HelpUri = HelpLinks.Base + "Invoke-ModemProvisioning.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PortSet)]
    [OutputType(typeof(ProvisioningResult))]
    public sealed class InvokeModemProvisioningCommand : ModemCmdletBase
    {
        private const string PortSet = "Port";
        private const string SessionSet = "Session";
        private readonly List<string> _ports = new List<string>();
        private readonly List<ModemSession> _sessions = new List<ModemSession>();

        /// <summary>The plan: a .csv, .json or .psd1 file, or objects with SecTag, Type and Path, Content or Generate.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public object[] Plan { get; set; } = Array.Empty<object>();

        /// <summary>Serial ports or tcp:// addresses of the modems (binds from Find-Modem and Start-ModemSimulator output).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = PortSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completers.PortNameCompleter))]
        [Alias("Port")]
        public string[] PortName { get; set; } = Array.Empty<string>();

        /// <summary>Open sessions to provision (left open afterwards).</summary>
        [Parameter(Mandatory = true, ParameterSetName = SessionSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public ModemSession[] Session { get; set; } = Array.Empty<ModemSession>();

        /// <summary>How many modems are provisioned at once (16).</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 16;

        /// <summary>A folder for one transcript file per modem (every exchange time-stamped; keys and PSKs masked).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TranscriptPath { get; set; }

        /// <summary>
        /// A folder of provisioning records, one JSON file per modem (uuid-&lt;device uuid&gt;.json or
        /// imei-&lt;imei&gt;.json; default: the -TranscriptPath folder when that is given). Each modem's
        /// record is read before anything is written, so a generated key is Unchanged only while it
        /// is still the key its certificate was issued for, and written again after the run.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RecordPath { get; set; }

        /// <summary>
        /// Replace different credentials, generate a new key where the pair at a Generate entry's
        /// sec_tag cannot be verified or no longer matches (KeyCertificateMismatch), and switch active
        /// modems offline (their mode is restored). A pair the provisioning record verifies is kept.
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// Writes the file the cloud ingests for the modems provisioned (once, after all modems are
        /// done): rows are added to an existing file, and rows of devices already in it replaced.
        /// Each device's certificate is its Generate entry's (or its ClientCertificate entry's); its
        /// ID is the device UUID. Modems that failed are left out.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OnboardingPath { get; set; }

        /// <summary>The format of -OnboardingPath: NrfCloud (default, the nRF Cloud onboarding CSV), AwsIot or AzureDps.</summary>
        [Parameter]
        [ValidateSet("NrfCloud", "AwsIot", "AzureDps", IgnoreCase = true)]
        public string OnboardingFormat { get; set; } = "NrfCloud";

        /// <summary>Passphrase of an encrypted CA key for Generate entries.</summary>
        [Parameter]
        public SecureString? CAKeyPassphrase { get; set; }

        /// <summary>Passphrase of encrypted client private keys in the plan.</summary>
        [Parameter]
        public SecureString? KeyPassphrase { get; set; }

        /// <summary>Serial speed for -PortName (115200).</summary>
        [Parameter(ParameterSetName = PortSet)]
        [ValidateRange(1200, 4000000)]
        public int BaudRate { get; set; } = 115200;

        /// <summary>Flow control for -PortName: RequestToSend (default; retried without when nothing answers), None or XOnXOff.</summary>
        [Parameter(ParameterSetName = PortSet)]
        [ValidateSet("None", "RequestToSend", "XOnXOff", IgnoreCase = true)]
        public string Handshake { get; set; } = "RequestToSend";

        /// <summary>How long each modem has to answer a command, in seconds (see Connect-Modem -TimeoutSeconds for the rule and the defaults).</summary>
        [Parameter]
        [ValidateRange(0.1, 3600)]
        public double TimeoutSeconds { get; set; } = 5;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == SessionSet)
            {
                _sessions.AddRange(Session);
            }
            else
            {
                _ports.AddRange(PortName);
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            List<FleetTarget> targets = _ports.Distinct(StringComparer.OrdinalIgnoreCase).Select(p => new FleetTarget(p))
                .Concat(_sessions.Distinct().Select(s => new FleetTarget(s.PortName, s.Client, s.Store))).ToList();
            if (targets.Count == 0)
            {
                ThrowError(ErrorIds.ProvisioningNoTargets, ErrorCategory.InvalidArgument, "No modem to provision.",
                    "Give -PortName, -Session, or pipe Find-Modem / Start-ModemSimulator output in.", null);
            }

            var options = new FleetOptions
            {
                ThrottleLimit = ThrottleLimit,
                Connect = ConnectRequestFor,
                Provisioning = new ProvisioningOptions
                {
                    Approver = new ForceApprover(Force, WhatIfRequested),
                    CaKeyPassphrase = CredentialInput.Reveal(CAKeyPassphrase),
                    KeyPassphrase = CredentialInput.Reveal(KeyPassphrase),
                    ReadDeviceUuid = OnboardingPath is not null,
                },
            };
            IReadOnlyList<PlanEntry> entries = Array.Empty<PlanEntry>();
            Dictionary<PlanEntry, CredentialValidationResult> prevalidated = new Dictionary<PlanEntry, CredentialValidationResult>();
            Guard(Plan, () =>
            {
                // Rows that do not parse and entries whose content is bad are named in one error.
                var problems = new List<string>();
                entries = PlanInput.Load(this, Plan, problems);
                prevalidated = ModemProvisioner.Prevalidate(entries, options.Provisioning, problems);
            }, terminating: true);
            if (TranscriptPath is not null)
            {
                options.TranscriptFolder = GetUnresolvedProviderPathFromPSPath(TranscriptPath);
                Directory.CreateDirectory(options.TranscriptFolder);
            }

            options.Provisioning.RecordFolder = PlanInput.RecordFolder(this, RecordPath, options.TranscriptFolder, options.Provisioning.Approver.WhatIf);
            List<FleetTarget> approved = targets.Where(t => options.Provisioning.Approver.WhatIf || ShouldProcess(t.PortName, "Provision " + entries.Count.ToString(CultureInfo.InvariantCulture) + " credential(s)")).ToList();
            if (approved.Count > 0)
            {
                WriteVerbose("Provisioning " + approved.Count.ToString(CultureInfo.InvariantCulture) + " modem(s) with " + entries.Count.ToString(CultureInfo.InvariantCulture)
                    + " plan entries, " + Math.Min(ThrottleLimit, approved.Count).ToString(CultureInfo.InvariantCulture) + " at a time.");
                Run(new FleetProvisioner(entries, prevalidated, options, Log), approved, options.Provisioning);
            }

            base.EndProcessing();
        }

        private ConnectRequest ConnectRequestFor(string port)
        {
            var options = new ModemClientOptions();
            ApplyTimeout(options, TimeoutSeconds);
            return NewConnectRequest(port, BaudRate, Handshake, options);
        }

        private void Run(FleetProvisioner fleet, List<FleetTarget> targets, ProvisioningOptions options)
        {
            bool whatIf = options.Approver.WhatIf;
            Task run = fleet.Start(targets, CancelToken);
            var progress = new FleetProgress(this, targets);
            while (!run.Wait(250) && progress.Report(completed: false))
            {
            }

            run.Wait();
            bool reporting = progress.Report(completed: true);
            ProvisioningResult[] results = targets.Select(t => ProvisioningResult.From(t.Result ?? fleet.NotStarted(t))).ToArray();
            progress.Remember(results);
            if (!reporting)
            {
                return;
            }

            progress.WriteResults(results, options.RecordFolder is not null, whatIf);
            if (OnboardingPath is not null && !whatIf)
            {
                OnboardingInput.WriteResults(this, GetUnresolvedProviderPathFromPSPath(OnboardingPath), OnboardingFormat, results);
            }
        }
    }
}
