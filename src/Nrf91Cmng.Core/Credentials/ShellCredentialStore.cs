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
    public sealed partial class ShellCredentialStore : ICredentialStore
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
    }
}
