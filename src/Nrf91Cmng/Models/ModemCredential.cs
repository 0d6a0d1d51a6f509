namespace Nrf91Cmng
{
    /// <summary>What a write did (Set-ModemCredential -PassThru, Invoke-ModemProvisioning entries).</summary>
    public enum CredentialStatus
    {
        /// <summary>Written where nothing was.</summary>
        Written,

        /// <summary>Written over a different credential.</summary>
        Replaced,

        /// <summary>The modem already held the same content: nothing was sent.</summary>
        Unchanged,

        /// <summary>Not written (-WhatIf, or declined).</summary>
        Skipped,

        /// <summary>The write failed.</summary>
        Failed,

        /// <summary>Deleted.</summary>
        Removed,

        /// <summary>Generated on the modem (%KEYGEN).</summary>
        Generated,
    }

    /// <summary>One credential stored in a modem (Get-ModemCredential), or the result of writing one.</summary>
    public sealed class ModemCredential : ModemOutput
    {
        /// <summary>The security tag.</summary>
        public uint SecTag { get; internal set; }

        /// <summary>The credential type.</summary>
        public CredentialType Type { get; internal set; }

        /// <summary>The type number as the modem prints it.</summary>
        public int TypeId => (int)Type;

        /// <summary>64 uppercase hex digits: SHA-256 of the stored bytes; empty where the firmware prints a placeholder.</summary>
        public string Sha256 { get; internal set; } = string.Empty;

        /// <summary>True for entries that belong to the modem (reserved tags and types).</summary>
        public bool IsModemOwned { get; internal set; }

        /// <summary>The stored text (only with -IncludeContent, only for readable types: root CA, PSK identity).</summary>
        public string? Content { get; internal set; }

        /// <summary>Certificate subject, decoded from content read back.</summary>
        public string? Subject { get; internal set; }

        /// <summary>Certificate issuer, decoded from content read back.</summary>
        public string? Issuer { get; internal set; }

        /// <summary>Certificate expiry (UTC), decoded from content read back.</summary>
        public DateTime? NotAfter { get; internal set; }

        /// <summary>For writes: Written, Replaced, Unchanged, Skipped or Failed; null for a listing.</summary>
        public CredentialStatus? Status { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => SecTag + "," + TypeId + "," + Sha256;
    }
}
