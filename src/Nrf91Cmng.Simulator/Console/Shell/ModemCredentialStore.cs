namespace Nrf91Cmng.Simulator
{
    /// <summary>
    /// NCS <c>tls_credentials_nrf_modem.c</c> over <c>modem_key_mgmt.c</c>: a RAM table filled at boot
    /// from <c>AT%CMNG=1</c> (types 0, 1, 2 below tag 2147483648), writes and deletes go to the modem
    /// with <c>+CMEE</c> turned on for the call, the digest is the modem's, CME errors become errno
    /// values with a <c>modem_key_mgmt</c> warning.
    /// </summary>
    internal sealed class ModemCredentialStore : TlsCredentialStore
    {
        private static readonly object s_workaround = new object();
        private readonly CredShell _shell;

        public ModemCredentialStore(int size, CredShell shell)
            : base(size)
        {
            _shell = shell;
        }

        public static int ModemType(int type) => type switch
        {
            CredShell.TypeCa => 0,
            CredShell.TypeServer => 1,
            CredShell.TypePrivateKey => 2,
            _ => -1,
        };

        public override void Reset() => Array.Clear(Slots, 0, Slots.Length);

        /// <summary>credentials_init at modem library init: <c>modem_key_mgmt_list</c> registers what the modem holds.</summary>
        public override void OnBoot(IShellModem modem)
        {
            Array.Clear(Slots, 0, Slots.Length);
            string? reply = WithCmee(modem, "AT%CMNG=1");
            if (reply is null || ZephyrShellFrontEnd.IsErrorReply(reply))
            {
                return;
            }

            foreach (string line in reply.Split('\n'))
            {
                if (!TryListLine(line, out uint tag, out uint modemType) || tag >= 2147483648u)
                {
                    continue;
                }

                int type = modemType switch
                {
                    0 => CredShell.TypeCa,
                    1 => CredShell.TypeServer,
                    2 => CredShell.TypePrivateKey,
                    _ => CredShell.TypeNone,
                };
                if (type == CredShell.TypeNone || Get((int)tag, type) is not null)
                {
                    continue;
                }

                int slot = FreeSlot();
                if (slot < 0)
                {
                    continue; // "Failed to add credential: -12" (logged at boot)
                }

                Slots[slot] = new TlsCredentialEntry((int)tag, type, null, s_workaround);
            }
        }

        public override int Add(ShellContext context, int tag, int type, byte[] data, object reference)
        {
            // -EEXIST (credential_verify_or_write) is not reachable from the shell, which checks first.
            int err = ReserveSlot(tag, type, out int slot);
            if (err != 0)
            {
                return err;
            }

            if (data.Length == 0)
            {
                return -EINVAL;
            }

            // "%.*s": the content stops at the first NUL (the one bint/strt appended, or any 0x00 of a DER).
            int length = Array.IndexOf(data, (byte)0);
            string content = ZephyrBase64.Latin1(data, 0, length < 0 ? data.Length : length);
            string command = "AT%CMNG=0," + ((uint)tag).ToString(CultureInfo.InvariantCulture) + "," + ModemType(type).ToString(CultureInfo.InvariantCulture) + ",\"" + content + "\"";
            err = Call(context, command, out _);
            if (err != 0)
            {
                return err;
            }

            // The table keeps a pointer to the shell's buffer (cleared after every add).
            Slots[slot] = new TlsCredentialEntry(tag, type, new byte[data.Length], reference);
            return 0;
        }

        public override int Delete(ShellContext context, int tag, int type)
        {
            TlsCredentialEntry? credential = Get(tag, type);
            if (credential is null)
            {
                return -ENOENT;
            }

            int err = Call(context, "AT%CMNG=3," + ((uint)tag).ToString(CultureInfo.InvariantCulture) + "," + ModemType(type).ToString(CultureInfo.InvariantCulture), out _);
            if (err != 0)
            {
                return err;
            }

            Slots[Array.IndexOf(Slots, credential)] = null;
            return 0;
        }

        public override int Read(ShellContext context, int tag, int type, byte[] destination, ref int length)
        {
            int found = Find(tag, type, length, out TlsCredentialEntry? credential);
            if (found != 0)
            {
                return found;
            }

            if (credential!.Length > 0)
            {
                // memcpy from the pointer it kept: the shell's own buffer, which `cred get` has just cleared.
                byte[] live = _shell.Buffer;
                var copy = new byte[credential.Length];
                Array.Copy(live, copy, credential.Length);
                Array.Copy(copy, destination, credential.Length);
                length = credential.Length;
                return 0;
            }

            // modem_key_mgmt_read: AT%CMNG=2 into a 4096-byte scratch buffer, the text between the 3rd and 4th quote.
            int err = Call(context, "AT%CMNG=2," + ((uint)tag).ToString(CultureInfo.InvariantCulture) + "," + ModemType(type).ToString(CultureInfo.InvariantCulture), out string reply);
            if (err != 0)
            {
                return err;
            }

            int begin = 0;
            for (int i = 0; i < 3; i++)
            {
                begin = reply.IndexOf('"', begin);
                if (begin < 0)
                {
                    return -ENOENT;
                }

                begin++;
            }

            int end = reply.IndexOf('"', begin);
            if (end < 0)
            {
                return -ENOENT;
            }

            if (end - begin > length)
            {
                length = end - begin;
                return -ENOMEM;
            }

            for (int i = begin; i < end; i++)
            {
                destination[i - begin] = (byte)reply[i];
            }

            length = end - begin;
            return 0;
        }

        /// <summary>modem_key_mgmt_digest: <c>AT%CMNG=1,&lt;tag&gt;,&lt;type&gt;</c>, the 64 hex digits as bytes, base64.</summary>
        public override int Digest(ShellContext context, TlsCredentialEntry credential, out string digest)
        {
            digest = string.Empty;
            int err = Call(context, "AT%CMNG=1," + ((uint)credential.Tag).ToString(CultureInfo.InvariantCulture) + "," + ((uint)ModemType(credential.Type)).ToString(CultureInfo.InvariantCulture), out string reply);
            if (err != 0)
            {
                return err;
            }

            foreach (string line in reply.Split('\n'))
            {
                int open = line.IndexOf(",\"", StringComparison.Ordinal);
                if (!TryListLine(line, out _, out _) || open < 0)
                {
                    continue;
                }

                string hex = line.Substring(open + 2);
                int close = hex.IndexOf('"');
                hex = close < 0 ? hex : hex.Substring(0, close);
                hex = hex.Length > 64 ? hex.Substring(0, 64) : hex;
                byte[]? bytes = FromHex(hex);
                if (bytes is null || bytes.Length != 32)
                {
                    return -EINVAL;
                }

                digest = Convert.ToBase64String(bytes);
                return 0;
            }

            return -ENOENT; // no %CMNG line: nrf_modem_at_scanf matched nothing (spec: -2, inferred)
        }

        public override int Expiry(int tag, int type, out DateTimeOffset expiry)
        {
            expiry = default;
            return Get(tag, type) is null ? -ENOENT : -ENOTSUP; // inferred: the modem backend has no expiry support
        }

        /// <summary>One modem_key_mgmt call: CMEE on if it was off, the command, CMEE back off; CME errors translated.</summary>
        private int Call(ShellContext context, string command, out string reply)
        {
            reply = string.Empty;
            IShellModem? modem = context.Modem;
            if (modem is null)
            {
                return -EIO;
            }

            string? answer = WithCmee(modem, command);
            if (answer is null)
            {
                context.Hung = true;
                return -EIO;
            }

            reply = answer;
            if (answer.Length >= 4096)
            {
                return -7; // nrf_modem_at_cmd: -NRF_E2BIG into the 4096-byte scratch buffer
            }

            return ZephyrShellFrontEnd.IsErrorReply(answer) ? Translate(context, answer) : 0;
        }

        private static string? WithCmee(IShellModem modem, string command)
        {
            string? state = modem.Execute("AT+CMEE?");
            bool wasEnabled = state is not null && state.IndexOf("+CMEE: 0", StringComparison.Ordinal) < 0 && state.IndexOf("+CMEE:", StringComparison.Ordinal) >= 0;
            if (!wasEnabled)
            {
                modem.Execute("AT+CMEE=1");
            }

            string? reply = modem.Execute(command);
            if (!wasEnabled)
            {
                modem.Execute("AT+CMEE=0");
            }

            return reply;
        }

        /// <summary>translate_error of modem_key_mgmt.c, with its warning as a deferred log line.</summary>
        private static int Translate(ShellContext context, string reply)
        {
            int code = 0;
            int at = reply.LastIndexOf("+CME ERROR:", StringComparison.Ordinal);
            if (at >= 0)
            {
                string digits = reply.Substring(at + 11).Trim();
                int end = 0;
                while (end < digits.Length && char.IsDigit(digits[end]))
                {
                    end++;
                }

                int.TryParse(digits.Substring(0, end), NumberStyles.None, CultureInfo.InvariantCulture, out code);
            }

            (string text, int errno) = code switch
            {
                0 => ("Phone failure", -EIO),
                23 => ("Memory failure", -7),
                50 => ("Incorrect parameters in command", -EINVAL),
                60 => ("System error", -8),
                513 => ("Key not found", -ENOENT),
                514 => ("Key access refused", -13),
                515 => ("Key storage memory full", -ENOMEM),
                518 => ("Not allowed when LTE connection is active", -1),
                519 => ("Key already exists", -120),
                527 => ("Invalid content", -EINVAL),
                528 => ("Not allowed when power off warning is active", -140),
                _ => (null!, unchecked((int)0xBAADBAAD)),
            };
            if (text is null)
            {
                context.LogError("modem_key_mgmt", "Untranslated CME error " + code.ToString(CultureInfo.InvariantCulture));
                return errno;
            }

            context.LogWarning("modem_key_mgmt", text);
            return errno;
        }

        private static bool TryListLine(string line, out uint tag, out uint type)
        {
            tag = type = 0;
            string text = line.Trim();
            if (!text.StartsWith("%CMNG: ", StringComparison.Ordinal))
            {
                return false;
            }

            string[] parts = text.Substring(7).Split(',');
            return parts.Length >= 3 && parts[2].StartsWith("\"", StringComparison.Ordinal)
                && uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out tag)
                && uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out type);
        }

        private static byte[]? FromHex(string hex)
        {
            if (hex.Length % 2 != 0)
            {
                return null;
            }

            var bytes = new byte[hex.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                if (!byte.TryParse(hex.Substring(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]))
                {
                    return null;
                }
            }

            return bytes;
        }
    }
}
