using System;
using System.Threading;
using Nrf91Cmng.Core.Credentials;
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
            Store = new AtCredentialStore(client);
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

        /// <summary>True while the connection is open and usable.</summary>
        public bool Connected => Volatile.Read(ref _disposed) == 0 && Client.Channel.IsUsable;

        /// <summary>Model as read on connect (AT+CGMM).</summary>
        public string? Model => Client.Identity.Model;

        /// <summary>Modem firmware as read on connect (AT+CGMR).</summary>
        public string? Firmware => Client.Identity.Firmware.Name.Length == 0 ? null : Client.Identity.Firmware.Name;

        /// <summary>IMEI as read on connect (AT+CGSN).</summary>
        public string? Imei => Client.Identity.Imei;

        /// <summary>At (raw AT console) or Shell (Zephyr shell 'at' command).</summary>
        public string CommandMode => Client.Mode.ToString();

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
