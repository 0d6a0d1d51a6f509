using System.Collections.Generic;
using Nrf91Cmng.Core.Errors;

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
    }

    /// <summary>What happened to one plan entry on one modem.</summary>
    public sealed class EntryOutcome
    {
        internal EntryOutcome(PlanEntry entry, EntryStatus status, string? sha256, ModemException? error)
        {
            Entry = entry;
            Status = status;
            Sha256 = sha256;
            Error = error;
        }

        /// <summary>The plan entry.</summary>
        public PlanEntry Entry { get; }

        /// <summary>What happened.</summary>
        public EntryStatus Status { get; }

        /// <summary>The digest the modem lists (or will list).</summary>
        public string? Sha256 { get; }

        /// <summary>Why it failed.</summary>
        public ModemException? Error { get; }

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
    }
}
