using System.Runtime.InteropServices;
using Nrf91Cmng.Simulator;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Stops virtual modems started with Start-ModemSimulator.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "ModemSimulator", HelpUri = HelpLinks.Base + "Stop-ModemSimulator.md", SupportsShouldProcess = true, DefaultParameterSetName = "InputObject")]
    public sealed class StopModemSimulatorCommand : ModemCmdletBase
    {
        /// <summary>The simulators to stop (from Start-ModemSimulator or Get-ModemSimulator).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "InputObject")]
        public ModemSimulator[] InputObject { get; set; } = Array.Empty<ModemSimulator>();

        /// <summary>Ids of the simulators to stop.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Id")]
        [ArgumentCompleter(typeof(Completers.SimulatorIdCompleter))]
        public int[] Id { get; set; } = Array.Empty<int>();

        /// <summary>Stop every simulator this process serves.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "All")]
        public SwitchParameter All { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            IEnumerable<ModemSimulator> targets;
            switch (ParameterSetName)
            {
                case "Id":
                    var found = new List<ModemSimulator>();
                    foreach (int id in Id)
                    {
                        ModemSimulator? simulator = SimulatorRegistry.All().FirstOrDefault(s => s.Id == id);
                        if (simulator is null)
                        {
                            WriteError(ErrorIds.SimulatorNotFound, ErrorCategory.ObjectNotFound, "No virtual modem with Id " + id + " is running.", "Get-ModemSimulator lists the running ones.", id);
                        }
                        else
                        {
                            found.Add(simulator);
                        }
                    }

                    targets = found;
                    break;
                case "All":
                    targets = SimulatorRegistry.All();
                    break;
                default:
                    targets = InputObject;
                    break;
            }

            foreach (ModemSimulator simulator in targets)
            {
                if (ShouldProcess(simulator.ToString(), "Stop virtual modem"))
                {
                    SimulatorRegistry.Stop(simulator);
                    WriteVerbose("Stopped the virtual modem on " + simulator);
                }
            }
        }
    }
}
