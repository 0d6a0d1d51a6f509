using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Text;
using Nrf91Cmng.Core.Credentials;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Modem;
using Nrf91Cmng.Core.Provisioning;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Tells whether a modem holds a given credential, comparing SHA-256 digests and explaining line-ending differences.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "ModemCredential")]
    [OutputType(typeof(bool), typeof(ModemCredentialTest))]
    public sealed class TestModemCredentialCommand : CredentialTargetCmdletBase
    {
        /// <summary>
        /// Demand exactly this stored form (Lf, CrLf or Preserve). Without it, the credential matches
        /// in any form real tools store (LF or CR LF, with or without trailing newline, ...), and
        /// -Detailed names the form found.
        /// </summary>
        [Parameter]
        [ValidateSet("Lf", "CrLf", "Preserve", IgnoreCase = true)]
        public string? LineEnding { get; set; }

        /// <summary>Emit a ModemCredentialTest {Match, ModemSha256, LocalSha256, MatchedVariant, ...} instead of $true/$false.</summary>
        [Parameter]
        public SwitchParameter Detailed { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            ModemSession session = ResolveSession();
            try
            {
                string text = LocalText(out string source);
                ModemCredentialTest test = Compare(session, text, source);
                WriteVerbose(Describe(test));
                if (Detailed)
                {
                    WriteObject(test);
                }
                else
                {
                    WriteObject(test.Match);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ModemException ex)
            {
                WriteModemError(ex, Digests.TypeWords((int)Type) + " at sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture));
                if (!Detailed && ex.Category != ModemErrorCategory.InvalidArgument && ex.Category != ModemErrorCategory.ObjectNotFound)
                {
                    // A Pester check piping into Should -BeTrue fails on the missing verdict either way; give it one.
                    WriteObject(false);
                }
            }
        }

        private string LocalText(out string source)
        {
            if (HasPath == HasContent)
            {
                throw new ModemException(ErrorIds.CredentialContentMissing, ModemErrorCategory.InvalidArgument,
                    HasPath ? "Both -Path and -Content were given." : "Neither -Path nor -Content was given.",
                    "Give exactly one of -Path or -Content.");
            }

            if (HasPath)
            {
                source = CredentialInput.ResolveFile(this, Path!);
                byte[] bytes = CredentialInput.ReadFile(source);
                return new UTF8Encoding(false, false).GetString(bytes);
            }

            source = "-Content";
            return Content!;
        }

        private ModemCredentialTest Compare(ModemSession session, string text, string source)
        {
            Core.Credentials.CredentialType type = CredentialInput.ToCore(Type);
            LineEndingPolicy policy = CredentialInput.ToPolicy(LineEnding ?? "Lf");
            string local = CredentialContent.Normalize(text, type, policy);
            var test = new ModemCredentialTest
            {
                SecTag = SecTag,
                Type = Type,
                LocalSha256 = CredentialContent.ComputeDigest(local),
                Source = source,
                SessionId = session.Id,
                PortName = session.PortName,
                Imei = session.Imei,
            };

            CredentialEntry? entry = session.Client.ListCredentials(SecTag, (int)Type, Log, CancelToken)
                .FirstOrDefault(e => e.SecTag == SecTag && e.Type == (int)Type);
            if (entry is null)
            {
                test.ComparedBy = "Missing";
                return test;
            }

            test.Present = true;
            string modemDigest;
            if (entry.Sha256 is string listed)
            {
                modemDigest = listed;
                test.ModemSha256 = listed;
            }
            else if (CredentialRules.IsReadable(type))
            {
                // Placeholder digests (early firmware): read the content back and hash it.
                CredentialEntry read = session.Client.ReadCredential(SecTag, (int)Type, Log, CancelToken);
                modemDigest = CredentialContent.ComputeDigest(read.Content ?? string.Empty);
                test.ComparedBy = "Content";
            }
            else
            {
                throw new ModemException(ErrorIds.CredentialNotVerifiable, ModemErrorCategory.NotImplemented,
                    "This firmware (" + session.Firmware + ") lists a placeholder instead of the SHA-256 of the " + Digests.TypeWords((int)Type)
                    + " at sec_tag " + SecTag.ToString(CultureInfo.InvariantCulture) + ", and that type cannot be read back, so it cannot be compared.",
                    "Its presence is known (Get-ModemCredential lists it). Modem firmware 1.3.0 and later list real digests; update the modem firmware to verify content.");
            }

            DigestVariantReport report = CredentialContent.DigestVariants(text, modemDigest);
            test.MatchedVariant = report.MatchedVariantName;
            test.MatchedVariantDescription = report.MatchedVariant is DigestVariant v ? CredentialContent.DescribeVariant(v) : null;
            test.Match = LineEnding is null
                ? report.IsMatch || string.Equals(modemDigest, test.LocalSha256, StringComparison.OrdinalIgnoreCase)
                : string.Equals(modemDigest, test.LocalSha256, StringComparison.OrdinalIgnoreCase);
            return test;
        }

        private static string Describe(ModemCredentialTest test)
        {
            string what = Digests.TypeWords((int)test.Type) + " at sec_tag " + test.SecTag.ToString(CultureInfo.InvariantCulture);
            if (!test.Present)
            {
                return "The modem holds no " + what + ".";
            }

            return test.Match
                ? "The modem holds the " + what + " from " + test.Source + (test.MatchedVariant == "None" ? "." : ", stored as: " + test.MatchedVariantDescription + ".")
                : "The " + what + " differs from " + test.Source + ": the modem lists SHA-256 " + (test.ModemSha256.Length == 0 ? "(placeholder)" : test.ModemSha256)
                    + ", the local text hashes to " + test.LocalSha256 + (test.MatchedVariant == "None" ? " and no line-ending form of it matches." : " (the modem holds it " + test.MatchedVariant + ").");
        }
    }
}
