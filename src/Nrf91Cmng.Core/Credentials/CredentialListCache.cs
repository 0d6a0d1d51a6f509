namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>
    /// The last full list of a store, for tab completion: read on demand, kept for a short while,
    /// and forgotten after every change (write, delete, key generation) so it never shows a
    /// sec_tag that is gone.
    /// </summary>
    public sealed class CredentialListCache
    {
        private readonly ICredentialStore _store;
        private readonly TimeSpan _maxAge;
        private IReadOnlyList<CredentialEntry>? _entries;
        private DateTime _readAt;

        /// <summary>Creates a cache of <paramref name="store"/>'s list.</summary>
        public CredentialListCache(ICredentialStore store, TimeSpan? maxAge = null)
        {
            _store = store;
            _maxAge = maxAge ?? TimeSpan.FromMinutes(1);
        }

        /// <summary>The list as last read, or null when none is current.</summary>
        public IReadOnlyList<CredentialEntry>? Current => _entries is not null && DateTime.UtcNow - _readAt < _maxAge ? _entries : null;

        /// <summary>Remembers a full list read by a command.</summary>
        public void Remember(IReadOnlyList<CredentialEntry> entries)
        {
            _entries = entries;
            _readAt = DateTime.UtcNow;
        }

        /// <summary>Forgets the list: the store changed.</summary>
        public void Invalidate() => _entries = null;

        /// <summary>
        /// The current list, or a new one read within <paramref name="timeout"/> when the store is
        /// free now; null when it is busy (a command is running) or the read fails.
        /// </summary>
        public IReadOnlyList<CredentialEntry>? GetOrRead(TimeSpan timeout)
        {
            IReadOnlyList<CredentialEntry>? current = Current;
            if (current is not null)
            {
                return current;
            }

            using (var cts = new CancellationTokenSource(timeout))
            using (IDisposable? held = _store.TryExclusive(TimeSpan.Zero))
            {
                if (held is null)
                {
                    return null;
                }

                try
                {
                    IReadOnlyList<CredentialEntry> entries = _store.List(null, null, NullModemLog.Instance, cts.Token);
                    Remember(entries);
                    return entries;
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is Errors.ModemException)
                {
                    return null;
                }
            }
        }
    }
}
