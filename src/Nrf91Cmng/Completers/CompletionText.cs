using Nrf91Cmng.Sessions;

namespace Nrf91Cmng.Completers
{
    /// <summary>What every completer does with the word typed and the parameters bound so far.</summary>
    internal static class CompletionText
    {
        /// <summary>The word without the quotes the user may have typed.</summary>
        public static string Unquote(string? word) => (word ?? string.Empty).Trim('\'', '"');

        /// <summary>The value, quoted where PowerShell needs it.</summary>
        public static string Quote(string value) =>
            value.IndexOfAny(new[] { ' ', '$', '\'', '"', '`', '(', ')', '{', '}', ';', ',', '&', '@', '#' }) >= 0
                ? "'" + value.Replace("'", "''") + "'"
                : value;

        /// <summary>The session named by -Session or -SessionId on the command line, or null.</summary>
        public static ModemSession? SessionOf(IDictionary fakeBoundParameters)
        {
            if (fakeBoundParameters is null)
            {
                return null;
            }

            object? session = fakeBoundParameters["Session"];
            if ((session is PSObject pso ? pso.BaseObject : session) is ModemSession s)
            {
                return s;
            }

            object? id = fakeBoundParameters["SessionId"];
            return id is not null && LanguagePrimitives.TryConvertTo(id is PSObject p ? p.BaseObject : id, out int number) ? SessionRegistry.Find(number) : null;
        }
    }
}
