using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Nrf91Cmng.Core.Credentials;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Fleet;
using Nrf91Cmng.Core.Onboarding;
using Nrf91Cmng.Core.Readiness;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks offline whether sec_tags of a modem are ready for TLS: roots, pairs, digests, PEM form, sizes, server roots, device ID, key-and-certificate pairing, clock and validity, firmware.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "ModemSecTag", HelpUri = HelpLinks.Base + "Test-ModemSecTag.md", DefaultParameterSetName = FilesSet)]
    [OutputType(typeof(SecTagReadiness))]
    public sealed class TestModemSecTagCommand : SessionCmdletBase
    {
        private const string FilesSet = "Files";
        private const string PlanSet = "Plan";
        private readonly List<(ModemSession Session, List<uint>? Tags)> _requests = new List<(ModemSession, List<uint>?)>();
        private IReadOnlyList<PlanEntry>? _plan;
        private ServerProfile? _profile;
        private string? _issuingCa;
        private List<(Core.Credentials.CredentialType Type, string Path, string Text)> _files = new List<(Core.Credentials.CredentialType, string, string)>();

        /// <summary>The sec_tags to check (default: every sec_tag the modem lists, and every one the plan names). Binds from the SecTag property of piped objects.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SecTagTransformation]
        [ArgumentCompleter(typeof(Completers.SecTagCompleter))]
        public uint[]? SecTag { get; set; }

        /// <summary>What the sec_tags should hold: the plan Invoke-ModemProvisioning takes (a .csv, .json or .psd1 file, or objects). Placeholders are expanded per modem; digests are compared in every stored form tools write.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PlanSet)]
        [ValidateNotNullOrEmpty]
        public object[] Plan { get; set; } = Array.Empty<object>();

        /// <summary>The root CA file the sec_tags should hold (type 0).</summary>
        [Parameter(ParameterSetName = FilesSet)]
        [ValidateNotNullOrEmpty]
        public string? RootCA { get; set; }

        /// <summary>The client certificate file the sec_tags should hold (type 1).</summary>
        [Parameter(ParameterSetName = FilesSet)]
        [ValidateNotNullOrEmpty]
        public string? ClientCertificate { get; set; }

        /// <summary>The client private key file the sec_tags should hold (type 2; compared by digest, and with the certificate).</summary>
        [Parameter(ParameterSetName = FilesSet)]
        [ValidateNotNullOrEmpty]
        public string? ClientPrivateKey { get; set; }

        /// <summary>The folder of provisioning records (Invoke-ModemProvisioning -RecordPath), or one record file: tells whether a key generated in the modem is still the one its certificate was issued for.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RecordPath { get; set; }

        /// <summary>The server the sec_tag is for: AwsIot, NrfCloudMqtt, NrfCloudCoap, AzureIot, or the path of the server's root CA file. Its roots are matched by public key.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ServerProfileCompleter))]
        public string? Server { get; set; }

        /// <summary>The CA that issues the device certificates (a PEM file), when not given by a Generate entry of the plan: the client certificate's issuer is checked against it, and a root CA that is only this CA is flagged.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? IssuingCA { get; set; }

        /// <summary>How the firmware derives its device ID (Uuid or Imei): the client certificate CN is checked against it. Without it any usual ID is accepted.</summary>
        [Parameter]
        [ValidateSet("Uuid", "Imei", IgnoreCase = true)]
        public string? DeviceId { get; set; }

        /// <summary>The prefix of the device ID (with -DeviceId; default nrf- for Imei, none for Uuid).</summary>
        [Parameter]
        [AllowEmptyString]
        public string? DeviceIdPrefix { get; set; }

        /// <summary>Certificates that expire within this many days are a warning (30).</summary>
        [Parameter]
        [ValidateRange(0, 36500)]
        public int WarnDays { get; set; } = 30;

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            Guard(null, () =>
            {
                if (ParameterSetName == PlanSet)
                {
                    _plan = PlanInput.Load(this, Plan);
                }

                if (Server is not null)
                {
                    _profile = ResolveProfile(Server);
                }

                if (IssuingCA is not null)
                {
                    _issuingCa = File.ReadAllText(CredentialInput.ResolveFile(this, IssuingCA));
                }

                // Expected files are read relative to the current location, once.
                _files = new[] { (Core.Credentials.CredentialType.RootCA, RootCA), (Core.Credentials.CredentialType.ClientCertificate, ClientCertificate), (Core.Credentials.CredentialType.ClientPrivateKey, ClientPrivateKey) }
                    .Where(f => f.Item2 is not null)
                    .Select(f => (f.Item1, CredentialInput.ResolveFile(this, f.Item2!)))
                    .Select(f => (f.Item1, f.Item2, File.ReadAllText(f.Item2)))
                    .ToList();
            }, terminating: true);
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            int index = _requests.FindIndex(r => ReferenceEquals(r.Session, session));
            List<uint>? tags = SecTag is null ? null : new List<uint>(SecTag);
            if (index < 0)
            {
                _requests.Add((session, tags));
            }
            else if (_requests[index].Tags is List<uint> known)
            {
                // Several piped objects of one modem: one report per sec_tag, made once all are in.
                if (tags is null)
                {
                    _requests[index] = (session, null);
                }
                else
                {
                    known.AddRange(tags.Where(t => !known.Contains(t)));
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            foreach ((ModemSession session, List<uint>? tags) in _requests)
            {
                Guard(session, () => Evaluate(session, tags));
            }

            base.EndProcessing();
        }

        private void Evaluate(ModemSession session, List<uint>? tags)
        {
            bool files = _files.Count > 0;
            if (files && tags is null)
            {
                throw new ModemException(ErrorIds.ReadinessInputInvalid, ModemErrorCategory.InvalidArgument,
                    "-RootCA, -ClientCertificate and -ClientPrivateKey say what a sec_tag should hold, but no -SecTag was given.",
                    "Name the sec_tag(s) the files belong to with -SecTag.");
            }

            var input = new ReadinessInput { WarnDays = WarnDays, Profile = _profile, IssuingCaPem = _issuingCa, IdPrefix = DeviceIdPrefix };
            if (DeviceId is not null)
            {
                input.IdScheme = (DeviceIdScheme)Enum.Parse(typeof(DeviceIdScheme), DeviceId, ignoreCase: true);
            }

            string? recordFile = null;
            using (session.Client.Exclusive())
            {
                // Reads only: list, read-backs, identity, clock. Nothing is written, no mode is changed.
                Core.Modem.ModemIdentity identity = session.Client.Identity;
                input.Firmware = identity.Firmware;
                input.Model = identity.Model;
                input.Imei = identity.Imei;
                input.DeviceUuid = session.Client.TryReadDeviceUuid(Log, CancelToken);
                IReadOnlyList<CredentialEntry> listed = session.Store.List(null, null, Log, CancelToken);
                session.Credentials.Remember(listed);
                input.Listed = listed;
                input.ModemClock = session.Client.ReadClock(Log, CancelToken);

                if (_plan is not null)
                {
                    input.Expected = ExpectedCredential.FromPlan(_plan, identity.Imei, input.DeviceUuid);
                }
                else if (files)
                {
                    var expected = new List<ExpectedCredential>();
                    foreach (uint tag in tags!)
                    {
                        expected.AddRange(_files.Select(f => new ExpectedCredential(tag, f.Type, f.Text, false, f.Path)));
                    }

                    input.Expected = expected;
                }

                if (RecordPath is not null)
                {
                    input.Record = LoadRecord(identity.Imei, input.DeviceUuid, out recordFile);
                }

                input.SecTags = tags;
                IEnumerable<uint> reported = tags ?? listed.Select(e => e.SecTag).Where(t => t <= CredentialRules.LastTlsDecryptSecTag).Concat(input.Expected.Select(e => e.SecTag));
                input.ReadBack = ReadBack(session, listed, new HashSet<uint>(reported), input.Expected);
            }

            ReadinessReport report = ReadinessEngine.Evaluate(input);
            if (report.SecTags.Count == 0)
            {
                WriteWarning("The modem on " + session.PortName + " lists no credentials at user sec_tags, and none were named: nothing to check. Give -SecTag to check a sec_tag that should hold credentials.");
            }

            foreach (SecTagReadiness readiness in report.SecTags.Select(t => ToOutput(t, report, session, recordFile)))
            {
                WriteVerbose(readiness.ToString());
                WriteObject(readiness);
            }
        }

        private List<CredentialEntry> ReadBack(ModemSession session, IReadOnlyList<CredentialEntry> listed, HashSet<uint> tags, IReadOnlyList<ExpectedCredential> expected)
        {
            var read = new List<CredentialEntry>();
            foreach (CredentialEntry entry in listed.Where(e => tags.Contains(e.SecTag) && CredentialRules.MayTryToRead(e.Type)
                && !CredentialRules.IsModemOwned(e.SecTag, e.Type, session.Store.Firmware.Is91x1)))
            {
                // Content the plan or a file gives, and whose digest the modem lists, need not cross the line again.
                if (entry.Sha256 is string digest && expected.Any(x => x.SecTag == entry.SecTag && x.Type == entry.Type && x.Content is not null
                    && CredentialContent.DigestVariants(x.Content, digest).IsMatch))
                {
                    continue;
                }

                try
                {
                    CredentialEntry? content = CredentialReader.TryRead(session.Store, entry.SecTag, entry.Type, Log, CancelToken, out string? why);
                    if (content?.Content is not null)
                    {
                        read.Add(content);
                    }
                    else
                    {
                        WriteVerbose("The " + CredentialRules.Describe(entry.Type) + " at sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture) + " cannot be read back on this firmware (" + why + "); it is judged by its digest.");
                    }
                }
                catch (ModemException ex) when (ex.ErrorId == ErrorIds.CredentialReadBackMismatch
                    || (ex.Category == ModemErrorCategory.OperationTimeout && session.Connected))
                {
                    // A reply longer than the AT host's buffer is cut off and never completes: the
                    // session resynchronises, and the entry is judged by its digest.
                    Log.Flush();
                    WriteWarning("The " + CredentialRules.Describe(entry.Type) + " at sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture) + " could not be read back: "
                        + ex.Message + " It is judged by its digest only; pass the file it should hold (-RootCA, -Plan) to check its content.");
                }
            }

            return read;
        }

        private ProvisioningRecord? LoadRecord(string? imei, Guid? uuid, out string? file)
        {
            string path = GetUnresolvedProviderPathFromPSPath(RecordPath!);
            if (File.Exists(path))
            {
                ProvisioningRecord record = ProvisioningRecord.Load(path);
                record.EnsureBelongsTo(imei, uuid, path);
                file = path;
                return record;
            }

            if (!Directory.Exists(path))
            {
                throw new ModemException(ErrorIds.ProvisioningRecordInvalid, ModemErrorCategory.ObjectNotFound,
                    "-RecordPath " + path + " is neither a records folder nor a record file.", "Give the folder Invoke-ModemProvisioning -RecordPath wrote to, or one record file in it.");
            }

            file = ProvisioningRecordFile.Find(path, uuid, imei);
            if (file is null)
            {
                WriteVerbose("No provisioning record of this modem in " + path + ".");
                return null;
            }

            return ProvisioningRecordFile.Load(path, uuid, imei);
        }

        private ServerProfile ResolveProfile(string server)
        {
            if (Enum.TryParse(server.Trim(), true, out ServerProfileKind kind) && kind != ServerProfileKind.Custom && Enum.IsDefined(typeof(ServerProfileKind), kind)
                && !server.Trim().All(char.IsDigit))
            {
                return ServerProfile.Get(kind);
            }

            string file;
            try
            {
                file = CredentialInput.ResolveFile(this, server);
            }
            catch (ModemException ex)
            {
                throw new ModemException(ErrorIds.ReadinessProfileInvalid, ModemErrorCategory.InvalidArgument,
                    "-Server '" + server + "' is neither a server profile (AwsIot, NrfCloudMqtt, NrfCloudCoap, AzureIot) nor a CA file: " + ex.Message,
                    "Give a profile name, or the path of the server's root CA certificate (PEM).", ex);
            }

            return ServerProfile.FromCaPem(File.ReadAllText(file), file);
        }

        private SecTagReadiness ToOutput(Core.Readiness.SecTagReadiness tag, ReadinessReport report, ModemSession session, string? recordFile)
        {
            List<SecTagCheck> checks = tag.Checks.Select(c => new SecTagCheck
            {
                SecTag = tag.SecTag,
                Id = c.Id,
                What = c.Title,
                Status = c.Status.ToString(),
                Reason = c.Reason,
                Evidence = c.Evidence,
                Remedy = c.Remedy,
            }).ToList();
            var failed = checks.Where(c => c.Status == "Fail").Select(c => c.Id).ToList();
            var warned = checks.Where(c => c.Status == "Warn").Select(c => c.Id).ToList();
            return new SecTagReadiness
            {
                SecTag = tag.SecTag,
                Ready = tag.Ready,
                Checks = new SecTagCheckList(checks),
                FailedCount = failed.Count,
                WarningCount = warned.Count,
                Summary = string.Join("; ", new[] { failed.Count > 0 ? "Fail: " + string.Join(", ", failed) : null, warned.Count > 0 ? "Warn: " + string.Join(", ", warned) : null }.Where(p => p is not null)),
                ModemClock = report.Clock.Raw,
                ModemClockState = report.Clock.State.ToString(),
                HostTime = report.HostTime.UtcDateTime,
                Firmware = session.Firmware,
                Server = _profile?.Name,
                RecordPath = recordFile,
            }.From(session);
        }
    }

    /// <summary>Completes -Server with the built-in server profiles (file paths complete as usual when none matches).</summary>
    public sealed class ServerProfileCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            foreach (ServerProfileKind kind in Enum.GetValues(typeof(ServerProfileKind)))
            {
                if (kind != ServerProfileKind.Custom && kind.ToString().StartsWith(word, StringComparison.OrdinalIgnoreCase))
                {
                    yield return new CompletionResult(kind.ToString(), kind.ToString(), CompletionResultType.ParameterValue, ServerProfile.Get(kind).Name);
                }
            }
        }
    }
}
