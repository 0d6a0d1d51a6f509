using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace Nrf91Cmng
{
    /// <summary>
    /// Wires dependency loading on import and closes every open modem session on removal.
    /// On PowerShell 7 the engine (Nrf91Cmng.Core) and its third-party dependencies load into an
    /// isolated AssemblyLoadContext; on Windows PowerShell 5.1 they load from the Dependencies
    /// folder through AssemblyResolve, as powershell.exe would load any module dependency. The
    /// virtual modem (Nrf91Cmng.Simulator) goes the same way, and only when a simulator is used:
    /// the cmdlet assembly touches its types only inside methods that run for a simulator.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string[] s_isolatedEntryAssemblies = { "Nrf91Cmng.Core", "Nrf91Cmng.Simulator" };
        private static readonly object s_gate = new object();
        private static bool s_registered;

        internal static string DependencyDirectory { get; } = Path.Combine(
            Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".",
            "Dependencies");

        /// <inheritdoc />
        public void OnImport()
        {
            lock (s_gate)
            {
                if (s_registered)
                {
                    return;
                }

                Type? alc = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
                if (alc is not null)
                {
                    Assembly isolation = Assembly.LoadFrom(Path.Combine(DependencyDirectory, "Nrf91Cmng.Isolation.dll"));
                    isolation.GetType("Nrf91Cmng.Isolation.DependencyLoadContext", throwOnError: true)!
                        .GetMethod("Register", BindingFlags.Public | BindingFlags.Static)!
                        .Invoke(null, new object[] { DependencyDirectory, s_isolatedEntryAssemblies });
                }
                else
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencies;
                }

                s_registered = true;
            }
        }

        /// <inheritdoc />
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            Sessions.SessionRegistry.CloseAllForModuleRemoval();
            Simulator.SimulatorRegistry.StopAll();
        }

        // .NET Framework only: no load contexts there, and no other module's copy can be told
        // apart anyway, so load ours by path the way powershell.exe loads module dependencies.
        private static Assembly? ResolveFromDependencies(object? sender, ResolveEventArgs args)
        {
            string name = new AssemblyName(args.Name).Name ?? string.Empty;
            string path = Path.Combine(DependencyDirectory, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
