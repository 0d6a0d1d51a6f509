using System.Management.Automation.Language;
using Nrf91Cmng.Sessions;

namespace Nrf91Cmng.Completers
{
    /// <summary>Completes -SessionId and -Id of the session cmdlets with the open sessions (the tooltip names the port and modem).</summary>
    public sealed class SessionIdCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = CompletionText.Unquote(wordToComplete);
            return SessionRegistry.List()
                .Select(s => new { Id = s.Id.ToString(CultureInfo.InvariantCulture), Help = s.Name + " on " + s.PortName + (s.Imei is null ? string.Empty : ", IMEI " + s.Imei) + (s.IsDefault ? " (default)" : string.Empty) })
                .Where(s => s.Id.StartsWith(prefix, StringComparison.Ordinal))
                .Select(s => new CompletionResult(s.Id, s.Id, CompletionResultType.ParameterValue, s.Help));
        }
    }

    /// <summary>Completes Get-ModemSession -Name with the names of the open sessions.</summary>
    public sealed class SessionNameCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = CompletionText.Unquote(wordToComplete);
            return SessionRegistry.List()
                .Where(s => s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(s => new CompletionResult(CompletionText.Quote(s.Name), s.Name, CompletionResultType.ParameterValue, "session " + s.Id + " on " + s.PortName));
        }
    }

    /// <summary>Completes Stop-ModemSimulator -Id with the virtual modems this process serves.</summary>
    public sealed class SimulatorIdCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = CompletionText.Unquote(wordToComplete);
            return Simulator.SimulatorRegistry.All()
                .Select(s => new { Id = s.Id.ToString(CultureInfo.InvariantCulture), Help = s.ToString() + ", " + s.Firmware + ", IMEI " + s.Imei })
                .Where(s => s.Id.StartsWith(prefix, StringComparison.Ordinal))
                .Select(s => new CompletionResult(s.Id, s.Id, CompletionResultType.ParameterValue, s.Help));
        }
    }

    /// <summary>Completes New-ModemKey -KeyUsage with the X.509 key usages the modem accepts.</summary>
    public sealed class KeyUsageCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = CompletionText.Unquote(wordToComplete);
            string[] names = Core.Keys.KeyGenerationRules.KeyUsageNames;
            return names.Take(names.Length - 1)
                .Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, "keyUsage bit " + Array.IndexOf(names, n).ToString(CultureInfo.InvariantCulture) + " (" + n + ")"));
        }
    }
}
