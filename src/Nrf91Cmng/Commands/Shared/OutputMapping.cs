using Nrf91Cmng.Core.Crypto;
using Nrf91Cmng.Core.Logging;
using Nrf91Cmng.Core.Readiness;

namespace Nrf91Cmng.Commands
{
    /// <summary>Maps the engine's results onto the public output types.</summary>
    internal static class OutputMapping
    {
        /// <summary>A listed or read entry as a ModemCredential of <paramref name="session"/>.</summary>
        public static ModemCredential ToCredential(CredentialEntry entry, ModemSession session) => new ModemCredential
        {
            SecTag = entry.SecTag,
            Type = entry.Type.ToPublic(),
            Sha256 = entry.Sha256 ?? string.Empty,
            IsModemOwned = CredentialRules.IsModemOwned(entry.SecTag, entry.Type, session.Store.Firmware.Is91x1),
            Content = entry.Content,
        }.From(session);

        /// <summary>The ModemCredential of a write (Set-ModemCredential -PassThru).</summary>
        public static ModemCredential ToCredential(InstallResult result, CredentialValidationResult validation, ModemSession session)
        {
            CertificateInfo? certificate = validation.Certificates.Count > 0 ? validation.Certificates[0] : null;
            return new ModemCredential
            {
                SecTag = result.Item.SecTag,
                Type = result.Item.Type.ToPublic(),
                Sha256 = result.ListedSha256 ?? result.Item.Sha256,
                Subject = certificate?.Subject,
                Issuer = certificate?.Issuer,
                NotAfter = certificate?.NotAfter.UtcDateTime,
                Status = result.Status switch
                {
                    InstallStatus.Written => CredentialStatus.Written,
                    InstallStatus.Replaced => CredentialStatus.Replaced,
                    _ => CredentialStatus.Unchanged,
                },
            }.From(session);
        }

        /// <summary>The ModemCredential of a deletion (Remove-ModemCredential -PassThru).</summary>
        public static ModemCredential ToCredential(RemoveResult result, ModemSession session) => new ModemCredential
        {
            SecTag = result.SecTag,
            Type = result.Type.ToPublic(),
            Sha256 = result.Sha256 ?? string.Empty,
            Status = CredentialStatus.Removed,
        }.From(session);

        /// <summary>Fills Subject, Issuer and NotAfter from certificate content read back; content that is not a certificate is left alone.</summary>
        public static void DecodeCertificate(ModemCredential credential, IModemLog log)
        {
            if (credential.Content is null || credential.Content.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) < 0)
            {
                return;
            }

            CertificateInfo? info = CertificateInfo.TryFromPem(credential.Content, out ModemException? error);
            if (info is null)
            {
                log.Verbose("The certificate at sec_tag " + credential.SecTag + " could not be decoded: " + error!.Message);
                return;
            }

            credential.Subject = info.Subject;
            credential.Issuer = info.Issuer;
            credential.NotAfter = info.NotAfter.UtcDateTime;
        }

        /// <summary>A sec_tag's readiness as Test-ModemSecTag shows it.</summary>
        public static SecTagReadiness ToReadiness(Core.Readiness.SecTagReadiness tag, ReadinessReport report, ModemSession session, ServerProfile? profile, string? recordFile)
        {
            List<SecTagCheck> checks = tag.Checks.Select(c => new SecTagCheck
            {
                SecTag = tag.SecTag,
                Id = c.Id,
                What = c.Title,
                Outcome = c.Status,
                Reason = c.Reason,
                Evidence = c.Evidence,
                Remedy = c.Remedy,
            }).ToList();
            var failed = checks.Where(c => c.Outcome == ReadinessStatus.Fail).Select(c => c.Id).ToList();
            var warned = checks.Where(c => c.Outcome == ReadinessStatus.Warn).Select(c => c.Id).ToList();
            return new SecTagReadiness
            {
                SecTag = tag.SecTag,
                Ready = tag.Ready,
                Checks = new SecTagCheckList(checks),
                FailedCount = failed.Count,
                WarningCount = warned.Count,
                Summary = string.Join("; ", new[] { failed.Count > 0 ? "Fail: " + string.Join(", ", failed) : null, warned.Count > 0 ? "Warn: " + string.Join(", ", warned) : null }.Where(p => p is not null)),
                ModemClock = report.Clock.Raw,
                ModemClockState = report.Clock.State.ToString(),
                HostTime = report.HostTime.UtcDateTime,
                Firmware = session.Firmware,
                Server = profile?.Name,
                RecordPath = recordFile,
            }.From(session);
        }
    }
}
