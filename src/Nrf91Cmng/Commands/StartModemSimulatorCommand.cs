using System.Runtime.InteropServices;
using Nrf91Cmng.Simulator;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Starts a virtual nRF91 modem served on a pseudo-terminal or on loopback TCP, for scripts, Pester checks and other tools.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "ModemSimulator", HelpUri = HelpLinks.Base + "Start-ModemSimulator.md", SupportsShouldProcess = true, DefaultParameterSetName = SimulatorSet)]
    [OutputType(typeof(ModemSimulator))]
    public sealed class StartModemSimulatorCommand : VirtualModemCmdletBase
    {
        /// <summary>Firmware profile to imitate (default mfw_nrf9160_1.3.5).</summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(Completers.FirmwareCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Firmware { get; set; }

        /// <summary>PseudoTerminal (default on Linux and macOS: a device path any serial tool opens) or Tcp (default on Windows: tcp://127.0.0.1:port).</summary>
        [Parameter]
        [ValidateSet("Tcp", "PseudoTerminal", IgnoreCase = true)]
        public string? Transport { get; set; }

        /// <summary>TCP port to listen on (0, the default, picks a free one).</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>Pace the line like a UART at this rate (bytes take 10 bit times each way); 0 = as fast as possible.</summary>
        [Parameter]
        [ValidateRange(0, 4000000)]
        public int BaudRate { get; set; }

        /// <summary>CONFIG_AT_SHELL_UNESCAPE_LF: 'at' turns every two-character \n into CR LF before the modem sees it. Default: on for Shell, off for ZephyrShell (-ShellUnescapeLf:$false turns it off).</summary>
        [Parameter]
        public SwitchParameter ShellUnescapeLf { get; set; }

        /// <summary>The IMEI to report (15 digits); default: generated with a valid check digit.</summary>
        [Parameter]
        [ValidatePattern("^[0-9]{15}$")]
        public string? Imei { get; set; }

        /// <summary>Seed for everything random (IMEI, UUID, keys), for reproducible runs.</summary>
        [Parameter]
        public int? Seed { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            string transport = Transport ?? (windows ? "Tcp" : "PseudoTerminal");
            if (string.Equals(transport, "PseudoTerminal", StringComparison.OrdinalIgnoreCase) && windows)
            {
                ThrowError(ErrorIds.SimulatorTransportUnavailable, ErrorCategory.NotImplemented,
                    "Windows has no pseudo-terminals, so the virtual modem cannot be served as a serial device here.",
                    "Use -Transport Tcp and connect with Connect-Modem -Uri (or pipe the result into Connect-Modem); a com0com pair bridged to the TCP port also works.", Transport);
            }

            if (!ShouldProcess(transport + " virtual modem (" + (Firmware ?? FirmwareProfile.Default.Name) + ")", "Start"))
            {
                return;
            }

            SimulatorRequest request = NewSimulatorRequest(Firmware, BaudRate);
            request.Imei = Imei;
            request.Seed = Seed;

            ModemSimulator? served = null;
            if (!Guard(Firmware, () => served = request.Serve(this, transport, Port), terminating: true))
            {
                return;
            }

            ModemSimulator simulator = served!;
            SimulatorRegistry.Add(simulator);
            WriteVerbose("Virtual " + simulator.Model + " (" + simulator.Firmware + ", IMEI " + simulator.Imei + ") serving on " + simulator);
            WriteObject(simulator);
        }
    }
}
