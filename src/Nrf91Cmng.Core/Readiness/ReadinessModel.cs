using Nrf91Cmng.Core.Fleet;
using Nrf91Cmng.Core.Onboarding;

namespace Nrf91Cmng.Core.Readiness
{
    /// <summary>The outcome of one check.</summary>
    public enum ReadinessStatus
    {
        /// <summary>Checked and fine (or not applicable, which the reason says).</summary>
        Pass,

        /// <summary>Works as far as can be told, but worth fixing.</summary>
        Warn,

        /// <summary>TLS will not work (or the credential is not what was planned).</summary>
        Fail,

        /// <summary>Cannot be checked offline with the input given; the reason says what is missing.</summary>
        NotCheckable,
    }

    /// <summary>One credential the sec_tag should hold: from a plan entry or a file.</summary>
    public sealed class ExpectedCredential
    {
        /// <summary>Creates an expectation.</summary>
        public ExpectedCredential(uint secTag, CredentialType type, string? content, bool generatedOnModem = false, string? source = null, string? issuerCaPem = null)
        {
            SecTag = secTag;
            Type = type;
            Content = content;
            GeneratedOnModem = generatedOnModem;
            Source = source ?? "expected " + CredentialRules.Describe(type) + " at sec_tag " + secTag.ToString(CultureInfo.InvariantCulture);
            IssuerCaPem = issuerCaPem;
            if (content is null && !generatedOnModem)
            {
                throw new ModemException(ErrorIds.ReadinessInputInvalid, ModemErrorCategory.InvalidArgument,
                    Source + " has no content.", "Give the credential's text or file, or mark it as generated in the modem.");
            }
        }

        /// <summary>The sec_tag.</summary>
        public uint SecTag { get; }

        /// <summary>The type.</summary>
        public CredentialType Type { get; }

        /// <summary>The text (any line endings; the digest check tries the stored forms tools produce), or null for a generated key or its certificate.</summary>
        public string? Content { get; }

        /// <summary>True for the key of a <c>Generate</c> entry (and the certificate issued for it, whose content is only known per modem).</summary>
        public bool GeneratedOnModem { get; }

        /// <summary>Where it came from ("plan.csv row 3").</summary>
        public string Source { get; }

        /// <summary>For a certificate issued for a generated key: the CA that signs it (the plan's CACertificate).</summary>
        public string? IssuerCaPem { get; }

        /// <summary>Reads a file as the expectation of (sec_tag, type).</summary>
        public static ExpectedCredential FromFile(uint secTag, CredentialType type, string path) =>
            new ExpectedCredential(secTag, type, File.ReadAllText(path), false, path);

        /// <summary>
        /// The expectations of plan entries for one modem: placeholders ({Imei}, {DeviceUuid})
        /// expanded, files read. A Generate entry yields the generated key (type 2) and its
        /// certificate (type 1, content unknown, issuer = the entry's CA certificate).
        /// </summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.ReadinessInputInvalid"/> when a file cannot be read.</exception>
        public static IReadOnlyList<ExpectedCredential> FromPlan(IEnumerable<PlanEntry> entries, string? imei, Guid? deviceUuid)
        {
            var result = new List<ExpectedCredential>();
            foreach (PlanEntry entry in entries ?? throw new ArgumentNullException(nameof(entries)))
            {
                if (entry.Generate)
                {
                    string? ca = entry.CACertificate is null ? null : Read(entry.CACertificate, entry.Source);
                    result.Add(new ExpectedCredential(entry.SecTag, CredentialType.ClientPrivateKey, null, true, entry.Source));
                    result.Add(new ExpectedCredential(entry.SecTag, CredentialType.ClientCertificate, null, true, entry.Source, ca));
                    continue;
                }

                string? content = PlanEntry.Expand(entry.Content, imei, deviceUuid);
                string? path = PlanEntry.Expand(entry.Path, imei, deviceUuid);
                result.Add(new ExpectedCredential(entry.SecTag, entry.Type, content ?? Read(path!, entry.Source), false, entry.Source));
            }

            return result;
        }

        private static string Read(string path, string source)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ModemException(ErrorIds.ReadinessInputInvalid, ModemErrorCategory.ObjectNotFound,
                    source + ": the file " + path + " cannot be read: " + ex.Message, "Fix the path in the plan (relative paths are resolved against the plan file's folder).", ex);
            }
        }
    }

    /// <summary>Everything the readiness check looks at. Only <see cref="Listed"/> is required.</summary>
    public sealed class ReadinessInput
    {
        /// <summary>The modem firmware (<c>AT+CGMR</c>, parsed), or null.</summary>
        public FirmwareInfo? Firmware { get; set; }

        /// <summary><c>AT+CGMM</c>, or null.</summary>
        public string? Model { get; set; }

        /// <summary><c>AT+CGSN</c>, or null.</summary>
        public string? Imei { get; set; }

        /// <summary>The device UUID, or null.</summary>
        public Guid? DeviceUuid { get; set; }

        /// <summary>The list (<c>AT%CMNG=1</c>): every (sec_tag, type) with its digest.</summary>
        public IReadOnlyList<CredentialEntry> Listed { get; set; } = Array.Empty<CredentialEntry>();

        /// <summary>Contents read back (<c>AT%CMNG=2</c>, entries with <see cref="CredentialEntry.Content"/>), where the firmware allowed it.</summary>
        public IReadOnlyList<CredentialEntry> ReadBack { get; set; } = Array.Empty<CredentialEntry>();

        /// <summary>The <c>AT+CCLK?</c> answer, or null.</summary>
        public string? ModemClock { get; set; }

        /// <summary>The host's time (default: now). Certificates are judged by it; the modem clock only adds warnings.</summary>
        public DateTimeOffset? HostTime { get; set; }

        /// <summary>What the sec_tags should hold (plan entries or files).</summary>
        public IReadOnlyList<ExpectedCredential> Expected { get; set; } = Array.Empty<ExpectedCredential>();

        /// <summary>The modem's provisioning record, or null.</summary>
        public ProvisioningRecord? Record { get; set; }

        /// <summary>The target server, or null (then R9 is not checkable).</summary>
        public ServerProfile? Profile { get; set; }

        /// <summary>Certificates expiring within this many days are a warning.</summary>
        public int WarnDays { get; set; } = 30;

        /// <summary>The sec_tags to report; null: every tag listed (user and TLS-decrypt range) or expected.</summary>
        public IReadOnlyList<uint>? SecTags { get; set; }

        /// <summary>The CA that issues device certificates, when not given per expectation.</summary>
        public string? IssuingCaPem { get; set; }

        /// <summary>The device-ID scheme the firmware uses, when known (R12).</summary>
        public DeviceIdScheme? IdScheme { get; set; }

        /// <summary>The device-ID prefix the firmware uses, when known (R12).</summary>
        public string? IdPrefix { get; set; }

        /// <summary>True for Nordic's own boards (the reserved nrf- prefix is theirs).</summary>
        public bool NordicHardware { get; set; }
    }

    /// <summary>One check of the checklist at one sec_tag.</summary>
    public sealed class ReadinessCheck
    {
        internal ReadinessCheck(string id, string title, ReadinessStatus status, string reason, string? evidence, string? remedy)
        {
            Id = id;
            Title = title;
            Status = status;
            Reason = reason;
            Evidence = evidence;
            Remedy = remedy;
        }

        /// <summary>R1 ... R17.</summary>
        public string Id { get; }

        /// <summary>What was checked.</summary>
        public string Title { get; }

        /// <summary>The outcome.</summary>
        public ReadinessStatus Status { get; }

        /// <summary>Why, in words.</summary>
        public string Reason { get; }

        /// <summary>What it was judged on (digests, subjects, dates), or null.</summary>
        public string? Evidence { get; }

        /// <summary>What to do, in plain words; null when nothing is to be done.</summary>
        public string? Remedy { get; }

        /// <inheritdoc />
        public override string ToString() => Id + " " + Status + ": " + Reason;
    }

    /// <summary>The checks of one sec_tag.</summary>
    public sealed class SecTagReadiness
    {
        internal SecTagReadiness(uint secTag, IReadOnlyList<ReadinessCheck> checks)
        {
            SecTag = secTag;
            Checks = checks;
        }

        /// <summary>The sec_tag.</summary>
        public uint SecTag { get; }

        /// <summary>True when no check failed.</summary>
        public bool Ready => Checks.All(c => c.Status != ReadinessStatus.Fail);

        /// <summary>R1 ... R17 in order.</summary>
        public IReadOnlyList<ReadinessCheck> Checks { get; }

        /// <summary>The failed checks.</summary>
        public IEnumerable<ReadinessCheck> Failures => Checks.Where(c => c.Status == ReadinessStatus.Fail);

        /// <summary>The warnings.</summary>
        public IEnumerable<ReadinessCheck> Warnings => Checks.Where(c => c.Status == ReadinessStatus.Warn);

        /// <summary>The check with that id.</summary>
        public ReadinessCheck this[string id] => Checks.First(c => c.Id == id);

        /// <inheritdoc />
        public override string ToString() =>
            "sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture) + ": " + (Ready ? "ready" : "not ready") +
            " (" + Failures.Count().ToString(CultureInfo.InvariantCulture) + " failed, " + Warnings.Count().ToString(CultureInfo.InvariantCulture) + " warnings)";
    }

    /// <summary>The report of one modem.</summary>
    public sealed class ReadinessReport
    {
        internal ReadinessReport(IReadOnlyList<SecTagReadiness> secTags, ModemClock clock, DateTimeOffset hostTime)
        {
            SecTags = secTags;
            Clock = clock;
            HostTime = hostTime;
        }

        /// <summary>One per sec_tag, in tag order.</summary>
        public IReadOnlyList<SecTagReadiness> SecTags { get; }

        /// <summary>The modem clock as judged.</summary>
        public ModemClock Clock { get; }

        /// <summary>The host time used.</summary>
        public DateTimeOffset HostTime { get; }

        /// <summary>True when every sec_tag is ready (and there is at least one).</summary>
        public bool Ready => SecTags.Count > 0 && SecTags.All(t => t.Ready);

        /// <summary>The report of one tag, or null.</summary>
        public SecTagReadiness? For(uint secTag) => SecTags.FirstOrDefault(t => t.SecTag == secTag);
    }
}
