using Nrf91Cmng.Sessions;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// <para type="synopsis">Closes modem sessions and releases their ports.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "Modem", HelpUri = HelpLinks.Base + "Disconnect-Modem.md", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = "Session")]
    [OutputType(typeof(ModemSession))]
    public sealed class DisconnectModemCommand : ModemCmdletBase
    {
        private readonly List<ModemSession> _targets = new List<ModemSession>();

        /// <summary>The sessions to close; without -Session or -Id, the current session.</summary>
        [Parameter(ParameterSetName = "Session", Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public ModemSession[]? Session { get; set; }

        /// <summary>Ids of the sessions to close.</summary>
        [Parameter(ParameterSetName = "Id", Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("SessionId")]
        [ArgumentCompleter(typeof(Completers.SessionIdCompleter))]
        public int[]? Id { get; set; }

        /// <summary>Emit the closed sessions.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (Session is not null)
            {
                _targets.AddRange(Session);
            }
            else if (Id is not null)
            {
                foreach (int id in Id)
                {
                    ModemSession? session = SessionRegistry.Find(id);
                    if (session is null)
                    {
                        WriteError(Core.Errors.ErrorIds.SessionNotFound, ErrorCategory.ObjectNotFound,
                            "There is no open modem session with Id " + id + ".", "List the open sessions with Get-ModemSession.", id);
                    }
                    else
                    {
                        _targets.Add(session);
                    }
                }
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            // An empty pipeline (Get-ModemSession | Disconnect-Modem with no sessions) has nothing to close; only a bare call closes the current session.
            if (_targets.Count == 0 && Session is null && Id is null && !MyInvocation.ExpectingInput)
            {
                ModemSession? current = SessionRegistry.Current();
                if (current is null)
                {
                    WriteError(Core.Errors.ErrorIds.NoSession, ErrorCategory.ObjectNotFound,
                        "No modem session is open in this runspace.", "Nothing to disconnect; Get-ModemSession lists open sessions.", null);
                }
                else
                {
                    _targets.Add(current);
                }
            }

            foreach (ModemSession session in _targets)
            {
                if (ShouldProcess(session.Name + " (" + session.PortName + ")", "Disconnect"))
                {
                    ModemSession? newDefault = SessionRegistry.Remove(session);
                    WriteVerbose("Closed session " + session.Id + " on " + session.PortName + ".");
                    if (newDefault is not null)
                    {
                        WriteVerbose("Session " + newDefault.Id + " (" + newDefault.PortName + ") is now the default: commands without -Session use it.");
                    }
                    if (PassThru)
                    {
                        WriteObject(session);
                    }
                }
            }

            base.EndProcessing();
        }
    }
}
