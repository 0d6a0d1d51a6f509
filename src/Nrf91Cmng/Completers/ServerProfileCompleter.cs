using System.Management.Automation.Language;
using Nrf91Cmng.Core.Readiness;

namespace Nrf91Cmng.Completers
{
    /// <summary>Completes -Server with the built-in server profiles (file paths complete as usual when none matches).</summary>
    public sealed class ServerProfileCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            foreach (ServerProfileKind kind in Enum.GetValues(typeof(ServerProfileKind)))
            {
                if (kind != ServerProfileKind.Custom && kind.ToString().StartsWith(word, StringComparison.OrdinalIgnoreCase))
                {
                    yield return new CompletionResult(kind.ToString(), kind.ToString(), CompletionResultType.ParameterValue, ServerProfile.Get(kind).Name);
                }
            }
        }
    }
}
