namespace Nrf91Cmng.Simulator
{
    // The cred subcommands (buf, add, del, get, exp, list) as tls_credentials_shell.c runs them.
    internal sealed partial class CredShell
    {
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
    }
}
