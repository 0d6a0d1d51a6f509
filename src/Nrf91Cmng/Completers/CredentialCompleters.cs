using System.Management.Automation.Language;
using Nrf91Cmng.Sessions;

namespace Nrf91Cmng.Completers
{
    /// <summary>
    /// Completes -SecTag with the user tags the session's modem stores, each with the types it holds:
    /// from the list the session read last, or a new list read on demand (at most 2 s, never while
    /// another command holds the session). Changes forget the list, so it is never stale.
    /// </summary>
    public sealed class SecTagCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            ModemSession? session = CompletionText.SessionOf(fakeBoundParameters) ?? SessionRegistry.Current();
            IReadOnlyList<CredentialEntry>? list = session is null || !session.Connected ? null : session.Credentials.GetOrRead(TimeSpan.FromSeconds(2));
            if (list is null)
            {
                return Array.Empty<CompletionResult>();
            }

            string prefix = CompletionText.Unquote(wordToComplete);
            return list.Where(e => !e.IsModemOwnedTag)
                .GroupBy(e => e.SecTag)
                .OrderBy(g => g.Key)
                .Select(g => new { Tag = g.Key.ToString(CultureInfo.InvariantCulture), Types = string.Join(", ", g.Select(e => CredentialRules.Describe(e.Type))) })
                .Where(t => t.Tag.StartsWith(prefix, StringComparison.Ordinal))
                .Select(t => new CompletionResult(t.Tag, t.Tag, CompletionResultType.ParameterValue, t.Types));
        }
    }

    /// <summary>
    /// Completes -Type with the type names and short aliases, each with its number and meaning:
    /// for Set-ModemCredential only the types a user can write (0-4), elsewhere every type that
    /// can exist in a modem.
    /// </summary>
    public sealed class CredentialTypeCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            bool writeOnly = string.Equals(commandName, "Set-ModemCredential", StringComparison.OrdinalIgnoreCase);
            string prefix = CompletionText.Unquote(wordToComplete);
            IEnumerable<CredentialTypeRule> rules = CredentialRules.All.Where(r => !writeOnly || r.IsUserWritable);
            var names = rules.Select(r => new { Name = r.Type.ToString(), Help = r.ToString() });
            var aliases = CredentialRules.Aliases.Where(a => rules.Any(r => r.Type == a.Value))
                .Select(a => new { Name = a.Key, Help = "alias of " + a.Value + " (" + CredentialRules.Get(a.Value) + ")" });
            return names.Concat(aliases)
                .Where(x => x.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(x => new CompletionResult(x.Name, x.Name, CompletionResultType.ParameterValue, x.Help));
        }
    }
}
