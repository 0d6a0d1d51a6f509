using Nrf91Cmng.Sessions;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the modem sessions open in this runspace.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "ModemSession", HelpUri = HelpLinks.Base + "Get-ModemSession.md", DefaultParameterSetName = "All")]
    [OutputType(typeof(ModemSession))]
    public sealed class GetModemSessionCommand : ModemCmdletBase
    {
        /// <summary>Only the sessions with these ids.</summary>
        [Parameter(ParameterSetName = "Id", Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("SessionId")]
        [ArgumentCompleter(typeof(Completers.SessionIdCompleter))]
        public int[]? Id { get; set; }

        /// <summary>Only the sessions whose names match (wildcards allowed).</summary>
        [Parameter(ParameterSetName = "Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Completers.SessionNameCompleter))]
        public string[]? Name { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var sessions = SessionRegistry.List();
            if (Id is not null)
            {
                foreach (int id in Id)
                {
                    ModemSession? match = sessions.FirstOrDefault(s => s.Id == id) ?? SessionRegistry.Find(id);
                    if (match is null)
                    {
                        WriteError(Core.Errors.ErrorIds.SessionNotFound, ErrorCategory.ObjectNotFound,
                            "There is no open modem session with Id " + id + ".", "List the open sessions with Get-ModemSession.", id);
                    }
                    else
                    {
                        WriteObject(match);
                    }
                }

                return;
            }

            if (Name is not null)
            {
                foreach (string pattern in Name)
                {
                    var wildcard = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
                    var matches = sessions.Where(s => wildcard.IsMatch(s.Name)).ToList();
                    if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
                    {
                        WriteError(Core.Errors.ErrorIds.SessionNotFound, ErrorCategory.ObjectNotFound,
                            "There is no open modem session named '" + pattern + "'.", "List the open sessions with Get-ModemSession.", pattern);
                    }

                    WriteObject(matches, enumerateCollection: true);
                }

                return;
            }

            WriteObject(sessions, enumerateCollection: true);
        }
    }
}
