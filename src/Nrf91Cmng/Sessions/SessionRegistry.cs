using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;

namespace Nrf91Cmng.Sessions
{
    /// <summary>
    /// Sessions per runspace, CimCmdlets style: each runspace sees the sessions it opened and has
    /// one current session; when the runspace closes (or the module is removed) its sessions close.
    /// Safe under ForEach-Object -Parallel and Start-ThreadJob, where every runspace has its own.
    /// </summary>
    internal static class SessionRegistry
    {
        private static readonly ConcurrentDictionary<Guid, RunspaceSessions> s_byRunspace = new ConcurrentDictionary<Guid, RunspaceSessions>();

        /// <summary>Adds a session to the calling runspace and makes it current.</summary>
        public static void Add(ModemSession session)
        {
            RunspaceSessions sessions = ForCurrentRunspace(create: true)!;
            lock (sessions)
            {
                sessions.All.Add(session);
                sessions.CurrentId = session.Id;
            }
        }

        /// <summary>The calling runspace's sessions, in creation order.</summary>
        public static IReadOnlyList<ModemSession> List()
        {
            RunspaceSessions? sessions = ForCurrentRunspace(create: false);
            if (sessions is null)
            {
                return Array.Empty<ModemSession>();
            }

            lock (sessions)
            {
                sessions.All.RemoveAll(s => s.IsDisposed);
                return sessions.All.ToArray();
            }
        }

        /// <summary>The calling runspace's current session, or null.</summary>
        public static ModemSession? Current()
        {
            RunspaceSessions? sessions = ForCurrentRunspace(create: false);
            if (sessions is null)
            {
                return null;
            }

            lock (sessions)
            {
                return sessions.All.FirstOrDefault(s => s.Id == sessions.CurrentId && !s.IsDisposed);
            }
        }

        /// <summary>Finds a session by id in the calling runspace, or anywhere in the process.</summary>
        public static ModemSession? Find(int id)
        {
            ModemSession? local = List().FirstOrDefault(s => s.Id == id);
            if (local is not null)
            {
                return local;
            }

            foreach (RunspaceSessions sessions in s_byRunspace.Values)
            {
                lock (sessions)
                {
                    ModemSession? match = sessions.All.FirstOrDefault(s => s.Id == id && !s.IsDisposed);
                    if (match is not null)
                    {
                        return match;
                    }
                }
            }

            return null;
        }

        /// <summary>True when <paramref name="session"/> is the one the calling runspace's commands use by default.</summary>
        public static bool IsCurrent(ModemSession session) => ReferenceEquals(Current(), session);

        /// <summary>
        /// Closes and forgets a session. When it was a runspace's default, the most recently opened
        /// session left becomes the default, and is returned (null when there is none or it did not change).
        /// </summary>
        public static ModemSession? Remove(ModemSession session)
        {
            session.Dispose();
            ModemSession? newDefault = null;
            foreach (RunspaceSessions sessions in s_byRunspace.Values)
            {
                lock (sessions)
                {
                    bool wasCurrent = sessions.CurrentId == session.Id;
                    if (sessions.All.Remove(session) && wasCurrent)
                    {
                        ModemSession? next = sessions.All.LastOrDefault(s => !s.IsDisposed);
                        sessions.CurrentId = next?.Id ?? 0;
                        newDefault = next;
                    }
                }
            }

            return newDefault;
        }

        /// <summary>Closes every session (module removal).</summary>
        public static void CloseAllForModuleRemoval()
        {
            foreach (KeyValuePair<Guid, RunspaceSessions> pair in s_byRunspace.ToArray())
            {
                Close(pair.Key);
            }
        }

        private static void Close(Guid runspaceId)
        {
            if (s_byRunspace.TryRemove(runspaceId, out RunspaceSessions? sessions))
            {
                ModemSession[] all;
                lock (sessions)
                {
                    all = sessions.All.ToArray();
                    sessions.All.Clear();
                }

                foreach (ModemSession session in all)
                {
                    session.Dispose();
                }
            }
        }

        private static RunspaceSessions? ForCurrentRunspace(bool create)
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            Guid id = runspace?.InstanceId ?? Guid.Empty;
            if (!create)
            {
                return s_byRunspace.TryGetValue(id, out RunspaceSessions? existing) ? existing : null;
            }

            return s_byRunspace.GetOrAdd(id, key =>
            {
                if (runspace is not null)
                {
                    runspace.StateChanged += OnRunspaceStateChanged;
                }

                return new RunspaceSessions();
            });
        }

        private static void OnRunspaceStateChanged(object? sender, RunspaceStateEventArgs e)
        {
            if (sender is Runspace runspace
                && (e.RunspaceStateInfo.State == RunspaceState.Closed || e.RunspaceStateInfo.State == RunspaceState.Broken))
            {
                runspace.StateChanged -= OnRunspaceStateChanged;
                Close(runspace.InstanceId);
            }
        }

        private sealed class RunspaceSessions
        {
            public List<ModemSession> All { get; } = new List<ModemSession>();

            public int CurrentId { get; set; }
        }
    }
}
