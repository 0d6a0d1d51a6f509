using System.Security.Cryptography;

namespace Nrf91Cmng.Simulator
{
    /// <summary>
    /// Zephyr's <c>subsys/net/lib/tls_credentials/tls_credentials_shell.c</c> (NCS fork or upstream):
    /// the credential buffer, <c>cred buf|add|del|get|list</c> (and upstream <c>buf load</c>,
    /// <c>expiry</c>) with every message and return value, over one of three backends.
    /// </summary>
    internal sealed partial class CredShell
    {
        public const int TypeNone = 0;
        public const int TypeCa = 1;
        public const int TypeServer = 2;
        public const int TypePrivateKey = 3;
        public const int TypePsk = 4;
        public const int TypePskId = 5;

        /// <summary><c>TLS_CREDENTIAL_PRIVATE_KEY_PSA</c>; its number is unconfirmed (it only orders nothing: the list is in slot order).</summary>
        public const int TypePrivateKeyPsa = 6;

        /// <summary><c>TLS_SEC_TAG_NONE</c>.</summary>
        public const int SecTagNone = -1;

        private const int ENOENT = 2;
        private const int EBADF = 9;
        private const int ENOMEM = 12;
        private const int EEXIST = 17;
        private const int EINVAL = 22;
        private const int ERANGE = 34;
        private const int CtrlC = 0x03;

        private readonly ShellSettings _settings;
        private readonly bool _upstream;
        private readonly (string Name, int Type)[] _types;
        private readonly byte[] _buf;
        private readonly object?[] _refs;
        private readonly List<byte> _bypassGroup = new List<byte>();
        private int _written;
        private bool _bypass;
        private int _discard;

        public CredShell(ShellSettings settings)
        {
            _settings = settings;
            _upstream = settings.Variant == CredShellVariant.Upstream;
            var types = new List<(string, int)>
            {
                ("CA_CERT", TypeCa), ("CA", TypeCa),
                ("SERVER_CERT", TypeServer), ("CLIENT_CERT", TypeServer), ("SELF_CERT", TypeServer), ("SELF", TypeServer), ("CLIENT", TypeServer), ("SERV", TypeServer),
                ("PRIVATE_KEY", TypePrivateKey), ("PK", TypePrivateKey),
            };
            if (_upstream)
            {
                types.Add(("PRIVATE_KEY_PSA", TypePrivateKeyPsa));
                types.Add(("PK_PSA", TypePrivateKeyPsa));
            }

            types.AddRange(new[] { ("PRE_SHARED_KEY", TypePsk), ("PSK", TypePsk), ("PRE_SHARED_KEY_ID", TypePskId), ("PSK_ID", TypePskId) });
            _types = types.ToArray();
            _buf = new byte[settings.CredentialBufferSize + 1];
            _refs = new object?[settings.CredentialTableSize];
            Store = settings.Backend switch
            {
                TlsCredentialBackend.Volatile => new VolatileCredentialStore(settings.CredentialTableSize),
                TlsCredentialBackend.Psa => new PsaCredentialStore(settings.CredentialTableSize),
                _ => new ModemCredentialStore(settings.CredentialTableSize, this),
            };
            Command = BuildCommand();
        }

        public ShellCommand Command { get; }

        /// <summary>The backend (its table is what <c>cred list</c> walks).</summary>
        public TlsCredentialStore Store { get; }

        /// <summary>Characters in the credential buffer.</summary>
        public int Buffered => _written;

        /// <summary>True while upstream <c>cred buf load</c> takes raw input.</summary>
        public bool InBypass => _bypass;

        /// <summary>Bytes the volatile backend's copies take from the heap (allocator overhead included).</summary>
        public int HeapUsed { get; private set; }

        /// <summary>The live credential buffer (the modem backend keeps a pointer to it).</summary>
        internal byte[] Buffer => _buf;

        public void OnBoot(IShellModem modem) => Store.OnBoot(modem);

        /// <summary>A reset: RAM is gone (buffer, volatile table, heap copies); protected storage and the modem keep theirs.</summary>
        public void Reset()
        {
            Array.Clear(_buf, 0, _buf.Length);
            _written = 0;
            _bypass = false;
            _bypassGroup.Clear();
            _discard = 0;
            Array.Clear(_refs, 0, _refs.Length);
            HeapUsed = 0;
            Store.Reset();
        }

        public string TypeName(int type)
        {
            foreach ((string name, int t) in _types)
            {
                if (t == type)
                {
                    return name;
                }
            }

            return "INVALID";
        }

        public string CompactTypeName(int type)
        {
            for (int i = _types.Length - 1; i >= 0; i--)
            {
                if (_types[i].Type == type)
                {
                    return _types[i].Name;
                }
            }

            return "INV";
        }

        private ShellCommand BuildCommand()
        {
            var buf = _upstream
                ? new ShellCommand("buf", "Buffer in credential data so it can be added.", Buf, 2, 0,
                    new ShellCommand("clear", "Clear the credential buffer", BufClear),
                    new ShellCommand("load", "Load credential directly to buffer so it can be added.", BufLoad))
                : new ShellCommand("buf", "Buffer in credential data so it can be added.", Buf, 2, 0);
            var subcommands = new List<ShellCommand>
            {
                buf,
                new ShellCommand("add", "Add a TLS credential.", Add, 5, 1),
                new ShellCommand("del", "Delete a TLS credential.", Delete, 3, 0),
                new ShellCommand("get", "Retrieve the contents of a TLS credential", Get, 4, 0),
            };
            if (_upstream)
            {
                subcommands.Add(new ShellCommand("expiry", "Retrieve the expiry of a TLS credential", Expiry, 3, 0));
            }

            subcommands.Add(new ShellCommand("list", "List stored TLS credentials, optionally filtering by type or sectag.", List, 1, 2));
            return new ShellCommand("cred", "TLS Credentials Commands", null, 0, 0, subcommands.ToArray());
        }

        // ---- helpers of tls_credentials_shell.c ----
        private bool ClearBuffer()
        {
            bool cleared = _written != 0;
            Array.Clear(_buf, 0, _buf.Length);
            _written = 0;
            return cleared;
        }

        private void ClearWithMessage(ShellContext context)
        {
            if (ClearBuffer())
            {
                context.Print("Credential buffer cleared.\n");
            }
        }

        private int BufferWrite(IReadOnlyList<byte> chunk)
        {
            if (_written + chunk.Count >= _buf.Length - 1)
            {
                return -ENOMEM;
            }

            for (int i = 0; i < chunk.Count; i++)
            {
                _buf[_written + i] = chunk[i];
            }

            _written += chunk.Count;
            return chunk.Count;
        }

        private int WriteWithMessage(ShellContext context, string chunk)
        {
            int result = BufferWrite(Latin1(chunk));
            if (result == -ENOMEM)
            {
                context.Error("Not enough room in credential buffer for provided data. Increase CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE.\n");
                ClearWithMessage(context);
                return -ENOMEM;
            }

            context.Print("Stored " + result.ToString(CultureInfo.InvariantCulture) + " bytes.\n");
            return 0;
        }

        private static byte[] Latin1(string text)
        {
            var bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }

            return bytes;
        }

        // argv[1] and argv[2] of add, del, get and exp: one sec_tag and one type, "any" refused.
        private int ParseTarget(ShellContext context, IReadOnlyList<string> argv, out int secTag, out int type)
        {
            type = TypeNone;
            int err = ParseSecTag(context, argv[1], out secTag, false);
            return err != 0 ? err : ParseType(context, argv[2], out type, false);
        }

        private int ParseSecTag(ShellContext context, string arg, out int secTag, bool allowAny)
        {
            secTag = SecTagNone;
            if (allowAny && string.Equals(arg, "any", StringComparison.OrdinalIgnoreCase))
            {
                return 0;
            }

            int err = 0;
            bool numeric = true;
            foreach (char c in arg)
            {
                numeric &= c >= '0' && c <= '9';
            }

            if (!numeric || arg.Length == 0)
            {
                err = -EINVAL;
            }
            else
            {
                string digits = arg.TrimStart('0');
                if (digits.Length > 10 || (digits.Length == 10 && string.CompareOrdinal(digits, "4294967295") > 0))
                {
                    err = -ERANGE; // strtoul into a 32-bit unsigned long
                }
                else
                {
                    secTag = unchecked((int)uint.Parse(digits.Length == 0 ? "0" : digits, CultureInfo.InvariantCulture));
                    return 0;
                }
            }

            context.Error(arg + " is not a valid sectag.\n");
            return err;
        }

        private int ParseType(ShellContext context, string arg, out int type, bool allowAny)
        {
            type = TypeNone;
            if (allowAny && string.Equals(arg, "any", StringComparison.OrdinalIgnoreCase))
            {
                return 0;
            }

            foreach ((string name, int t) in _types)
            {
                if (string.Equals(arg, name, StringComparison.OrdinalIgnoreCase))
                {
                    type = t;
                    return 0;
                }
            }

            context.Error(arg + " is not a valid credential type.\n");
            return -EINVAL;
        }

        private static int ParseBackend(ShellContext context, string arg)
        {
            if (string.Equals(arg, "default", StringComparison.OrdinalIgnoreCase))
            {
                return 0;
            }

            context.Error(arg + " is not a valid backend.\n");
            return -EINVAL;
        }

        private static int ParseFormat(ShellContext context, string arg, out bool binary, out bool terminated)
        {
            binary = terminated = false;
            switch (arg.ToLowerInvariant())
            {
                case "bin":
                    binary = true;
                    return 0;
                case "bint":
                    binary = terminated = true;
                    return 0;
                case "str":
                    return 0;
                case "strt":
                    terminated = true;
                    return 0;
            }

            context.Error(arg + " is not a valid storage format.\n");
            return -EINVAL;
        }

        private static string Tag(int secTag) => secTag.ToString(CultureInfo.InvariantCulture);

        internal static string Sha256Base64(byte[] data)
        {
            using (SHA256 sha = SHA256.Create())
            {
                return Convert.ToBase64String(sha.ComputeHash(data));
            }
        }
    }
}
