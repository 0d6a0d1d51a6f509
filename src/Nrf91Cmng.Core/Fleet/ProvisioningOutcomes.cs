namespace Nrf91Cmng.Core.Fleet
{
    /// <summary>What happened to one plan entry on one modem.</summary>
    public enum EntryStatus
    {
        /// <summary>Written where nothing was, and verified.</summary>
        Written,

        /// <summary>Written over a different credential, and verified.</summary>
        Replaced,

        /// <summary>The modem already lists this content: nothing sent.</summary>
        Unchanged,

        /// <summary>A key was generated in the modem and its certificate written and verified.</summary>
        Generated,

        /// <summary>-WhatIf: would be written.</summary>
        WouldWrite,

        /// <summary>-WhatIf: would replace a different credential.</summary>
        WouldReplace,

        /// <summary>-WhatIf: a key would be generated.</summary>
        WouldGenerate,

        /// <summary>Failed; see the error.</summary>
        Failed,

        /// <summary>Not attempted because the modem failed before it.</summary>
        NotAttempted,

        /// <summary>
        /// A Generate entry whose key was replaced after its certificate was issued (the provisioning
        /// record says so): the pair no longer matches and TLS fails. Nothing was written; -Force
        /// generates a new pair.
        /// </summary>
        KeyCertificateMismatch,

        /// <summary>
        /// A Generate entry whose key and certificate are both present, but nothing tells whether
        /// they belong together (no provisioning record, or a record without this pair). Nothing was
        /// written; -Force generates a new pair.
        /// </summary>
        Unverified,
    }

    /// <summary>What the statuses mean for a report.</summary>
    public static class EntryStatusFacts
    {
        /// <summary>The change a -WhatIf status stands for ("Write", "Replace", "Generate"), or null for any other status.</summary>
        public static string? WhatIfAction(this EntryStatus status) => status switch
        {
            EntryStatus.WouldWrite => "Write",
            EntryStatus.WouldReplace => "Replace",
            EntryStatus.WouldGenerate => "Generate",
            _ => null,
        };
    }

    /// <summary>What happened to one modem.</summary>
    public enum ModemStatus
    {
        /// <summary>At least one entry was written; all are in place and verified.</summary>
        Provisioned,

        /// <summary>Every entry was already in place: nothing written.</summary>
        Unchanged,

        /// <summary>At least one entry failed, or the modem could not be reached.</summary>
        Failed,

        /// <summary>-WhatIf: nothing written; the entries say what would be.</summary>
        WhatIf,

        /// <summary>Nothing failed, but a generated key and its certificate could not be verified as a pair (no provisioning record).</summary>
        Unverified,
    }

    /// <summary>What happened to one plan entry on one modem.</summary>
    public sealed class EntryOutcome
    {
        internal EntryOutcome(PlanEntry entry, EntryStatus status, string? sha256, ModemException? error, string? certificate = null, string? detail = null)
        {
            Entry = entry;
            Status = status;
            Sha256 = sha256;
            Error = error;
            Certificate = certificate;
            Detail = detail;
        }

        /// <summary>The plan entry.</summary>
        public PlanEntry Entry { get; }

        /// <summary>What happened.</summary>
        public EntryStatus Status { get; }

        /// <summary>The digest the modem lists (or will list).</summary>
        public string? Sha256 { get; }

        /// <summary>Why it failed.</summary>
        public ModemException? Error { get; }

        /// <summary>
        /// For ClientCertificate and Generate entries: the certificate (PEM) the entry wrote or found
        /// (for a generated key the certificate issued for it, or the one its provisioning record
        /// holds); otherwise null. Certificates are public: this is what onboarding files need.
        /// </summary>
        public string? Certificate { get; }

        /// <summary>Why the entry has its status, where that is not obvious (Unchanged, Unverified and KeyCertificateMismatch of Generate entries).</summary>
        public string? Detail { get; }

        /// <summary>True for Written, Replaced and Generated.</summary>
        public bool Changed => Status == EntryStatus.Written || Status == EntryStatus.Replaced || Status == EntryStatus.Generated;
    }

    /// <summary>What happened to one modem.</summary>
    public sealed class ModemOutcome
    {
        internal ModemOutcome(ModemStatus status, IReadOnlyList<EntryOutcome> entries, ModemException? error)
        {
            Status = status;
            Entries = entries;
            Error = error;
        }

        /// <summary>The modem's status.</summary>
        public ModemStatus Status { get; }

        /// <summary>One per plan entry.</summary>
        public IReadOnlyList<EntryOutcome> Entries { get; }

        /// <summary>The first failure, or null.</summary>
        public ModemException? Error { get; }

        /// <summary>The device UUID, when it was read (for placeholders, records or onboarding).</summary>
        public Guid? DeviceUuid { get; internal set; }

        /// <summary>The provisioning record file written after the run, or null.</summary>
        public string? RecordPath { get; internal set; }
    }
}
