using Nrf91Cmng.Core.Credentials;

namespace Nrf91Cmng.Simulator
{
    /// <content>The credential store: keys, entries, capacity, the list as <c>%CMNG=1</c> shows it, and direct access for tests.</content>
    public sealed partial class VirtualModem
    {
        private readonly SortedDictionary<CredentialKey, StoredCredential> _store = new SortedDictionary<CredentialKey, StoredCredential>();
        private readonly int _maxCredentials;
        private readonly int _storageBytes;

        /// <summary>The store as <c>AT%CMNG=1</c> lists it: user entries by tag then type, then the modem's own.</summary>
        public IReadOnlyList<VirtualCredential> Credentials
        {
            get
            {
                lock (_gate)
                {
                    return ListCredentials(null, null);
                }
            }
        }

        /// <summary>The stored bytes of (<paramref name="secTag"/>, <paramref name="type"/>) exactly as written; null when absent.</summary>
        public byte[]? GetStoredBytes(uint secTag, int type)
        {
            lock (_gate)
            {
                return _store.TryGetValue(new CredentialKey(secTag, type), out StoredCredential? entry) ? (byte[])entry.Content.Clone() : null;
            }
        }

        /// <summary>
        /// What the TLS credentials shell's backend holds at a sec_tag and an AT type (0 CA, 1 client
        /// certificate, 2 private key, 3 PSK, 4 PSK identity; <c>cred</c> types 1-5), or null: the bytes
        /// <c>cred add</c> stored on the volatile and PSA backends (a <c>bint</c> PEM with its NUL); on the
        /// nRF modem backend the modem's own store (<see cref="GetStoredBytes"/>), where it keeps them.
        /// Null for a console without <c>cred</c>.
        /// </summary>
        public byte[]? GetShellCredentialBytes(uint secTag, int type)
        {
            lock (_gate)
            {
                CredShell? cred = Shell?.Cred;
                if (cred is null)
                {
                    return null;
                }

                if (cred.Store is ModemCredentialStore)
                {
                    return cred.Store.Get(unchecked((int)secTag), type + 1) is null ? null : GetStoredBytes(secTag, type);
                }

                return (byte[]?)cred.Store.Get(unchecked((int)secTag), type + 1)?.Data?.Clone();
            }
        }

        /// <summary>
        /// Puts bytes into the store without any check (capacity, access, state), replacing an entry.
        /// <paramref name="digest"/> overrides the digest the list shows (64 hex digits), e.g. to
        /// replay SDK test data; by default it is the SHA-256 of <paramref name="content"/>.
        /// </summary>
        public void Preload(uint secTag, int type, byte[] content, string? digest = null)
        {
            if (content is null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            if (digest is not null && (digest.Length != 64 || !digest.All(Uri.IsHexDigit)))
            {
                throw new ArgumentException("A digest is 64 hexadecimal digits.", nameof(digest));
            }

            lock (_gate)
            {
                _store[new CredentialKey(secTag, type)] = new StoredCredential((byte[])content.Clone(), digest?.ToUpperInvariant(), CredentialOrigin.Preloaded);
            }
        }

        /// <summary>Removes an entry without any check; true when it existed.</summary>
        public bool Remove(uint secTag, int type)
        {
            lock (_gate)
            {
                return _store.Remove(new CredentialKey(secTag, type));
            }
        }

        /// <summary>Empties the credential store (the factory public key of 0.7.0 included).</summary>
        public void ClearCredentials()
        {
            lock (_gate)
            {
                _store.Clear();
            }
        }

        private readonly struct CredentialKey : IComparable<CredentialKey>, IEquatable<CredentialKey>
        {
            public CredentialKey(uint tag, int type)
            {
                Tag = tag;
                Type = type;
            }

            public uint Tag { get; }

            public int Type { get; }

            public int CompareTo(CredentialKey other) =>
                Tag != other.Tag ? Tag.CompareTo(other.Tag) : Type.CompareTo(other.Type);

            public bool Equals(CredentialKey other) => Tag == other.Tag && Type == other.Type;

            public override bool Equals(object? obj) => obj is CredentialKey other && Equals(other);

            public override int GetHashCode() => unchecked(((int)Tag * 31) + Type);
        }

        private sealed class StoredCredential
        {
            public StoredCredential(byte[] content, string? digest, CredentialOrigin origin)
            {
                Content = content;
                Sha256 = digest ?? CredentialContent.ComputeDigest(content);
                Origin = origin;
            }

            public byte[] Content { get; }

            public string Sha256 { get; }

            public CredentialOrigin Origin { get; }
        }

        private const uint HighestUserTag = 2147483647;
        private const uint DecryptTagFirst = 2147483648;
        private const uint DecryptTagLast = 2147483667;

        /// <summary>The modem's own entries, in the order the SDK's test data lists them (TV-4).</summary>
        private static readonly VirtualCredential[] s_modemOwned =
        {
            new VirtualCredential(4294967293, 10, "2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1", "2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1", 0, CredentialOrigin.ModemOwned),
            new VirtualCredential(4294967294, 6, "A3CC4121A62D4BB103AE92F70A77A456886AE3CD5B2D156A200A1B90D9E92E05", "A3CC4121A62D4BB103AE92F70A77A456886AE3CD5B2D156A200A1B90D9E92E05", 0, CredentialOrigin.ModemOwned),
            new VirtualCredential(4294967292, 11, "2027C4699EAA90A414D33FA81B975C0FDEDEFB04A19CEA1ED43A8876CAD31E89", "2027C4699EAA90A414D33FA81B975C0FDEDEFB04A19CEA1ED43A8876CAD31E89", 0, CredentialOrigin.ModemOwned),
        };

        private bool IsUserTag(uint tag) =>
            tag <= HighestUserTag || (Profile.AllowsTlsDecryptTags && tag >= DecryptTagFirst && tag <= DecryptTagLast);

        private static bool IsModemOwnedType(int type) => type == 6 || type == 7 || type == 10 || type == 11;

        /// <summary>The list: user entries by tag then type, then the modem's own (SDK order), filtered.</summary>
        private VirtualCredential[] ListCredentials(uint? tag, int? type)
        {
            var result = new List<VirtualCredential>();
            foreach (KeyValuePair<CredentialKey, StoredCredential> entry in _store)
            {
                if ((tag is null || entry.Key.Tag == tag) && (type is null || entry.Key.Type == type))
                {
                    result.Add(new VirtualCredential(entry.Key.Tag, entry.Key.Type, ListedDigest(entry.Key.Type, entry.Value.Sha256),
                        entry.Value.Sha256, entry.Value.Content.Length, entry.Value.Origin));
                }
            }

            if (Profile.HasModemOwnedCredentials)
            {
                foreach (VirtualCredential owned in s_modemOwned)
                {
                    if ((tag is null || owned.SecTag == tag) && (type is null || owned.Type == type)
                        && !_store.ContainsKey(new CredentialKey(owned.SecTag, owned.Type)))
                    {
                        result.Add(owned);
                    }
                }
            }

            return result.ToArray();
        }

        private string ListedDigest(int type, string sha256) =>
            Profile.PlaceholderDigests
                ? string.Concat(Enumerable.Repeat(((byte)type).ToString("X2", CultureInfo.InvariantCulture), 32))
                : sha256;

        private bool HasRoomFor(CredentialKey key, int size)
        {
            int count = 0;
            long bytes = 0;
            foreach (KeyValuePair<CredentialKey, StoredCredential> entry in _store)
            {
                if (entry.Value.Origin == CredentialOrigin.Factory || entry.Key.Equals(key))
                {
                    continue;
                }

                count++;
                bytes += entry.Value.Content.Length;
            }

            return count + 1 <= _maxCredentials && bytes + size <= _storageBytes;
        }
    }
}
