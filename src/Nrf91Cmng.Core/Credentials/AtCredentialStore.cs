namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>
    /// The credential store through the AT console: <c>AT%CMNG</c> list (1), read (2), write (0) and
    /// delete (3), one command each, with CME codes explained for the command family. Through a Zephyr
    /// shell's <c>at</c> a multi-line credential goes with <c>\n</c> escapes, which only a firmware built
    /// with <c>CONFIG_AT_SHELL_UNESCAPE_LF</c> turns into CR LF; the firmware cannot be asked, so before
    /// the first such write of a session a tiny two-line PSK identity is written to a free scratch
    /// sec_tag, its listed digest read and the probe deleted (<see cref="ProbeUnescape"/>). A shell that
    /// stores the two characters instead is refused with what to enable, before any of the credential
    /// is sent; one that unescapes stores CR LF, and the digests this store computes are those of CR LF.
    /// </summary>
    public sealed class AtCredentialStore : ICredentialStore
    {
        private static readonly Regex s_cmng = new Regex(
            "^%CMNG:\\s*(?<tag>\\d+)\\s*,\\s*(?<type>\\d+)\\s*(?:,\\s*\"(?<sha>[^\"]*)\")?\\s*(?:,\\s*\"(?<content>.*)\")?\\s*$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline);

        private static readonly Regex s_hex64 = new Regex("^[0-9A-Fa-f]{64}$", RegexOptions.CultureInvariant);

        private readonly ModemClient _client;

        /// <summary>The store of the modem <paramref name="client"/> talks to.</summary>
        public AtCredentialStore(ModemClient client)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
        }

        /// <inheritdoc />
        public string Location => _client.Channel.Transport.Name;

        /// <inheritdoc />
        public FirmwareInfo Firmware => _client.Identity.Firmware;

        /// <inheritdoc />
        public IFunctionalModeControl? FunctionalMode => _client.FunctionalModeReadable ? _client : null;

        /// <inheritdoc />
        public IDisposable Exclusive() => _client.Exclusive();

        /// <inheritdoc />
        public IDisposable? TryExclusive(TimeSpan timeout) => _client.TryExclusive(timeout);

        /// <summary>The sec_tags the unescape probe may use, highest first (user tags; the first free one is taken).</summary>
        internal static readonly uint[] ScratchSecTags = { 2147483647, 2147483646, 2147483645, 2147483644 };

        private const string ProbeText = "nrf91cmng\\nprobe";

        /// <inheritdoc />
        public string DigestAfterWrite(string content) => CredentialContent.ComputeDigest(TextAfterWrite(content));

        /// <inheritdoc />
        public string TextAfterWrite(string content) =>
            _client.Channel.IsShell && content is not null ? content.Replace("\r", string.Empty).Replace("\n", "\r\n") : content!;

        /// <inheritdoc />
        public string DigestOf(string text, CredentialType type) => CredentialContent.ComputeDigest(text);

        /// <inheritdoc />
        public bool IsDigestOf(string listedSha256, string text, CredentialType type) =>
            string.Equals(listedSha256, CredentialContent.ComputeDigest(text), StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc />
        public IReadOnlyList<CredentialEntry> List(uint? secTag, CredentialType? type, IModemLog? log, CancellationToken cancellationToken)
        {
            if (type is not null && secTag is null)
            {
                throw new ArgumentException("A type filter needs a sec_tag.", nameof(type));
            }

            string command = "AT%CMNG=1"
                + (secTag is uint t ? "," + t.ToString(CultureInfo.InvariantCulture) : string.Empty)
                + (type is CredentialType k ? "," + Number(k) : string.Empty);
            AtResponse response = _client.Execute(new AtRequest(command) { ResponsePrefix = "%CMNG:" }, CommandFamily.CredentialList, log, cancellationToken);
            var entries = new List<CredentialEntry>(response.Lines.Count);
            foreach (string line in response.Lines)
            {
                entries.Add(ParseEntry(line, withContent: false));
            }

            return entries;
        }

        /// <inheritdoc />
        public CredentialEntry Read(uint secTag, CredentialType type, IModemLog? log, CancellationToken cancellationToken)
        {
            string command = "AT%CMNG=2," + secTag.ToString(CultureInfo.InvariantCulture) + "," + Number(type);
            AtResponse response = _client.Execute(new AtRequest(command) { ResponsePrefix = "%CMNG:" }, CommandFamily.CredentialRead, log, cancellationToken);
            if (response.Lines.Count == 0)
            {
                throw new ModemProtocolException(ErrorIds.UnexpectedResponse, "'" + command + "' answered OK without a %CMNG line.");
            }

            return ParseEntry(response.Lines[0], withContent: true);
        }

        /// <inheritdoc />
        public void Write(uint secTag, CredentialType type, string content, string? passphrase, bool replacing, IModemLog? log, CancellationToken cancellationToken)
        {
            if (content is null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            string head = "AT%CMNG=0," + secTag.ToString(CultureInfo.InvariantCulture) + "," + Number(type) + ",\"";
            string command = head + content + "\"" + (passphrase is null ? string.Empty : ",\"" + passphrase + "\"");
            var request = new AtRequest(command)
            {
                DisplayText = head + CommandRedactor.DescribeContent(content) + "\"" + (passphrase is null ? string.Empty : ",\"<passphrase hidden>\""),
                Timeout = _client.Options.WriteTimeout,
                SlowBecause = "writing the credential to flash",
            };
            if (_client.Channel.IsShell)
            {
                // The whole write must fit the shell's command buffer, and line breaks need an 'at' that unescapes them:
                // both are settled before any of the content goes out.
                _client.Channel.EnsureShellLineFits(_client.Channel.Frame(command).Length, request.Display, log, cancellationToken);
                if (content.IndexOf('\n') >= 0 || content.IndexOf('\r') >= 0)
                {
                    EnsureUnescapes(secTag, type, log, cancellationToken);
                }
            }

            _client.Execute(request, CommandFamily.CredentialWrite, log, cancellationToken,
                "Writing the " + CredentialRules.Describe(type) + " to sec_tag " + secTag.ToString(CultureInfo.InvariantCulture));
        }

        /// <inheritdoc />
        public void Delete(uint secTag, CredentialType type, IModemLog? log, CancellationToken cancellationToken)
        {
            string command = "AT%CMNG=3," + secTag.ToString(CultureInfo.InvariantCulture) + "," + Number(type);
            _client.Execute(new AtRequest(command) { Timeout = _client.Options.WriteTimeout }, CommandFamily.CredentialDelete, log, cancellationToken,
                "Deleting the " + CredentialRules.Describe(type) + " at sec_tag " + secTag.ToString(CultureInfo.InvariantCulture));
        }

        /// <summary>
        /// Settles whether the shell's <c>at</c> unescapes <c>\n</c>: as the user declared (-ShellUnescapeLf),
        /// as an earlier probe of this session found, or with <see cref="ProbeUnescape"/> now.
        /// </summary>
        private void EnsureUnescapes(uint secTag, CredentialType type, IModemLog? log, CancellationToken cancellationToken)
        {
            _client.ShellUnescapesLf ??= ProbeUnescape(log, cancellationToken);
            if (_client.ShellUnescapesLf == false)
            {
                throw new ModemException(ErrorIds.ShellNoUnescape, ModemErrorCategory.NotImplemented,
                    "The " + CredentialRules.Describe(type) + " for sec_tag " + secTag.ToString(CultureInfo.InvariantCulture) + " has several lines, but the shell's 'at' command on " + Location
                    + " passes \\n to the modem as two characters (a probe write to a scratch sec_tag, since deleted, was stored that way): the modem would store one broken line instead of the PEM (firmware 2.0.2 and later refuse it with 527). Nothing of the credential was sent.",
                    "Build the firmware with CONFIG_AT_SHELL_UNESCAPE_LF=y (NCS 2.8 or later), or write through the TLS credentials shell 'cred' (CONFIG_TLS_CREDENTIALS_SHELL=y; Connect-Modem picks it when the shell has it) or a raw AT console (at_client, -CommandMode At).");
            }
        }

        /// <summary>
        /// The one-time probe: writes the two-line PSK identity <c>nrf91cmng\nprobe</c> to the first free
        /// scratch sec_tag (<see cref="ScratchSecTags"/>, type 4), reads the digest the modem lists for it
        /// (or its content, on firmware that lists placeholders), deletes it, and says whether the modem
        /// stored CR LF (true) or the two characters <c>\n</c> (false). Needs the modem offline, like any
        /// write (callers run inside the offline guard). Four commands.
        /// </summary>
        /// <exception cref="ModemException">The probe could not decide (no free scratch tag, an unexpected digest).</exception>
        public bool ProbeUnescape(IModemLog? log, CancellationToken cancellationToken)
        {
            log ??= NullModemLog.Instance;
            uint? scratch = null;
            foreach (uint tag in ScratchSecTags)
            {
                if (List(tag, CredentialType.PskIdentity, log, cancellationToken).Count == 0)
                {
                    scratch = tag;
                    break;
                }
            }

            if (scratch is not uint probeTag)
            {
                throw new ModemException(ErrorIds.ShellNoUnescape, ModemErrorCategory.InvalidOperation,
                    "Whether the shell's 'at' on " + Location + " unescapes \\n cannot be probed: the scratch sec_tags " + string.Join(", ", ScratchSecTags) + " all hold a PSK identity. Nothing was sent.",
                    "If the firmware has CONFIG_AT_SHELL_UNESCAPE_LF=y, connect with -ShellUnescapeLf; otherwise use the TLS credentials shell ('cred') or a raw AT console.");
            }

            log.Verbose("Probing whether the shell's 'at' turns \\n into CR LF (CONFIG_AT_SHELL_UNESCAPE_LF): a two-line PSK identity to scratch sec_tag " + probeTag + ", then read back and deleted. Connect with -ShellUnescapeLf to skip this.");
            string head = "AT%CMNG=0," + probeTag.ToString(CultureInfo.InvariantCulture) + ",4,\"";
            _client.Execute(new AtRequest(head + ProbeText.Replace("\\n", "\n") + "\"") { Timeout = _client.Options.WriteTimeout }, CommandFamily.CredentialWrite, log, cancellationToken,
                "Writing the unescape probe to scratch sec_tag " + probeTag.ToString(CultureInfo.InvariantCulture));
            try
            {
                CredentialEntry? entry = List(probeTag, CredentialType.PskIdentity, log, cancellationToken).FirstOrDefault();
                string? stored = null;
                if (entry?.Sha256 is string sha)
                {
                    stored = IsDigestOf(sha, "nrf91cmng\r\nprobe", CredentialType.PskIdentity) ? "crlf"
                        : IsDigestOf(sha, ProbeText, CredentialType.PskIdentity) ? "escaped" : null;
                }
                else if (entry is not null)
                {
                    string content = Read(probeTag, CredentialType.PskIdentity, log, cancellationToken).Content ?? string.Empty;
                    stored = content == "nrf91cmng\r\nprobe" ? "crlf" : content == ProbeText ? "escaped" : null;
                }

                switch (stored)
                {
                    case "crlf":
                        log.Verbose("The shell's 'at' unescapes \\n: multi-line credentials are stored with CR LF line ends.");
                        return true;
                    case "escaped":
                        log.Verbose("The shell's 'at' does not unescape \\n (CONFIG_AT_SHELL_UNESCAPE_LF is off).");
                        return false;
                    default:
                        throw new ModemException(ErrorIds.ShellNoUnescape, ModemErrorCategory.DeviceError,
                            "The unescape probe written through the shell's 'at' to sec_tag " + probeTag + " was stored as neither CR LF nor a literal \\n (" + (entry is null ? "it is not listed" : "listed SHA-256 " + (entry.Sha256 ?? "placeholder")) + "). Nothing of the credential was sent.",
                            "Keep a transcript (Connect-Modem -TranscriptPath) and report it; meanwhile write through the TLS credentials shell ('cred') or a raw AT console.");
                }
            }
            finally
            {
                _client.Execute(new AtRequest("AT%CMNG=3," + probeTag.ToString(CultureInfo.InvariantCulture) + ",4") { Timeout = _client.Options.WriteTimeout }, CommandFamily.CredentialDelete, log, cancellationToken,
                    "Deleting the unescape probe at scratch sec_tag " + probeTag.ToString(CultureInfo.InvariantCulture));
            }
        }

        /// <summary>Parses one <c>%CMNG:</c> line.</summary>
        public static CredentialEntry ParseEntry(string line, bool withContent)
        {
            Match m = s_cmng.Match(line);
            if (!m.Success
                || !uint.TryParse(m.Groups["tag"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out uint tag)
                || !int.TryParse(m.Groups["type"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                throw new ModemProtocolException(ErrorIds.UnexpectedResponse, "Cannot parse the credential line '" + Messages.Shorten(line, 100) + "'.",
                    "Expected %CMNG: <sec_tag>,<type>,\"<sha256>\"; check that the port carries an nRF91 AT console.");
            }

            CredentialType type = CredentialRules.FromNumber(number);
            string? sha = null;
            bool placeholder = false;
            if (m.Groups["sha"].Success && m.Groups["sha"].Value.Length > 0)
            {
                string value = m.Groups["sha"].Value;
                if (!s_hex64.IsMatch(value))
                {
                    throw new ModemProtocolException(ErrorIds.UnexpectedResponse,
                        "The modem listed sec_tag " + tag.ToString(CultureInfo.InvariantCulture) + " type " + number.ToString(CultureInfo.InvariantCulture)
                        + " with a digest of " + value.Length.ToString(CultureInfo.InvariantCulture) + " characters; a SHA-256 has 64 hex digits.",
                        "The reply was corrupted on the line: retry; if it repeats, check the serial settings.");
                }

                placeholder = CredentialContent.IsPlaceholderDigest(value, type);
                sha = placeholder ? null : value.ToUpperInvariant();
            }

            string? content = withContent && m.Groups["content"].Success ? m.Groups["content"].Value : null;
            return new CredentialEntry(tag, type, sha, placeholder, content);
        }

        private static string Number(CredentialType type) => ((int)type).ToString(CultureInfo.InvariantCulture);
    }
}
