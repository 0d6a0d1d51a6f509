namespace Nrf91Cmng
{
    /// <summary>One modem's result of Invoke-ModemProvisioning.</summary>
    public sealed class ProvisioningResult
    {
        /// <summary>Port name or address of the modem.</summary>
        public string PortName { get; internal set; } = string.Empty;

        /// <summary>IMEI, where the modem was reached.</summary>
        public string? Imei { get; internal set; }

        /// <summary>
        /// Provisioned (something written or generated, everything verified), Unchanged (the modem
        /// already held every entry), Unverified (nothing failed, but a generated key and its
        /// certificate cannot be verified as a pair: no provisioning record), Failed (see Error and
        /// Entries) or WhatIf. The name of <see cref="Outcome"/> as a string, so that it survives
        /// remoting, jobs and ConvertTo-Json as the same text.
        /// </summary>
        public string Status => Outcome.ToString();

        /// <summary>
        /// The outcome as the engine typed it (what the module's own code tests). Kept in an int: a
        /// field of an engine enum would make loading this type load the engine at import.
        /// </summary>
        internal Core.Fleet.ModemStatus Outcome
        {
            get => (Core.Fleet.ModemStatus)_outcome;
            private set => _outcome = (int)value;
        }

        private int _outcome;

        /// <summary>The device UUID, where it was read (plans with {DeviceUuid}, -RecordPath, -OnboardingPath).</summary>
        public string? DeviceUuid { get; internal set; }

        /// <summary>One per plan entry.</summary>
        public ProvisioningEntryList Entries { get; internal set; } = new ProvisioningEntryList(Array.Empty<ProvisioningEntryResult>());

        /// <summary>How long this modem took.</summary>
        public TimeSpan Duration { get; internal set; }

        /// <summary>Why it failed (message), or null.</summary>
        public string? Error { get; internal set; }

        /// <summary>The stable id of the failure, or null.</summary>
        public string? ErrorId { get; internal set; }

        /// <summary>The transcript file of this modem, with -TranscriptPath.</summary>
        public string? TranscriptPath { get; internal set; }

        /// <summary>The provisioning record written for this modem (-RecordPath), or null.</summary>
        public string? RecordPath { get; internal set; }

        /// <summary>Written entries (Written, Replaced, Generated).</summary>
        public int WrittenCount { get; internal set; }

        /// <summary>The failure as the engine reported it (for the ErrorRecord); not serialised.</summary>
        internal Core.Errors.ModemException? Failure { get; private set; }

        /// <inheritdoc />
        public override string ToString() => PortName + ": " + Status;

        /// <summary>The public result of one modem of a fleet run.</summary>
        internal static ProvisioningResult From(Core.Fleet.FleetResult result)
        {
            Core.Fleet.ModemOutcome outcome = result.Outcome;
            return new ProvisioningResult
            {
                PortName = result.PortName,
                Imei = result.Imei,
                DeviceUuid = outcome.DeviceUuid?.ToString("D"),
                Outcome = outcome.Status,
                Entries = new ProvisioningEntryList(outcome.Entries.Select(e => new ProvisioningEntryResult
                {
                    SecTag = e.Entry.SecTag,
                    Type = e.Entry.Type.ToPublic(),
                    Outcome = e.Status,
                    Sha256 = e.Sha256,
                    Error = e.Error?.Message,
                    Source = e.Entry.Source,
                    Generate = e.Entry.Generate,
                    Certificate = e.Certificate,
                    Detail = e.Detail,
                }).ToList()),
                Duration = result.Duration,
                Error = outcome.Error?.Message,
                ErrorId = outcome.Error?.ErrorId,
                Failure = outcome.Status == Core.Fleet.ModemStatus.Failed ? outcome.Error : null,
                TranscriptPath = result.TranscriptPath,
                RecordPath = outcome.RecordPath,
                WrittenCount = outcome.Entries.Count(e => e.Changed),
            };
        }
    }

    /// <summary>One plan entry's result on one modem.</summary>
    public sealed class ProvisioningEntryResult
    {
        /// <summary>The sec_tag.</summary>
        public uint SecTag { get; internal set; }

        /// <summary>The credential type.</summary>
        public CredentialType Type { get; internal set; }

        /// <summary>
        /// Written, Replaced, Unchanged, Generated, WouldWrite, WouldReplace, WouldGenerate, Failed,
        /// NotAttempted, and for Generate entries KeyCertificateMismatch (the key was replaced after
        /// its certificate was issued; -Force generates a new pair) or Unverified (key and
        /// certificate are there, but without a provisioning record nothing tells whether they
        /// belong together). The name of <see cref="Outcome"/>, as text (see ProvisioningResult.Status).
        /// </summary>
        public string Status => Outcome.ToString();

        /// <summary>The outcome as the engine typed it (an int field, as in ProvisioningResult).</summary>
        internal Core.Fleet.EntryStatus Outcome
        {
            get => (Core.Fleet.EntryStatus)_outcome;
            set => _outcome = (int)value;
        }

        private int _outcome;

        /// <summary>The digest the modem lists (or would list).</summary>
        public string? Sha256 { get; internal set; }

        /// <summary>Why it failed, or null.</summary>
        public string? Error { get; internal set; }

        /// <summary>The plan row.</summary>
        public string? Source { get; internal set; }

        /// <summary>True for a Generate entry (key made in the modem, certificate issued for it).</summary>
        public bool Generate { get; internal set; }

        /// <summary>
        /// The client certificate (PEM) the entry wrote or found: for a Generate entry the certificate
        /// issued for the key (or, when Unchanged, the one the provisioning record holds). Null for
        /// other types. What Export-ModemOnboarding writes.
        /// </summary>
        public string? Certificate { get; internal set; }

        /// <summary>Why a Generate entry is Unchanged, Unverified or KeyCertificateMismatch, in words; otherwise null.</summary>
        public string? Detail { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => SecTag + "/" + Type + ": " + Status;
    }
}
