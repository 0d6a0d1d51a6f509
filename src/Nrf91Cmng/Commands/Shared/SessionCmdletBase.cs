using Nrf91Cmng.Sessions;

namespace Nrf91Cmng.Commands
{
    /// <summary>
    /// Base of the cmdlets that talk to a modem: -Session (pipeline by value) and -SessionId (by
    /// property name, so objects from Get-ModemCredential find their modem), falling back to the
    /// runspace's current session.
    /// </summary>
    public abstract class SessionCmdletBase : ModemCmdletBase
    {
        /// <summary>The session to use; defaults to the current session of the runspace.</summary>
        [Parameter(ValueFromPipeline = true)]
        [ValidateNotNull]
        public ModemSession? Session { get; set; }

        /// <summary>The id of the session to use (binds from the SessionId property of piped objects).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, int.MaxValue)]
        [ArgumentCompleter(typeof(Completers.SessionIdCompleter))]
        public int SessionId { get; set; }

        /// <summary>Finds the session to use or stops with ObjectNotFound / ConnectionError.</summary>
        internal ModemSession ResolveSession()
        {
            ModemSession? session = Session;
            if (session is null && MyInvocation.BoundParameters.ContainsKey(nameof(SessionId)))
            {
                session = SessionRegistry.Find(SessionId);
                if (session is null)
                {
                    ThrowError(ErrorIds.SessionNotFound, ErrorCategory.ObjectNotFound,
                        "There is no open modem session with Id " + SessionId + ".",
                        "List the open sessions with Get-ModemSession, or open one with Connect-Modem.", SessionId);
                }
            }

            if (session is null)
            {
                session = SessionRegistry.Current();
                if (session is not null)
                {
                    WriteVerbose("Using the default session " + session.Id + " (" + session.PortName + ").");
                }
            }

            if (session is null)
            {
                ThrowError(ErrorIds.NoSession, ErrorCategory.ObjectNotFound,
                    "No modem session is open in this runspace.",
                    "Open one with Connect-Modem -PortName <port> (or -Uri tcp://host:port, or -Simulator to try the virtual modem), or pass -Session.", null);
            }

            if (!session!.Connected)
            {
                ThrowError(ErrorIds.SessionUnusable, ErrorCategory.ConnectionError,
                    "Session " + session.Id + " (" + session.PortName + ") is no longer connected.",
                    "Close it with Disconnect-Modem and reconnect with Connect-Modem.", session);
            }

            return session;
        }

        /// <summary>
        /// Runs one change with the session's modem offline: an active modem is switched only with
        /// -Force or a confirmation, and its mode is restored afterwards (a failed restore is written
        /// as an error).
        /// </summary>
        internal void RunOffline(ModemSession session, bool force, Action change)
        {
            ModemException? restoreError = OfflineGuard.RunOffline(session.Store, new CmdletApprover(this, force, session.PortName), Log, CancelToken, change);
            session.Credentials.Invalidate();
            if (restoreError is not null)
            {
                WriteModemError(restoreError, session);
            }
        }

        /// <summary>An unsupported-command error naming the firmware and the alternatives.</summary>
        internal static ModemException Unsupported(string errorId, string command, ModemSession session, string alternatives, Exception? inner) =>
            new ModemException(errorId, ModemErrorCategory.NotImplemented,
                "The modem firmware " + (session.Firmware ?? "(unknown)") + " on " + session.PortName + " does not support " + command + ".",
                alternatives, inner);
    }
}
