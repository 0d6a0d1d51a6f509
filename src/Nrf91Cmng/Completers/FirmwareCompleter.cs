using System.Management.Automation.Language;
using Nrf91Cmng.Simulator;

namespace Nrf91Cmng.Completers
{
    /// <summary>Completes -Firmware with the virtual modem's firmware profiles.</summary>
    public sealed class FirmwareCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = CompletionText.Unquote(wordToComplete);
            return FirmwareProfile.All
                .Where(p => p.Name.IndexOf(prefix, StringComparison.OrdinalIgnoreCase) >= 0)
                .Select(p => new CompletionResult(p.Name, p.Name, CompletionResultType.ParameterValue, p.Model + ", " + p.Revision));
        }
    }
}
