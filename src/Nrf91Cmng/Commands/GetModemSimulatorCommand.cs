using System.Runtime.InteropServices;
using Nrf91Cmng.Simulator;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the virtual modems this process serves.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ModemSimulator", HelpUri = HelpLinks.Base + "Get-ModemSimulator.md")]
    [OutputType(typeof(ModemSimulator))]
    public sealed class GetModemSimulatorCommand : ModemCmdletBase
    {
        /// <inheritdoc />
        protected override void ProcessRecord() => WriteObject(SimulatorRegistry.All(), enumerateCollection: true);
    }
}
