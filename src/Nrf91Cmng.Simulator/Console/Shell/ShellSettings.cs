namespace Nrf91Cmng.Simulator
{
    /// <summary>The Kconfig of one shell build, resolved from <see cref="VirtualModemOptions"/> and the framing's defaults.</summary>
    internal sealed class ShellSettings
    {
        public string Prompt { get; set; } = "uart:~$ ";

        public ShellCommandSet Commands { get; set; } = ShellCommandSet.Both;

        public bool Colors { get; set; } = true;

        public bool Echo { get; set; } = true;

        /// <summary><c>CONFIG_SHELL_CMD_BUFF_SIZE</c> (NUL included).</summary>
        public int BufferSize { get; set; } = 256;

        /// <summary>RX ring buffer bytes; 0 = unlimited.</summary>
        public int RxRingSize { get; set; } = 64;

        public bool UnescapeLf { get; set; }

        public bool Wildcards { get; set; }

        public CredShellVariant Variant { get; set; } = CredShellVariant.NcsFork;

        public TlsCredentialBackend Backend { get; set; } = TlsCredentialBackend.Modem;

        public int CredentialBufferSize { get; set; } = 1024;

        public int CredentialTableSize { get; set; } = 20;

        /// <summary><c>CONFIG_AT_SHELL_CMD_RESPONSE_MAX_LEN</c>.</summary>
        public int AtResponseMaxLength { get; set; } = 2700;

        /// <summary><c>HEAP_MEM_POOL_ADD_SIZE_TLS_CRED_SHELL</c> (volatile backend copies).</summary>
        public int CredentialHeapSize { get; set; } = 6000;

        /// <summary>Log messages the deferred log buffer holds (<c>CONFIG_LOG_BUFFER_SIZE</c> 1024 / ~32 bytes a message; inferred).</summary>
        public int LogBufferMessages { get; set; } = 32;

        public static ShellSettings From(VirtualModemOptions options)
        {
            bool legacy = options.Framing == ModemFraming.Shell;
            var settings = new ShellSettings
            {
                Prompt = options.ShellPrompt ?? "uart:~$ ",
                Commands = options.ShellCommands ?? (legacy ? ShellCommandSet.At : ShellCommandSet.Both),
                Colors = options.ShellColors ?? !legacy,
                Echo = options.ShellEcho,
                BufferSize = options.ShellBufferSize ?? (legacy ? 3584 : 256),
                RxRingSize = options.ShellRxBufferSize ?? (legacy ? 512 : 64),
                UnescapeLf = options.ShellUnescapeLf ?? legacy,
                Wildcards = options.ShellWildcards,
                Variant = options.CredShellVariant,
                Backend = options.CredentialBackend,
                CredentialBufferSize = options.CredentialBufferSize,
                CredentialTableSize = options.CredentialTableSize ?? (options.CredentialBackend == TlsCredentialBackend.Modem ? 20 : 4),
            };
            if (settings.BufferSize < 2 || settings.BufferSize > 65536)
            {
                throw new ArgumentException("ShellBufferSize is 2 to 65536 bytes (CONFIG_SHELL_CMD_BUFF_SIZE, NUL included).", nameof(options));
            }

            if (settings.RxRingSize < 0)
            {
                throw new ArgumentException("ShellRxBufferSize cannot be negative (0 = unlimited).", nameof(options));
            }

            if (settings.CredentialBufferSize < 1 || settings.CredentialBufferSize > 1 << 20)
            {
                throw new ArgumentException("CredentialBufferSize is 1 to 1048576 bytes.", nameof(options));
            }

            if (settings.CredentialTableSize < 1 || settings.CredentialTableSize > 1000)
            {
                throw new ArgumentException("CredentialTableSize is 1 to 1000 entries.", nameof(options));
            }

            return settings;
        }
    }
}
