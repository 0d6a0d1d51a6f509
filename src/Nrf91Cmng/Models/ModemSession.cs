using System.Threading;
using Nrf91Cmng.Core.Modem;

namespace Nrf91Cmng
{
    /// <summary>
    /// An open connection to a modem (Connect-Modem). Sessions belong to the runspace that opened
    /// them and close with it; every device cmdlet takes one by -Session or -SessionId, or uses the
    /// runspace's current session.
    /// </summary>
    public sealed class ModemSession : IDisposable
    {
        private static int s_nextId;
        private readonly bool _ownsSimulator;
        private int _disposed;

        internal ModemSession(string? name, ModemClient client, ModemSimulator? simulator, bool ownsSimulator, Guid runspaceId)
        {
            Id = Interlocked.Increment(ref s_nextId);
            Name = string.IsNullOrEmpty(name) ? "Modem" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : name!;
            Client = client;
            Store = CredentialStores.For(client);
            Credentials = new CredentialListCache(Store);
            Simulator = simulator;
            _ownsSimulator = ownsSimulator;
            RunspaceId = runspaceId;
            PortName = client.Channel.Transport.Name;
            Transport = client.Channel.Transport.Kind.ToString();
            Settings = client.Channel.Transport.Settings;
            ConnectedAt = DateTime.Now;
        }

        /// <summary>Process-wide unique number of the session.</summary>
        public int Id { get; }

        /// <summary>The name given with -Name, or ModemN.</summary>
        public string Name { get; }

        /// <summary>Port name, tcp:// URI or simulator:// address.</summary>
        public string PortName { get; }

        /// <summary>Serial, Tcp or InProcess.</summary>
        public string Transport { get; }

        /// <summary>Serial settings or transport details.</summary>
        public string Settings { get; }

        /// <summary>
        /// True while the connection is open and usable: false once it was closed, the link failed,
        /// the console stopped answering for good, or the virtual modem behind it was stopped.
        /// </summary>
        public bool Connected => Volatile.Read(ref _disposed) == 0 && Client.Channel.IsUsable && (Simulator is null || Simulator.Running);

        /// <summary>True for the session that commands without -Session or -SessionId use (the last one opened, until it closes).</summary>
        public bool IsDefault => Sessions.SessionRegistry.IsCurrent(this);

        /// <summary>Model as read on connect (AT+CGMM); empty on a 'cred' shell without 'at', which cannot read it.</summary>
        public string? Model => Client.Identity.Model;

        /// <summary>Modem firmware as read on connect (AT+CGMR).</summary>
        public string? Firmware => Client.Identity.Firmware.Name.Length == 0 ? null : Client.Identity.Firmware.Name;

        /// <summary>IMEI as read on connect (AT+CGSN); empty on a 'cred' shell without 'at', which cannot read it.</summary>
        public string? Imei => Client.Identity.Imei;

        /// <summary>
        /// The console and the protocol the credentials go through: At (raw AT console, AT%CMNG), Shell
        /// (Zephyr shell with 'at': AT%CMNG as at '...'), Cred (Zephyr shell with the TLS credentials
        /// shell 'cred' and no 'at') or CredAndAt (both: credentials through 'cred', other commands
        /// through 'at'). The value to pass to Connect-Modem -CommandMode to force it.
        /// </summary>
        public string CommandMode => Client.Mode.ToString();

        /// <summary>The console in words, e.g. "Zephyr shell with 'cred' and no 'at' (... no AT commands)".</summary>
        public string Console => Client.ConsoleDescription;

        /// <summary>
        /// Where credentials are stored: Modem (the modem's %CMNG store: every AT session and the nRF modem
        /// backend of 'cred'), Volatile (RAM, lost on reset), Psa (protected storage), VolatileOrPsa (a raw
        /// backend not told apart yet) or Unknown ('cred' before its first write or comparison shows it).
        /// </summary>
        public string CredentialBackend => CredentialStores.BackendName(Store);

        /// <summary>
        /// Shell mode only: whether the shell's 'at' turns \n into CR LF (CONFIG_AT_SHELL_UNESCAPE_LF), as
        /// declared with -ShellUnescapeLf or found by the one-time probe before the first multi-line write;
        /// null until then and in the other modes.
        /// </summary>
        public bool? ShellUnescapeLf => Client.Mode == Core.At.CommandMode.Shell ? Client.ShellUnescapesLf : null;

        /// <summary>Line terminator sent after each command.</summary>
        public string LineEnding => Client.Channel.Terminator.ToString();

        /// <summary>Default command timeout in seconds.</summary>
        public double TimeoutSeconds => Client.Channel.DefaultTimeout.TotalSeconds;

        /// <summary>When the session was opened.</summary>
        public DateTime ConnectedAt { get; }

        /// <summary>AT commands sent so far.</summary>
        public long CommandCount => Client.Channel.CommandCount;

        /// <summary>
        /// The virtual modem behind the session (Connect-Modem -Simulator, or a port Start-ModemSimulator
        /// serves), else null. PowerShell reaches it as the hidden member Simulator
        /// (Formatting.HiddenMembers): a live object, left out of exports.
        /// </summary>
        internal ModemSimulator? Simulator { get; }

        /// <summary>The transcript file (Connect-Modem -TranscriptPath), or null.</summary>
        public string? TranscriptPath => Transcript?.Path;

        internal Core.Logging.TranscriptWriter? Transcript { get; set; }

        internal ModemClient Client { get; }

        /// <summary>The modem's credential store through this session's protocol.</summary>
        internal ICredentialStore Store { get; }

        /// <summary>The last credential list (tab completion), forgotten after every change.</summary>
        internal CredentialListCache Credentials { get; }

        internal Guid RunspaceId { get; }

        internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

        /// <summary>Closes the connection (Disconnect-Modem does this and unregisters the session).</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Client.Dispose();
                Transcript?.Dispose();
                if (_ownsSimulator)
                {
                    Simulator?.Stop();
                }
            }
        }

        /// <inheritdoc />
        public override string ToString() => Name + " (" + PortName + ")";
    }
}
