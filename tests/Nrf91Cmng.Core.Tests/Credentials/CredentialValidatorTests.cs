using Nrf91Cmng.Core.Tests.Crypto;
using Org.BouncyCastle.Crypto;

namespace Nrf91Cmng.Core.Tests.Credentials
{
    public class CredentialValidatorTests
    {
        private const string Passphrase = "correct horse";

        private static ModemException Fails(CredentialType type, string text, string? passphrase = null, CredentialValidationOptions? options = null) =>
            Assert.Throws<ModemException>(() => CredentialValidator.Validate(type, text, passphrase, options));

        /// <summary>Asserts validation fails with <paramref name="errorId"/> and returns the error for further checks.</summary>
        private static ModemException FailsWith(string errorId, CredentialType type, string text, string? passphrase = null, CredentialValidationOptions? options = null)
        {
            ModemException e = Fails(type, text, passphrase, options);
            Assert.Equal(errorId, e.ErrorId);
            return e;
        }

        private static void AssertNoSecret(ModemException e, params string[] secrets)
        {
            string all = e.Message + "\n" + e.Remedy + "\n" + e;
            foreach (string secret in secrets)
            {
                foreach (string line in secret.Split('\n'))
                {
                    string l = line.Trim();
                    if (l.Length >= 8 && !l.StartsWith("-----", StringComparison.Ordinal) && !l.Contains(':'))
                    {
                        Assert.DoesNotContain(l, all);
                    }
                }
            }
        }

        // ---- the good cases -------------------------------------------------------------------

        [Fact]
        public void Amazon_root_ca_validates_to_the_bytes_real_firmware_stored()
        {
            CredentialValidationResult r = CredentialValidator.Validate(CredentialType.RootCA, Vectors.AmazonRootCa1.Replace("\n", "\r\n"),
                options: new CredentialValidationOptions { SecTag = 42, Now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) });
            Assert.Equal(1188, r.Length);
            Assert.Equal(Vectors.AmazonRootCa1Sha256, r.Sha256);
            Assert.Equal(Vectors.AmazonRootCa1, r.Content);
            Assert.Equal(Vectors.AmazonRootCa1, Encoding.ASCII.GetString(r.GetBytes()));
            Assert.Empty(r.Warnings);
            Assert.Single(r.Certificates);
            Assert.Equal("CN=Amazon Root CA 1, O=Amazon, C=US", r.Certificates[0].Subject);
            Assert.Equal("AT%CMNG=0,42,0,\"".Length + 1188 + 1, r.CommandLength);
            Assert.Equal(4095, r.MaxCommandLength);
            Assert.False(r.IsSecret);
            Assert.False(r.PassphraseRequired);
            Assert.Equal("RSA", r.PublicKey!.Algorithm);
            Assert.Contains(Vectors.AmazonRootCa1Sha256, r.ToString());
        }

        [Fact]
        public void Root_ca_may_be_a_chain()
        {
            string chain = Vectors.AmazonRootCa1 + TestPki.EcCa.CertificatePem;
            CredentialValidationResult r = CredentialValidator.Validate(CredentialType.RootCA, chain);
            Assert.Equal(2, r.Certificates.Count);
            Assert.Equal(2, r.Certificates[1].CertificateCount);
            Assert.Equal(1, r.Certificates[1].Index);
        }

        [Fact]
        public void Tv2_client_certificate_validates()
        {
            CredentialValidationResult r = CredentialValidator.Validate(CredentialType.ClientCertificate, Vectors.Tv2ClientCertificate,
                options: new CredentialValidationOptions { Now = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero) });
            Assert.Equal(Vectors.Tv2ClientCertificateSha256, r.Sha256);
            Assert.Equal("CN=50363154-3932-4834-802b-0908718314dc", r.Certificates[0].Subject);
            Assert.Empty(r.Warnings);
        }

        public static IEnumerable<object[]> PrivateKeys()
        {
            AsymmetricCipherKeyPair ec = TestPki.NewEcKey();
            yield return new object[] { "SEC1 EC", TestPki.TraditionalPem(ec.Private), PrivateKeyFormat.Sec1, "EC", null! };
            yield return new object[] { "PKCS#8 EC", TestPki.Pkcs8Pem(ec.Private), PrivateKeyFormat.Pkcs8, "EC", null! };
            yield return new object[] { "PKCS#1 RSA", TestPki.TraditionalPem(TestPki.Rsa.Private), PrivateKeyFormat.Pkcs1, "RSA", null! };
            yield return new object[] { "PKCS#8 RSA", TestPki.Pkcs8Pem(TestPki.Rsa.Private), PrivateKeyFormat.Pkcs8, "RSA", null! };
            yield return new object[] { "encrypted PKCS#8 EC 3DES", TestPki.EncryptedPkcs8Pem(ec.Private, Passphrase), PrivateKeyFormat.EncryptedPkcs8, "EC", Passphrase };
            yield return new object[] { "encrypted PKCS#8 EC AES", TestPki.EncryptedPkcs8PemAes(ec.Private, Passphrase), PrivateKeyFormat.EncryptedPkcs8, "EC", Passphrase };
            yield return new object[] { "encrypted PKCS#8 RSA AES", TestPki.EncryptedPkcs8PemAes(TestPki.Rsa.Private, Passphrase), PrivateKeyFormat.EncryptedPkcs8, "RSA", Passphrase };
        }

        [Theory]
        [MemberData(nameof(PrivateKeys))]
        public void Private_keys_of_every_format_validate(string name, string pem, PrivateKeyFormat format, string algorithm, string? passphrase)
        {
            CredentialValidationResult r = CredentialValidator.Validate(CredentialType.ClientPrivateKey, pem, passphrase, new CredentialValidationOptions { SecTag = 7 });
            Assert.Equal(format, r.PrivateKey!.Format);
            Assert.Equal(algorithm, r.PrivateKey.Algorithm);
            Assert.NotNull(r.PublicKey);
            Assert.True(r.IsSecret);
            Assert.Equal(passphrase != null, r.PassphraseRequired);
            int expected = "AT%CMNG=0,7,2,\"".Length + r.Length + 1 + (passphrase is null ? 0 : 3 + passphrase.Length);
            Assert.Equal(expected, r.CommandLength);
            Assert.DoesNotContain("PRIVATE", r.ToString());
            Assert.DoesNotContain("PRIVATE", r.PrivateKey.ToString().ToUpperInvariant().Replace("PRIVATE KEY", string.Empty));
            Assert.Empty(r.Warnings);
            Assert.True(r.Content == pem.Replace("\r\n", "\n").TrimEnd('\n') + "\n", name + ": the key is sent as given, with LF line endings and one trailing newline");
        }

        [Fact]
        public void Psk_and_identity_validate()
        {
            CredentialValidationResult psk = CredentialValidator.Validate(CredentialType.Psk, "000102030405060708090A0B0C0D0E0f\n");
            Assert.Equal("000102030405060708090A0B0C0D0E0f", psk.Content);
            Assert.True(psk.IsSecret);
            CredentialValidationResult id = CredentialValidator.Validate(CredentialType.PskIdentity, "nrf-124578\r\n", options: new CredentialValidationOptions { SecTag = 16842753 });
            Assert.Equal("nrf-124578", id.Content);
            Assert.Equal("AT%CMNG=0,16842753,4,\"nrf-124578\"".Length, id.CommandLength);
        }

        [Fact]
        public void Public_key_validates_also_on_one_line_and_is_counted_as_an_xpmng_command()
        {
            AsymmetricCipherKeyPair key = TestPki.NewEcKey();
            string oneLine = "-----BEGIN PUBLIC KEY-----" + Convert.ToBase64String(TestPki.SpkiDer(key.Public)) + "-----END PUBLIC KEY-----";
            CredentialValidationResult r = CredentialValidator.Validate(CredentialType.PublicKey, oneLine, options: new CredentialValidationOptions { SecTag = 3 });
            Assert.Equal("EC", r.PublicKey!.Algorithm);
            Assert.Equal("P-256", r.PublicKey.Curve);
            Assert.Equal(("AT%XPMNG=0,\"" + r.Content + "\",3").Length, r.CommandLength);
            Assert.Contains(r.Warnings, w => w.Contains("not laid out in lines"));

            CredentialValidationResult rsa = CredentialValidator.Validate(CredentialType.PublicKey, TestPki.PublicKeyPem(TestPki.Rsa.Public));
            Assert.Contains(rsa.Warnings, w => w.Contains("P-256"));
        }

        [Fact]
        public void Bytes_overload_drops_a_bom_and_validates()
        {
            byte[] bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.ASCII.GetBytes(Vectors.AmazonRootCa1)).ToArray();
            Assert.Equal(Vectors.AmazonRootCa1Sha256, CredentialValidator.Validate(CredentialType.RootCA, bytes).Sha256);
        }

        // ---- command length -------------------------------------------------------------------------

        [Fact]
        public void Command_length_is_the_whole_command()
        {
            Assert.Equal("AT%CMNG=0,42,0,\"abc\"".Length, CredentialValidator.ComputeCommandLength(CredentialType.RootCA, 42, 3));
            Assert.Equal("AT%CMNG=0,2147483647,2,\"abc\",\"pw\"".Length, CredentialValidator.ComputeCommandLength(CredentialType.ClientPrivateKey, 2147483647, 3, 2));
            Assert.Equal("AT%XPMNG=0,\"abc\",9".Length, CredentialValidator.ComputeCommandLength(CredentialType.PublicKey, 9, 3));
        }

        [Fact]
        public void Command_of_exactly_4095_characters_passes_and_4096_fails()
        {
            var options = new CredentialValidationOptions { SecTag = 42 };
            int overhead = "AT%CMNG=0,42,4,\"\"".Length;
            CredentialValidationResult ok = CredentialValidator.Validate(CredentialType.PskIdentity, new string('a', 4095 - overhead), options: options);
            Assert.Equal(4095, ok.CommandLength);
            ModemException e = FailsWith(ErrorIds.CredentialCommandTooLong, CredentialType.PskIdentity, new string('a', 4096 - overhead), options: options);
            Assert.Equal(ModemErrorCategory.LimitsExceeded, e.Category);
            Assert.Contains("4096", e.Message);
            Assert.Contains("4095", e.Message);
        }

        [Fact]
        public void Too_long_chain_says_both_numbers_and_what_to_do()
        {
            string chain = string.Concat(Enumerable.Repeat(Vectors.AmazonRootCa1, 4));
            ModemException e = FailsWith(ErrorIds.CredentialCommandTooLong, CredentialType.RootCA, chain);
            int expected = CredentialValidator.ComputeCommandLength(CredentialType.RootCA, 2147483647, 4 * 1188);
            Assert.Contains(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
            Assert.Contains("4095", e.Message);
            Assert.Contains("10-digit sec_tag", e.Message);
            Assert.Contains("one root CA", e.Remedy);
            Assert.Contains("larger command buffer", e.Remedy);

            // A larger AT host buffer lifts the limit.
            CredentialValidationResult larger = CredentialValidator.Validate(CredentialType.RootCA, chain, options: new CredentialValidationOptions { MaxCommandLength = 8192 });
            Assert.Equal(8192, larger.MaxCommandLength);
            Assert.Equal(expected, larger.CommandLength);
            Assert.Equal(4, larger.Certificates.Count);
        }

        [Fact]
        public void Crlf_policy_counts_the_longer_content()
        {
            var lf = CredentialValidator.Validate(CredentialType.RootCA, Vectors.AmazonRootCa1, options: new CredentialValidationOptions { SecTag = 1 });
            var crlf = CredentialValidator.Validate(CredentialType.RootCA, Vectors.AmazonRootCa1, options: new CredentialValidationOptions { SecTag = 1, LineEndings = LineEndingPolicy.CrLf });
            Assert.Equal(lf.CommandLength + 20, crlf.CommandLength);
            Assert.Contains(crlf.Warnings, w => w.Contains("527"));
        }

        // ---- every error ------------------------------------------------------------------------------

        [Fact]
        public void Modem_owned_types_cannot_be_validated_for_writing()
        {
            Assert.Equal(ErrorIds.CredentialTypeNotWritable, Fails(CredentialType.NordicIdentityRootCA, Vectors.AmazonRootCa1).ErrorId);
            Assert.Equal(ErrorIds.CredentialTypeNotWritable, Fails(CredentialType.EndorsementKey, "x").ErrorId);
        }

        [Fact]
        public void Sec_tag_in_options_is_checked()
        {
            Assert.Equal(ErrorIds.CredentialSecTagOutOfRange, Fails(CredentialType.PskIdentity, "id", options: new CredentialValidationOptions { SecTag = -1 }).ErrorId);
        }

        [Theory]
        [InlineData(CredentialType.RootCA)]
        [InlineData(CredentialType.Psk)]
        [InlineData(CredentialType.PskIdentity)]
        [InlineData(CredentialType.PublicKey)]
        public void Passphrase_only_for_private_keys(CredentialType type)
        {
            ModemException e = FailsWith(ErrorIds.CredentialPassphraseNotApplicable, type, "0A0B", "secret");
            Assert.DoesNotContain("secret", e.Message);
        }

        [Theory]
        [InlineData(CredentialType.RootCA, "")]
        [InlineData(CredentialType.ClientPrivateKey, "  \r\n ")]
        [InlineData(CredentialType.Psk, "\n")]
        [InlineData(CredentialType.PskIdentity, "\uFEFF")]
        public void Empty_content_is_refused(CredentialType type, string text)
        {
            ModemException e = FailsWith(ErrorIds.CredentialContentEmpty, type, text);
            Assert.Equal(ModemErrorCategory.InvalidData, e.Category);
            Assert.Equal(ErrorIds.CredentialContentEmpty, Assert.Throws<ModemException>(() => CredentialValidator.Validate(type, new byte[] { 0xEF, 0xBB, 0xBF })).ErrorId);
        }

        [Fact]
        public void Der_given_where_pem_is_expected_is_named()
        {
            byte[] der = CertificateInfo.FromPem(Vectors.AmazonRootCa1).GetDer();
            var e = Assert.Throws<ModemException>(() => CredentialValidator.Validate(CredentialType.RootCA, der));
            Assert.Equal(ErrorIds.CredentialContentBinary, e.ErrorId);
            Assert.Contains("DER", e.Message);
            Assert.Contains("openssl x509 -inform der", e.Remedy);

            // The same bytes read as text (Latin-1 or UTF-8 with replacement characters).
            ModemException latin = FailsWith(ErrorIds.CredentialContentBinary, CredentialType.ClientCertificate, Encoding.Latin1.GetString(der));
            Assert.Contains("DER", latin.Message);
            ModemException utf8 = FailsWith(ErrorIds.CredentialContentBinary, CredentialType.RootCA, Encoding.UTF8.GetString(der));

            byte[] keyDer = Org.BouncyCastle.Pkcs.PrivateKeyInfoFactory.CreatePrivateKeyInfo(TestPki.NewEcKey().Private).GetDerEncoded();
            var k = Assert.Throws<ModemException>(() => CredentialValidator.Validate(CredentialType.ClientPrivateKey, keyDer));
            Assert.Equal(ErrorIds.CredentialContentBinary, k.ErrorId);
            Assert.Contains("openssl pkey -inform der", k.Remedy);
            Assert.DoesNotContain(Convert.ToBase64String(keyDer).Substring(0, 20), k.ToString());
        }

        [Fact]
        public void Control_characters_are_binary()
        {
            ModemException e = FailsWith(ErrorIds.CredentialContentBinary, CredentialType.PskIdentity, "ab\0cd");
            Assert.Contains("U+0000", e.Message);
            Assert.Contains("position 3", e.Message);
        }

        [Fact]
        public void Non_ascii_reports_position_and_code()
        {
            string text = Vectors.AmazonRootCa1.Insert(Vectors.AmazonRootCa1.IndexOf('\n') + 3, "é");
            ModemException e = FailsWith(ErrorIds.CredentialContentNotAscii, CredentialType.RootCA, text);
            Assert.Contains("U+00E9", e.Message);
            Assert.Contains("line 2, column 3", e.Message);
            Assert.Contains("position 31", e.Message);
        }

        [Fact]
        public void Typographic_dashes_get_a_hint()
        {
            ModemException e = FailsWith(ErrorIds.CredentialContentNotAscii, CredentialType.ClientCertificate, Vectors.Tv2ClientCertificate.Replace("-----BEGIN", "\u2014\u2013BEGIN"));
            Assert.Contains("U+2014", e.Message);
            Assert.Contains("typographic dash", e.Message);
        }

        [Fact]
        public void Bytes_that_are_not_utf8_report_their_value()
        {
            byte[] bytes = Encoding.ASCII.GetBytes("nrf-").Concat(new byte[] { 0xE9, 0x41 }).ToArray();
            var e = Assert.Throws<ModemException>(() => CredentialValidator.Validate(CredentialType.PskIdentity, bytes));
            Assert.Equal(ErrorIds.CredentialContentNotAscii, e.ErrorId);
            Assert.Contains("0xE9", e.Message);
            Assert.Contains("byte position 5", e.Message);
        }

        [Fact]
        public void Double_quote_is_refused_with_its_position()
        {
            ModemException e = FailsWith(ErrorIds.CredentialContentHasQuote, CredentialType.PskIdentity, "my\"id");
            Assert.Contains("position 3", e.Message);
            Assert.Equal(ErrorIds.CredentialContentHasQuote, Fails(CredentialType.RootCA, "\"" + Vectors.AmazonRootCa1 + "\"").ErrorId);
        }

        [Fact]
        public void Text_without_pem_is_refused()
        {
            ModemException e = FailsWith(ErrorIds.PemNotFound, CredentialType.RootCA, "HONKHONK");
            string bare = string.Join("\n", Vectors.AmazonRootCa1.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
            ModemException b = FailsWith(ErrorIds.PemNotFound, CredentialType.RootCA, bare);
            Assert.Contains("bare base64", b.Message);
            Assert.Equal(ErrorIds.PemNotFound, Fails(CredentialType.ClientPrivateKey, "not a key").ErrorId);
            Assert.Equal(ErrorIds.PemNotFound, Fails(CredentialType.PublicKey, "not a key").ErrorId);
        }

        [Fact]
        public void Broken_pem_is_malformed()
        {
            Assert.Equal(ErrorIds.PemMalformed, Fails(CredentialType.RootCA, Vectors.AmazonRootCa1.Substring(0, 600)).ErrorId);
            Assert.Equal(ErrorIds.PemMalformed, Fails(CredentialType.RootCA, Vectors.AmazonRootCa1.Replace("MIIDQTCC", "MIID*TCC")).ErrorId);
            Assert.Equal(ErrorIds.PemMalformed, Fails(CredentialType.RootCA, Vectors.AmazonRootCa1.Replace("rqXRfboQnoZsG4q5WTP468SQvvG5\n", "rqXRfboQnoZsG4q5WTP468SQvvG\n")).ErrorId);
            Assert.Equal(ErrorIds.PemMalformed, Fails(CredentialType.RootCA, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n").ErrorId);
        }

        [Fact]
        public void Wrong_kind_of_pem_suggests_the_right_type()
        {
            string key = TestPki.Pkcs8Pem(TestPki.NewEcKey().Private);
            ModemException e = FailsWith(ErrorIds.PemWrongType, CredentialType.RootCA, key);
            Assert.Contains("ClientPrivateKey", e.Remedy);
            AssertNoSecret(e, key);

            ModemException c = FailsWith(ErrorIds.PemWrongType, CredentialType.ClientPrivateKey, Vectors.Tv2ClientCertificate);
            Assert.Contains("ClientCertificate", c.Remedy);

            Assert.Equal(ErrorIds.PemWrongType, Fails(CredentialType.PublicKey, Vectors.AmazonRootCa1).ErrorId);
            ModemException csr = FailsWith(ErrorIds.PemWrongType, CredentialType.ClientCertificate, KeygenResponse.Parse(Vectors.Tv2Keygen).Pem);
            Assert.Contains("CA sign it", csr.Remedy);
        }

        [Fact]
        public void Blocks_that_do_not_belong_are_refused()
        {
            AsymmetricCipherKeyPair k = TestPki.NewEcKey();
            string key = TestPki.Pkcs8Pem(k.Private);
            ModemException e = FailsWith(ErrorIds.CredentialUnexpectedPemBlock, CredentialType.RootCA, Vectors.AmazonRootCa1 + key);
            Assert.Contains("PRIVATE KEY", e.Message);
            Assert.Contains("readable slot", e.Message);
            AssertNoSecret(e, key);

            Assert.Equal(ErrorIds.CredentialUnexpectedPemBlock, Fails(CredentialType.ClientPrivateKey, key + Vectors.Tv2ClientCertificate).ErrorId);
            Assert.Equal(ErrorIds.CredentialUnexpectedPemBlock, Fails(CredentialType.ClientPrivateKey, key + TestPki.TraditionalPem(TestPki.NewEcKey().Private)).ErrorId);
            string pub = TestPki.PublicKeyPem(k.Public);
            Assert.Equal(ErrorIds.CredentialUnexpectedPemBlock, Fails(CredentialType.PublicKey, pub + pub).ErrorId);
            Assert.Equal(ErrorIds.CredentialUnexpectedPemBlock, Fails(CredentialType.PublicKey, pub + Vectors.AmazonRootCa1).ErrorId);
        }

        [Fact]
        public void Certificate_that_does_not_parse_is_invalid()
        {
            string garbage = "-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END CERTIFICATE-----\n";
            ModemException e = FailsWith(ErrorIds.CertificateInvalid, CredentialType.RootCA, garbage);
            ModemException second = FailsWith(ErrorIds.CertificateInvalid, CredentialType.RootCA, Vectors.AmazonRootCa1 + garbage);
            Assert.Contains("Certificate 2 of 2", second.Message);
        }

        [Fact]
        public void Client_certificate_chain_is_refused_with_what_to_do()
        {
            ModemException e = FailsWith(ErrorIds.CredentialCertificateChainNotAllowed, CredentialType.ClientCertificate, Vectors.Tv2ClientCertificate + Vectors.AmazonRootCa1);
            Assert.Contains("chain of 2", e.Message);
            Assert.Contains("CN=50363154-3932-4834-802b-0908718314dc", e.Message);
            Assert.Contains("first block", e.Remedy);
        }

        [Fact]
        public void Private_key_that_does_not_parse_is_invalid()
        {
            string garbage = "-----BEGIN PRIVATE KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PRIVATE KEY-----\n";
            ModemException e = FailsWith(ErrorIds.PrivateKeyInvalid, CredentialType.ClientPrivateKey, garbage);
            Assert.Null(e.InnerException);
            Assert.Equal(ErrorIds.PrivateKeyInvalid, Fails(CredentialType.ClientPrivateKey, garbage.Replace("PRIVATE KEY", "EC PRIVATE KEY")).ErrorId);
            Assert.Equal(ErrorIds.PrivateKeyInvalid, Fails(CredentialType.ClientPrivateKey, garbage.Replace("PRIVATE KEY", "RSA PRIVATE KEY")).ErrorId);
            Assert.Equal(ErrorIds.PrivateKeyInvalid, Fails(CredentialType.ClientPrivateKey, garbage.Replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"), "pw").ErrorId);
        }

        [Fact]
        public void Legacy_encrypted_key_is_refused_with_a_conversion()
        {
            string legacy = TestPki.LegacyEncryptedPem(TestPki.NewEcKey().Private, Passphrase);
            Assert.Contains("Proc-Type: 4,ENCRYPTED", legacy);
            ModemException e = FailsWith(ErrorIds.PrivateKeyLegacyEncryption, CredentialType.ClientPrivateKey, legacy, Passphrase);
            Assert.Contains("openssl pkcs8 -topk8", e.Remedy);
            AssertNoSecret(e, legacy, Passphrase);
        }

        [Fact]
        public void Encrypted_key_missing_and_wrong_passphrase_are_distinct_errors()
        {
            AsymmetricCipherKeyPair k = TestPki.NewEcKey();
            foreach (string pem in new[] { TestPki.EncryptedPkcs8Pem(k.Private, Passphrase), TestPki.EncryptedPkcs8PemAes(k.Private, Passphrase) })
            {
                ModemException missing = FailsWith(ErrorIds.PrivateKeyPassphraseRequired, CredentialType.ClientPrivateKey, pem);
                Assert.Equal(ModemErrorCategory.InvalidArgument, missing.Category);
                Assert.Equal(ErrorIds.PrivateKeyPassphraseRequired, Fails(CredentialType.ClientPrivateKey, pem, string.Empty).ErrorId);

                const string wrong = "Tr0ub4dor&3";
                ModemException incorrect = FailsWith(ErrorIds.PrivateKeyPassphraseIncorrect, CredentialType.ClientPrivateKey, pem, wrong);
                AssertNoSecret(incorrect, pem, wrong, Passphrase);
                Assert.DoesNotContain(wrong, incorrect.ToString());
            }
        }

        [Fact]
        public void Passphrase_limits_of_cmng()
        {
            string pem = TestPki.EncryptedPkcs8Pem(TestPki.NewEcKey().Private, new string('p', 33));
            ModemException tooLong = FailsWith(ErrorIds.CredentialPassphraseTooLong, CredentialType.ClientPrivateKey, pem, new string('p', 33));
            Assert.Contains("33", tooLong.Message);
            Assert.Contains("32", tooLong.Message);
            Assert.DoesNotContain(new string('p', 33), tooLong.ToString());

            string quoted = "pass\"word";
            string pem2 = TestPki.EncryptedPkcs8Pem(TestPki.NewEcKey().Private, quoted);
            ModemException notSendable = FailsWith(ErrorIds.CredentialPassphraseNotSendable, CredentialType.ClientPrivateKey, pem2, quoted);
            Assert.DoesNotContain(quoted, notSendable.ToString());

            string max = new string('x', 32);
            CredentialValidationResult ok = CredentialValidator.Validate(CredentialType.ClientPrivateKey, TestPki.EncryptedPkcs8Pem(TestPki.NewEcKey().Private, max), max);
            Assert.True(ok.PassphraseRequired);
        }

        [Theory]
        [InlineData("0x0A0B", "'0x' prefix")]
        [InlineData("0A 0B", "whitespace")]
        [InlineData("0A0G", "not a hexadecimal digit")]
        public void Psk_must_be_hex(string psk, string why)
        {
            ModemException e = FailsWith(ErrorIds.CredentialPskNotHex, CredentialType.Psk, psk);
            Assert.Contains(why, e.Message);
            Assert.DoesNotContain(psk, e.ToString());
        }

        [Fact]
        public void Psk_must_have_even_length()
        {
            ModemException e = FailsWith(ErrorIds.CredentialPskOddLength, CredentialType.Psk, "0A0B0");
            Assert.DoesNotContain("0A0B0", e.ToString());
        }

        [Theory]
        [InlineData("nrf\t1", "tab")]
        [InlineData("nrf\n1", "line break")]
        public void Psk_identity_must_be_one_printable_line(string identity, string why)
        {
            ModemException e = FailsWith(ErrorIds.CredentialPskIdentityNotPrintable, CredentialType.PskIdentity, identity);
            Assert.Contains(why, e.Message);
            Assert.Contains("position 4", e.Message);
        }

        [Fact]
        public void Psk_identity_with_surrounding_spaces_is_a_warning()
        {
            Assert.Contains(CredentialValidator.Validate(CredentialType.PskIdentity, " id").Warnings, w => w.Contains("spaces"));
        }

        [Fact]
        public void Public_key_that_does_not_parse_is_invalid()
        {
            ModemException e = FailsWith(ErrorIds.PublicKeyInvalid, CredentialType.PublicKey, "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n");
            ModemException rsa = FailsWith(ErrorIds.PemWrongType, CredentialType.PublicKey, "-----BEGIN RSA PUBLIC KEY-----\nMAA=\n-----END RSA PUBLIC KEY-----\n");
            Assert.Contains("RSAPublicKey_in", rsa.Remedy);
        }

        // ---- warnings -------------------------------------------------------------------------------

        [Fact]
        public void Expired_and_not_yet_valid_certificates_are_warnings_with_dates()
        {
            var late = new CredentialValidationOptions { Now = new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero) };
            CredentialValidationResult expired = CredentialValidator.Validate(CredentialType.RootCA, Vectors.AmazonRootCa1, options: late);
            string w = Assert.Single(expired.Warnings);
            Assert.Contains("expired on 2038-01-17", w);
            Assert.Contains("valid 2015-05-26 00:00 UTC to 2038-01-17 00:00 UTC", w);

            var early = new CredentialValidationOptions { Now = new DateTimeOffset(2014, 1, 1, 0, 0, 0, TimeSpan.Zero) };
            string w2 = Assert.Single(CredentialValidator.Validate(CredentialType.RootCA, Vectors.AmazonRootCa1, options: early).Warnings);
            Assert.Contains("not valid yet", w2);
            Assert.Contains("2015-05-26", w2);
        }

        [Fact]
        public void Leaf_as_root_and_ca_as_client_are_warnings()
        {
            AsymmetricCipherKeyPair k = TestPki.NewEcKey();
            string leaf = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, k.Public, "CN=device"));
            Assert.Contains(CredentialValidator.Validate(CredentialType.RootCA, leaf).Warnings, w => w.Contains("not a CA certificate"));
            Assert.Contains(CredentialValidator.Validate(CredentialType.ClientCertificate, TestPki.EcCa.CertificatePem).Warnings, w => w.Contains("is a CA certificate"));
            Assert.Empty(CredentialValidator.Validate(CredentialType.ClientCertificate, leaf).Warnings);
        }

        [Fact]
        public void Passphrase_for_an_unencrypted_key_is_a_warning_and_not_sent()
        {
            CredentialValidationResult r = CredentialValidator.Validate(CredentialType.ClientPrivateKey, TestPki.Pkcs8Pem(TestPki.NewEcKey().Private), "unused");
            Assert.False(r.PassphraseRequired);
            Assert.Contains(r.Warnings, w => w.Contains("not encrypted"));
            Assert.Equal(CredentialValidator.ComputeCommandLength(CredentialType.ClientPrivateKey, 2147483647, r.Length), r.CommandLength);
        }

        [Fact]
        public void Ec_parameters_block_and_text_outside_blocks_are_warnings()
        {
            string key = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + TestPki.TraditionalPem(TestPki.NewEcKey().Private);
            Assert.Contains(CredentialValidator.Validate(CredentialType.ClientPrivateKey, key).Warnings, w => w.Contains("EC PARAMETERS"));
            string bag = "Bag Attributes\n    friendlyName: device\nsubject=CN = Amazon Root CA 1\n" + Vectors.AmazonRootCa1;
            Assert.Contains(CredentialValidator.Validate(CredentialType.RootCA, bag).Warnings, w => w.Contains("outside the PEM blocks"));
        }

        // ---- key and certificate pairing ----------------------------------------------------------------

        [Fact]
        public void Key_matches_its_certificate_only()
        {
            AsymmetricCipherKeyPair mine = TestPki.NewEcKey();
            AsymmetricCipherKeyPair other = TestPki.NewEcKey();
            string cert = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, mine.Public, "CN=device"));
            Assert.True(CredentialValidator.KeyMatchesCertificate(cert, TestPki.TraditionalPem(mine.Private)));
            Assert.True(CredentialValidator.KeyMatchesCertificate(cert, TestPki.EncryptedPkcs8PemAes(mine.Private, Passphrase), Passphrase));
            Assert.False(CredentialValidator.KeyMatchesCertificate(cert, TestPki.Pkcs8Pem(other.Private)));
            Assert.False(CredentialValidator.KeyMatchesCertificate(cert, TestPki.Pkcs8Pem(TestPki.Rsa.Private)));

            string rsaCert = TestPki.Pem(TestPki.NewLeaf(TestPki.EcCa, TestPki.Rsa.Public, "CN=rsa device"));
            Assert.True(CredentialValidator.KeyMatchesCertificate(rsaCert, TestPki.TraditionalPem(TestPki.Rsa.Private)));
            Assert.False(CredentialValidator.KeyMatchesCertificate(rsaCert, TestPki.TraditionalPem(TestPki.Rsa2.Private)));
            Assert.Equal(ErrorIds.PrivateKeyPassphraseIncorrect,
                Assert.Throws<ModemException>(() => CredentialValidator.KeyMatchesCertificate(cert, TestPki.EncryptedPkcs8Pem(mine.Private, Passphrase), "nope")).ErrorId);
        }
    }
}
