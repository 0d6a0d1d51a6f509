using Nrf91Cmng.Core.Tests.Crypto;

namespace Nrf91Cmng.Core.Tests.Credentials
{
    public class CredentialContentTests
    {
        private static readonly string s_amazonCrLf = Vectors.AmazonRootCa1.Replace("\n", "\r\n");

        [Fact]
        public void Amazon_root_ca_with_the_default_policy_gives_the_digest_real_firmware_lists()
        {
            string content = CredentialContent.Normalize(Vectors.AmazonRootCa1, CredentialType.RootCA);
            Assert.Equal(1188, CredentialContent.GetBytes(content).Length);
            Assert.Equal(Vectors.AmazonRootCa1Sha256, CredentialContent.ComputeDigest(content));
            Assert.Equal(Vectors.AmazonRootCa1Sha256, CredentialContent.ComputeDigest(Vectors.AmazonRootCa1, CredentialType.RootCA));
            Assert.Equal(LineEndingPolicy.Lf, CredentialContent.DefaultPolicy);
        }

        [Theory]
        [InlineData("crlf")]
        [InlineData("bom")]
        [InlineData("no-trailing-newline")]
        [InlineData("blank-lines-around")]
        [InlineData("spaces-around")]
        [InlineData("cr-only")]
        [InlineData("two-trailing-newlines")]
        public void Default_policy_normalises_what_files_look_like(string form)
        {
            string pem = Vectors.AmazonRootCa1;
            string text = form switch
            {
                "crlf" => s_amazonCrLf,
                "bom" => "\uFEFF" + pem,
                "no-trailing-newline" => pem.TrimEnd('\n'),
                "blank-lines-around" => "\n\r\n  \n" + pem + "\n\n\r\n",
                "spaces-around" => "   " + pem + "  \t",
                "cr-only" => pem.Replace('\n', '\r'),
                "two-trailing-newlines" => pem + "\n",
                _ => throw new ArgumentException(form),
            };
            Assert.Equal(Vectors.AmazonRootCa1Sha256, CredentialContent.ComputeDigest(text, CredentialType.RootCA, LineEndingPolicy.Lf));
        }

        [Fact]
        public void Client_certificate_of_tv2_gives_its_computed_digest()
        {
            Assert.Equal(Vectors.Tv2ClientCertificateSha256, CredentialContent.ComputeDigest(Vectors.Tv2ClientCertificate, CredentialType.ClientCertificate));
            Assert.Equal(676, Encoding.ASCII.GetByteCount(Vectors.Tv2ClientCertificate));
        }

        [Fact]
        public void CrLf_policy_uses_crlf_with_one_trailing_crlf()
        {
            string content = CredentialContent.Normalize(Vectors.AmazonRootCa1, CredentialType.RootCA, LineEndingPolicy.CrLf);
            Assert.Equal(s_amazonCrLf, content);
            Assert.Equal(1208, content.Length);
            Assert.Equal("56AE01E6773BDAEC4BFB216D4005ADB06E4F680BD8BFB8BE4C683CE921681897", CredentialContent.ComputeDigest(content));
            Assert.Equal(content, CredentialContent.Normalize("\n" + Vectors.AmazonRootCa1 + "\n\n", CredentialType.RootCA, LineEndingPolicy.CrLf));
        }

        [Fact]
        public void Preserve_policy_keeps_the_text_but_drops_a_bom()
        {
            string text = "  " + s_amazonCrLf + "\n";
            Assert.Equal(text, CredentialContent.Normalize(text, CredentialType.RootCA, LineEndingPolicy.Preserve));
            Assert.Equal(text, CredentialContent.Normalize("\uFEFF" + text, CredentialType.RootCA, LineEndingPolicy.Preserve));
        }

        [Theory]
        [InlineData(LineEndingPolicy.Lf)]
        [InlineData(LineEndingPolicy.CrLf)]
        [InlineData(LineEndingPolicy.Preserve)]
        public void Single_line_values_never_get_a_trailing_newline(LineEndingPolicy policy)
        {
            Assert.Equal("0A0B0C", CredentialContent.Normalize(" 0A0B0C\r\n", CredentialType.Psk, policy));
            Assert.Equal("0a0b", CredentialContent.Normalize("\uFEFF0a0b\n", CredentialType.Psk, policy));
            Assert.Equal("nrf-124578", CredentialContent.Normalize("nrf-124578\r\n", CredentialType.PskIdentity, policy));
            Assert.Equal(" id ", CredentialContent.Normalize(" id \n", CredentialType.PskIdentity, policy));
            Assert.Equal(
                CredentialContent.ComputeDigest(Encoding.ASCII.GetBytes("nrf-124578")),
                CredentialContent.ComputeDigest("nrf-124578\n", CredentialType.PskIdentity, policy));
        }

        [Fact]
        public void Digest_is_uppercase_sha256_of_exactly_the_bytes()
        {
            Assert.Equal("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", CredentialContent.ComputeDigest(Array.Empty<byte>()));
            Assert.Equal("2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824", CredentialContent.ComputeDigest("hello"));
        }

        [Fact]
        public void Digest_variants_report_the_form_each_tool_stores_for_amazon_root_ca()
        {
            string lfBare = Vectors.AmazonRootCa1.TrimEnd('\n');
            (string Stored, DigestVariant Expected)[] cases =
            {
                (Vectors.AmazonRootCa1, DigestVariant.Lf),
                (lfBare, DigestVariant.LfNoTrailingNewline),
                (s_amazonCrLf, DigestVariant.CrLf),
                (lfBare.Replace("\n", "\r\n"), DigestVariant.CrLfNoTrailingNewline),
                ("\n" + Vectors.AmazonRootCa1, DigestVariant.LeadingNewline),
                ("\n" + lfBare, DigestVariant.LeadingNewlineNoTrailingNewline),
            };
            foreach ((string stored, DigestVariant expected) in cases)
            {
                string modem = CredentialContent.ComputeDigest(stored);
                foreach (string local in new[] { Vectors.AmazonRootCa1, s_amazonCrLf, "\uFEFF" + lfBare })
                {
                    DigestVariantReport report = CredentialContent.DigestVariants(local, modem);
                    Assert.Equal(expected, report.MatchedVariant);
                    Assert.Equal(expected.ToString(), report.MatchedVariantName);
                    Assert.True(report.IsMatch);
                    Assert.Contains(expected, report.MatchingVariants);
                }
            }

            Assert.Equal("AD6FB002E6B34C0559FA8F93A3794FF12C4E3F119BD77290C52525123FB9EA74", CredentialContent.ComputeDigest(lfBare));
        }

        [Fact]
        public void Every_variant_is_distinct_on_an_untidy_file_and_each_is_recognised()
        {
            // Leading blank line, mixed line endings, indented and space-padded lines, trailing blank lines.
            string local = "\uFEFF \r\n-----BEGIN CERTIFICATE-----\r\n  MIIBxzCCAW4CFDgX  \nQgyjalFBw6ypq3BG\r\n-----END CERTIFICATE-----  \n\n";
            IReadOnlyList<DigestCandidate> candidates = CredentialContent.GetDigestCandidates(local);
            Assert.Equal(Enum.GetValues(typeof(DigestVariant)).Length, candidates.Count);
            Assert.Equal(candidates.Count, candidates.Select(c => c.Sha256).Distinct().Count());
            foreach (DigestCandidate candidate in candidates)
            {
                DigestVariantReport report = CredentialContent.DigestVariants(local, candidate.Sha256.ToLowerInvariant());
                Assert.Equal(candidate.Variant, report.MatchedVariant);
                Assert.Single(report.MatchingVariants);
                Assert.False(string.IsNullOrEmpty(candidate.Description));
                Assert.Contains(CredentialContent.DescribeVariant(candidate.Variant), report.Explanation);
            }

            string trimmedCrLf = "-----BEGIN CERTIFICATE-----\r\nMIIBxzCCAW4CFDgX\r\nQgyjalFBw6ypq3BG\r\n-----END CERTIFICATE-----";
            Assert.Equal(DigestVariant.TrimmedLinesCrLf, CredentialContent.DigestVariants(local, CredentialContent.ComputeDigest(trimmedCrLf)).MatchedVariant);
            string asIs = " \r\n-----BEGIN CERTIFICATE-----\r\n  MIIBxzCCAW4CFDgX  \nQgyjalFBw6ypq3BG\r\n-----END CERTIFICATE-----  \n\n";
            Assert.Equal(DigestVariant.AsIs, CredentialContent.DigestVariants(local, CredentialContent.ComputeDigest(asIs)).MatchedVariant);
            Assert.Equal(DigestVariant.TrailingWhitespaceStripped, CredentialContent.DigestVariants(local, CredentialContent.ComputeDigest(asIs.TrimEnd())).MatchedVariant);
            Assert.Equal(DigestVariant.Trimmed, CredentialContent.DigestVariants(local, CredentialContent.ComputeDigest(asIs.Trim())).MatchedVariant);
        }

        [Fact]
        public void No_match_says_the_content_differs()
        {
            DigestVariantReport report = CredentialContent.DigestVariants(Vectors.AmazonRootCa1, Vectors.Tv2ClientCertificateSha256);
            Assert.Null(report.MatchedVariant);
            Assert.False(report.IsMatch);
            Assert.Equal("None", report.MatchedVariantName);
            Assert.Empty(report.MatchingVariants);
            Assert.False(report.IsPlaceholder);
            Assert.Contains("different content", report.Explanation);
            Assert.Equal(11, report.Candidates.Count);
        }

        [Fact]
        public void Placeholder_digests_of_old_firmware_are_recognised()
        {
            string placeholder = string.Concat(Enumerable.Repeat("03", 32));
            DigestVariantReport report = CredentialContent.DigestVariants("0A0B", placeholder);
            Assert.True(report.IsPlaceholder);
            Assert.Null(report.MatchedVariant);
            Assert.Contains("placeholder", report.Explanation);
            Assert.True(CredentialContent.IsPlaceholderDigest(new string('0', 64)));
            Assert.True(CredentialContent.IsPlaceholderDigest(string.Concat(Enumerable.Repeat("0B", 32))));
            Assert.False(CredentialContent.IsPlaceholderDigest(Vectors.AmazonRootCa1Sha256));
            Assert.False(CredentialContent.IsPlaceholderDigest(string.Concat(Enumerable.Repeat("FF", 32))));
        }

        [Theory]
        [InlineData("")]
        [InlineData("1234")]
        [InlineData("B9BAC15641653CAE2B5151DCBD0C40DDCDF19125950FA2475977437EA35F7A")]
        [InlineData("Z9BAC15641653CAE2B5151DCBD0C40DDCDF19125950FA2475977437EA35F7A45")]
        public void Malformed_digests_are_refused(string digest)
        {
            var e = Assert.Throws<ModemException>(() => CredentialContent.DigestVariants("x", digest));
            Assert.Equal(ErrorIds.CredentialDigestMalformed, e.ErrorId);
            Assert.Equal(ModemErrorCategory.InvalidArgument, e.Category);
        }

        [Fact]
        public void Quoted_and_lowercase_digests_are_accepted()
        {
            Assert.Equal(Vectors.AmazonRootCa1Sha256, CredentialContent.NormalizeDigest(" \"" + Vectors.AmazonRootCa1Sha256.ToLowerInvariant() + "\" "));
        }
    }
}
