using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using Nrf91Cmng.Core.At;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Logging;
using Nrf91Cmng.Core.Modem;

namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>Where the TLS credentials shell keeps what <c>cred add</c> stores (a build-time choice the shell does not print).</summary>
    public enum CredShellBackend
    {
        /// <summary>Not known yet: learnt from the first digest that matches one form, a write, or the modem's own list.</summary>
        Unknown,

        /// <summary>The nRF modem backend (NCS 3.0+, the nRF91 default): the modem's <c>%CMNG</c> store; digests without the NUL.</summary>
        Modem,

        /// <summary>A raw backend (volatile RAM or PSA protected storage), not told apart yet: digests of the bytes stored, NUL included.</summary>
        VolatileOrPsa,

        /// <summary>Zephyr's volatile backend: RAM, lost on reset; the shell copies each credential to the heap.</summary>
        Volatile,

        /// <summary>PSA protected storage (TF-M): persistent.</summary>
        Psa,
    }

    /// <summary>
    /// The credential store through Zephyr's TLS credentials shell (<c>cred</c>): <c>cred list</c> with
    /// base64 SHA-256 digests (shown as hex like everywhere else), <c>cred get</c> on the raw backends,
    /// writes as chunks of 48 base64 characters (<c>cred buf</c>, each line under the 64-byte RX ring)
    /// and <c>cred add … bint</c> for PEM (<c>bin</c> for a PSK's key bytes and a PSK identity), and
    /// <c>cred del</c>. There is no overwrite: a replace loads the buffer first (it survives a delete),
    /// then deletes and adds. A credential larger than the shell's credential buffer is refused before
    /// any of it is sent. Types map as AT type 0→CA, 1→SERV, 2→PK, 3→PSK, 4→PSK_ID.
    /// </summary>
    public sealed class ShellCredentialStore : ICredentialStore
    {
        /// <summary>Base64 characters per <c>cred buf</c> line: "cred buf " + 48 + CR LF = 59 bytes, under the 64-byte RX ring (Nordic's tools send the same).</summary>
        public const int ChunkSize = 48;

        /// <summary>The default <c>CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE</c>: the buffer holds one character less.</summary>
        public const int DefaultCredentialBufferSize = 1024;

        private static readonly Regex s_listLine = new Regex(@"^(?<tag>-?\d+),(?<type>[A-Z_]+),(?<digest>[A-Za-z0-9+/=]+),(?<status>-?\d+)$", RegexOptions.CultureInvariant);
        private static readonly Regex s_found = new Regex(@"^(?<n>\d+) credentials found\.$", RegexOptions.CultureInvariant);
        private static readonly Regex s_stored = new Regex(@"^Stored (?<n>\d+) bytes\.$", RegexOptions.CultureInvariant);
        private static readonly Regex s_added = new Regex(@"^Added TLS credential of type (?<type>\w+), sectag (?<tag>-?\d+), and length (?<n>\d+) bytes\.", RegexOptions.CultureInvariant);
        private static readonly Regex s_error = new Regex(@"(?:Error: |error: |due to error: )(?<e>-?\d+)", RegexOptions.CultureInvariant);
        private static readonly Regex s_base64Line = new Regex(@"^[A-Za-z0-9+/]+={0,2}$", RegexOptions.CultureInvariant);

        private readonly ModemClient _client;
        private readonly Dictionary<(uint, CredentialType), string?> _listed = new Dictionary<(uint, CredentialType), string?>();
        private bool _comparedWithModem;
        private int _bufferFits = DefaultCredentialBufferSize - 1; // assumed (the default) until evidence says more or less
        private int _bufferTook;                                    // the most characters the buffer took in this session
        private int? _bufferRefused;                                // the fewest characters it refused
        private bool _bufferMeasured;
        private bool _addedWithoutHeapCopy;

        /// <summary>The store behind the <c>cred</c> command of <paramref name="client"/>'s shell.</summary>
        public ShellCredentialStore(ModemClient client)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
        }

        /// <summary>The backend as far as known.</summary>
        public CredShellBackend Backend { get; private set; }

        /// <summary>
        /// The most base64 characters the credential buffer is taken to hold: 1023 with the default
        /// <c>CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE</c> 1024 until a write or an overflow in this session
        /// shows more or less.
        /// </summary>
        public int CredentialBufferCharacters => _bufferFits;

        /// <inheritdoc />
        public string Location => _client.Channel.Transport.Name;

        /// <inheritdoc />
        public FirmwareInfo Firmware => _client.Identity.Firmware;

        /// <inheritdoc />
        public IFunctionalModeControl? FunctionalMode => _client.Channel.HasAt && _client.FunctionalModeReadable ? _client : null;

        /// <inheritdoc />
        public IDisposable Exclusive() => _client.Exclusive();

        /// <inheritdoc />
        public IDisposable? TryExclusive(TimeSpan timeout) => _client.TryExclusive(timeout);

        private bool RawBackend => Backend == CredShellBackend.VolatileOrPsa || Backend == CredShellBackend.Volatile || Backend == CredShellBackend.Psa;

        /// <summary>The <c>cred</c> type keyword of an AT type (spec §2: 0→CA, 1→SERV, 2→PK, 3→PSK, 4→PSK_ID).</summary>
        public static string ShellType(CredentialType type) => type switch
        {
            CredentialType.RootCA => "CA",
            CredentialType.ClientCertificate => "SERV",
            CredentialType.ClientPrivateKey => "PK",
            CredentialType.Psk => "PSK",
            CredentialType.PskIdentity => "PSK_ID",
            _ => throw new ModemException(ErrorIds.CredentialTypeNotSupported, ModemErrorCategory.InvalidArgument,
                CredentialRules.Describe(type) + " (type " + ((int)type).ToString(CultureInfo.InvariantCulture) + ") has no TLS credentials shell type: 'cred' stores CA, SERV, PK, PSK and PSK_ID (AT types 0 to 4).",
                "Use a type from 0 to 4, or a raw AT console for the modem's own types."),
        };

        /// <summary>The AT type of a <c>cred</c> type name (long or short form, any case); null for one without (PK_PSA).</summary>
        public static CredentialType? FromShellType(string name)
        {
            switch (name.ToUpperInvariant())
            {
                case "CA":
                case "CA_CERT":
                    return CredentialType.RootCA;
                case "SERV":
                case "SERVER_CERT":
                case "CLIENT_CERT":
                case "SELF_CERT":
                case "SELF":
                case "CLIENT":
                    return CredentialType.ClientCertificate;
                case "PK":
                case "PRIVATE_KEY":
                    return CredentialType.ClientPrivateKey;
                case "PSK":
                case "PRE_SHARED_KEY":
                    return CredentialType.Psk;
                case "PSK_ID":
                case "PRE_SHARED_KEY_ID":
                    return CredentialType.PskIdentity;
                default:
                    return null;
            }
        }

        /// <summary>Parses one <c>cred list</c> line (<c>&lt;sectag&gt;,&lt;TYPE&gt;,&lt;base64 digest&gt;,&lt;status&gt;</c>); null for a line that is none.</summary>
        public static CredentialEntry? ParseListLine(string line, out string? skipped)
        {
            skipped = null;
            Match m = s_listLine.Match(line.Trim());
            if (!m.Success || !long.TryParse(m.Groups["tag"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long tag))
            {
                return null;
            }

            CredentialType? type = FromShellType(m.Groups["type"].Value);
            if (type is null)
            {
                skipped = m.Groups["type"].Value + " at sec_tag " + m.Groups["tag"].Value;
                return null;
            }

            string? sha = null;
            if (m.Groups["status"].Value == "0")
            {
                byte[] digest;
                try
                {
                    digest = Convert.FromBase64String(m.Groups["digest"].Value);
                }
                catch (FormatException)
                {
                    digest = Array.Empty<byte>();
                }

                if (digest.Length != 32)
                {
                    throw new ModemProtocolException(ErrorIds.UnexpectedResponse,
                        "The TLS credentials shell listed sec_tag " + m.Groups["tag"].Value + " " + m.Groups["type"].Value + " with the digest '" + m.Groups["digest"].Value + "', which is not the base64 of a SHA-256.",
                        "The reply was corrupted on the line: retry; if it repeats, check the serial settings.");
                }

                sha = Crypto.Encodings.ToHex(digest);
            }

            // %d of a sec_tag_t: tags above 2147483647 print negative.
            return new CredentialEntry(unchecked((uint)(int)tag), type.Value, sha, false, null);
        }

        /// <inheritdoc />
        public IReadOnlyList<CredentialEntry> List(uint? secTag, CredentialType? type, IModemLog? log, CancellationToken cancellationToken)
        {
            if (type is not null && secTag is null)
            {
                throw new ArgumentException("A type filter needs a sec_tag.", nameof(type));
            }

            log ??= NullModemLog.Instance;
            string line = "cred list" + (secTag is uint t ? " " + t.ToString(CultureInfo.InvariantCulture) : string.Empty)
                + (type is CredentialType k ? " " + ShellType(k) : string.Empty);
            ShellResponse response = Run(new ShellRequest(line), log, cancellationToken);
            var entries = new List<CredentialEntry>();
            bool counted = false;
            foreach (string text in response.Lines)
            {
                if (s_found.IsMatch(text.Trim()))
                {
                    counted = true;
                    continue;
                }

                CredentialEntry? entry = ParseListLine(text, out string? skipped);
                if (skipped is not null)
                {
                    log.Verbose("Not shown: " + skipped + " (an opaque PSA key reference; it has no AT%CMNG type).");
                }

                if (entry is null)
                {
                    continue;
                }

                if (entry.Sha256 is null)
                {
                    log.Verbose("The TLS credentials shell lists the " + CredentialRules.Describe(entry.Type) + " at sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture)
                        + " without a digest (" + text.Trim() + "): its content cannot be compared by digest.");
                }

                entries.Add(entry);
            }

            if (!counted)
            {
                throw Failed(response, "Listing credentials with '" + line + "'", null);
            }

            foreach (CredentialEntry entry in entries)
            {
                _listed[(entry.SecTag, entry.Type)] = entry.Sha256;
            }

            if (Backend == CredShellBackend.Unknown && entries.Any(e => e.Type == CredentialType.Psk || e.Type == CredentialType.PskIdentity))
            {
                Learn(CredShellBackend.VolatileOrPsa, "it lists a PSK or PSK identity, which the nRF modem backend never holds", log);
            }

            if (Backend == CredShellBackend.Unknown && _client.Channel.HasAt && !_comparedWithModem)
            {
                CompareWithModem(secTag, type, entries, log, cancellationToken);
            }

            return entries;
        }

        /// <inheritdoc />
        public CredentialEntry Read(uint secTag, CredentialType type, IModemLog? log, CancellationToken cancellationToken)
        {
            log ??= NullModemLog.Instance;
            if (Backend == CredShellBackend.Modem)
            {
                // 'cred get' hands out zeros there; the modem itself answers AT%CMNG=2 where 'at' is at hand.
                return _client.Channel.HasAt ? new AtCredentialStore(_client).Read(secTag, type, log, cancellationToken) : throw NotReadableOnModemBackend(secTag, type);
            }

            string line = "cred get " + secTag.ToString(CultureInfo.InvariantCulture) + " " + ShellType(type) + " bin";
            ShellResponse response = Run(new ShellRequest(line), log, cancellationToken);
            if (response.Contains("There is no TLS credential"))
            {
                throw new ModemException(ErrorIds.CredentialNotFound, ModemErrorCategory.ObjectNotFound,
                    "No " + CredentialRules.Describe(type) + " is stored at sec_tag " + secTag.ToString(CultureInfo.InvariantCulture) + " (the TLS credentials shell says so).",
                    "List what is stored with Get-ModemCredential.");
            }

            if (response.Contains("Not enough room in the credential buffer"))
            {
                throw new ModemException(ErrorIds.CredentialBufferTooSmall, ModemErrorCategory.LimitsExceeded,
                    "The " + CredentialRules.Describe(type) + " at sec_tag " + secTag.ToString(CultureInfo.InvariantCulture) + " is larger than the TLS credentials shell's credential buffer, so 'cred get' cannot return it.",
                    "Build the firmware with a larger CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE (the message of the firmware names TLS_CREDENTIALS_SHELL_MAX_CRED_LEN, which does not exist), or compare digests with Test-ModemCredential.");
            }

            if (ErrorOf(response) is int e)
            {
                throw new ModemException(ErrorIds.CredentialTypeNotReadable, ModemErrorCategory.PermissionDenied,
                    "'" + line + "' failed with error " + e.ToString(CultureInfo.InvariantCulture) + Meaning(e, read: true),
                    "Compare digests with Test-ModemCredential instead.");
            }

            var data = new StringBuilder();
            foreach (string text in response.Lines)
            {
                if (s_base64Line.IsMatch(text.Trim()))
                {
                    data.Append(text.Trim());
                }
            }

            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(data.ToString());
            }
            catch (FormatException ex)
            {
                throw new ModemProtocolException(ErrorIds.UnexpectedResponse, "'" + line + "' did not print base64 lines.", null, ex);
            }

            if (bytes.Length > 0 && bytes.All(b => b == 0))
            {
                // The nRF modem backend hands out the shell's cleared buffer for entries added since boot.
                Learn(CredShellBackend.Modem, "'cred get' returned only zero bytes, as its nRF modem backend does for a credential added since boot", log);
                return _client.Channel.HasAt ? new AtCredentialStore(_client).Read(secTag, type, log, cancellationToken) : throw NotReadableOnModemBackend(secTag, type);
            }

            int length = bytes.Length > 0 && bytes[bytes.Length - 1] == 0 ? bytes.Length - 1 : bytes.Length;
            string content = type == CredentialType.Psk ? Crypto.Encodings.ToHex(bytes.Take(length).ToArray()) : Latin1(bytes, length);
            return new CredentialEntry(secTag, type, null, false, content);
        }

        /// <inheritdoc />
        public void Write(uint secTag, CredentialType type, string content, string? passphrase, bool replacing, IModemLog? log, CancellationToken cancellationToken)
        {
            if (content is null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            log ??= NullModemLog.Instance;
            string tag = secTag.ToString(CultureInfo.InvariantCulture);
            string what = "the " + CredentialRules.Describe(type) + " for sec_tag " + tag;

            // Everything is checked, and the whole credential is in the shell's buffer, before anything is deleted.
            string keyword = ShellType(type);
            if (passphrase is not null)
            {
                throw new ModemException(ErrorIds.CredentialPassphraseNotApplicable, ModemErrorCategory.InvalidArgument,
                    "The TLS credentials shell stores a private key as it is and takes no passphrase, so an encrypted PKCS#8 key cannot go through 'cred'. Nothing was sent.",
                    "Decrypt the key first (openssl pkcs8 -in key.pem -out plain.pem) and write that; keep it safe.");
            }

            if (Backend == CredShellBackend.Modem && (type == CredentialType.Psk || type == CredentialType.PskIdentity))
            {
                throw PskNotOnModemBackend(type);
            }

            byte[] bytes = StoredBytes(content, type, out bool terminated);
            string base64 = Convert.ToBase64String(terminated ? bytes.Take(bytes.Length - 1).ToArray() : bytes);
            EnsureBufferTakes(base64.Length, what, log, cancellationToken);
            LoadBuffer(base64, what, log, cancellationToken);

            string? oldDigest = null;
            bool deleted = false;
            if (replacing)
            {
                _listed.TryGetValue((secTag, type), out oldDigest);
                ShellResponse del = Run(new ShellRequest("cred del " + tag + " " + keyword) { Timeout = _client.Options.WriteTimeout, SlowBecause = "deleting the old credential" }, log, cancellationToken);
                NoteVolatile(del, log);
                if (del.Contains("Deleted TLS credential"))
                {
                    deleted = true;
                    _listed.Remove((secTag, type));
                    log.Verbose("Deleted the old " + CredentialRules.Describe(type) + " at sec_tag " + tag + " (SHA-256 " + (oldDigest ?? "unknown") + ") to replace it: 'cred add' cannot overwrite.");
                }
                else if (!del.Contains("There is no TLS credential"))
                {
                    ClearBuffer(log, cancellationToken);
                    throw Failed(del, "Deleting the old " + CredentialRules.Describe(type) + " at sec_tag " + tag + " to replace it", type, CommandFamily.CredentialDelete);
                }
            }

            string addLine = "cred add " + tag + " " + keyword + " DEFAULT " + (terminated ? "bint" : "bin");
            ShellResponse add = Run(new ShellRequest(addLine) { Timeout = _client.Options.WriteTimeout, SlowBecause = "storing the credential" }, log, cancellationToken);
            NoteVolatile(add, log);
            Match added = add.Lines.Select(l => s_added.Match(l.Trim())).FirstOrDefault(m => m.Success) ?? Match.Empty;
            if (added.Success)
            {
                int length = int.Parse(added.Groups["n"].Value, CultureInfo.InvariantCulture);
                if (length != bytes.Length)
                {
                    log.Warning("The TLS credentials shell stored " + length.ToString(CultureInfo.InvariantCulture) + " bytes for " + what + ", not the " + bytes.Length.ToString(CultureInfo.InvariantCulture) + " sent; the digest check that follows tells whether the content is intact.");
                }

                if (!add.Contains("copied to heap"))
                {
                    // The volatile backend always copies; so a raw backend that did not is PSA.
                    _addedWithoutHeapCopy = true;
                    if (Backend == CredShellBackend.VolatileOrPsa)
                    {
                        Learn(CredShellBackend.Psa, "'cred add' stored without copying to the heap", log);
                    }
                }

                _listed[(secTag, type)] = null;
                return;
            }

            ModemException failure = Failed(add, "Adding " + what, type, CommandFamily.CredentialWrite);
            if (deleted)
            {
                throw new ModemException(ErrorIds.CredentialReplaceFailed, ModemErrorCategory.DeviceError,
                    "Replacing " + what + " failed: the old credential (SHA-256 " + (oldDigest ?? "not listed") + ") was deleted, because 'cred add' cannot overwrite, and adding the new one failed: "
                    + failure.Message.TrimEnd('.') + ". Sec_tag " + tag + " now holds no " + CredentialRules.Describe(type) + ".",
                    failure.Remedy + " Then write it again (or write the old one back: its digest is above).", failure);
            }

            throw failure;
        }

        /// <inheritdoc />
        public void Delete(uint secTag, CredentialType type, IModemLog? log, CancellationToken cancellationToken)
        {
            log ??= NullModemLog.Instance;
            string line = "cred del " + secTag.ToString(CultureInfo.InvariantCulture) + " " + ShellType(type);
            ShellResponse response = Run(new ShellRequest(line) { Timeout = _client.Options.WriteTimeout, SlowBecause = "deleting the credential" }, log, cancellationToken);
            NoteVolatile(response, log);
            if (response.Contains("Deleted TLS credential"))
            {
                _listed.Remove((secTag, type));
                return;
            }

            if (response.Contains("There is no TLS credential"))
            {
                throw new ModemException(ErrorIds.CredentialNotFound, ModemErrorCategory.ObjectNotFound,
                    "No " + CredentialRules.Describe(type) + " is stored at sec_tag " + secTag.ToString(CultureInfo.InvariantCulture) + " (the TLS credentials shell says so); nothing was deleted.",
                    "List what is stored with Get-ModemCredential.");
            }

            throw Failed(response, "Deleting the " + CredentialRules.Describe(type) + " at sec_tag " + secTag.ToString(CultureInfo.InvariantCulture), type, CommandFamily.CredentialDelete);
        }

        /// <inheritdoc />
        public string DigestAfterWrite(string content) => DigestOf(content, CredentialType.RootCA);

        /// <inheritdoc />
        public string TextAfterWrite(string content) => content;

        /// <inheritdoc />
        public string DigestOf(string text, CredentialType type) =>
            Backend == CredShellBackend.Modem ? ModemDigest(text) : RawDigest(text, type);

        /// <inheritdoc />
        public bool IsDigestOf(string listedSha256, string text, CredentialType type)
        {
            if (Backend != CredShellBackend.Unknown)
            {
                return string.Equals(listedSha256, DigestOf(text, type), StringComparison.OrdinalIgnoreCase);
            }

            string raw = RawDigest(text, type);
            string modem = ModemDigest(text);
            if (string.Equals(listedSha256, raw, StringComparison.OrdinalIgnoreCase))
            {
                if (!string.Equals(raw, modem, StringComparison.Ordinal))
                {
                    Learn(CredShellBackend.VolatileOrPsa, "a listed digest covers the terminating NUL", null);
                }

                return true;
            }

            if (string.Equals(listedSha256, modem, StringComparison.OrdinalIgnoreCase))
            {
                Learn(CredShellBackend.Modem, "a listed digest is that of the text without its NUL, as the modem stores it", null);
                return true;
            }

            return false;
        }

        /// <summary>The bytes <c>cred add</c> stores on a raw backend: a PEM with its NUL (<c>bint</c>), a PSK as its key bytes, a PSK identity as its text (<c>bin</c>).</summary>
        public static byte[] StoredBytes(string text, CredentialType type, out bool terminated)
        {
            terminated = IsPem(type);
            if (type == CredentialType.Psk && Crypto.Encodings.TryFromHex(text) is byte[] key)
            {
                return key;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(text);
            return terminated ? bytes.Concat(new byte[] { 0 }).ToArray() : bytes;
        }

        private static bool IsPem(CredentialType type) =>
            type == CredentialType.RootCA || type == CredentialType.ClientCertificate || type == CredentialType.ClientPrivateKey;

        private static string RawDigest(string text, CredentialType type) => CredentialContent.ComputeDigest(StoredBytes(text, type, out _));

        /// <summary>The nRF modem backend sends the content with <c>%.*s</c>: it stops at the first NUL.</summary>
        private static string ModemDigest(string text)
        {
            int nul = text.IndexOf('\0');
            return CredentialContent.ComputeDigest(nul >= 0 ? text.Substring(0, nul) : text);
        }

        private static string Latin1(byte[] bytes, int length)
        {
            var chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                chars[i] = (char)bytes[i];
            }

            return new string(chars);
        }

        private ShellResponse Run(ShellRequest request, IModemLog log, CancellationToken cancellationToken) =>
            _client.SendShell(request, log, cancellationToken);

        private void Learn(CredShellBackend backend, string because, IModemLog? log)
        {
            if (Backend == backend || (backend == CredShellBackend.VolatileOrPsa && RawBackend))
            {
                return;
            }

            if (backend == CredShellBackend.VolatileOrPsa && _addedWithoutHeapCopy)
            {
                backend = CredShellBackend.Psa;
                because += ", and 'cred add' stored without copying to the heap";
            }

            Backend = backend;
            (log ?? NullModemLog.Instance).Verbose("The TLS credentials shell's backend is " + Describe(backend) + ": " + because + ".");
        }

        /// <summary>The backend in words.</summary>
        public static string Describe(CredShellBackend backend) => backend switch
        {
            CredShellBackend.Modem => "the nRF modem backend (the modem's %CMNG store)",
            CredShellBackend.Volatile => "the volatile backend (RAM, lost on reset)",
            CredShellBackend.Psa => "PSA protected storage",
            CredShellBackend.VolatileOrPsa => "a raw backend (volatile RAM or PSA protected storage)",
            _ => "not known yet",
        };

        private void NoteVolatile(ShellResponse response, IModemLog log)
        {
            if (response.Contains("Credential has been copied to heap") || response.Contains("Stored credential freed"))
            {
                Learn(CredShellBackend.Volatile, "the shell copies credentials to the heap, as it does only for the volatile backend", log);
            }
        }

        /// <summary>
        /// With <c>at</c> at hand, the modem's own list tells the backends apart without writing: the nRF
        /// modem backend lists the modem's CA, client certificate and key entries with the modem's digests.
        /// </summary>
        private void CompareWithModem(uint? secTag, CredentialType? type, IReadOnlyList<CredentialEntry> shell, IModemLog log, CancellationToken cancellationToken)
        {
            _comparedWithModem = true;
            IReadOnlyList<CredentialEntry> modem;
            try
            {
                modem = new AtCredentialStore(_client).List(secTag, type, log, cancellationToken);
            }
            catch (ModemException ex) when (ex.Category != ModemErrorCategory.ConnectionError)
            {
                log.Verbose("The modem's own list could not be read (" + ex.Message + "); the TLS credentials shell's backend is learnt from the first write.");
                return;
            }

            foreach (CredentialEntry entry in shell.Where(e => IsPem(e.Type) && e.SecTag <= int.MaxValue && e.Sha256 is not null))
            {
                CredentialEntry? twin = modem.FirstOrDefault(m => m.SecTag == entry.SecTag && m.Type == entry.Type);
                if (twin?.Sha256 is string sha && string.Equals(sha, entry.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    Learn(CredShellBackend.Modem, "'cred list' shows the modem's own digest for sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture), log);
                    return;
                }

                Learn(CredShellBackend.VolatileOrPsa, "'cred list' shows sec_tag " + entry.SecTag.ToString(CultureInfo.InvariantCulture) + " with a digest the modem's own list does not have", log);
                return;
            }
        }

        /// <summary>
        /// Refuses, before anything is sent, a credential whose base64 is longer than the credential
        /// buffer takes. Up to the default (1023 characters) it goes as it is (an overflow on a smaller
        /// buffer still stops it before 'cred add'); a longer one first fills the buffer with filler
        /// chunks of the same length (nothing is stored by that), so a small buffer is found out before
        /// any of the credential is sent.
        /// </summary>
        private void EnsureBufferTakes(int characters, string what, IModemLog log, CancellationToken cancellationToken)
        {
            if (_bufferRefused is int refused && characters >= refused)
            {
                throw BufferTooSmall(characters, what);
            }

            if (characters <= _bufferFits)
            {
                return;
            }

            log.Verbose("The base64 of " + what + " is " + characters.ToString(CultureInfo.InvariantCulture) + " characters, more than the default credential buffer takes (" + (DefaultCredentialBufferSize - 1).ToString(CultureInfo.InvariantCulture)
                + "): measuring this firmware's buffer with filler chunks first (nothing is stored).");
            _bufferMeasured = true;
            if (!Fill(new string('A', characters), "filler for the buffer size", log, cancellationToken))
            {
                throw BufferTooSmall(characters, what);
            }

            ClearBuffer(log, cancellationToken);
        }

        /// <summary>Clears the buffer and sends <paramref name="base64"/> in chunks; a chunk the buffer cannot take stops it (nothing is added).</summary>
        private void LoadBuffer(string base64, string what, IModemLog log, CancellationToken cancellationToken)
        {
            if (!Fill(base64, what, log, cancellationToken))
            {
                throw BufferTooSmall(base64.Length, what);
            }
        }

        /// <summary>Clears the buffer and appends <paramref name="base64"/> chunk by chunk; false (buffer cleared) when it overflowed.</summary>
        private bool Fill(string base64, string what, IModemLog log, CancellationToken cancellationToken)
        {
            ClearBuffer(log, cancellationToken);
            int written = 0;
            foreach (string chunk in Chunks(base64))
            {
                ShellResponse response = Run(new ShellRequest("cred buf " + chunk) { DisplayText = "cred buf <" + chunk.Length.ToString(CultureInfo.InvariantCulture) + " characters of " + what + ">" }, log, cancellationToken);
                Match stored = response.Lines.Select(l => s_stored.Match(l.Trim())).FirstOrDefault(m => m.Success) ?? Match.Empty;
                if (response.Contains("Not enough room in credential buffer"))
                {
                    // It took 'written' characters and not one chunk more; it has cleared itself.
                    _bufferRefused = Math.Min(_bufferRefused ?? int.MaxValue, written + chunk.Length);
                    _bufferTook = Math.Max(_bufferTook, written);
                    _bufferFits = Math.Min(_bufferFits, written);
                    log.Verbose("The credential buffer overflowed after " + written.ToString(CultureInfo.InvariantCulture) + " characters; nothing was added.");
                    return false;
                }

                if (!stored.Success || int.Parse(stored.Groups["n"].Value, CultureInfo.InvariantCulture) != chunk.Length)
                {
                    ClearBuffer(log, cancellationToken);
                    throw new ModemException(ErrorIds.ShellCommandFailed, ModemErrorCategory.DeviceError,
                        "The TLS credentials shell did not take a " + chunk.Length.ToString(CultureInfo.InvariantCulture) + "-character chunk of " + what + " whole (it answered '"
                        + string.Join(" ", response.Lines.Select(l => l.Trim())) + "'" + (response.Unsolicited.Any(u => u.IndexOf("RX ring buffer full", StringComparison.Ordinal) >= 0) ? " and logged 'RX ring buffer full'" : string.Empty)
                        + "). The buffer was cleared and nothing was added.",
                        "Retry; if it repeats, the UART loses bytes: lower the baud rate or raise CONFIG_SHELL_BACKEND_SERIAL_RX_RING_BUFFER_SIZE.");
                }

                written += chunk.Length;
            }

            _bufferTook = Math.Max(_bufferTook, written);
            _bufferFits = Math.Max(_bufferFits, written);
            return true;
        }

        /// <summary>Chunks of <see cref="ChunkSize"/>; a last chunk that would read "load" (upstream's paste mode) is joined to the one before.</summary>
        internal static List<string> Chunks(string base64)
        {
            var chunks = new List<string>();
            for (int i = 0; i < base64.Length; i += ChunkSize)
            {
                chunks.Add(base64.Substring(i, Math.Min(ChunkSize, base64.Length - i)));
            }

            if (chunks.Count > 1 && (chunks[chunks.Count - 1] == "load" || chunks[chunks.Count - 1] == "clear"))
            {
                chunks[chunks.Count - 2] += chunks[chunks.Count - 1];
                chunks.RemoveAt(chunks.Count - 1);
            }

            return chunks;
        }

        private void ClearBuffer(IModemLog log, CancellationToken cancellationToken) =>
            Run(new ShellRequest("cred buf clear"), log, cancellationToken);

        private ModemException BufferTooSmall(int characters, string what)
        {
            int needed = characters + 1;
            string known;
            if (_bufferRefused is int refused)
            {
                // CRED_BUF_SIZE − 1 characters fit: it took _bufferTook and refused 'refused'.
                string size = _bufferTook + 1 == refused
                    ? "CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE is " + refused.ToString(CultureInfo.InvariantCulture)
                    : "CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE is between " + (_bufferTook + 1).ToString(CultureInfo.InvariantCulture) + " and " + refused.ToString(CultureInfo.InvariantCulture)
                        + (_bufferTook < DefaultCredentialBufferSize && refused >= DefaultCredentialBufferSize ? ", likely the default " + DefaultCredentialBufferSize.ToString(CultureInfo.InvariantCulture) : string.Empty);
                known = "this firmware's buffer took " + _bufferTook.ToString(CultureInfo.InvariantCulture) + " characters and refused " + refused.ToString(CultureInfo.InvariantCulture) + " (" + size + ")";
            }
            else
            {
                known = "the buffer holds " + (DefaultCredentialBufferSize - 1).ToString(CultureInfo.InvariantCulture) + " with the default CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE " + DefaultCredentialBufferSize.ToString(CultureInfo.InvariantCulture);
            }

            return new ModemException(ErrorIds.CredentialBufferTooSmall, ModemErrorCategory.LimitsExceeded,
                Messages.Capital(what) + " is " + characters.ToString(CultureInfo.InvariantCulture) + " base64 characters in the TLS credentials shell's credential buffer, but " + known
                + ". Nothing was stored" + (_bufferMeasured ? " (the buffer was measured with filler, then cleared)" : string.Empty)
                + ": a client that sends on regardless stores the tail of the credential.",
                "Build the firmware with CONFIG_TLS_CREDENTIALS_SHELL_CRED_BUF_SIZE=" + Math.Max(needed, 2048).ToString(CultureInfo.InvariantCulture)
                + " or more (at least " + needed.ToString(CultureInfo.InvariantCulture) + "), or write it through a raw AT console (at_client), which takes up to 4 KB.");
        }

        private ModemException NotReadableOnModemBackend(uint secTag, CredentialType type) =>
            new ModemException(ErrorIds.CredentialTypeNotReadable, ModemErrorCategory.PermissionDenied,
                "not readable through the TLS credentials shell's nRF modem backend ('cred get' returns zeros for what was added since boot)",
                "Compare digests with Test-ModemCredential, or read the " + CredentialRules.Describe(type) + " at sec_tag " + secTag.ToString(CultureInfo.InvariantCulture) + " through a raw AT console.");

        private ModemException PskNotOnModemBackend(CredentialType type) =>
            new ModemException(ErrorIds.CredentialTypeNotSupported, ModemErrorCategory.NotImplemented,
                "The TLS credentials shell on " + Location + " stores into the modem (its nRF modem backend), which takes CA certificates, client certificates and private keys only: a "
                + CredentialRules.Describe(type) + " has no modem type there. Nothing was stored.",
                "Write PSKs and PSK identities through a raw AT console (AT%CMNG, types 3 and 4)" + (_client.Channel.HasAt ? " or this shell's 'at' (Connect-Modem -CommandMode Shell)" : string.Empty) + ".");

        private static int? ErrorOf(ShellResponse response)
        {
            foreach (string line in response.Lines)
            {
                Match m = s_error.Match(line);
                if (m.Success && int.TryParse(m.Groups["e"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int e))
                {
                    return e;
                }
            }

            return null;
        }

        /// <summary>A failed <c>cred add</c> / <c>cred del</c> / <c>cred list</c> as an error that says what the firmware said and what to do.</summary>
        private ModemException Failed(ShellResponse response, string doing, CredentialType? type, CommandFamily family = CommandFamily.CredentialWrite)
        {
            // "Failed to add … Error: -1" CR LF "." and "Credential buffer cleared." on the same line: the full stop of the format string comes after its line end.
            string said = string.Join(" ", response.Lines.Select(l => l.Replace("Credential buffer cleared.", string.Empty).Trim()).Where(l => l.Length > 0 && l != "."));
            int? e = ErrorOf(response);
            if (response.Contains("already exists"))
            {
                e = -17;
            }

            if (e == -1 && Backend != CredShellBackend.VolatileOrPsa && Backend != CredShellBackend.Volatile && Backend != CredShellBackend.Psa)
            {
                Learn(CredShellBackend.Modem, "it answered -1 (EPERM), the nRF modem backend's code for CME 518", null);
                if (FunctionalMode is not null)
                {
                    // With 'at' at hand the offline guard switches the modem offline (when allowed) and tries again.
                    var synthetic = new AtResponse(response.Command, response.Lines, response.Unsolicited, AtResultKind.CmeError, 518, "+CME ERROR: 518", response.Duration);
                    return new ModemCommandException(synthetic, family, doing + " through 'cred' (error -1)");
                }

                return _client.Channel.HasAt
                    ? new ModemException(ErrorIds.FunctionalModeActive, ModemErrorCategory.InvalidOperation,
                        doing + " failed: the modem refused it because LTE is active ('" + said + "': error -1, the modem's CME 518). This shell's 'at' cannot read the functional mode, so Nrf91Cmng does not switch it. Nothing was changed.",
                        "Put the modem offline with Set-ModemFunctionalMode -Mode Offline (AT+CFUN=4), run the command again, and bring it back online afterwards.")
                    : new ModemException(ErrorIds.FunctionalModeActive, ModemErrorCategory.InvalidOperation,
                        doing + " failed: the modem refused it because LTE is active ('" + said + "': error -1, the modem's CME 518). This shell has no 'at' command, so Nrf91Cmng cannot switch the modem offline. Nothing was changed.",
                        "Have the application put the modem offline (lte_lc_offline(), i.e. AT+CFUN=4, for example from a shell command of the application, or boot it without connecting), then run the command again.");
            }

            if (e == -22 && (type == CredentialType.Psk || type == CredentialType.PskIdentity) && Backend != CredShellBackend.VolatileOrPsa && Backend != CredShellBackend.Volatile && Backend != CredShellBackend.Psa)
            {
                Learn(CredShellBackend.Modem, "it refused a " + CredentialRules.Describe(type.Value) + " with -22, as the nRF modem backend does (no modem type)", null);
                return PskNotOnModemBackend(type.Value);
            }

            if (response.Contains("No reference slot available") || response.Contains("Not enough heap"))
            {
                Learn(CredShellBackend.Volatile, "it ran out of heap copies, which only the volatile backend makes", null);
                return new ModemException(ErrorIds.ShellCommandFailed, ModemErrorCategory.LimitsExceeded,
                    doing + " failed: the TLS credentials shell has no room left for a heap copy ('" + said + "'). Nothing was stored.",
                    "Delete credentials you no longer need (Remove-ModemCredential), or build the firmware with larger HEAP_MEM_POOL_ADD_SIZE_TLS_CRED_SHELL and TLS_MAX_CREDENTIALS_NUMBER.");
            }

            return new ModemException(ErrorIds.ShellCommandFailed, e == -12 ? ModemErrorCategory.LimitsExceeded : e == -17 || e == -120 ? ModemErrorCategory.ResourceBusy : ModemErrorCategory.DeviceError,
                doing + " failed: the TLS credentials shell answered '" + (said.Length == 0 ? "nothing" : said) + "'" + (e is int code ? Meaning(code, read: false) : "."),
                e switch
                {
                    -12 => "The store is full: delete credentials you no longer need (Remove-ModemCredential), or build the firmware with a larger TLS_MAX_CREDENTIALS_NUMBER (4 by default on the volatile and PSA backends).",
                    -17 => "Another program added it meanwhile: list again (Get-ModemCredential) and replace it with -Force.",
                    -5 => "On PSA protected storage this is a storage failure (a credential above the TF-M asset size limit fails so); on the modem backend the modem answered ERROR. Check the content and the size.",
                    -22 => "The modem refused the content (CME 527 or 50): check that it is a valid certificate or key for this type.",
                    _ => "Check the credential and the firmware's TLS credentials configuration; keep a transcript (Connect-Modem -TranscriptPath) if it repeats.",
                });
        }

        private string Meaning(int e, bool read)
        {
            bool modem = Backend == CredShellBackend.Modem;
            string meaning = e switch
            {
                -1 => "EPERM: on the nRF modem backend the modem's CME 518, LTE active",
                -2 => "ENOENT: not found" + (modem ? " (the modem no longer holds it: deleted by AT after boot)" : string.Empty),
                -5 => "EIO: a storage failure, or on the nRF modem backend a plain ERROR from the modem",
                -7 => "E2BIG: the modem's memory failure (CME 23)",
                -12 => "ENOMEM: the store or its heap is full",
                -13 => "EACCES: the modem refuses access (CME 514)" + (read ? "; it does not return this type" : string.Empty),
                -17 => "EEXIST: already stored",
                -22 => "EINVAL: invalid content or parameters (the modem's CME 527 or 50)",
                -120 => "EALREADY: the modem already holds it (CME 519)",
                -134 => "ENOTSUP: not supported by this build",
                -140 => "ECANCELED: the modem's power-off warning is active (CME 528)",
                _ => "an errno of the firmware",
            };
            return " (error " + e.ToString(CultureInfo.InvariantCulture) + ", " + meaning + ").";
        }
    }
}
