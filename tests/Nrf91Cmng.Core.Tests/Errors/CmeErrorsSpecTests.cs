using System.Text.RegularExpressions;

namespace Nrf91Cmng.Core.Tests.Errors
{
    /// <summary>
    /// Every CME code and command family of <see cref="CmeErrors"/> against the AT protocol spec
    /// (shared/spec/nrf91-at-protocol.md). The table below is written from the spec, not from the
    /// code: §2.7 (%CMNG codes, the generic codes modem_key_mgmt maps, nrfcredstore's reading of
    /// CME 0, the errno of each code), §2.8 (518: offline with CFUN=4), §3 (%XPMNG: 519 and 520
    /// "already exists", %XSUDO 520 "authentication failed", delete with AT%CMNG=3,&lt;slot&gt;,5),
    /// §4 (%KEYGEN: 514 not allowed, 515 memory full, 518 active state, 519 already exists, 523
    /// key generation failed, CME 0 = command unknown before mfw 1.3.0), §5 (%CLAIMTOKEN 529:
    /// ownership key not found). The category follows the errno the SDK maps each code to.
    /// </summary>
    public class CmeErrorsSpecTests
    {
        /// <summary>What the spec says one code means for a family (null family: every family without a row of its own).</summary>
        private sealed class SpecRow
        {
            public SpecRow(int code, CommandFamily? family, string meaning, ModemErrorCategory category, string remedy, string source)
            {
                Code = code;
                Family = family;
                Meaning = meaning;
                Category = category;
                Remedy = remedy;
                Source = source;
            }

            public int Code { get; }

            public CommandFamily? Family { get; }

            /// <summary>The spec's words for the meaning (a regular expression, case-insensitive).</summary>
            public string Meaning { get; }

            public ModemErrorCategory Category { get; }

            /// <summary>What the spec says to do, as the remedy must say it (a regular expression, case-insensitive).</summary>
            public string Remedy { get; }

            public string Source { get; }
        }

        private static readonly SpecRow[] s_spec =
        {
            // §2.7 generic codes: "0 phone failure / invalid command" (nrfcredstore: "AT command not supported by firmware version"), errno EIO.
            new SpecRow(0, null, @"not support|phone failure", ModemErrorCategory.NotImplemented, @"firmware", "§2.7, §4: CME 0 = command unknown (fw < 1.3.0)"),
            // "23 memory failure", errno E2BIG.
            new SpecRow(23, null, @"memory failure", ModemErrorCategory.LimitsExceeded, @"shorten|size|smaller", "§2.7 generic, E2BIG"),
            // "50 incorrect parameters", errno EINVAL.
            new SpecRow(50, null, @"parameter", ModemErrorCategory.InvalidArgument, @"sec_tag|type|parameter", "§2.7 generic, EINVAL"),
            // "60 system error", errno ENOEXEC.
            new SpecRow(60, null, @"system error", ModemErrorCategory.DeviceError, @"retry|reset", "§2.7 generic, ENOEXEC"),

            // 513 "not found (read, write, delete)", ENOENT; %XPMNG read: not found; %XSUDO: no public key.
            new SpecRow(513, null, @"not found|no credential|not stored|no .* stored", ModemErrorCategory.ObjectNotFound, @"Get-ModemCredential|sec_?tag", "§2.7"),
            new SpecRow(513, CommandFamily.PublicKey, @"no public key", ModemErrorCategory.ObjectNotFound, @"Set-ModemPublicKey|slot", "§3: 513 read: not found"),
            new SpecRow(513, CommandFamily.KeyGeneration, @"not find|not found", ModemErrorCategory.ObjectNotFound, @"sec_?tag", "§2.7: not found"),

            // 514 "no access — e.g. modem-owned items / unreadable types", EACCES; %KEYGEN "not allowed".
            new SpecRow(514, null, @"access|not allowed|refused", ModemErrorCategory.PermissionDenied, @"user sec_?tag|user type", "§2.7, §4"),
            new SpecRow(514, CommandFamily.CredentialRead, @"(read|readable).*|access", ModemErrorCategory.PermissionDenied, @"digest|Test-ModemCredential", "§2.5/§2.7: unreadable types"),

            // 515 "memory full (write)", ENOMEM; %XPMNG, %KEYGEN: memory full.
            new SpecRow(515, null, @"full", ModemErrorCategory.LimitsExceeded, @"Remove-ModemCredential|remove", "§2.7, §3, §4"),

            // 518 "not allowed in active state", EPERM; §2.8: tools use AT+CFUN=4 before writing.
            new SpecRow(518, null, @"active", ModemErrorCategory.InvalidOperation, @"offline|CFUN=4", "§2.7, §2.8, §4"),

            // 519 "already exists", EALREADY; §3 %XPMNG: writable only when no key is in the slot, delete with AT%CMNG=3,<slot>,5.
            new SpecRow(519, null, @"already exists", ModemErrorCategory.InvalidOperation, @"Remove-ModemCredential|another sec_?tag", "§2.7"),
            new SpecRow(519, CommandFamily.PublicKey, @"already exists", ModemErrorCategory.InvalidOperation, @"AT%CMNG=3|Remove-ModemCredential.*PublicKey", "§3"),
            new SpecRow(519, CommandFamily.KeyGeneration, @"already exists", ModemErrorCategory.InvalidOperation, @"Remove-ModemCredential|another sec_?tag", "§4"),

            // 520: %XPMNG write "already exists" (the reference lists 519 and 520); %XSUDO "authentication failed".
            new SpecRow(520, null, @"authenticat", ModemErrorCategory.PermissionDenied, @"XSUDO|sign|public key", "§3 %XSUDO"),
            new SpecRow(520, CommandFamily.PublicKey, @"already exists", ModemErrorCategory.InvalidOperation, @"Remove-ModemCredential|AT%CMNG=3|another slot", "§3 %XPMNG"),

            // 523 "key generation failed" (%KEYGEN).
            new SpecRow(523, null, @"generat.*fail|fail.*generat", ModemErrorCategory.DeviceError, @"retry|reset", "§4"),

            // 527 "invalid content — certificate (type 0/1) not parseable or too large", EINVAL; §1.4: LF line ends, no typed \n.
            new SpecRow(527, null, @"certificate.*(valid|pars)|invalid content|not a valid", ModemErrorCategory.InvalidData, @"PEM.*(LF|newline|line)", "§2.7, §1.4"),

            // 528 "not allowed while a power-off warning (%XPOFWARN) is active", ECANCELED.
            new SpecRow(528, null, @"power-off warning", ModemErrorCategory.InvalidOperation, @"power|reset", "§2.7, §2.8"),

            // 529 (%CLAIMTOKEN) "ownership key not found".
            new SpecRow(529, null, @"ownership key", ModemErrorCategory.ObjectNotFound, @"ownership key|type 9", "§5"),
        };

        /// <summary>The codes the spec lists (§2.7 table and generic codes, §3, §4, §5).</summary>
        private static readonly int[] s_specCodes = { 0, 23, 50, 60, 513, 514, 515, 518, 519, 520, 523, 527, 528, 529 };

        public static IEnumerable<object[]> EveryCodeAndFamily() =>
            from code in s_specCodes
            from CommandFamily family in Enum.GetValues(typeof(CommandFamily))
            select new object[] { code, family };

        [Theory]
        [MemberData(nameof(EveryCodeAndFamily))]
        public void Every_code_means_in_every_family_what_the_spec_says(int code, CommandFamily family)
        {
            SpecRow row = s_spec.FirstOrDefault(r => r.Code == code && r.Family == family) ?? s_spec.Single(r => r.Code == code && r.Family is null);
            CmeErrorInfo info = CmeErrors.Describe(code, family);

            Assert.True(info.IsKnown, code + " is in the spec (" + row.Source + ") but reported as unknown");
            Assert.NotEqual("Unknown", info.Name);
            Assert.Equal(code, info.Code);
            Assert.Equal("ModemCmeError" + code, info.ErrorId);
            Assert.Contains("CME " + code, info.Meaning, StringComparison.Ordinal);
            Assert.True(Regex.IsMatch(info.Meaning, row.Meaning, RegexOptions.IgnoreCase),
                code + " for " + family + ": the meaning '" + info.Meaning + "' does not say what the spec says (" + row.Source + ": /" + row.Meaning + "/)");
            Assert.Equal(row.Category, info.Category);
            Assert.True(Regex.IsMatch(info.Remedy, row.Remedy, RegexOptions.IgnoreCase),
                code + " for " + family + ": the remedy '" + info.Remedy + "' does not say what the spec says to do (" + row.Source + ": /" + row.Remedy + "/)");
        }

        [Fact]
        public void The_known_codes_are_those_of_the_spec()
        {
            Assert.Equal(s_specCodes, CmeErrors.KnownCodes.OrderBy(c => c).ToArray());
        }

        [Theory]
        [InlineData(1)]
        [InlineData(51)]
        [InlineData(516)]
        [InlineData(999)]
        public void A_code_outside_the_spec_is_unknown_and_keeps_its_number(int code)
        {
            foreach (CommandFamily family in Enum.GetValues(typeof(CommandFamily)))
            {
                CmeErrorInfo info = CmeErrors.Describe(code, family);
                Assert.False(info.IsKnown);
                Assert.Equal("ModemCmeError" + code, info.ErrorId);
                Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), info.Meaning, StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(info.Remedy));
            }
        }

        [Theory]
        [InlineData("AT%CMNG=0,42,0,\"x\"", CommandFamily.CredentialWrite)]
        [InlineData("at%cmng=0,42,4,\"x\"", CommandFamily.CredentialWrite)]
        [InlineData("AT%CMNG=1", CommandFamily.CredentialList)]
        [InlineData("AT%CMNG=1,42", CommandFamily.CredentialList)]
        [InlineData("AT%CMNG=2,42,0", CommandFamily.CredentialRead)]
        [InlineData("AT%CMNG=3,42,0", CommandFamily.CredentialDelete)]
        [InlineData("AT%XPMNG=0,\"x\"", CommandFamily.PublicKey)]
        [InlineData("AT%XPMNG=2", CommandFamily.PublicKey)]
        [InlineData("AT%KEYGEN=42,2,0", CommandFamily.KeyGeneration)]
        [InlineData("AT%ATTESTTOKEN", CommandFamily.Attestation)]
        [InlineData("AT%CLAIMTOKEN", CommandFamily.Attestation)]
        [InlineData("AT+CFUN=4", CommandFamily.FunctionalMode)]
        [InlineData("AT+CFUN?", CommandFamily.FunctionalMode)]
        [InlineData("AT+CGSN", CommandFamily.General)]
        [InlineData("AT%XSUDO=35,\"sig\";%CMNG=0,1,0,\"x\"", CommandFamily.General)]
        public void Commands_belong_to_the_family_whose_codes_they_answer_with(string command, CommandFamily family)
        {
            Assert.Equal(family, AtCommandInfo.FamilyOf(command));
        }

        [Fact]
        public void Every_family_is_reached_by_a_command()
        {
            string[] commands = { "AT+CGSN", "AT%CMNG=0,1,0,\"x\"", "AT%CMNG=1", "AT%CMNG=2,1,0", "AT%CMNG=3,1,0", "AT%XPMNG=2", "AT%KEYGEN=1,2,0", "AT%ATTESTTOKEN", "AT+CFUN=0" };
            Assert.Equal(
                Enum.GetValues(typeof(CommandFamily)).Cast<CommandFamily>().OrderBy(f => f),
                commands.Select(AtCommandInfo.FamilyOf).Distinct().OrderBy(f => f));
        }

        [Theory]
        [InlineData(518, CommandFamily.CredentialWrite, "AT%CMNG=0,42,0,\"x\"")]
        [InlineData(519, CommandFamily.PublicKey, "AT%XPMNG=0,\"x\"")]
        [InlineData(529, CommandFamily.Attestation, "AT%CLAIMTOKEN")]
        public void A_failed_command_carries_the_explanation_of_its_family(int code, CommandFamily family, string command)
        {
            var response = new AtResponse(command, Array.Empty<string>(), Array.Empty<string>(), AtResultKind.CmeError, code, "+CME ERROR: " + code, TimeSpan.Zero);
            var error = new ModemCommandException(response, AtCommandInfo.FamilyOf(command));
            CmeErrorInfo expected = CmeErrors.Describe(code, family);
            Assert.Equal("ModemCmeError" + code, error.ErrorId);
            Assert.Equal(expected.Category, error.Category);
            Assert.Equal(expected.Remedy, error.Remedy);
            Assert.Contains(expected.Meaning, error.Message, StringComparison.Ordinal);
            Assert.Equal(code, error.Code);
        }
    }
}
