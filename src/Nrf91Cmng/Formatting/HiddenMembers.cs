using System.ComponentModel;

namespace Nrf91Cmng.Formatting
{
    /// <summary>
    /// Getters of the hidden code properties <see cref="ViewRegistration"/> adds: members a script
    /// reaches by name (<c>$session.Simulator</c>, <c>$sim.Modem.Faults</c>) that ConvertTo-Json,
    /// Export-Csv, Format-List * and Get-Member leave out (<c>Get-Member -Force</c> lists them). They
    /// are live engine objects, not data. Not for use from other code.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static class HiddenMembers
    {
        /// <summary>ModemSession.Simulator: the virtual modem behind the session, or null.</summary>
        /// <param name="instance">The session.</param>
        /// <returns>Its <see cref="ModemSimulator"/>, or null.</returns>
        public static ModemSimulator? GetSimulator(PSObject instance) => (instance?.BaseObject as ModemSession)?.Simulator;

        /// <summary>ModemSimulator.Modem: the virtual modem itself (state, fault injection, counters, for tests).</summary>
        /// <param name="instance">The simulator.</param>
        /// <returns>The virtual modem (typed object so that resolving this getter does not load the simulator assembly).</returns>
        public static object? GetModem(PSObject instance) => (instance?.BaseObject as ModemSimulator)?.VirtualModem;
    }
}
