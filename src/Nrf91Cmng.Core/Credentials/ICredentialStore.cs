namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>
    /// A modem's credential store as one protocol reaches it: the command interface between the
    /// transport and the credential operations (install, remove, verify, provision). The AT console's
    /// <c>AT%CMNG</c> (raw or through a shell's <c>at</c>) is one implementation
    /// (<see cref="AtCredentialStore"/>); the Zephyr TLS Credentials shell <c>cred</c> is another
    /// (<see cref="ShellCredentialStore"/>). Digests are always uppercase hex SHA-256 of the bytes the
    /// store holds; which bytes those are for a given text depends on the store (<see cref="DigestOf"/>).
    /// </summary>
    public interface ICredentialStore
    {
        /// <summary>Where the store is, for messages (the port name).</summary>
        string Location { get; }

        /// <summary>The firmware behind the store (digest form, type and sec_tag rules).</summary>
        FirmwareInfo Firmware { get; }

        /// <summary>The modem's functional mode, where this protocol reaches it; null where it does not.</summary>
        IFunctionalModeControl? FunctionalMode { get; }

        /// <summary>Lists what is stored, optionally at one sec_tag (and one type).</summary>
        IReadOnlyList<CredentialEntry> List(uint? secTag, CredentialType? type, IModemLog? log, CancellationToken cancellationToken);

        /// <summary>Reads one credential with its content, checked against the digest the store lists.</summary>
        CredentialEntry Read(uint secTag, CredentialType type, IModemLog? log, CancellationToken cancellationToken);

        /// <summary>Stores <paramref name="content"/>; <paramref name="replacing"/> says the slot holds another credential now.</summary>
        void Write(uint secTag, CredentialType type, string content, string? passphrase, bool replacing, IModemLog? log, CancellationToken cancellationToken);

        /// <summary>Deletes one credential.</summary>
        void Delete(uint secTag, CredentialType type, IModemLog? log, CancellationToken cancellationToken);

        /// <summary>The digest the store will list after <paramref name="content"/> (a PEM or text credential) is written through it.</summary>
        string DigestAfterWrite(string content);

        /// <summary>
        /// The text the store holds after <paramref name="content"/> is written through it: the content
        /// itself, except through a shell's <c>at</c>, which turns every line end into CR LF.
        /// </summary>
        string TextAfterWrite(string content);

        /// <summary>
        /// The digest the store lists for a credential of <paramref name="type"/> holding exactly
        /// <paramref name="text"/> (the text as <c>AT%CMNG=2</c> would return it): its SHA-256 for
        /// <c>AT%CMNG</c> and the nRF modem backend of <c>cred</c>; on the RAM and PSA backends of
        /// <c>cred</c> that of the bytes <c>cred add</c> stored (a PEM with its terminating NUL, a PSK as
        /// its key bytes). Where the backend is not known yet, the form of the raw backends.
        /// </summary>
        string DigestOf(string text, CredentialType type);

        /// <summary>
        /// True when <paramref name="listedSha256"/> is what this store lists for a credential of
        /// <paramref name="type"/> holding exactly <paramref name="text"/>. A store that does not know its
        /// backend yet accepts either backend's form and learns the backend from the match.
        /// </summary>
        bool IsDigestOf(string listedSha256, string text, CredentialType type);

        /// <summary>Holds the store for a multi-command operation so that no other thread interleaves commands.</summary>
        IDisposable Exclusive();

        /// <summary>As <see cref="Exclusive"/>, but gives up after <paramref name="timeout"/> (null: the store is busy).</summary>
        IDisposable? TryExclusive(TimeSpan timeout);
    }

    /// <summary>The functional mode (CFUN) of a modem, as credential changes need it.</summary>
    public interface IFunctionalModeControl
    {
        /// <summary>The mode as last read or set; null when unknown.</summary>
        int? KnownFunctionalMode { get; }

        /// <summary>True while commands can be sent (the line is in sync).</summary>
        bool IsUsable { get; }

        /// <summary>Reads the mode.</summary>
        int GetFunctionalMode(IModemLog? log, CancellationToken cancellationToken);

        /// <summary>Sets the mode.</summary>
        void SetFunctionalMode(int mode, IModemLog? log, CancellationToken cancellationToken);
    }
}
