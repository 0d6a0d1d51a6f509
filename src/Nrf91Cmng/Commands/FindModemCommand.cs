using System.Threading;
using System.Threading.Tasks;
using Nrf91Cmng.Core.Discovery;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists serial ports that may carry an nRF91 AT console, recognising Nordic boards, and optionally probes them.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Find, "Modem", HelpUri = HelpLinks.Base + "Find-Modem.md")]
    [OutputType(typeof(ModemPort))]
    public sealed class FindModemCommand : ModemCmdletBase
    {
        /// <summary>Ask each port (in parallel, short timeout) which console answers (raw AT, or a Zephyr shell with 'at', 'cred' or both), then AT+CGMM and AT+CGSN where AT can be sent; report Responds, CommandMode, Model and Imei.</summary>
        [Parameter]
        public SwitchParameter Probe { get; set; }

        /// <summary>Also list ports that are not USB and the non-AT ports of recognised boards.</summary>
        [Parameter]
        public SwitchParameter All { get; set; }

        /// <summary>How long a probe waits for each answer, in seconds (1.5).</summary>
        [Parameter]
        [ValidateRange(0.1, 60)]
        public double TimeoutSeconds { get; set; } = 1.5;

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var ports = new List<ModemPort>();
            PortDiscoveryResult discovery = PortDiscovery.Discover(All);
            foreach (string warning in discovery.Warnings)
            {
                WriteWarning(warning);
            }

            foreach (SerialPortInfo info in discovery.Ports)
            {
                if (!All && (info.IsAtPort == false || (info.Board is not null && !info.IsCellularBoard)))
                {
                    continue;
                }

                ports.Add(new ModemPort
                {
                    PortName = info.PortName,
                    Board = info.Board,
                    IsAtPort = info.IsAtPort,
                    SerialNumber = info.SerialNumber,
                    VendorId = info.VendorId,
                    ProductId = info.ProductId,
                    Manufacturer = info.Manufacturer,
                    Product = info.Product,
                    Interface = info.InterfaceNumber,
                });
            }

            AddVirtualModems(ports);
            if (ports.Count == 0)
            {
                WriteVerbose("No serial port that could carry an nRF91 AT console was found" + (All ? "." : " (-All lists every serial port, also those of other devices).")
                    + " Check that the board is plugged in and powered" + (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) ? " and that you may open serial devices (the dialout group)." : "."));
            }
            if (Probe)
            {
                ProbeAll(ports);
            }

            WriteObject(ports, enumerateCollection: true);
        }

        /// <summary>Virtual modems this process serves (Start-ModemSimulator) are modems too.</summary>
        private static void AddVirtualModems(List<ModemPort> ports)
        {
            foreach (ModemSimulator simulator in Simulator.SimulatorRegistry.All().Where(s => s.Running))
            {
                ports.Add(simulator.ToPort());
            }
        }

        private readonly HashSet<ModemPort> _reported = new HashSet<ModemPort>();

        private void ProbeAll(List<ModemPort> ports)
        {
            TimeSpan timeout = TimeSpan.FromSeconds(TimeoutSeconds);
            Task[] probes = ports.Select(port => Task.Run(() => ProbeOne(port, timeout, CancelToken))).ToArray();
            int done = 0;
            while (done < probes.Length)
            {
                int index = Task.WaitAny(probes, 100);
                Log.Flush();
                if (CancelToken.IsCancellationRequested)
                {
                    return;
                }

                done = probes.Count(t => t.IsCompleted);
                foreach (ModemPort port in ports.Where((p, i) => probes[i].IsCompleted && !_reported.Contains(p)).ToList())
                {
                    _reported.Add(port);
                    WriteVerbose(port.PortName + ": " + (port.CommandMode is string mode
                        ? Core.Modem.ModemClient.Describe((Core.At.CommandMode)Enum.Parse(typeof(Core.At.CommandMode), mode)) + " (-CommandMode " + mode + ")"
                        : "no console answered" + (port.ProbeNote is null ? string.Empty : " (" + port.ProbeNote + ")")) + ".");
                }

                WriteProgress(new ProgressRecord(1, "Probing serial ports", done + " of " + probes.Length + " answered or timed out")
                {
                    PercentComplete = probes.Length == 0 ? 100 : done * 100 / probes.Length,
                    RecordType = done == probes.Length ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                });
                _ = index;
            }
        }

        private static void ProbeOne(ModemPort port, TimeSpan timeout, CancellationToken cancellationToken)
        {
            ProbeResult result = PortProbe.Probe(port.PortName, timeout, cancellationToken);
            port.Responds = result.Responds;
            port.Model = result.Model;
            port.Imei = result.Imei;
            port.ProbeNote = result.Note;
            port.CommandMode = result.Mode?.ToString();
        }
    }
}
