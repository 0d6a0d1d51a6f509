using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;

namespace Nrf91Cmng.Simulator
{
    /// <summary>
    /// Zephyr's <c>subsys/net/lib/tls_credentials/tls_credentials_shell.c</c> (NCS fork or upstream):
    /// the credential buffer, <c>cred buf|add|del|get|list</c> (and upstream <c>buf load</c>,
    /// <c>expiry</c>) with every message and return value, over one of three backends.
    /// </summary>
    internal sealed class CredShell
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

        // ---- commands ----
        private int Buf(ShellContext context, IReadOnlyList<string> argv)
        {
            if (!_upstream && argv[1] == "clear")
            {
                ClearWithMessage(context);
                return 0;
            }

            return WriteWithMessage(context, argv[1]);
        }

        private int BufClear(ShellContext context, IReadOnlyList<string> argv)
        {
            ClearBuffer();
            context.Print("Credential buffer cleared.\n");
            return 0;
        }

        private int BufLoad(ShellContext context, IReadOnlyList<string> argv)
        {
            ClearWithMessage(context);
            context.Print("Input credential, finish with CTRL+C.\n");
            _bypass = true;
            _bypassGroup.Clear();
            return 0;
        }

        /// <summary>
        /// One byte in <c>buf load</c> mode. The shell reads the UART 16 bytes at a time and hands
        /// each read to the bypass callback: bytes are stored a read at a time, Ctrl-C ends the mode
        /// and the rest of that read is lost. Returns true when the mode ended (the prompt follows).
        /// </summary>
        public bool FeedBypass(byte b, ShellWriter w)
        {
            if (b == CtrlC)
            {
                _discard = 15 - _bypassGroup.Count; // the rest of this 16-byte read
                return FlushBypass(w, terminate: true);
            }

            _bypassGroup.Add(b);
            return _bypassGroup.Count == 16 && FlushBypass(w, terminate: false);
        }

        /// <summary>A read ends with the bytes that had arrived: flush the bypass group; forget the discard budget.</summary>
        public bool EndOfChunk(ShellWriter w)
        {
            _discard = 0;
            return _bypass && _bypassGroup.Count > 0 && FlushBypass(w, terminate: false);
        }

        /// <summary>Bytes after Ctrl-C in the same read are lost (the caller asks before feeding a byte).</summary>
        public bool DiscardNext()
        {
            if (_discard <= 0)
            {
                return false;
            }

            _discard--;
            return true;
        }

        private bool FlushBypass(ShellWriter w, bool terminate)
        {
            var context = new ShellContext(null!, w, null);
            int result = BufferWrite(_bypassGroup);
            _bypassGroup.Clear();
            if (result == -ENOMEM)
            {
                _bypass = false;
                context.Error("Not enough room in credential buffer for provided data. Increase CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE.\n");
                ClearWithMessage(context);
                return true;
            }

            if (terminate)
            {
                _bypass = false;
                context.Print("Stored " + _written.ToString(CultureInfo.InvariantCulture) + " bytes.\n");
                return true;
            }

            return false;
        }

        private int Add(ShellContext context, IReadOnlyList<string> argv)
        {
            object? copy = null;
            int refSlot = -1;
            int err = Add(context, argv, ref copy, ref refSlot, out int length);
            ClearWithMessage(context); // cleanup: always
            if (copy is not null)
            {
                if (err == 0)
                {
                    _refs[refSlot] = copy;
                }
                else
                {
                    HeapUsed -= HeapChunk(length);
                }
            }

            return err;
        }

        private int Add(ShellContext context, IReadOnlyList<string> argv, ref object? copy, ref int refSlot, out int length)
        {
            length = 0;
            int err = ParseTarget(context, argv, out int secTag, out int type);
            if (err != 0)
            {
                return err;
            }

            err = ParseBackend(context, argv[3]);
            if (err != 0)
            {
                return err;
            }

            err = ParseFormat(context, argv[4], out bool binary, out bool terminated);
            if (err != 0)
            {
                return err;
            }

            if (argv.Count == 6)
            {
                ClearWithMessage(context);
                err = WriteWithMessage(context, argv[5]);
                if (err != 0)
                {
                    return err;
                }
            }

            if (_written == 0)
            {
                context.Error("Please provide a credential to add.\n");
                return -ENOENT;
            }

            if (Store.Get(secTag, type) is not null)
            {
                context.Error("TLS credential with sectag " + Tag(secTag) + " and type " + TypeName(type) + " already exists.\n");
                return -EEXIST;
            }

            if (binary)
            {
                // base64_decode in place (dlen = sizeof(cred_buf) - 1, always enough).
                err = ZephyrBase64.Decode(_buf, _written, out byte[] decoded);
                if (err != 0)
                {
                    context.Error("Could not decode input from base64, error: " + err.ToString(CultureInfo.InvariantCulture) + "\n");
                    return -EINVAL;
                }

                Array.Copy(decoded, _buf, decoded.Length);
                _written = decoded.Length;
            }

            if (terminated)
            {
                _buf[_written] = 0;
                _written += 1;
            }

            length = _written;
            var data = new byte[_written];
            Array.Copy(_buf, data, _written);
            object reference = this; // the shell's own buffer
            if (Store is VolatileCredentialStore)
            {
                refSlot = Array.IndexOf(_refs, null);
                if (refSlot < 0)
                {
                    context.Error("No reference slot available, cannot copy credential to heap. Credential will not be stored\n");
                    return -ENOMEM;
                }

                int chunk = HeapChunk(_written);
                if (HeapUsed + chunk > _settings.CredentialHeapSize)
                {
                    context.Error("Not enough heap for TLS credential of size " + _written.ToString(CultureInfo.InvariantCulture) + ".\n");
                    return -ENOMEM;
                }

                HeapUsed += chunk;
                copy = new object();
                reference = copy;
                context.Warn("Credential has been copied to heap. Memory will be leaked if this credential is deleted without using the shell.\n");
            }

            err = Store.Add(context, secTag, type, data, reference);
            if (err != 0)
            {
                context.Error("Failed to add TLS credential with sectag " + Tag(secTag) + " and type " + TypeName(type) + ". Error: " + err.ToString(CultureInfo.InvariantCulture) + "\n.");
                return err;
            }

            context.Print("Added TLS credential of type " + TypeName(type) + ", sectag " + Tag(secTag) + ", and length " + _written.ToString(CultureInfo.InvariantCulture) + " bytes.\n");
            return 0;
        }

        /// <summary>k_malloc from the system heap: an 8-byte k_malloc header, 8-byte chunk units and an 8-byte chunk header (inferred overhead).</summary>
        private static int HeapChunk(int size) => ((size + 8 + 7) / 8 * 8) + 8;

        private int Delete(ShellContext context, IReadOnlyList<string> argv)
        {
            int err = ParseTarget(context, argv, out int secTag, out int type);
            if (err != 0)
            {
                return err;
            }

            TlsCredentialEntry? credential = Store.Get(secTag, type);
            if (credential is null)
            {
                context.Error("There is no TLS credential with sectag " + Tag(secTag) + " and type " + TypeName(type) + ".\n");
                return -ENOENT;
            }

            int refSlot = credential.Reference is null ? -1 : Array.IndexOf(_refs, credential.Reference);
            if (refSlot >= 0)
            {
                HeapUsed -= HeapChunk(credential.Length);
                credential.Reference = null;
                _refs[refSlot] = null;
                context.Print("Stored credential freed.\n");
            }

            err = Store.Delete(context, secTag, type);
            if (err != 0)
            {
                context.Error("Deleting TLS credential with sectag " + Tag(secTag) + " and type " + TypeName(type) + " failed with error: " + err.ToString(CultureInfo.InvariantCulture) + ".\n");
                return err;
            }

            context.Print("Deleted TLS credential with sectag " + Tag(secTag) + " and type " + TypeName(type) + ".\n");
            return 0;
        }

        private int Get(ShellContext context, IReadOnlyList<string> argv)
        {
            int err = GetInner(context, argv);
            ClearWithMessage(context);
            return err;
        }

        private int GetInner(ShellContext context, IReadOnlyList<string> argv)
        {
            int err = ParseTarget(context, argv, out int secTag, out int type);
            if (err != 0)
            {
                return err;
            }

            err = ParseFormat(context, argv[3], out bool binary, out bool terminated);
            if (err != 0)
            {
                return err;
            }

            const int outputWidth = 32; // CONFIG_TLS_CREDENTIALS_SHELL_CRED_OUTPUT_WIDTH
            int lineLength = binary ? outputWidth / 4 * 3 : outputWidth;
            if (Store.Get(secTag, type) is null)
            {
                context.Error("There is no TLS credential with sectag " + Tag(secTag) + " and type " + TypeName(type) + ".\n");
                return -ENOENT;
            }

            ClearWithMessage(context);
            int length = _buf.Length;
            err = Store.Read(context, secTag, type, _buf, ref length);
            if (err == -27)
            {
                context.Error("Not enough room in the credential buffer to retrieve credential with sectag " + Tag(secTag) + " and type " + TypeName(type) + ". Increase TLS_CREDENTIALS_SHELL_MAX_CRED_LEN.\n");
                return -ENOMEM;
            }

            if (err != 0)
            {
                context.Error("Could not retrieve TLS credential with sectag " + Tag(secTag) + " and type " + TypeName(type) + " due to error: " + err.ToString(CultureInfo.InvariantCulture) + ".\n");
                return err;
            }

            _written = length;
            if (terminated)
            {
                if (_written == 0 || _buf[_written - 1] != 0)
                {
                    context.Error("The stored credential isn't NULL-terminated, but a NULL-terminated format was specified.\n");
                    return -EINVAL;
                }

                _written -= 1;
            }

            for (int i = 0; i < _written; i += lineLength)
            {
                int remaining = Math.Min(lineLength, _written - i);
                if (binary)
                {
                    context.Print(ZephyrBase64.Encode(_buf, i, remaining) + "\n");
                    continue;
                }

                var line = new char[remaining];
                for (int k = 0; k < remaining; k++)
                {
                    byte c = _buf[i + k];
                    if (c < 0x20 || c > 0x7E)
                    {
                        c = (byte)'?';
                        err = -EBADF;
                    }

                    line[k] = (char)c;
                }

                // "%s": a printed C string; a NUL became '?' above, so nothing is cut.
                context.Print(new string(line) + "\n");
            }

            if (err != 0)
            {
                context.Warn("Non-printable characters were included in the output and filtered. Have you selected the correct storage format?\n");
            }

            return err;
        }

        private int Expiry(ShellContext context, IReadOnlyList<string> argv)
        {
            int err = ParseTarget(context, argv, out int secTag, out int type);
            if (err != 0)
            {
                return err;
            }

            err = Store.Expiry(secTag, type, out DateTimeOffset expiry);
            if (err != 0)
            {
                context.Error("Could not retrieve expiry for TLS credential with sectag " + Tag(secTag) + " and type " + TypeName(type) + " due to error: " + err.ToString(CultureInfo.InvariantCulture) + ".\n");
                return err;
            }

            context.Print("Expiry for TLS credential with sectag " + Tag(secTag) + " and type " + TypeName(type) + " is "
                + expiry.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " (" + expiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ").\n");
            return 0;
        }

        private int List(ShellContext context, IReadOnlyList<string> argv)
        {
            int tagFilter = SecTagNone;
            int typeFilter = TypeNone;
            if (argv.Count >= 2 && ParseSecTag(context, argv[1], out tagFilter, true) != 0)
            {
                return 0;
            }

            if (argv.Count >= 3 && ParseType(context, argv[2], out typeFilter, true) != 0)
            {
                return 0;
            }

            int count = 0;
            int secTag = SecTagNone;
            while ((secTag = Store.NextTag(secTag)) != SecTagNone)
            {
                if (tagFilter != SecTagNone && secTag != tagFilter)
                {
                    continue;
                }

                TlsCredentialEntry? credential = null;
                while ((credential = Store.Next(secTag, credential)) is not null)
                {
                    if (typeFilter != TypeNone && credential.Type != typeFilter)
                    {
                        continue;
                    }

                    count++;
                    int err = Store.Digest(context, credential, out string digest);
                    string line = Tag(secTag) + "," + CompactTypeName(credential.Type) + "," + (err != 0 ? "ERROR" : digest) + "," + err.ToString(CultureInfo.InvariantCulture) + "\n";
                    context.Out.Print(err != 0 ? ShellColor.Red : ShellColor.Normal, line);
                }
            }

            context.Print(count.ToString(CultureInfo.InvariantCulture) + " credentials found.\n");
            return 0;
        }

        internal static string Sha256Base64(byte[] data)
        {
            using (SHA256 sha = SHA256.Create())
            {
                return Convert.ToBase64String(sha.ComputeHash(data));
            }
        }
    }
}
