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
    }
}
