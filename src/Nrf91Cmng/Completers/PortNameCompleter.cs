using System.Management.Automation.Language;
using Nrf91Cmng.Core.Platform;
using Nrf91Cmng.Core.Transport;

namespace Nrf91Cmng.Completers
{
    /// <summary>
    /// Completes -PortName with the serial ports present now (and stable /dev/serial/by-id names on
    /// Linux). On macOS only the call-out nodes /dev/cu.* are offered: opening a dial-in /dev/tty.*
    /// node can block until the device raises carrier detect.
    /// </summary>
    public sealed class PortNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = CompletionText.Unquote(wordToComplete);
            return CandidatePorts()
                .Where(p => p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || Path.GetFileName(p).StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .OrderBy(p => p, StringComparer.OrdinalIgnoreCase)
                .Select(p => new CompletionResult(CompletionText.Quote(p), p, CompletionResultType.ParameterValue, p));
        }

        internal static IEnumerable<string> CandidatePorts()
        {
            var ports = new List<string>();
            try
            {
                ports.AddRange(SerialTransport.GetPortNames());
            }
            catch (Exception ex) when (ex is Core.Errors.ModemException || ex is PlatformNotSupportedException || ex is InvalidOperationException)
            {
                // No SerialPort in this host: fall back to the device folders below.
            }

            foreach (string folder in new[] { "/dev/serial/by-id" })
            {
                if (Directory.Exists(folder))
                {
                    ports.AddRange(Directory.GetFileSystemEntries(folder));
                }
            }

            if (Directory.Exists("/dev"))
            {
                foreach (string pattern in new[] { "ttyACM*", "ttyUSB*", "cu.usbmodem*", "cu.usbserial*", "cu.SLAB*", "cu.wchusbserial*" })
                {
                    ports.AddRange(Directory.GetFiles("/dev", pattern));
                }
            }

            // Virtual modems this process serves (Start-ModemSimulator) are ports too.
            ports.AddRange(Simulator.SimulatorRegistry.All().Where(s => s.Running && s.PortName is not null).Select(s => s.PortName!));

            // SerialPort.GetPortNames() lists both nodes of every macOS device.
            return SerialPortNames.ForCompletion(ports, System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX));
        }
    }
}
