namespace Nrf91Cmng.Simulator
{
    /// <summary>One slot of a backend's table (<c>struct tls_credential</c>).</summary>
    internal sealed class TlsCredentialEntry
    {
        public TlsCredentialEntry(int tag, int type, byte[]? data, object? reference)
        {
            Tag = tag;
            Type = type;
            Data = data;
            Reference = reference;
        }

        public int Tag { get; }

        public int Type { get; }

        /// <summary>The stored bytes (null: the nRF modem backend's boot entries, read from the modem).</summary>
        public byte[]? Data { get; }

        /// <summary><c>cred-&gt;buf</c> as an identity (a heap copy, the shell's buffer, the modem backend's workaround byte).</summary>
        public object? Reference { get; set; }

        public int Length => Data?.Length ?? 0;
    }

    /// <summary>A TLS credentials backend: the table walked by <c>credential_next_tag_get</c>/<c>credential_next_get</c> and the add/delete/get/digest calls.</summary>
    internal abstract class TlsCredentialStore
    {
        protected const int ENOENT = 2;
        protected const int EIO = 5;
        protected const int ENOMEM = 12;
        protected const int EEXIST = 17;
        protected const int EINVAL = 22;
        protected const int EFBIG = 27;
        protected const int ENOTSUP = 134;

        protected TlsCredentialStore(int size)
        {
            Slots = new TlsCredentialEntry?[size];
        }

        protected TlsCredentialEntry?[] Slots { get; }

        /// <summary>The table, slot by slot (empty slots null).</summary>
        public IReadOnlyList<TlsCredentialEntry?> Table => Slots;

        public TlsCredentialEntry? Get(int tag, int type)
        {
            foreach (TlsCredentialEntry? slot in Slots)
            {
                if (slot is not null && slot.Type == type && slot.Tag == tag)
                {
                    return slot;
                }
            }

            return null;
        }

        /// <summary>credential_next_get: the next slot (in slot order) holding <paramref name="tag"/>.</summary>
        public TlsCredentialEntry? Next(int tag, TlsCredentialEntry? iterator)
        {
            int start = iterator is null ? 0 : Array.IndexOf(Slots, iterator) + 1;
            for (int i = start; i < Slots.Length; i++)
            {
                if (Slots[i] is TlsCredentialEntry slot && slot.Tag == tag)
                {
                    return slot;
                }
            }

            return null;
        }

        /// <summary>credential_next_tag_get: the lowest tag (as a signed int) above <paramref name="iterator"/>; -1 = none.</summary>
        public int NextTag(int iterator)
        {
            int lowest = CredShell.SecTagNone;
            foreach (TlsCredentialEntry? slot in Slots)
            {
                if (slot is null || (slot.Tag <= iterator && iterator != CredShell.SecTagNone))
                {
                    continue;
                }

                if (lowest == CredShell.SecTagNone || slot.Tag < lowest)
                {
                    lowest = slot.Tag;
                }
            }

            return lowest;
        }

        public abstract int Add(ShellContext context, int tag, int type, byte[] data, object reference);

        public abstract int Delete(ShellContext context, int tag, int type);

        /// <summary>tls_credential_get into <paramref name="destination"/>; <paramref name="length"/> in: room, out: bytes.</summary>
        public virtual int Read(ShellContext context, int tag, int type, byte[] destination, ref int length)
        {
            int err = Find(tag, type, length, out TlsCredentialEntry? credential);
            if (err != 0)
            {
                return err;
            }

            Array.Copy(credential!.Data!, destination, credential.Length);
            length = credential.Length;
            return 0;
        }

        /// <summary>The lookup of tls_credential_get: -ENOENT when nothing is stored, -EFBIG when it does not fit in <paramref name="room"/> bytes, else 0.</summary>
        protected int Find(int tag, int type, int room, out TlsCredentialEntry? credential)
        {
            credential = Get(tag, type);
            return credential is null ? -ENOENT : credential.Length > room ? -EFBIG : 0;
        }

        /// <summary>credential_digest: base64 of the SHA-256 of the stored bytes.</summary>
        public virtual int Digest(ShellContext context, TlsCredentialEntry credential, out string digest)
        {
            digest = CredShell.Sha256Base64(credential.Data ?? Array.Empty<byte>());
            return 0;
        }

        /// <summary>tls_credential_expiry (upstream): the notAfter of a certificate (PEM with or without its NUL, or DER); inferred for every backend.</summary>
        public virtual int Expiry(int tag, int type, out DateTimeOffset expiry)
        {
            expiry = default;
            TlsCredentialEntry? credential = Get(tag, type);
            if (credential?.Data is null)
            {
                return -ENOENT;
            }

            try
            {
                byte[] data = credential.Data;
                int length = data.Length > 0 && data[data.Length - 1] == 0 ? data.Length - 1 : data.Length;
                var bytes = new byte[length];
                Array.Copy(data, bytes, length);
                var certificate = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(bytes);
                if (certificate is null)
                {
                    return -EINVAL;
                }

                expiry = new DateTimeOffset(DateTime.SpecifyKind(certificate.NotAfter.ToUniversalTime(), DateTimeKind.Utc));
                return 0;
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                return -EINVAL;
            }
        }

        public virtual void OnBoot(IShellModem modem)
        {
        }

        /// <summary>A board reset (RAM lost).</summary>
        public virtual void Reset()
        {
        }

        protected int FreeSlot() => Array.IndexOf(Slots, null);

        /// <summary>
        /// The checks every backend's add starts with, and the slot the new (tag, type) goes to:
        /// -EINVAL for TLS_CREDENTIAL_NONE, -EEXIST when it is already stored, -ENOMEM when the table is full, else 0.
        /// </summary>
        protected int ReserveSlot(int tag, int type, out int slot)
        {
            slot = -1;
            if (type == CredShell.TypeNone)
            {
                return -EINVAL;
            }

            if (Get(tag, type) is not null)
            {
                return -EEXIST;
            }

            slot = FreeSlot();
            return slot < 0 ? -ENOMEM : 0;
        }

        /// <summary>Empties the slot of (tag, type): 0, or -ENOENT when there is none.</summary>
        protected int FreeEntry(int tag, int type)
        {
            TlsCredentialEntry? credential = Get(tag, type);
            if (credential is null)
            {
                return -ENOENT;
            }

            Slots[Array.IndexOf(Slots, credential)] = null;
            return 0;
        }
    }

    /// <summary>Zephyr's volatile backend (<c>tls_credentials.c</c>): a RAM table of references; lost on reset.</summary>
    internal sealed class VolatileCredentialStore : TlsCredentialStore
    {
        public VolatileCredentialStore(int size)
            : base(size)
        {
        }

        public override int Add(ShellContext context, int tag, int type, byte[] data, object reference)
        {
            int err = ReserveSlot(tag, type, out int slot);
            if (err != 0)
            {
                return err;
            }

            Slots[slot] = new TlsCredentialEntry(tag, type, data, reference);
            return 0;
        }

        public override int Delete(ShellContext context, int tag, int type) => FreeEntry(tag, type);

        public override void Reset() => Array.Clear(Slots, 0, Slots.Length);
    }

    /// <summary>
    /// PSA protected storage (<c>tls_credentials_trusted.c</c>): one PS object per credential and a
    /// table of contents; survives resets. A credential above the TF-M PS asset size fails with -EIO
    /// (unconfirmed; 2048 bytes assumed).
    /// </summary>
    internal sealed class PsaCredentialStore : TlsCredentialStore
    {
        public const int MaxAssetSize = 2048;

        public PsaCredentialStore(int size)
            : base(size)
        {
        }

        public override int Add(ShellContext context, int tag, int type, byte[] data, object reference)
        {
            if (tag == CredShell.SecTagNone && type == 0xFFFF)
            {
                return -EINVAL;
            }

            int err = ReserveSlot(tag, type, out int slot);
            if (err != 0)
            {
                return err;
            }

            if (data.Length > MaxAssetSize)
            {
                return -EIO;
            }

            Slots[slot] = new TlsCredentialEntry(tag, type, (byte[])data.Clone(), null);
            return 0;
        }

        public override int Delete(ShellContext context, int tag, int type) => FreeEntry(tag, type);
    }
}
