using Nrf91Cmng.Completers;
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
                    _profile = CredentialInput.ResolveServerProfile(this, Server);
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

            if (files)
            {
                input.Expected = tags!.SelectMany(tag => _files.Select(f => new ExpectedCredential(tag, f.Type, f.Text, false, f.Path))).ToList();
            }

            input.SecTags = tags;
            string? recordPath = RecordPath is null ? null : GetUnresolvedProviderPathFromPSPath(RecordPath);
            string? recordFile = ReadinessReader.Read(session.Client, session.Store, input, _plan, recordPath, Log, CancelToken);
            session.Credentials.Remember(input.Listed);
            ReadinessReport report = ReadinessEngine.Evaluate(input);
            if (report.SecTags.Count == 0)
            {
                WriteWarning("The modem on " + session.PortName + " lists no credentials at user sec_tags, and none were named: nothing to check. Give -SecTag to check a sec_tag that should hold credentials.");
            }

            foreach (SecTagReadiness readiness in report.SecTags.Select(t => OutputMapping.ToReadiness(t, report, session, _profile, recordFile)))
            {
                WriteVerbose(readiness.ToString());
                WriteObject(readiness);
            }
        }
    }
}
