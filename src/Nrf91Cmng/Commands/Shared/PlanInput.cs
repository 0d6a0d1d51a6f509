using System.Management.Automation.Language;
using Nrf91Cmng.Core.Fleet;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// Reads the -Plan of Invoke-ModemProvisioning: a .csv or .json file (read by the engine), a
    /// .psd1 file (read with PowerShell's own parser, data only), or objects and hashtables.
    /// </summary>
    internal static class PlanInput
    {
        /// <summary>The entries of -Plan (a file, or objects and hashtables); one error names every bad row.</summary>
        public static IReadOnlyList<PlanEntry> Load(PSCmdlet cmdlet, object[] plan) => Load(cmdlet, plan, null);

        /// <summary>
        /// As <see cref="Load(PSCmdlet, object[])"/>; with <paramref name="problems"/>, bad rows are added there
        /// (for ModemProvisioner.Prevalidate to report with its own) and the valid entries returned.
        /// </summary>
        public static IReadOnlyList<PlanEntry> Load(PSCmdlet cmdlet, object[] plan, List<string>? problems)
        {
            if (plan.Length == 1 && (plan[0] is string || (plan[0] is PSObject p && p.BaseObject is string)))
            {
                string file = CredentialInput.ResolveFile(cmdlet, LanguagePrimitives.ConvertTo<string>(plan[0]));
                string folder = Path.GetDirectoryName(file) ?? ".";
                IReadOnlyList<IDictionary<string, string?>> rows = string.Equals(Path.GetExtension(file), ".psd1", StringComparison.OrdinalIgnoreCase)
                    ? ReadPsd1(file)
                    : ProvisioningPlanReader.ReadRows(file);
                return ToEntries(rows, folder, Path.GetFileName(file), problems);
            }

            return ToEntries(plan.Select(ToRow).ToList(), cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath, "-Plan", problems);
        }

        /// <summary>
        /// The folder of provisioning records: -RecordPath, else the -TranscriptPath folder, else null.
        /// It is created unless <paramref name="whatIf"/>; a file there is refused.
        /// </summary>
        public static string? RecordFolder(ModemCmdletBase cmdlet, string? recordPath, string? transcriptFolder, bool whatIf)
        {
            string? folder = recordPath is not null ? cmdlet.GetUnresolvedProviderPathFromPSPath(recordPath) : transcriptFolder;
            if (folder is null)
            {
                return null;
            }

            if (File.Exists(folder))
            {
                cmdlet.ThrowError(ErrorIds.ProvisioningRecordInvalid, ErrorCategory.InvalidArgument, "-RecordPath " + folder + " is a file; it names a folder that holds one record file per modem.",
                    "Give a folder (it is created when missing).", recordPath);
            }

            if (!whatIf)
            {
                Directory.CreateDirectory(folder);
            }

            return folder;
        }

        private static IReadOnlyList<PlanEntry> ToEntries(IReadOnlyList<IDictionary<string, string?>> rows, string folder, string source, List<string>? problems) =>
            problems is null ? ProvisioningPlanReader.ToEntries(rows, folder, source) : ProvisioningPlanReader.ToEntries(rows, folder, source, problems);

        private static IReadOnlyList<IDictionary<string, string?>> ReadPsd1(string file)
        {
            Ast ast = Parser.ParseFile(file, out _, out ParseError[] errors);
            if (errors.Length > 0)
            {
                throw new ModemException(ErrorIds.PlanInvalid, ModemErrorCategory.InvalidData,
                    "The provisioning plan " + file + " is not a valid .psd1 file: " + errors[0].Message + " (line " + errors[0].Extent.StartLineNumber.ToString(CultureInfo.InvariantCulture) + "). Nothing was sent to any modem.",
                    "Write it as @{ Entries = @( @{ SecTag = 42; Type = 'RootCA'; Path = 'ca.pem' } ) }.");
            }

            object? value;
            try
            {
                value = (ast.Find(a => a is HashtableAst, false) as HashtableAst)?.SafeGetValue();
            }
            catch (InvalidOperationException ex)
            {
                throw new ModemException(ErrorIds.PlanInvalid, ModemErrorCategory.InvalidData,
                    "The provisioning plan " + file + " holds expressions that are not plain data: " + ex.Message + ". Nothing was sent to any modem.",
                    "Use only literal values in the plan.", ex);
            }

            object? list = value is Hashtable table ? table["Entries"] : null;
            IEnumerable items = list as IEnumerable ?? throw new ModemException(ErrorIds.PlanInvalid, ModemErrorCategory.InvalidData,
                "The provisioning plan " + file + " has no Entries list. Nothing was sent to any modem.",
                "Write it as @{ Entries = @( @{ SecTag = 42; Type = 'RootCA'; Path = 'ca.pem' } ) }.");
            return items.Cast<object>().Select(ToRow).ToList();
        }

        private static IDictionary<string, string?> ToRow(object item)
        {
            object baseObject = item is PSObject pso ? pso.BaseObject : item;
            var row = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (baseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    row[entry.Key.ToString() ?? string.Empty] = Text(entry.Value);
                }

                return row;
            }

            foreach (PSPropertyInfo property in PSObject.AsPSObject(item).Properties)
            {
                if (property.Name is "SecTag" or "Type" or "Path" or "Content" or "Generate" or "CACertificate" or "CAKey" or "Subject" or "ValidityDays")
                {
                    row[property.Name] = Text(property.Value);
                }
            }

            return row;
        }

        private static string? Text(object? value) => value switch
        {
            null => null,
            PSObject pso => Text(pso.BaseObject),
            bool b => b ? "true" : "false",
            SwitchParameter s => s.IsPresent ? "true" : "false",
            Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }
}
