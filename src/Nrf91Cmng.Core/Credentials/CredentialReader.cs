using System.Threading;
using Nrf91Cmng.Core.At;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Logging;

namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>Reads credential content back from a store.</summary>
    public static class CredentialReader
    {
        /// <summary>
        /// Reads the content of one credential; null with <paramref name="why"/> when the firmware
        /// will not return it (not readable: 514, not found: 513, or a bare ERROR).
        /// </summary>
        public static CredentialEntry? TryRead(ICredentialStore store, uint secTag, CredentialType type, IModemLog log, CancellationToken cancellationToken, out string? why)
        {
            try
            {
                why = null;
                return store.Read(secTag, type, log, cancellationToken);
            }
            catch (ModemCommandException ex) when (ex.Code == 514 || ex.Code == 513 || ex.Response.Result == AtResultKind.Error)
            {
                why = ex.Response.FinalLine;
                return null;
            }
        }
    }
}
