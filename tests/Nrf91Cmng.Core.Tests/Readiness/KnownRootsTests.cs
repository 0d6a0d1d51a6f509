using Nrf91Cmng.Core.Readiness;
using Nrf91Cmng.Core.Tests.Crypto;
using Nrf91Cmng.Core.Tests.Fleet;

namespace Nrf91Cmng.Core.Tests.Readiness
{
    public class KnownRootsTests
    {
        public static TheoryData<string, string> Fixtures => new()
        {
            { "amazon-root-ca-1.pem", "Amazon Root CA 1" },
            { "nrf-cloud-coap-ca.pem", "nRF Cloud (CoAP CA)" },
            { "digicert-global-root-g2.pem", "DigiCert Global Root G2" },
            { "microsoft-rsa-root-2017.pem", "Microsoft RSA Root Certificate Authority 2017" },
            { "baltimore-cybertrust-root.pem", "Baltimore CyberTrust Root" },
        };

        [Theory]
        [MemberData(nameof(Fixtures))]
        public void Shipped_fingerprints_equal_the_public_keys_of_the_real_roots(string file, string name)
        {
            CertificateInfo cert = CertificateInfo.FromPem(TestFiles.ReadFixture(file));
            TrustedRoot root = KnownRoots.All.Single(r => r.Name == name);
            Assert.Equal(root.SpkiSha256, cert.PublicKey.Fingerprint);
            Assert.Same(root, KnownRoots.Find(cert.PublicKey.Fingerprint.ToLowerInvariant()));
            if (root.NotAfter is DateTimeOffset notAfter)
            {
                Assert.Equal(notAfter, cert.NotAfter);
            }

            Assert.True(cert.IsSelfIssued);
        }

        [Fact]
        public void Amazon_values_are_the_published_ones()
        {
            // https://www.amazontrust.com/repository/ "SHA-256 Hash of Subject Public Key Information".
            Assert.Equal("fbe3018031f9586bcbf41727e417b7d1c45c2f47f93be372a17b96b50757d5a2", KnownRoots.AmazonRootCa1.SpkiSha256.ToLowerInvariant());
            Assert.Equal("36abc32656acfc645c61b71613c4bf21c787f5cabbee48348d58597803d7abc9", KnownRoots.AmazonRootCa3.SpkiSha256.ToLowerInvariant());
            Assert.Equal(CertificateInfo.FromPem(Vectors.AmazonRootCa1).PublicKey.Fingerprint, KnownRoots.AmazonRootCa1.SpkiSha256);
        }

        [Fact]
        public void Pins_are_the_base64_of_the_fingerprints()
        {
            Assert.Equal("i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY=", Convert.ToBase64String(Convert.FromHexString(KnownRoots.DigiCertGlobalRootG2.SpkiSha256)));
            Assert.Equal("Y9mvm0exBk1JoQ57f9Vm28jKo5lFm/woKcVxrYxu80o=", Convert.ToBase64String(Convert.FromHexString(KnownRoots.BaltimoreCyberTrustRoot.SpkiSha256)));
            Assert.Equal("svcpi1K/LDysTd/nLeTWgqxYlXWVmC8rYjAa9ZfGmcU=", Convert.ToBase64String(Convert.FromHexString(KnownRoots.MicrosoftRsaRoot2017.SpkiSha256)));
        }

        [Fact]
        public void Fingerprints_are_unique_uppercase_hex()
        {
            Assert.Equal(KnownRoots.All.Count, KnownRoots.All.Select(r => r.SpkiSha256).Distinct().Count());
            Assert.All(KnownRoots.All, r => Assert.Matches("^[0-9A-F]{64}$", r.SpkiSha256));
            Assert.All(KnownRoots.All, r => Assert.False(string.IsNullOrEmpty(r.Source)));
        }

        [Fact]
        public void Profiles_name_known_roots()
        {
            foreach (ServerProfileKind kind in new[] { ServerProfileKind.AwsIot, ServerProfileKind.NrfCloudMqtt, ServerProfileKind.NrfCloudCoap, ServerProfileKind.AzureIot })
            {
                ServerProfile p = ServerProfile.Get(kind);
                Assert.NotEmpty(p.Requirements);
                Assert.All(p.AcceptedRoots, r => Assert.Contains(r, KnownRoots.All));
                Assert.True(p.Requirements[0].Required);
            }

            Assert.Throws<ArgumentOutOfRangeException>(() => ServerProfile.Get(ServerProfileKind.Custom));
        }
    }

    public class ModemClockTests
    {
        private static readonly DateTimeOffset s_host = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        [Theory]
        [InlineData("+CCLK: \"26/03/01,13:00:00+04\"", "2026-03-01T12:00:00+00:00")]
        [InlineData("\"26/03/01,10:30:00-06\"", "2026-03-01T12:00:00+00:00")]
        [InlineData("26/03/01,12:00:00", "2026-03-01T12:00:00+00:00")]
        [InlineData("+CCLK: \"26/03/02,23:00:00+00\"", "2026-03-02T23:00:00+00:00")]
        public void Valid_times_convert_to_utc(string text, string utc)
        {
            ModemClock c = ModemClock.Parse(text, s_host);
            Assert.Equal(ModemClockState.Valid, c.State);
            Assert.True(c.IsValid);
            Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), c.Utc);
        }

        [Theory]
        [InlineData(null, ModemClockState.Missing)]
        [InlineData("  ", ModemClockState.Missing)]
        [InlineData("ERROR", ModemClockState.Unparsable)]
        [InlineData("+CCLK: \"26/02/30,12:00:00+00\"", ModemClockState.Unparsable)]
        [InlineData("+CCLK: \"15/02/01,00:00:00+00\"", ModemClockState.NotSet)]
        [InlineData("+CCLK: \"19/06/01,00:00:00+00\"", ModemClockState.NotSet)]
        [InlineData("+CCLK: \"80/01/06,00:01:10+00\"", ModemClockState.Implausible)]
        [InlineData("+CCLK: \"26/03/10,00:00:00+00\"", ModemClockState.Implausible)]
        public void Bogus_readings_are_never_a_time(string? text, ModemClockState state)
        {
            ModemClock c = ModemClock.Parse(text, s_host);
            Assert.Equal(state, c.State);
            Assert.Null(c.Utc);
            Assert.False(c.IsValid);
            Assert.False(string.IsNullOrEmpty(c.Description));
        }
    }
}
