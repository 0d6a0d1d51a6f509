using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Nrf91Cmng.Core.Modem;
using Nrf91Cmng.Sessions;

namespace Nrf91Cmng.Completers
{
    /// <summary>Completes -SecTag with the tags of the current session's last credential list (no modem traffic).</summary>
    public sealed class SecTagCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IReadOnlyList<CredentialEntry>? list = SessionRegistry.Current()?.Client.LastList;
            if (list is null)
            {
                return Array.Empty<CompletionResult>();
            }

            string prefix = CompletionText.Unquote(wordToComplete);
            return list.Where(e => !e.IsModemOwnedTag)
                .GroupBy(e => e.SecTag)
                .OrderBy(g => g.Key)
                .Select(g => new { Tag = g.Key.ToString(CultureInfo.InvariantCulture), Types = string.Join(", ", g.Select(e => Core.Provisioning.Digests.TypeWords(e.Type))) })
                .Where(t => t.Tag.StartsWith(prefix, StringComparison.Ordinal))
                .Select(t => new CompletionResult(t.Tag, t.Tag, CompletionResultType.ParameterValue, t.Types));
        }
    }

    /// <summary>Completes -Type with the type names and the short aliases.</summary>
    public sealed class CredentialTypeCompleter : IArgumentCompleter
    {
        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = CompletionText.Unquote(wordToComplete);
            return Enum.GetNames(typeof(CredentialType))
                .Select(n => new { Name = n, Help = ((int)Enum.Parse(typeof(CredentialType), n)).ToString(CultureInfo.InvariantCulture) + ": " + Core.Provisioning.Digests.TypeWords((int)Enum.Parse(typeof(CredentialType), n)) })
                .Concat(CredentialTypeTransformationAttribute.Aliases.Select(a => new { Name = a, Help = "alias of " + CredentialTypeTransformationAttribute.Convert(a) }))
                .Where(x => x.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(x => new CompletionResult(x.Name, x.Name, CompletionResultType.ParameterValue, x.Help));
        }
    }
}
