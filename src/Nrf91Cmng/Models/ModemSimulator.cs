using System.Runtime.CompilerServices;
using System.Threading;
using Nrf91Cmng.Simulator;

namespace Nrf91Cmng
{
    /// <summary>
    /// A virtual nRF91 modem this process serves (Start-ModemSimulator, or the in-process modem of
    /// Connect-Modem -Simulator). Pipe it into Connect-Modem: PortName (pseudo-terminal) or Uri (TCP)
    /// binds by property name. Modem exposes the virtual modem's inspectable state (Credentials,
    /// ReceivedCommands, FunctionalModeHistory, Faults) for tests.
    /// </summary>
    public sealed class ModemSimulator
    {
        private static int s_nextId;

        internal ModemSimulator(VirtualModem modem, VirtualModemServer? server, string transport)
        {
            Id = Interlocked.Increment(ref s_nextId);
            VirtualModem = modem;
            Server = server;
            Transport = transport;
            if (server is not null && server.Kind == VirtualModemServerKind.Tcp)
            {
                Uri = new Uri(server.Address);
                PortName = server.Address;
            }
            else if (server is not null)
            {
                PortName = server.Address;
            }
        }

        /// <summary>Process-wide number of the simulator.</summary>
        public int Id { get; }

        /// <summary>Firmware profile it imitates (mfw_nrf9160_1.3.5, ...).</summary>
        public string Firmware => VirtualModem.Profile.Name;

        /// <summary>Model it reports (AT+CGMM).</summary>
        public string Model => VirtualModem.Profile.Model;

        /// <summary>InProcess, Tcp or PseudoTerminal.</summary>
        public string Transport { get; }

        /// <summary>What to give Connect-Modem -PortName: the pseudo-terminal device, or the tcp:// address; null in process.</summary>
        public string? PortName { get; }

        /// <summary>The tcp:// address to connect to (Tcp transport), else null.</summary>
        public Uri? Uri { get; }

        /// <summary>Its IMEI.</summary>
        public string Imei => VirtualModem.Imei;

        /// <summary>Its device UUID.</summary>
        public Guid DeviceUuid => VirtualModem.DeviceUuid;

        /// <summary>Line pacing in baud (0 = unpaced).</summary>
        public int BaudRate => VirtualModem.BaudRate;

        /// <summary>True until Stop-ModemSimulator (or until the port vanished).</summary>
        /// <remarks>Never inlined: ModemSession.Connected asks it, and an inlined body would load the simulator assembly for every session.</remarks>
        public bool Running
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            get => !VirtualModem.IsDisposed && (Server is null || Server.IsRunning);
        }

        /// <summary>Connections accepted so far (TCP and pseudo-terminal servers).</summary>
        public int ConnectionCount => Server?.ConnectionCount ?? 0;

        /// <summary>AT commands the virtual modem has processed.</summary>
        public long CommandsProcessed => VirtualModem.CommandsProcessed;

        /// <summary>
        /// The virtual modem itself. PowerShell reaches it as the hidden member Modem
        /// (Formatting.HiddenMembers): a live object, left out of ConvertTo-Json and Export-Csv.
        /// </summary>
        internal VirtualModem VirtualModem { get; }

        internal VirtualModemServer? Server { get; }

        /// <summary>Stops serving and disposes the virtual modem. Never inlined (session disposal calls it on every session).</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal void Stop()
        {
            Server?.Dispose();
            VirtualModem.Dispose();
        }

        /// <summary>The simulator as Find-Modem lists it. Never inlined into Find-Modem, whose every run would then load the simulator assembly.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal ModemPort ToPort() => new ModemPort
        {
            PortName = ToString(),
            Board = "Virtual " + Model + " (" + Firmware + ")",
            IsAtPort = true,
            Manufacturer = "Nrf91Cmng",
            Product = "Virtual nRF91 modem",
            SerialNumber = Imei,
        };

        /// <inheritdoc />
        public override string ToString() => PortName ?? ("simulator://" + Id);
    }
}
