namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>Which store a connected modem's credentials are reached through.</summary>
    public static class CredentialStores
    {
        /// <summary>
        /// The store for <paramref name="client"/>'s console: the TLS credentials shell (<c>cred</c>) where the
        /// session found it (<see cref="CommandMode.Cred"/>, <see cref="CommandMode.CredAndAt"/>), else
        /// <c>AT%CMNG</c> (raw, or through the shell's <c>at</c>).
        /// </summary>
        public static ICredentialStore For(ModemClient client)
        {
            if (client is null)
            {
                throw new ArgumentNullException(nameof(client));
            }

            return client.Mode == CommandMode.Cred || client.Mode == CommandMode.CredAndAt
                ? new ShellCredentialStore(client)
                : new AtCredentialStore(client);
        }

        /// <summary>The backend in one word for users: Modem (AT%CMNG and the nRF modem backend), Volatile, Psa, VolatileOrPsa or Unknown.</summary>
        public static string BackendName(ICredentialStore store) => store is ShellCredentialStore shell
            ? shell.Backend switch
            {
                CredShellBackend.Modem => "Modem",
                CredShellBackend.Volatile => "Volatile",
                CredShellBackend.Psa => "Psa",
                CredShellBackend.VolatileOrPsa => "VolatileOrPsa",
                _ => "Unknown",
            }
            : "Modem";
    }
}
