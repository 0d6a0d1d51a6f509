namespace Nrf91Cmng.Simulator
{
    /// <summary>Which commands a Zephyr shell front end (<see cref="ModemFraming.Shell"/>, <see cref="ModemFraming.ZephyrShell"/>) offers besides the shell's own.</summary>
    [Flags]
    public enum ShellCommandSet
    {
        /// <summary>Only the built-in commands (<c>help</c>, <c>shell</c>, <c>retval</c>, …).</summary>
        None = 0,

        /// <summary>NCS <c>lib/at_shell</c>: <c>at &lt;AT command&gt;</c>, <c>at events_enable|events_disable</c>.</summary>
        At = 1,

        /// <summary>Zephyr's TLS credentials shell: <c>cred buf|add|del|get|list</c>.</summary>
        Cred = 2,

        /// <summary>Both.</summary>
        Both = At | Cred,
    }

    /// <summary>Where <c>cred add</c> stores a credential (a build-time choice of the firmware).</summary>
    public enum TlsCredentialBackend
    {
        /// <summary>Zephyr's volatile backend: a RAM table of 4, the shell copies each credential to the heap; lost on reset.</summary>
        Volatile,

        /// <summary>PSA protected storage (<c>tls_credentials_trusted.c</c>): persistent, 4 entries.</summary>
        Psa,

        /// <summary>NCS 3.0+ nRF modem backend: writes through to the modem's <c>%CMNG</c> store (the nRF91 default).</summary>
        Modem,
    }

    /// <summary>Which code of <c>tls_credentials_shell.c</c> the firmware carries.</summary>
    public enum CredShellVariant
    {
        /// <summary>nrfconnect/sdk-zephyr (what NCS builds): <c>buf add del get list</c>, <c>cred buf clear</c> is an argument of <c>buf</c>.</summary>
        NcsFork,

        /// <summary>Upstream Zephyr main: adds <c>cred buf load</c>, <c>cred expiry</c> and the <c>PK_PSA</c> type; <c>cred buf clear</c> always answers.</summary>
        Upstream,
    }
}
