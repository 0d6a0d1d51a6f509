using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

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
            TlsCredentialEntry? credential = Get(tag, type);
            if (credential is null)
            {
                return -ENOENT;
            }

            if (credential.Length > length)
            {
                return -EFBIG;
            }

            Array.Copy(credential.Data!, destination, credential.Length);
            length = credential.Length;
            return 0;
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
            if (type == CredShell.TypeNone)
            {
                return -EINVAL;
            }

            if (Get(tag, type) is not null)
            {
                return -EEXIST;
            }

            int slot = FreeSlot();
            if (slot < 0)
            {
                return -ENOMEM;
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
            if (type == CredShell.TypeNone || (tag == CredShell.SecTagNone && type == 0xFFFF))
            {
                return -EINVAL;
            }

            if (Get(tag, type) is not null)
            {
                return -EEXIST;
            }

            int slot = FreeSlot();
            if (slot < 0)
            {
                return -ENOMEM;
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
            if (type == CredShell.TypeNone)
            {
                return -EINVAL;
            }

            if (Get(tag, type) is not null)
            {
                return -EEXIST; // credential_verify_or_write: not reachable from the shell, which checks first
            }

            int slot = FreeSlot();
            if (slot < 0)
            {
                return -ENOMEM;
            }

            if (data.Length == 0)
            {
                return -EINVAL;
            }

            // "%.*s": the content stops at the first NUL (the one bint/strt appended, or any 0x00 of a DER).
            int length = Array.IndexOf(data, (byte)0);
            string content = ZephyrBase64.Latin1(data, 0, length < 0 ? data.Length : length);
            string command = "AT%CMNG=0," + ((uint)tag).ToString(CultureInfo.InvariantCulture) + "," + ModemType(type).ToString(CultureInfo.InvariantCulture) + ",\"" + content + "\"";
            int err = Call(context, command, out _);
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
            TlsCredentialEntry? credential = Get(tag, type);
            if (credential is null)
            {
                return -ENOENT;
            }

            if (credential.Length > length)
            {
                return -EFBIG;
            }

            if (credential.Length > 0)
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
