using System;
using System.Collections.Generic;
using System.Threading;
using Nrf91Cmng.Core.Logging;
using Nrf91Cmng.Core.Modem;

namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>
    /// A modem's credential store as one protocol reaches it: the command interface between the
    /// transport and the credential operations (install, remove, verify, provision). The AT console's
    /// <c>AT%CMNG</c> is one implementation (<see cref="AtCredentialStore"/>); a second protocol (the
    /// Zephyr TLS Credentials shell) is another. Digests are always uppercase hex SHA-256 of the
    /// bytes the store holds.
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

        /// <summary>The digest the store will list after <paramref name="content"/> is written through it.</summary>
        string DigestAfterWrite(string content);

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
