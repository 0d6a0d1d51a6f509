namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>One <c>%CMNG:</c> line: what the modem stores at a (sec_tag, type) pair.</summary>
    public sealed class CredentialEntry
    {
        /// <summary>Creates an entry.</summary>
        public CredentialEntry(uint secTag, CredentialType type, string? sha256, bool placeholderDigest, string? content)
        {
            SecTag = secTag;
            Type = type;
            Sha256 = sha256;
            IsPlaceholderDigest = placeholderDigest;
            Content = content;
        }

        /// <summary>The security tag (0-4294967295; above 2147483647 belongs to the modem).</summary>
        public uint SecTag { get; }

        /// <summary>The credential type (numbers without a public definition are kept as they are).</summary>
        public CredentialType Type { get; }

        /// <summary>64 uppercase hex digits, or null where the firmware prints a placeholder or no digest.</summary>
        public string? Sha256 { get; }

        /// <summary>True where old firmware printed the type number repeated instead of a digest.</summary>
        public bool IsPlaceholderDigest { get; }

        /// <summary>The content read back with <c>%CMNG=2</c>, exactly as stored; null for a list entry.</summary>
        public string? Content { get; }

        /// <summary>Tags above 2147483647 belong to the modem.</summary>
        public bool IsModemOwnedTag => SecTag > int.MaxValue;

        /// <inheritdoc />
        public override string ToString() =>
            SecTag.ToString(CultureInfo.InvariantCulture) + "," + ((int)Type).ToString(CultureInfo.InvariantCulture) + (Sha256 is null ? string.Empty : "," + Sha256);
    }
}
