namespace Nrf91Cmng
{
    /// <summary>Test-ModemCredential -Detailed: whether the modem holds the local credential, and in which stored form.</summary>
    public sealed class ModemCredentialTest : ModemOutput
    {
        /// <summary>The sec_tag tested.</summary>
        public uint SecTag { get; internal set; }

        /// <summary>The credential type tested.</summary>
        public CredentialType Type { get; internal set; }

        /// <summary>True when the modem holds the local credential.</summary>
        public bool Match { get; internal set; }

        /// <summary>True when the modem lists anything at (SecTag, Type).</summary>
        public bool Present { get; internal set; }

        /// <summary>The digest the modem lists (empty when nothing is stored, or for a placeholder digest).</summary>
        public string ModemSha256 { get; internal set; } = string.Empty;

        /// <summary>The digest of the local text as Set-ModemCredential would write it (with the chosen -LineEnding).</summary>
        public string LocalSha256 { get; internal set; } = string.Empty;

        /// <summary>Which form of the local text the modem holds (Lf, CrLf, LfNoTrailingNewline, LeadingNewline, AsIs, ...), or None.</summary>
        public string MatchedVariant { get; internal set; } = "None";

        /// <summary>Which tools store that form.</summary>
        public string? MatchedVariantDescription { get; internal set; }

        /// <summary>How the comparison was made: Digest, Content (read back where the firmware prints placeholder digests) or Missing.</summary>
        public string ComparedBy { get; internal set; } = "Digest";

        /// <summary>Where the local text came from.</summary>
        public string? Source { get; internal set; }

        /// <inheritdoc />
        public override string ToString() => Match ? "True" : "False";
    }
}
