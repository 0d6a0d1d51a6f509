using System.Management.Automation.Runspaces;
using System.Reflection;

namespace Nrf91Cmng.Formatting
{
    /// <summary>
    /// Registers the module's views (<see cref="ModuleViews"/>) and hidden members
    /// (<see cref="HiddenMembers"/>) in the runspace that imports the module. No file is involved.
    /// <para>
    /// Why (Windows review): the views used to come from Nrf91Cmng.Format.ps1xml through the
    /// manifest's FormatsToProcess. PowerShell treats a .ps1xml file like a script: the Restricted
    /// policy (the default of Windows PowerShell on Windows client editions) refuses it, AllSigned
    /// refuses it unless it is signed by a trusted publisher, and RemoteSigned refuses it when it
    /// carries the internet mark (a downloaded zip extracted by hand). Import-Module then fails as a
    /// whole. The manifest (.psd1; Import-Module does not put manifests through the policy) and the
    /// binary module are not scripts, so without the file nothing of the module is subject to the
    /// execution policy: it imports under Restricted, AllSigned, RemoteSigned (marked or not),
    /// Unrestricted and Bypass alike, in Windows PowerShell 5.1 and PowerShell 7. Signing the file
    /// would only have fixed AllSigned and RemoteSigned, and only with a certificate users trust.
    /// </para>
    /// <para>
    /// How (public API of PowerShell 5.1 and 7): the views are built with the
    /// ExtendedTypeDefinition / FormatViewDefinition / TableControl.Create() / ListControl.Create()
    /// builders and added to the importing runspace's InitialSessionState.Formats as
    /// <c>SessionStateFormatEntry(ExtendedTypeDefinition)</c> entries; <c>Update-FormatData</c> with no
    /// path then rebuilds the runspace's format table from that list, and the in-memory entries load
    /// without any policy check (there is no file to check). They stay in the runspace's list, so
    /// every later rebuild (another module imported or removed, Update-FormatData) keeps them.
    /// Members PowerShell should reach but serializers should not see (ModemSession.Simulator,
    /// ModemSimulator.Modem: live engine objects) are hidden code properties added with
    /// <c>Update-TypeData -TypeData</c>: ConvertTo-Json, Export-Csv, Format-List * and Get-Member
    /// leave them out, <c>$sim.Modem</c> still works; the public enums are serialized by name. Both
    /// commands run in a nested pipeline of the importing runspace
    /// (<see cref="Runspace.DefaultRunspace"/> while Import-Module runs).
    /// </para>
    /// <para>
    /// On PowerShell 7 the engine's own update methods, which those commands call, are used through
    /// reflection (the same internal members from 7.4 to 7.6): running the commands took half of the
    /// import (finding them imports the Utility module, and the first PowerShell instance of a process
    /// starts PowerShell's telemetry client). Windows PowerShell 5.1, and a PowerShell 7 where those
    /// members are not found, run the commands. A host that lacks the Microsoft.PowerShell.Utility
    /// module (a program hosting only System.Management.Automation, like the tests' hosted engine)
    /// uses the engine's methods there too. If that fails as well, or the runspace's format table is
    /// shared or frozen (DisableFormatUpdates), the module works without its views and shows default
    /// formatting. Registering never fails the import.
    /// </para>
    /// </summary>
    internal static class ViewRegistration
    {
        private const string MarkerType = "Nrf91Cmng.ModemSession";

        /// <summary>Registers views and hidden members in the importing runspace; returns what went wrong, or null.</summary>
        public static string? RegisterInCurrentRunspace()
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            InitialSessionState? state;
            try
            {
                state = runspace?.InitialSessionState;
            }
            catch (PSNotSupportedException)
            {
                return null;
            }

            if (runspace is null || state is null)
            {
                return null;
            }

            try
            {
                bool formats = AddFormatEntries(state);
                bool types = !HasHiddenMembers(state);
                if (!formats && !types)
                {
                    return null;
                }

                // PowerShell 7: the engine's own update methods first (what the two commands call),
                // because the commands cost about half of the import: looking them up imports the
                // Utility module, and the PowerShell instance that runs them is the process's first,
                // which makes PowerShell initialise its telemetry client (~70 ms on the CI machine).
                // Windows PowerShell 5.1 keeps the public commands; any host where the engine's
                // members are not found (a later PowerShell) falls back to them too.
                if (IsPowerShell7 && EngineUpdate.TryFind(runspace) is EngineUpdate engine)
                {
                    engine.Run(state, formats, types);
                }
                else if (!RunUtilityCommands(formats, types))
                {
                    UpdateThroughEngine(runspace, state, formats, types);
                }

                return null;
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException || ex is StackOverflowException))
            {
                Exception inner = ex is TargetInvocationException && ex.InnerException is not null ? ex.InnerException : ex;
                return "Nrf91Cmng could not register its views in this runspace (" + inner.GetType().Name + ": " + inner.Message
                    + "); its output shows with PowerShell's default formatting.";
            }
        }

        /// <summary>
        /// The module's type data: the hidden members, and the public enums serialized by name
        /// (<c>SerializationMethod String</c>), so that <c>Type</c>, <c>Status</c> and <c>Mode</c>
        /// of results that come back from Invoke-Command, Start-Job or Export-Clixml are the same
        /// words (<c>Where-Object Type -eq 'RootCA'</c> still matches), not bare numbers.
        /// </summary>
        internal static IReadOnlyList<TypeData> HiddenMemberTypes()
        {
            var session = new TypeData("Nrf91Cmng.ModemSession");
            session.Members.Add("Simulator", Hidden("Simulator", nameof(HiddenMembers.GetSimulator)));
            var simulator = new TypeData("Nrf91Cmng.ModemSimulator");
            simulator.Members.Add("Modem", Hidden("Modem", nameof(HiddenMembers.GetModem)));
            var types = new List<TypeData> { session, simulator };
            foreach (Type enumType in new[] { typeof(CredentialType), typeof(CredentialStatus), typeof(AtResult), typeof(FunctionalMode) })
            {
                types.Add(new TypeData(enumType) { SerializationMethod = "String" });
            }

            return types;
        }

        private static CodePropertyData Hidden(string name, string getter) =>
            new CodePropertyData(name, typeof(HiddenMembers).GetMethod(getter, BindingFlags.Public | BindingFlags.Static)) { IsHidden = true };

        // Adds the in-memory entries unless this runspace has them (Import-Module -Force, a second
        // import); false when there is nothing to update or the format table cannot be updated.
        private static bool AddFormatEntries(InitialSessionState state)
        {
            if (state.DisableFormatUpdates || state.Formats.Any(e => e.Formattable is not null))
            {
                return false;
            }

            if (state.Formats.Any(e => e.FormatData is not null && e.FormatData.TypeName == MarkerType))
            {
                return false;
            }

            foreach (ExtendedTypeDefinition definition in ModuleViews.Create())
            {
                state.Formats.Add(new SessionStateFormatEntry(definition));
            }

            return true;
        }

        private static bool HasHiddenMembers(InitialSessionState state) =>
            state.Types.Any(e => e.TypeData is not null && e.TypeData.TypeName == "Nrf91Cmng.ModemSimulator" && e.TypeData.Members.ContainsKey("Modem"));

        // Update-FormatData (no path: re-reads the runspace's list) and Update-TypeData -TypeData, in a
        // nested pipeline; false when the Utility module is not there.
        private static bool RunUtilityCommands(bool formats, bool types)
        {
            CommandInfo? updateFormat;
            CommandInfo? updateType;
            using (PowerShell find = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                Dictionary<string, CommandInfo> found = find.AddCommand("Microsoft.PowerShell.Core\\Get-Command")
                    .AddParameter("Name", new[] { "Update-FormatData", "Update-TypeData" })
                    .AddParameter("Module", "Microsoft.PowerShell.Utility")
                    .AddParameter("CommandType", CommandTypes.Cmdlet)
                    .AddParameter("ErrorAction", ActionPreference.Ignore)
                    .Invoke<CommandInfo>()
                    .Where(c => c is not null)
                    .GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
                found.TryGetValue("Update-FormatData", out updateFormat);
                found.TryGetValue("Update-TypeData", out updateType);
            }

            if (updateFormat is null || updateType is null)
            {
                return false;
            }

            using (PowerShell ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                if (formats)
                {
                    ps.AddCommand(updateFormat).AddParameter("WhatIf", false).AddParameter("Confirm", false).AddParameter("ErrorAction", ActionPreference.Ignore);
                }

                if (types)
                {
                    if (formats)
                    {
                        ps.AddStatement();
                    }

                    ps.AddCommand(updateType).AddParameter("TypeData", HiddenMemberTypes().ToArray()).AddParameter("Force")
                        .AddParameter("WhatIf", false).AddParameter("Confirm", false).AddParameter("ErrorAction", ActionPreference.Ignore);
                }

                ps.Invoke();
                return true;
            }
        }

        // What Update-FormatData and Update-TypeData do, for hosts without them: rebuild the format
        // table from the runspace's list, add the type data to the runspace's type table and list.
        private static void UpdateThroughEngine(Runspace runspace, InitialSessionState state, bool formats, bool types)
        {
            EngineUpdate engine = EngineUpdate.TryFind(runspace)
                ?? throw new PSNotSupportedException("no ExecutionContext, InitialSessionState.UpdateFormats or ExecutionContext.TypeTable on " + runspace.GetType().Name);
            engine.Run(state, formats, types);
        }

        private static bool IsPowerShell7 => typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext") is not null;

        /// <summary>
        /// The engine members Update-FormatData and Update-TypeData use (internal, the same from
        /// PowerShell 7.4 to 7.6): the runspace's ExecutionContext, InitialSessionState.UpdateFormats
        /// (rebuilds the format table from the runspace's list, as Update-FormatData without a path
        /// does) and ExecutionContext.TypeTable. Null when any is missing.
        /// </summary>
        private sealed class EngineUpdate
        {
            private const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Instance;
            private readonly object _context;
            private readonly MethodInfo _updateFormats;
            private readonly TypeTable _typeTable;

            private EngineUpdate(object context, MethodInfo updateFormats, TypeTable typeTable)
            {
                _context = context;
                _updateFormats = updateFormats;
                _typeTable = typeTable;
            }

            public static EngineUpdate? TryFind(Runspace runspace)
            {
                object? context = typeof(Runspace).GetProperty("ExecutionContext", Internal)?.GetValue(runspace);
                MethodInfo? update = typeof(InitialSessionState).GetMethods(Internal)
                    .FirstOrDefault(m => m.Name == "UpdateFormats" && m.GetParameters().Length == 2
                        && m.GetParameters()[1].ParameterType == typeof(bool) && context is not null && m.GetParameters()[0].ParameterType.IsInstanceOfType(context));
                TypeTable? table = context?.GetType().GetProperty("TypeTable", Internal)?.GetValue(context) as TypeTable;
                return context is null || update is null || table is null ? null : new EngineUpdate(context, update, table);
            }

            public void Run(InitialSessionState state, bool formats, bool types)
            {
                if (formats)
                {
                    _updateFormats.Invoke(state, new[] { _context, (object)false });
                }

                if (types)
                {
                    foreach (TypeData data in HiddenMemberTypes())
                    {
                        _typeTable.AddType(data);
                        state.Types.Add(new SessionStateTypeEntry(data, false));
                    }
                }
            }
        }
    }
}
