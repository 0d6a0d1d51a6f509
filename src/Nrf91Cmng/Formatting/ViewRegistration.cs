using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
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
    /// leave them out, <c>$sim.Modem</c> still works. Both commands run in a nested pipeline of the
    /// importing runspace (<see cref="Runspace.DefaultRunspace"/> while Import-Module runs).
    /// </para>
    /// <para>
    /// A host that lacks the Microsoft.PowerShell.Utility module (a program hosting only
    /// System.Management.Automation, like the tests' hosted engine and nrf91-host) has no
    /// Update-FormatData: there the engine's own update methods, which those commands call, are used
    /// through reflection. If that fails as well, or the runspace's format table is shared or frozen
    /// (DisableFormatUpdates), the module works without its views and shows default formatting.
    /// Registering never fails the import.
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

                if (!RunUtilityCommands(formats, types))
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

        /// <summary>The hidden members, as type data.</summary>
        internal static IReadOnlyList<TypeData> HiddenMemberTypes()
        {
            var session = new TypeData("Nrf91Cmng.ModemSession");
            session.Members.Add("Simulator", Hidden("Simulator", nameof(HiddenMembers.GetSimulator)));
            var simulator = new TypeData("Nrf91Cmng.ModemSimulator");
            simulator.Members.Add("Modem", Hidden("Modem", nameof(HiddenMembers.GetModem)));
            return new[] { session, simulator };
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
            const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Instance;
            object context = typeof(Runspace).GetProperty("ExecutionContext", Internal)?.GetValue(runspace)
                ?? throw new PSNotSupportedException("no ExecutionContext on " + runspace.GetType().Name);
            if (formats)
            {
                MethodInfo update = typeof(InitialSessionState).GetMethods(Internal)
                    .FirstOrDefault(m => m.Name == "UpdateFormats" && m.GetParameters().Length == 2)
                    ?? throw new PSNotSupportedException("no InitialSessionState.UpdateFormats");
                update.Invoke(state, new[] { context, (object)false });
            }

            if (types)
            {
                TypeTable table = context.GetType().GetProperty("TypeTable", Internal)?.GetValue(context) as TypeTable
                    ?? throw new PSNotSupportedException("no ExecutionContext.TypeTable");
                foreach (TypeData data in HiddenMemberTypes())
                {
                    table.AddType(data);
                    state.Types.Add(new SessionStateTypeEntry(data, false));
                }
            }
        }
    }
}
