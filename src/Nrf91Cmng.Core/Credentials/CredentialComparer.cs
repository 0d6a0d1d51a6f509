namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>Whether a store holds a given credential, and in which stored form.</summary>
    public sealed class CredentialComparison
    {
        internal CredentialComparison(string localSha256)
        {
            LocalSha256 = localSha256;
        }

        /// <summary>True when the store holds the credential (in any form real tools store, or exactly the form asked for).</summary>
        public bool Match { get; internal set; }

        /// <summary>True when something is stored at the (sec_tag, type).</summary>
        public bool Present { get; internal set; }

        /// <summary>The digest the store lists ("" for a placeholder).</summary>
        public string ModemSha256 { get; internal set; } = string.Empty;

        /// <summary>The digest of the local text in the form asked for, as this store lists it.</summary>
        public string LocalSha256 { get; internal set; }

        /// <summary>The stored form that matched (LF, CR LF, no trailing newline, ...), or "None".</summary>
        public string MatchedVariant { get; internal set; } = "None";

        /// <summary>The matched form in words.</summary>
        public string? MatchedVariantDescription { get; internal set; }

        /// <summary>Digest (the listed SHA-256), Content (read back and hashed: placeholder digests) or Missing.</summary>
        public string ComparedBy { get; internal set; } = "Digest";
    }

    /// <summary>Compares local credential text with what a store holds, explaining line-ending differences.</summary>
    public static class CredentialComparer
    {
        /// <summary>
        /// Compares <paramref name="text"/> with the (sec_tag, type) of <paramref name="store"/>. With
        /// <paramref name="exactPolicy"/> the stored form must be exactly that one; without it any form
        /// real tools store matches, and the result names the form found.
        /// </summary>
        public static CredentialComparison Compare(ICredentialStore store, uint secTag, CredentialType type, string text, LineEndingPolicy? exactPolicy,
            IModemLog log, CancellationToken cancellationToken)
        {
            string local = store.TextAfterWrite(CredentialContent.Normalize(text, type, exactPolicy ?? LineEndingPolicy.Lf));
            var result = new CredentialComparison(store.DigestOf(local, type));
            CredentialEntry? entry = store.List(secTag, type, log, cancellationToken).FirstOrDefault(e => e.SecTag == secTag && e.Type == type);
            if (entry is null)
            {
                result.ComparedBy = "Missing";
                return result;
            }

            result.Present = true;
            string modemDigest;
            if (entry.Sha256 is string listed)
            {
                modemDigest = listed;
                result.ModemSha256 = listed;
            }
            else if (CredentialRules.IsReadable(type))
            {
                // Placeholder digests (early firmware): read the content back and hash it.
                CredentialEntry read = CredentialReader.ReadVerified(store, secTag, type, log, cancellationToken);
                modemDigest = store.DigestOf(read.Content ?? string.Empty, type);
                result.ComparedBy = "Content";
            }
            else
            {
                throw new ModemException(ErrorIds.CredentialNotVerifiable, ModemErrorCategory.NotImplemented,
                    "This firmware (" + store.Firmware.Name + ") lists a placeholder instead of the SHA-256 of the " + CredentialRules.Describe(type)
                    + " at sec_tag " + secTag.ToString(CultureInfo.InvariantCulture) + ", and that type cannot be read back, so it cannot be compared.",
                    "Its presence is known (Get-ModemCredential lists it). Modem firmware 1.3.0 and later list real digests; update the modem firmware to verify content.");
            }

            DigestVariantReport report = CredentialContent.DigestVariants(text, modemDigest, candidate => store.DigestOf(candidate, type), candidate => store.IsDigestOf(modemDigest, candidate, type));
            result.MatchedVariant = report.MatchedVariantName;
            result.MatchedVariantDescription = report.MatchedVariant is DigestVariant v ? CredentialContent.DescribeVariant(v) : null;
            bool exact = store.IsDigestOf(modemDigest, local, type);
            result.LocalSha256 = store.DigestOf(local, type); // the backend may have been learnt from the match
            result.Match = exactPolicy is null ? report.IsMatch || exact : exact;
            return result;
        }
    }
}
