using System.Collections.Concurrent;

namespace Nrf91Cmng.Simulator
{
    /// <summary>The virtual modems Start-ModemSimulator serves in this process; they stop with the module.</summary>
    internal static class SimulatorRegistry
    {
        private static readonly ConcurrentDictionary<int, ModemSimulator> s_running = new ConcurrentDictionary<int, ModemSimulator>();

        public static void Add(ModemSimulator simulator) => s_running[simulator.Id] = simulator;

        public static IReadOnlyList<ModemSimulator> All() => s_running.Values.OrderBy(s => s.Id).ToList();

        public static ModemSimulator? FindByAddress(string address) =>
            s_running.Values.FirstOrDefault(s => s.Running && (s.PortName == address || (s.Uri is not null && s.Uri.ToString().TrimEnd('/') == address.TrimEnd('/'))));

        public static void Stop(ModemSimulator simulator)
        {
            s_running.TryRemove(simulator.Id, out _);
            simulator.Stop();
        }

        public static void StopAll()
        {
            foreach (ModemSimulator simulator in All())
            {
                Stop(simulator);
            }
        }
    }
}
