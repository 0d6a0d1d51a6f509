using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Nrf91Cmng.Core.At;
using Nrf91Cmng.Core.Credentials;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Logging;
using Nrf91Cmng.Core.Modem;
using Nrf91Cmng.Core.Provisioning;
using Nrf91Cmng.Core.Transport;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Provisions many modems in parallel from one plan: idempotent, verified, functional mode restored, one result and one transcript per modem.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "ModemProvisioning", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PortSet)]
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

        /// <summary>Replace different credentials, regenerate keys, and switch active modems offline (their mode is restored).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

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

        /// <summary>Flow control for -PortName: None (default for fleets: USB CDC ports ignore it) or RequestToSend.</summary>
        [Parameter(ParameterSetName = PortSet)]
        [ValidateSet("None", "RequestToSend", "XOnXOff", IgnoreCase = true)]
        public string Handshake { get; set; } = "None";

        /// <summary>Default command timeout in seconds (5).</summary>
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
            var targets = _ports.Distinct(StringComparer.OrdinalIgnoreCase).Select(p => new Target(p, null))
                .Concat(_sessions.Distinct().Select(s => new Target(s.PortName, s))).ToList();
            if (targets.Count == 0)
            {
                ThrowError(ErrorIds.ProvisioningNoTargets, ErrorCategory.InvalidArgument, "No modem to provision.",
                    "Give -PortName, -Session, or pipe Find-Modem / Start-ModemSimulator output in.", null);
            }

            IReadOnlyList<PlanEntry> entries;
            Dictionary<PlanEntry, CredentialValidationResult> prevalidated;
            var options = new ProvisioningOptions
            {
                Force = Force,
                WhatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? w) && w is SwitchParameter ws && ws.IsPresent,
                CaKeyPassphrase = CredentialInput.Reveal(CAKeyPassphrase),
                KeyPassphrase = CredentialInput.Reveal(KeyPassphrase),
            };
            try
            {
                entries = LoadPlan();
                prevalidated = ModemProvisioner.Prevalidate(entries, options);
            }
            catch (ModemException ex)
            {
                ThrowModemError(ex, Plan);
                return;
            }

            string transcriptFolder = TranscriptPath is null ? string.Empty : GetUnresolvedProviderPathFromPSPath(TranscriptPath);
            if (transcriptFolder.Length > 0)
            {
                Directory.CreateDirectory(transcriptFolder);
            }

            List<Target> approved = targets.Where(t => options.WhatIf || ShouldProcess(t.PortName, "Provision " + entries.Count.ToString(CultureInfo.InvariantCulture) + " credential(s)")).ToList();
            if (approved.Count == 0)
            {
                return;
            }

            WriteVerbose("Provisioning " + approved.Count.ToString(CultureInfo.InvariantCulture) + " modem(s) with " + entries.Count.ToString(CultureInfo.InvariantCulture)
                + " plan entries, " + Math.Min(ThrottleLimit, approved.Count).ToString(CultureInfo.InvariantCulture) + " at a time.");
            RunAll(approved, entries, prevalidated, options, transcriptFolder);
            base.EndProcessing();
        }

        private void RunAll(List<Target> targets, IReadOnlyList<PlanEntry> entries, IReadOnlyDictionary<PlanEntry, CredentialValidationResult> prevalidated, ProvisioningOptions options, string transcriptFolder)
        {
            using (var gate = new SemaphoreSlim(ThrottleLimit))
            {
                Task[] tasks = targets.Select(t => Task.Factory.StartNew(() =>
                {
                    try
                    {
                        gate.Wait(CancelToken);
                    }
                    catch (OperationCanceledException)
                    {
                        t.Result = Cancelled(t);
                        return;
                    }

                    try
                    {
                        t.Result = RunOne(t, entries, prevalidated, options, transcriptFolder);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

                bool stopping = false;
                while (!Task.WaitAll(tasks, 250))
                {
                    if (!stopping)
                    {
                        stopping = !TryReport(() => { Log.Flush(); Progress(targets, completed: false); });
                    }
                }

                if (stopping || !TryReport(() => { Log.Flush(); Progress(targets, completed: true); }))
                {
                    RememberResults(targets);
                    return;
                }

                RememberResults(targets);
                foreach (Target target in targets)
                {
                    ProvisioningResult result = target.Result!;
                    if (options.WhatIf)
                    {
                        foreach (ProvisioningEntryResult entry in result.Entries.Where(e => e.Status.StartsWith("Would", StringComparison.Ordinal)))
                        {
                            ShouldProcess(Digests.TypeWords((int)entry.Type) + " at sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture) + " on " + result.PortName,
                                entry.Status.Substring("Would".Length));
                        }
                    }

                    if (result.Status == "Failed")
                    {
                        WriteError(new ErrorRecord(new InvalidOperationException(result.PortName + ": " + result.Error), result.ErrorId ?? ErrorIds.ProvisioningFailed, ErrorCategory.NotSpecified, result)
                        {
                            ErrorDetails = new ErrorDetails(result.PortName + ": " + result.Error),
                        });
                    }

                    WriteObject(result);
                }
            }
        }

        private ProvisioningResult RunOne(Target target, IReadOnlyList<PlanEntry> entries, IReadOnlyDictionary<PlanEntry, CredentialValidationResult> prevalidated, ProvisioningOptions options, string transcriptFolder)
        {
            var watch = Stopwatch.StartNew();
            var log = new PrefixedModemLog(Log, target.PortName);
            TranscriptWriter? transcript = transcriptFolder.Length == 0 ? null
                : new TranscriptWriter(Path.Combine(transcriptFolder, SafeFileName(target.PortName) + ".log"), "Nrf91Cmng provisioning of " + target.PortName + (options.WhatIf ? " (WhatIf)" : string.Empty));
            ModemClient? opened = null;
            ITrafficObserver? previousObserver = null;
            ModemOutcome outcome;
            string? imei = target.Session?.Imei;
            try
            {
                target.Activity = "Connecting";
                ModemClient client;
                if (target.Session is not null)
                {
                    client = target.Session.Client;
                    previousObserver = client.Channel.Observer;
                    client.Channel.Observer = transcript ?? previousObserver;
                }
                else
                {
                    opened = client = Open(target.PortName, transcript, log);
                }

                imei = client.Identity.Imei;
                transcript?.Note("Modem " + client.Identity.Model + ", " + client.Identity.Firmware.Name + ", IMEI " + imei);
                outcome = ModemProvisioner.Provision(client, entries, prevalidated, options, log, activity => target.Activity = activity, CancelToken);
            }
            catch (ModemException ex)
            {
                outcome = FailedToConnect(entries, ex);
            }
            catch (OperationCanceledException ex)
            {
                outcome = FailedToConnect(entries, new ModemException(ErrorIds.ProvisioningFailed, ModemErrorCategory.OperationStopped, "Stopped by the user (Ctrl+C) before this modem was reached.", "Run the plan again.", ex));
            }
            finally
            {
                if (target.Session is not null)
                {
                    target.Session.Client.Channel.Observer = previousObserver;
                }

                opened?.Dispose();
            }

            watch.Stop();
            transcript?.Note("Result: " + outcome.Status + (outcome.Error is null ? string.Empty : " - " + outcome.Error.ErrorId + ": " + outcome.Error.Message)
                + " (" + watch.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s)");
            transcript?.Dispose();
            target.Activity = outcome.Status;
            return new ProvisioningResult
            {
                PortName = target.PortName,
                Imei = imei,
                Status = outcome.Status,
                Entries = new ProvisioningEntryList(outcome.Entries.Select(e => new ProvisioningEntryResult
                {
                    SecTag = e.Entry.SecTag,
                    Type = (CredentialType)(int)e.Entry.Type,
                    Status = e.Status,
                    Sha256 = e.Sha256,
                    Error = e.Error?.Message,
                    Source = e.Entry.Source,
                }).ToList()),
                Duration = watch.Elapsed,
                Error = outcome.Error?.Message,
                ErrorId = outcome.Error?.ErrorId,
                TranscriptPath = transcript?.Path,
                WrittenCount = outcome.Entries.Count(e => e.Status == "Written" || e.Status == "Replaced" || e.Status == "Generated"),
            };
        }

        private static ModemOutcome FailedToConnect(IReadOnlyList<PlanEntry> entries, ModemException error) => ModemProvisioner.Failed(entries, error);

        private ModemClient Open(string portName, TranscriptWriter? transcript, IModemLog log)
        {
            var options = new ModemClientOptions { DefaultTimeout = TimeSpan.FromSeconds(TimeoutSeconds), Observer = transcript };
            if (portName.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
            {
                return ModemClient.Connect(LinkTransport.ConnectTcp(new Uri(portName), TimeSpan.FromSeconds(Math.Max(TimeoutSeconds, 5)), CancelToken), options, log, CancelToken);
            }

            var settings = new SerialSettings(portName) { BaudRate = BaudRate, Handshake = (SerialHandshake)Enum.Parse(typeof(SerialHandshake), Handshake, ignoreCase: true) };
            return ModemClient.Connect(SerialTransport.Open(settings), options, log, CancelToken);
        }

        private ProvisioningResult Cancelled(Target target) => new ProvisioningResult
        {
            PortName = target.PortName,
            Imei = target.Session?.Imei,
            Status = "Failed",
            Error = "Stopped by the user (Ctrl+C) before this modem was started.",
            ErrorId = ErrorIds.ProvisioningFailed,
        };

        private IReadOnlyList<PlanEntry> LoadPlan()
        {
            if (Plan.Length == 1 && (Plan[0] is string || (Plan[0] is PSObject p && p.BaseObject is string)))
            {
                string file = CredentialInput.ResolveFile(this, LanguagePrimitives.ConvertTo<string>(Plan[0]));
                string folder = Path.GetDirectoryName(file) ?? ".";
                IReadOnlyList<IDictionary<string, string?>> rows = string.Equals(Path.GetExtension(file), ".psd1", StringComparison.OrdinalIgnoreCase)
                    ? ReadPsd1(file)
                    : ProvisioningPlanReader.ReadRows(file);
                return ProvisioningPlanReader.ToEntries(rows, folder, Path.GetFileName(file));
            }

            return ProvisioningPlanReader.ToEntries(Plan.Select(ToRow).ToList(), SessionState.Path.CurrentFileSystemLocation.ProviderPath, "-Plan");
        }

        private static IReadOnlyList<IDictionary<string, string?>> ReadPsd1(string file)
        {
            Ast ast = Parser.ParseFile(file, out _, out ParseError[] errors);
            if (errors.Length > 0)
            {
                throw new ModemException(ErrorIds.PlanInvalid, ModemErrorCategory.InvalidData,
                    "The provisioning plan " + file + " is not a valid .psd1 file: " + errors[0].Message + " (line " + errors[0].Extent.StartLineNumber.ToString(CultureInfo.InvariantCulture) + "). Nothing was sent to any modem.",
                    "Write it as @{ Entries = @( @{ SecTag = 42; Type = 'RootCA'; Path = 'ca.pem' } ) }.");
            }

            object? value;
            try
            {
                value = (ast.Find(a => a is HashtableAst, false) as HashtableAst)?.SafeGetValue();
            }
            catch (InvalidOperationException ex)
            {
                throw new ModemException(ErrorIds.PlanInvalid, ModemErrorCategory.InvalidData,
                    "The provisioning plan " + file + " holds expressions that are not plain data: " + ex.Message + ". Nothing was sent to any modem.",
                    "Use only literal values in the plan.", ex);
            }

            object? list = value is Hashtable table ? table["Entries"] : null;
            IEnumerable items = list as IEnumerable ?? throw new ModemException(ErrorIds.PlanInvalid, ModemErrorCategory.InvalidData,
                "The provisioning plan " + file + " has no Entries list. Nothing was sent to any modem.",
                "Write it as @{ Entries = @( @{ SecTag = 42; Type = 'RootCA'; Path = 'ca.pem' } ) }.");
            return items.Cast<object>().Select(ToRow).ToList();
        }

        private static IDictionary<string, string?> ToRow(object item)
        {
            object baseObject = item is PSObject pso ? pso.BaseObject : item;
            var row = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (baseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    row[entry.Key.ToString() ?? string.Empty] = Text(entry.Value);
                }

                return row;
            }

            foreach (PSPropertyInfo property in PSObject.AsPSObject(item).Properties)
            {
                if (property.Name is "SecTag" or "Type" or "Path" or "Content" or "Generate" or "CACertificate" or "CAKey" or "Subject" or "ValidityDays")
                {
                    row[property.Name] = Text(property.Value);
                }
            }

            return row;
        }

        private static string? Text(object? value) => value switch
        {
            null => null,
            PSObject pso => Text(pso.BaseObject),
            bool b => b ? "true" : "false",
            SwitchParameter s => s.IsPresent ? "true" : "false",
            Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };

        private static string SafeFileName(string portName)
        {
            var chars = portName.Select(c => char.IsLetterOrDigit(c) || c == '.' || c == '-' ? c : '_').ToArray();
            return new string(chars).Trim('_');
        }

        private bool TryReport(Action report)
        {
            try
            {
                report();
                return true;
            }
            catch (PipelineStoppedException)
            {
                return false;
            }
        }

        private void Progress(List<Target> targets, bool completed)
        {
            int done = targets.Count(t => t.Result is not null);
            var overall = new ProgressRecord(0, "Provisioning " + targets.Count.ToString(CultureInfo.InvariantCulture) + " modem(s)",
                done.ToString(CultureInfo.InvariantCulture) + " of " + targets.Count.ToString(CultureInfo.InvariantCulture) + " done")
            {
                PercentComplete = targets.Count == 0 ? 100 : done * 100 / targets.Count,
                RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
            };
            WriteProgress(overall);
            for (int i = 0; i < targets.Count; i++)
            {
                Target t = targets[i];
                WriteProgress(new ProgressRecord(i + 1, t.PortName, t.Activity ?? "Waiting")
                {
                    ParentActivityId = 0,
                    RecordType = completed || t.Result is not null ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                });
            }
        }

        private void RememberResults(List<Target> targets)
        {
            try
            {
                SessionState.PSVariable.Set(new PSVariable("Nrf91CmngLastProvisioning", targets.Select(t => t.Result ?? Cancelled(t)).ToArray(), ScopedItemOptions.None));
            }
            catch (Exception ex) when (ex is PipelineStoppedException || ex is SessionStateException || ex is PSInvalidOperationException)
            {
                // The results still went to the pipeline where it was running.
            }
        }

        private sealed class Target
        {
            public Target(string portName, ModemSession? session)
            {
                PortName = portName;
                Session = session;
            }

            public string PortName { get; }

            public ModemSession? Session { get; }

            public volatile string? Activity;

            public ProvisioningResult? Result;
        }
    }
}
