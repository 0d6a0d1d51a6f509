using Nrf91Cmng.Core.Fleet;
using Nrf91Cmng.Core.Onboarding;

namespace Nrf91Cmng.Core.Readiness
{
    /// <summary>
    /// The offline TLS readiness check of nRF91 sec_tags (checklist R1-R17 of
    /// onboarding-and-readiness.md, Part B): a pure function of what was read from the modem
    /// (list, readable contents, clock, identity) and what was planned or recorded. Every check
    /// of every reported sec_tag is present in the result, with its status, the reason, the
    /// evidence and the remedy. A sec_tag is ready when no check failed.
    /// </summary>
    /// <remarks>
    /// Not checkable offline at all, and therefore never claimed: whether the private key belongs
    /// to the certificate when the key was generated in the modem and no record exists, the PSK
    /// value, cipher-suite fit, the server's own chain size, the application's sec_tag list,
    /// peer-verify level and hostname, and registration on the cloud side.
    /// </remarks>
    public static partial class ReadinessEngine
    {
        /// <summary>The largest command at_host takes (its 4096-byte buffer less the NUL).</summary>
        public const int MaxCommandLength = 4095;

        /// <summary>The modem's server certificate chain limit quoted by Nordic (devzone 114031).</summary>
        public const int ChainLimitBytes = 4096;

        /// <summary>A modem clock further than this from the host's is a warning.</summary>
        public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

        /// <summary>What each check looks at, by id.</summary>
        public static IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>
        {
            ["R1"] = "sec_tag in the user range",
            ["R2"] = "a root CA at the sec_tag",
            ["R3"] = "complete pairs: certificate with key, PSK with identity",
            ["R4"] = "real digests, not placeholders",
            ["R5"] = "digests equal the planned or recorded content",
            ["R6"] = "PEM well-formed as stored",
            ["R7"] = "root CA certificates parse and are CAs",
            ["R8"] = "sizes within the modem's limits",
            ["R9"] = "root CA matches the target server",
            ["R10"] = "root CA is not just the device-issuing CA",
            ["R11"] = "client certificate: kind, key type, chain order, issuer",
            ["R12"] = "client certificate CN matches the device ID",
            ["R13"] = "client certificate belongs to the key in the modem",
            ["R14"] = "modem clock valid",
            ["R15"] = "certificates valid now",
            ["R16"] = "PSK identity and PSK form",
            ["R17"] = "firmware capabilities",
        };

        /// <summary>Runs the checklist.</summary>
        /// <exception cref="ModemException"><see cref="ErrorIds.ReadinessInputInvalid"/> when the input is inconsistent.</exception>
        public static ReadinessReport Evaluate(ReadinessInput input)
        {
            if (input is null)
            {
                throw new ArgumentNullException(nameof(input));
            }

            if (input.WarnDays < 0)
            {
                throw new ModemException(ErrorIds.ReadinessInputInvalid, ModemErrorCategory.InvalidArgument, "WarnDays must not be negative.", "Give a number of days, e.g. 30.");
            }

            DateTimeOffset host = input.HostTime ?? DateTimeOffset.UtcNow;
            ModemClock clock = ModemClock.Parse(input.ModemClock, host);
            IEnumerable<uint> tags = input.SecTags ?? input.Listed.Select(e => e.SecTag).Where(t => t <= CredentialRules.LastTlsDecryptSecTag)
                .Concat(input.Expected.Select(e => e.SecTag));
            var reports = new List<SecTagReadiness>();
            foreach (uint tag in tags.Distinct().OrderBy(t => t))
            {
                var context = new TagContext(tag, input, host, clock);
                reports.Add(new SecTagReadiness(tag, context.Run()));
            }

            return new ReadinessReport(reports, clock, host);
        }

        private sealed class Known
        {
            public Known(string text, string origin, bool isStoredBytes, DigestVariant? variant)
            {
                Text = text;
                Origin = origin;
                IsStoredBytes = isStoredBytes;
                Variant = variant;
            }

            public string Text { get; }

            public string Origin { get; }

            /// <summary>True when <see cref="Text"/> is exactly what the modem stores (read back).</summary>
            public bool IsStoredBytes { get; }

            /// <summary>For expected content: the stored form whose digest matched.</summary>
            public DigestVariant? Variant { get; }
        }

        private sealed partial class TagContext
        {
            private readonly uint _tag;
            private readonly string _t;
            private readonly ReadinessInput _in;
            private readonly DateTimeOffset _host;
            private readonly ModemClock _clock;
            private readonly List<CredentialEntry> _listed;
            private readonly List<ExpectedCredential> _expected;
            private readonly Dictionary<int, Known?> _known = new Dictionary<int, Known?>();
            private readonly Dictionary<int, (IReadOnlyList<CertificateInfo>? Chain, string? Error)> _certificates = new Dictionary<int, (IReadOnlyList<CertificateInfo>?, string?)>();
            private List<CertificateInfo>? _issuingCas;

            public TagContext(uint tag, ReadinessInput input, DateTimeOffset host, ModemClock clock)
            {
                _tag = tag;
                _t = tag.ToString(CultureInfo.InvariantCulture);
                _in = input;
                _host = host;
                _clock = clock;
                _listed = input.Listed.Where(e => e.SecTag == tag).ToList();
                _expected = input.Expected.Where(e => e.SecTag == tag).ToList();
            }

            private CredentialEntry? Listed(CredentialType type) => _listed.FirstOrDefault(e => e.Type == type);

            private bool Has(CredentialType type) => Listed(type) is not null;

            private ExpectedCredential? Expected(CredentialType type) => _expected.FirstOrDefault(e => e.Type == type);

            private ServerProfile? Profile => _in.Profile;

            public List<ReadinessCheck> Run() => new List<ReadinessCheck>
            {
                R1(), R2(), R3(), R4(), R5(), R6(), R7(), R8(), R9(), R10(), R11(), R12(), R13(), R14(), R15(), R16(), R17(),
            };

            // ---- content we know -------------------------------------------------------------

            private Known? Content(CredentialType type)
            {
                if (_known.TryGetValue((int)type, out Known? cached))
                {
                    return cached;
                }

                Known? known = null;
                CredentialEntry? listed = Listed(type);
                CredentialEntry? read = _in.ReadBack.FirstOrDefault(e => e.SecTag == _tag && e.Type == type && e.Content is not null);
                if (read is not null)
                {
                    known = new Known(read.Content!, "read back from the modem", true, null);
                }
                else if (listed?.Sha256 is string digest)
                {
                    ExpectedCredential? e = Expected(type);
                    if (e?.Content is not null)
                    {
                        DigestVariantReport match = CredentialContent.DigestVariants(e.Content, digest);
                        if (match.MatchedVariant is DigestVariant v)
                        {
                            known = new Known(e.Content, e.Source, false, v);
                        }
                    }

                    if (known is null && type == CredentialType.ClientCertificate && _in.Record?.FindGenerated(_tag) is RecordedCredential g &&
                        g.Certificate is not null && string.Equals(g.CertificateSha256, digest, StringComparison.Ordinal))
                    {
                        DigestVariantReport stored = CredentialContent.DigestVariants(g.Certificate, digest);
                        known = new Known(g.Certificate, "the provisioning record", false, stored.MatchedVariant);
                    }
                }

                _known[(int)type] = known;
                return known;
            }

            private IReadOnlyList<CertificateInfo>? Certificates(CredentialType type, out string? error)
            {
                if (_certificates.TryGetValue((int)type, out (IReadOnlyList<CertificateInfo>? Chain, string? Error) cached))
                {
                    error = cached.Error;
                    return cached.Chain;
                }

                error = null;
                IReadOnlyList<CertificateInfo>? chain = null;
                Known? k = Content(type);
                if (k is not null)
                {
                    try
                    {
                        chain = ParsedCertificates.Chain(k.Text);
                    }
                    catch (ModemException ex)
                    {
                        error = ex.Message;
                    }
                }

                _certificates[(int)type] = (chain, error);
                return chain;
            }

            private static string Words(CredentialType type) => CredentialRules.Describe(type);

            private static ReadinessCheck Check(string id, ReadinessStatus status, string reason, string? evidence = null, string? remedy = null) =>
                new ReadinessCheck(id, Titles[id], status, reason, evidence, remedy);

            private static ReadinessStatus Worst(IEnumerable<ReadinessStatus> statuses)
            {
                ReadinessStatus worst = ReadinessStatus.Pass;
                foreach (ReadinessStatus s in statuses)
                {
                    if (Rank(s) > Rank(worst))
                    {
                        worst = s;
                    }
                }

                return worst;
            }

            private static int Rank(ReadinessStatus s) => s switch
            {
                ReadinessStatus.Fail => 3,
                ReadinessStatus.Warn => 2,
                ReadinessStatus.NotCheckable => 1,
                _ => 0,
            };

            private static string Date(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        }

        private static string? NullIfEmpty(this string s) => s.Length == 0 ? null : s;
    }

    /// <summary>
    /// Parsed certificates by PEM text, shared across evaluations: a fleet check parses the same
    /// roots on every modem, and BouncyCastle's RSA key validation costs tens of milliseconds.
    /// <see cref="CertificateInfo"/> is immutable, so sharing is safe. Bounded; cleared when full.
    /// </summary>
    internal static class ParsedCertificates
    {
        private const int Capacity = 256;
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<CertificateInfo>> s_cache =
            new System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<CertificateInfo>>(StringComparer.Ordinal);

        /// <summary>As <see cref="CertificateInfo.ChainFromPem"/> (same exceptions; failures are not cached).</summary>
        public static IReadOnlyList<CertificateInfo> Chain(string pem)
        {
            if (s_cache.TryGetValue(pem, out IReadOnlyList<CertificateInfo>? chain))
            {
                return chain;
            }

            chain = CertificateInfo.ChainFromPem(pem);
            if (s_cache.Count >= Capacity)
            {
                s_cache.Clear();
            }

            s_cache[pem] = chain;
            return chain;
        }
    }
}
