namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>How line endings of PEM content are written into <c>AT%CMNG=0</c>.</summary>
    public enum LineEndingPolicy
    {
        /// <summary>
        /// The default: LF line endings and exactly one trailing newline; leading and trailing
        /// blank lines and surrounding whitespace removed. This is what real mfw 1.3.5 stored for
        /// the nRF Cloud installer (Amazon Root CA 1: 1188 bytes, SHA-256 2C43952E...F05BD1), what
        /// Nordic staff recommend (every PEM line ends with a newline) and what mfw 2.0.2+ accepts
        /// (it refused CR LF pasted from a terminal with CME 527).
        /// </summary>
        Lf = 0,

        /// <summary>As <see cref="Lf"/> but with CR LF (what nRF Cloud Utils store since July 2025).</summary>
        CrLf = 1,

        /// <summary>The text exactly as given (only a UTF-8 byte order mark is removed).</summary>
        Preserve = 2,
    }

    /// <summary>
    /// Turns credential text into the exact bytes sent between the quotes of <c>AT%CMNG=0</c>, and
    /// computes the digest the modem lists for them: uppercase hex SHA-256 of exactly those bytes.
    /// </summary>
    /// <remarks>
    /// PEM types (RootCA, ClientCertificate, ClientPrivateKey, PublicKey) follow the
    /// <see cref="LineEndingPolicy"/>. Single-line types never carry a line break, whatever the
    /// policy: a PSK is trimmed of all surrounding whitespace, a PSK identity of surrounding line
    /// breaks (its spaces are kept), and neither gets a trailing newline.
    /// </remarks>
    public static class CredentialContent
    {
        /// <summary>The policy used when none is given.</summary>
        public const LineEndingPolicy DefaultPolicy = LineEndingPolicy.Lf;

        private const char ByteOrderMark = '\uFEFF';

        /// <summary>The content of <paramref name="type"/> as it will be sent under <paramref name="policy"/>.</summary>
        public static string Normalize(string text, CredentialType type, LineEndingPolicy policy = DefaultPolicy)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            string s = StripByteOrderMark(text);
            switch (type)
            {
                case CredentialType.Psk:
                    return s.Trim(' ', '\t', '\r', '\n');
                case CredentialType.PskIdentity:
                    return s.Trim('\r', '\n');
                default:
                    return NormalizeLineEndings(s, policy);
            }
        }

        /// <summary>Applies <paramref name="policy"/> to multi-line (PEM) text.</summary>
        public static string NormalizeLineEndings(string text, LineEndingPolicy policy)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            string s = StripByteOrderMark(text);
            switch (policy)
            {
                case LineEndingPolicy.Preserve:
                    return s;
                case LineEndingPolicy.CrLf:
                    return JoinLines(s.Trim(), "\r\n", trailing: true);
                default:
                    return JoinLines(s.Trim(), "\n", trailing: true);
            }
        }

        /// <summary>The bytes sent for normalised content (UTF-8; the validator makes sure it is ASCII).</summary>
        public static byte[] GetBytes(string content)
        {
            if (content is null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            return Encoding.UTF8.GetBytes(content);
        }

        /// <summary>Uppercase hex SHA-256 of exactly <paramref name="bytes"/>: the digest %CMNG lists.</summary>
        public static string ComputeDigest(byte[] bytes)
        {
            if (bytes is null)
            {
                throw new ArgumentNullException(nameof(bytes));
            }

            return Encodings.Sha256Hex(bytes);
        }

        /// <summary>Uppercase hex SHA-256 of the UTF-8 bytes of <paramref name="content"/>, taken as sent (no normalisation).</summary>
        public static string ComputeDigest(string content) => ComputeDigest(GetBytes(content));

        /// <summary>The digest the modem will list after writing <paramref name="text"/> as <paramref name="type"/> under <paramref name="policy"/>.</summary>
        public static string ComputeDigest(string text, CredentialType type, LineEndingPolicy policy = DefaultPolicy) =>
            ComputeDigest(Normalize(text, type, policy));

        /// <summary>
        /// True for the placeholder digests firmware before about mfw 1.3 lists instead of a
        /// SHA-256: one byte value repeated, the type number (0303...03 for a PSK). Without
        /// <paramref name="type"/> any of the type numbers 0-11 counts.
        /// </summary>
        public static bool IsPlaceholderDigest(string digest, CredentialType? type = null)
        {
            string d = NormalizeDigest(digest);
            for (int i = 2; i < d.Length; i += 2)
            {
                if (d[i] != d[0] || d[i + 1] != d[1])
                {
                    return false;
                }
            }

            int value = (HexValue(d[0]) << 4) | HexValue(d[1]);
            return type is CredentialType t ? value == ((int)t & 0xFF) : value <= 11;
        }

        private static int HexValue(char c) => c <= '9' ? c - '0' : c - 'A' + 10;

        /// <summary>Every stored form real tools produce from <paramref name="localText"/>, with its digest.</summary>
        public static IReadOnlyList<DigestCandidate> GetDigestCandidates(string localText)
        {
            if (localText is null)
            {
                throw new ArgumentNullException(nameof(localText));
            }

            string s = StripByteOrderMark(localText);
            string core = s.Trim();
            string lf = JoinLines(core, "\n", trailing: true);
            string lfBare = JoinLines(core, "\n", trailing: false);
            string crlf = JoinLines(core, "\r\n", trailing: true);
            string crlfBare = JoinLines(core, "\r\n", trailing: false);
            var trimmedLines = new List<string>();
            foreach (string line in SplitLines(core))
            {
                trimmedLines.Add(line.Trim());
            }

            var candidates = new List<DigestCandidate>
            {
                Candidate(DigestVariant.Lf, lf),
                Candidate(DigestVariant.LfNoTrailingNewline, lfBare),
                Candidate(DigestVariant.CrLf, crlf),
                Candidate(DigestVariant.CrLfNoTrailingNewline, crlfBare),
                Candidate(DigestVariant.LeadingNewline, "\n" + lf),
                Candidate(DigestVariant.LeadingNewlineNoTrailingNewline, "\n" + lfBare),
                Candidate(DigestVariant.TrimmedLinesCrLf, string.Join("\r\n", trimmedLines)),
                Candidate(DigestVariant.TrimmedLinesLf, string.Join("\n", trimmedLines) + "\n"),
                Candidate(DigestVariant.AsIs, s),
                Candidate(DigestVariant.TrailingWhitespaceStripped, s.TrimEnd()),
                Candidate(DigestVariant.Trimmed, core),
            };
            return candidates;
        }

        /// <summary>
        /// Line-ending-aware verification: tries the stored forms real tools produce from
        /// <paramref name="localText"/> (LF / CR LF, with and without a trailing newline, with a
        /// leading newline, each line trimmed, trailing whitespace stripped, as is) against the
        /// digest the modem lists, and reports which one matches, so a user learns why the digest
        /// differs from the one this module computes.
        /// </summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.CredentialDigestMalformed"/> when <paramref name="modemSha256"/> is not 64 hex digits.</exception>
        public static DigestVariantReport DigestVariants(string localText, string modemSha256) => DigestVariants(localText, modemSha256, null, null);

        /// <summary>
        /// As <see cref="DigestVariants(string, string)"/> for a store that does not list the plain
        /// SHA-256 of the text: <paramref name="digest"/> gives the digest it lists for a candidate text
        /// (shown per candidate), <paramref name="matches"/> whether the listed one belongs to it
        /// (a store may accept more than one form while it does not know its backend).
        /// </summary>
        public static DigestVariantReport DigestVariants(string localText, string modemSha256, Func<string, string>? digest, Func<string, bool>? matches)
        {
            string expected = NormalizeDigest(modemSha256);
            IReadOnlyList<DigestCandidate> candidates = GetDigestCandidates(localText);
            if (digest is not null)
            {
                var listed = new List<DigestCandidate>(candidates.Count);
                foreach (DigestCandidate c in candidates)
                {
                    listed.Add(new DigestCandidate(c.Variant, c.Content, digest(c.Content), c.Length, c.Description));
                }

                candidates = listed;
            }

            var matching = new List<DigestVariant>();
            foreach (DigestCandidate c in candidates)
            {
                if (matches is null ? string.Equals(c.Sha256, expected, StringComparison.Ordinal) : matches(c.Content))
                {
                    matching.Add(c.Variant);
                }
            }

            return new DigestVariantReport(expected, IsPlaceholderDigest(expected), candidates, matching);
        }

        /// <summary>Who stores content in <paramref name="variant"/> form.</summary>
        public static string DescribeVariant(DigestVariant variant)
        {
            switch (variant)
            {
                case DigestVariant.Lf:
                    return "LF line endings with one trailing newline: what Nrf91Cmng writes by default, and what the nRF Cloud Utils installer stored in 2021-2023";
                case DigestVariant.LfNoTrailingNewline:
                    return "LF line endings without a final newline: nrfcredstore 1.1.1 and later in AT mode (it strips trailing whitespace)";
                case DigestVariant.CrLf:
                    return "CR LF line endings with a trailing CR LF: nRF Cloud Utils since July 2025, cloud-device-helpers, and Nrf91Cmng with -LineEnding CrLf";
                case DigestVariant.CrLfNoTrailingNewline:
                    return "CR LF line endings without a final newline: nrfcredstore or nRF Cloud Utils through an AT shell (the shell turns \\n into CR LF)";
                case DigestVariant.LeadingNewline:
                    return "a newline before the PEM, LF line endings: nrfcredstore 1.1.0 and earlier, at_cmng_builder";
                case DigestVariant.LeadingNewlineNoTrailingNewline:
                    return "a newline before the PEM, LF line endings, no final newline: nrfcredstore 1.1.0 and earlier";
                case DigestVariant.TrimmedLinesCrLf:
                    return "every line trimmed, CR LF between lines, no final newline: LTE Link Monitor / modemtalk";
                case DigestVariant.TrimmedLinesLf:
                    return "every line trimmed, LF line endings with a trailing newline";
                case DigestVariant.AsIs:
                    return "exactly the local text, with its own line endings";
                case DigestVariant.TrailingWhitespaceStripped:
                    return "the local text with its own line endings, trailing whitespace and newlines stripped";
                case DigestVariant.Trimmed:
                    return "the local text with its own line endings, trimmed at both ends: nRF Connect for Desktop Cellular Monitor";
                default:
                    return variant.ToString();
            }
        }

        /// <summary>Uppercase form of a 64-hex-digit digest (quotes and spaces around it removed).</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.CredentialDigestMalformed"/>.</exception>
        public static string NormalizeDigest(string digest)
        {
            string d = (digest ?? string.Empty).Trim().Trim('"').Trim();
            bool ok = d.Length == 64;
            for (int i = 0; ok && i < d.Length; i++)
            {
                ok = Encodings.IsHexDigit(d[i]);
            }

            if (!ok)
            {
                throw new ModemException(ErrorIds.CredentialDigestMalformed, ModemErrorCategory.InvalidArgument,
                    "'" + Messages.Shorten(d) + "' is not a SHA-256 digest: 64 hexadecimal digits are expected.",
                    "Pass the digest exactly as the modem lists it (AT%CMNG=1 shows it in quotes).");
            }

            return d.ToUpperInvariant();
        }

        internal static string StripByteOrderMark(string text) =>
            text.Length > 0 && text[0] == ByteOrderMark ? text.Substring(1) : text;

        /// <summary>Splits at CR LF, lone CR and LF.</summary>
        internal static List<string> SplitLines(string text)
        {
            var lines = new List<string>();
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\r' || c == '\n')
                {
                    lines.Add(text.Substring(start, i - start));
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    start = i + 1;
                }
            }

            lines.Add(text.Substring(start));
            return lines;
        }

        private static string JoinLines(string core, string newline, bool trailing)
        {
            if (core.Length == 0)
            {
                return string.Empty;
            }

            string joined = string.Join(newline, SplitLines(core));
            return trailing ? joined + newline : joined;
        }

        private static DigestCandidate Candidate(DigestVariant variant, string content)
        {
            byte[] bytes = GetBytes(content);
            return new DigestCandidate(variant, content, ComputeDigest(bytes), bytes.Length, DescribeVariant(variant));
        }

    }

    /// <summary>A stored form of a credential that some tool produces (see <see cref="CredentialContent.DigestVariants"/>).</summary>
    public enum DigestVariant
    {
        /// <summary>LF line endings with one trailing newline (the default policy).</summary>
        Lf,

        /// <summary>LF line endings without a final newline (nrfcredstore ≥ 1.1.1).</summary>
        LfNoTrailingNewline,

        /// <summary>CR LF line endings with a trailing CR LF (nRF Cloud Utils since 2025).</summary>
        CrLf,

        /// <summary>CR LF line endings without a final newline (AT shell mode).</summary>
        CrLfNoTrailingNewline,

        /// <summary>A newline, then the PEM with LF and a trailing newline (nrfcredstore ≤ 1.1.0, at_cmng_builder).</summary>
        LeadingNewline,

        /// <summary>A newline, then the PEM with LF and no final newline.</summary>
        LeadingNewlineNoTrailingNewline,

        /// <summary>Each line trimmed, CR LF between lines, no final newline (Link Monitor / modemtalk).</summary>
        TrimmedLinesCrLf,

        /// <summary>Each line trimmed, LF line endings with a trailing newline.</summary>
        TrimmedLinesLf,

        /// <summary>The local text exactly.</summary>
        AsIs,

        /// <summary>The local text with trailing whitespace removed.</summary>
        TrailingWhitespaceStripped,

        /// <summary>The local text trimmed at both ends (Cellular Monitor).</summary>
        Trimmed,
    }

    /// <summary>One candidate form and its digest.</summary>
    public sealed class DigestCandidate
    {
        internal DigestCandidate(DigestVariant variant, string content, string sha256, int length, string description)
        {
            Variant = variant;
            Content = content;
            Sha256 = sha256;
            Length = length;
            Description = description;
        }

        /// <summary>The form.</summary>
        public DigestVariant Variant { get; }

        /// <summary>The text in that form.</summary>
        public string Content { get; }

        /// <summary>Uppercase hex SHA-256 of that form.</summary>
        public string Sha256 { get; }

        /// <summary>Its length in bytes.</summary>
        public int Length { get; }

        /// <summary>Who stores this form.</summary>
        public string Description { get; }

        /// <inheritdoc />
        public override string ToString() => Variant + " " + Sha256 + " (" + Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes)";
    }

    /// <summary>The outcome of <see cref="CredentialContent.DigestVariants"/>.</summary>
    public sealed class DigestVariantReport
    {
        internal DigestVariantReport(string expected, bool placeholder, IReadOnlyList<DigestCandidate> candidates, IReadOnlyList<DigestVariant> matching)
        {
            ModemSha256 = expected;
            IsPlaceholder = placeholder;
            Candidates = candidates;
            MatchingVariants = matching;
            MatchedVariant = matching.Count > 0 ? matching[0] : (DigestVariant?)null;
        }

        /// <summary>The modem's digest (uppercase).</summary>
        public string ModemSha256 { get; }

        /// <summary>True when the modem listed a placeholder (firmware before about 1.3): nothing can match.</summary>
        public bool IsPlaceholder { get; }

        /// <summary>The first matching form in the order of <see cref="DigestVariant"/> (most common first), or null.</summary>
        public DigestVariant? MatchedVariant { get; }

        /// <summary>Name of <see cref="MatchedVariant"/> ("Lf", "CrLf", ...), or "None".</summary>
        public string MatchedVariantName => MatchedVariant?.ToString() ?? "None";

        /// <summary>True when some form matches.</summary>
        public bool IsMatch => MatchedVariant.HasValue;

        /// <summary>Every matching form (several when they produce the same bytes).</summary>
        public IReadOnlyList<DigestVariant> MatchingVariants { get; }

        /// <summary>Every form tried, with its digest.</summary>
        public IReadOnlyList<DigestCandidate> Candidates { get; }

        /// <summary>The finding in words.</summary>
        public string Explanation
        {
            get
            {
                if (MatchedVariant is DigestVariant v)
                {
                    return v == DigestVariant.Lf
                        ? "The modem holds this content in the form Nrf91Cmng writes: " + CredentialContent.DescribeVariant(v) + "."
                        : "The modem holds this content, stored as " + CredentialContent.DescribeVariant(v) + ". It is the same credential; only the stored bytes differ from what Nrf91Cmng writes by default.";
                }

                return IsPlaceholder
                    ? "The modem listed a placeholder digest (firmware before mfw 1.3 does not compute SHA-256), so the content cannot be compared."
                    : "None of the " + Candidates.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " stored forms of the local text matches: the modem holds different content (another file or another version of it).";
            }
        }

        /// <inheritdoc />
        public override string ToString() => MatchedVariantName;
    }
}
