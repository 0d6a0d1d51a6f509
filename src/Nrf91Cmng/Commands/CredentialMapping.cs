using System;
using System.Management.Automation;
using Nrf91Cmng.Core.Crypto;
using Nrf91Cmng.Core.Modem;

namespace Nrf91Cmng.Commands
{
    /// <summary>Maps the engine's credential entries onto the public ModemCredential type.</summary>
    internal static class CredentialMapping
    {
        /// <summary>A listed or read entry as a ModemCredential of <paramref name="session"/>.</summary>
        public static ModemCredential ToCredential(CredentialEntry entry, ModemSession session) => new ModemCredential
        {
            SecTag = entry.SecTag,
            Type = (CredentialType)entry.Type,
            Sha256 = entry.Sha256 ?? string.Empty,
            IsModemOwned = IsModemOwned(entry.SecTag, entry.Type, session),
            Content = entry.Content,
            SessionId = session.Id,
            PortName = session.PortName,
            Imei = session.Imei,
        };

        /// <summary>Reserved tags (above 2147483647, except nRF91x1's TLS-decrypt tags) and modem-owned types.</summary>
        public static bool IsModemOwned(uint secTag, int type, ModemSession session) =>
            Core.Credentials.CredentialRules.IsModemOwned(secTag, type, session.Client.Identity.Firmware.Is91x1);
    
        /// <summary>Fills Subject, Issuer and NotAfter from certificate content read back; content that is not a certificate is left alone.</summary>
        public static void DecodeCertificate(ModemCredential credential, Cmdlet cmdlet)
        {
            if (credential.Content is null || credential.Content.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) < 0)
            {
                return;
            }

            try
            {
                CertificateInfo info = CertificateInfo.FromPem(credential.Content);
                credential.Subject = info.Subject;
                credential.Issuer = info.Issuer;
                credential.NotAfter = info.NotAfter.UtcDateTime;
            }
            catch (Nrf91Cmng.Core.Errors.ModemException ex)
            {
                cmdlet.WriteVerbose("The certificate at sec_tag " + credential.SecTag + " could not be decoded: " + ex.Message);
            }
        }
    }
}
