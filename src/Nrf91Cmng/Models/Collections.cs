using System.Collections.ObjectModel;

namespace Nrf91Cmng
{
    /// <summary>Response lines: a list of strings that exports (Export-Csv, string conversion) as its text, one line per line.</summary>
    public sealed class TextLines : ReadOnlyCollection<string>
    {
        internal TextLines(IList<string> lines)
            : base(lines)
        {
        }

        /// <inheritdoc />
        public override string ToString() => string.Join("\n", this);
    }

    /// <summary>The per-entry results of one modem: a list that exports (Export-Csv) as "42/RootCA: Written; ...".</summary>
    public sealed class ProvisioningEntryList : ReadOnlyCollection<ProvisioningEntryResult>
    {
        internal ProvisioningEntryList(IList<ProvisioningEntryResult> entries)
            : base(entries)
        {
        }

        /// <inheritdoc />
        public override string ToString() => string.Join("; ", this);
    }
}
