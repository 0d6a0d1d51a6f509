namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>
    /// Reads credential content back from a store and checks it against the digest the modem
    /// lists, so that a URC, a log line or another program's bytes inside a reply never become
    /// content: a mismatch is read once more, then reported as an error.
    /// </summary>
    public static class CredentialReader
    {
        /// <summary>
        /// Reads the content of one credential, checked against its listed digest; null with
        /// <paramref name="why"/> when the firmware will not return it (not readable: 514, not
        /// found: 513, or a bare ERROR).
        /// </summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.CredentialReadBackMismatch"/> when two reads differ from the listed digest.</exception>
        public static CredentialEntry? TryRead(ICredentialStore store, uint secTag, CredentialType type, IModemLog log, CancellationToken cancellationToken, out string? why)
        {
            try
            {
                why = null;
                return ReadVerified(store, secTag, type, log, cancellationToken);
            }
            catch (ModemCommandException ex) when (ex.Code == 514 || ex.Code == 513 || ex.Response.Result == AtResultKind.Error)
            {
                why = ex.Response.FinalLine;
                return null;
            }
            catch (ModemException ex) when (ex.ErrorId == ErrorIds.CredentialTypeNotReadable)
            {
                // The protocol cannot return it (the cred shell's nRF modem backend): said in the message.
                why = ex.Message;
                return null;
            }
        }

        /// <summary>Reads one credential and checks its content against the digest the modem lists (see the class).</summary>
        public static CredentialEntry ReadVerified(ICredentialStore store, uint secTag, CredentialType type, IModemLog log, CancellationToken cancellationToken)
        {
            string? first = null;
            for (int attempt = 0; ; attempt++)
            {
                CredentialEntry entry = store.Read(secTag, type, log, cancellationToken);
                if (entry.Content is null)
                {
                    return entry;
                }

                string? listed = entry.Sha256 ?? store.List(secTag, type, log, cancellationToken).FirstOrDefault(e => e.SecTag == secTag && e.Type == type)?.Sha256;
                if (listed is null)
                {
                    log.Verbose("The firmware lists no real digest for the " + CredentialRules.Describe(type) + " at sec_tag " + secTag + ", so its content read back cannot be checked.");
                    return entry;
                }

                string? stored = MatchingForm(store, entry.Content, listed, type);
                if (stored is not null)
                {
                    return new CredentialEntry(entry.SecTag, entry.Type, listed, false, stored);
                }

                string read = store.DigestOf(entry.Content, type);
                if (attempt == 1)
                {
                    throw Mismatch(store, secTag, type, listed, first!, read);
                }

                first = read;
                log.Verbose("The content read back from the " + CredentialRules.Describe(type) + " at sec_tag " + secTag + " hashes to " + read
                    + ", not to the listed " + listed + " (noise on the line?); reading it again.");
            }
        }

        /// <summary>
        /// Checks a public key read with %XPMNG against the digest the modem lists for its slot
        /// (type 5); true when they agree or the firmware lists no real digest.
        /// </summary>
        public static bool MatchesListedDigest(ICredentialStore store, uint slot, string content, IModemLog log, CancellationToken cancellationToken, out string? listed)
        {
            listed = store.List(slot, CredentialType.PublicKey, log, cancellationToken).FirstOrDefault(e => e.SecTag == slot && e.Type == CredentialType.PublicKey)?.Sha256;
            return listed is null || MatchingForm(store, content, listed, CredentialType.PublicKey) is not null;
        }

        /// <summary>The error for content that twice did not match the listed digest.</summary>
        public static ModemException Mismatch(ICredentialStore store, uint secTag, CredentialType type, string listed, string first, string second) =>
            new ModemException(ErrorIds.CredentialReadBackMismatch, ModemErrorCategory.InvalidData,
                "The " + CredentialRules.Describe(type) + " at sec_tag " + secTag + " on " + store.Location + " was read twice and neither read matches the SHA-256 the modem lists ("
                + listed + "; the reads hash to " + first + " and " + second + "): something on the line changed the reply. No content is returned.",
                "The stored credential is not affected. Read it again when the line is quiet: turn off application logging on the AT UART, close other programs that use the port, check the cable.");

        /// <summary>The content in the form whose digest the modem lists (as read, or a line-ending form of it), or null.</summary>
        private static string? MatchingForm(ICredentialStore store, string content, string listed, CredentialType type)
        {
            if (store.IsDigestOf(listed, content, type))
            {
                return content;
            }

            DigestVariantReport report = CredentialContent.DigestVariants(content, listed, c => store.DigestOf(c, type), c => store.IsDigestOf(listed, c, type));
            return report.MatchedVariant is DigestVariant variant
                ? report.Candidates.FirstOrDefault(c => c.Variant == variant)?.Content
                : null;
        }
    }
}
