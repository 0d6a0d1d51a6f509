namespace Nrf91Cmng.Core.Credentials
{
    /// <summary>
    /// Keeps the modem offline for credential changes and puts it back as found. Switches from an
    /// active mode (1, 2, 21) to offline (CFUN=4) only when approved; recovers from a stale known
    /// mode when the modem answers 518; restores the original mode on <see cref="Restore"/> (and on
    /// <see cref="Dispose"/>), also after a failure or Ctrl+C, and records (never throws) a failed
    /// restore.
    /// </summary>
    public sealed class OfflineGuard : IDisposable
    {
        private readonly ICredentialStore _store;
        private readonly IChangeApprover _approver;
        private readonly IModemLog _log;
        private readonly CancellationToken _cancellationToken;
        private bool _offline;

        /// <summary>Creates the guard; nothing is sent until a change runs.</summary>
        public OfflineGuard(ICredentialStore store, IChangeApprover approver, IModemLog? log, CancellationToken cancellationToken)
        {
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _approver = approver ?? throw new ArgumentNullException(nameof(approver));
            _log = log ?? NullModemLog.Instance;
            _cancellationToken = cancellationToken;
        }

        /// <summary>The mode found when a switch was needed.</summary>
        public int? OriginalMode { get; private set; }

        /// <summary>True once this guard has switched the modem offline (also after it was restored).</summary>
        public bool SwitchedOffline { get; private set; }

        /// <summary>Set when the original mode could not be restored.</summary>
        public ModemException? RestoreError { get; private set; }

        /// <summary>Switches offline now if <paramref name="knownMode"/> is active.</summary>
        public void EnsureOffline(int? knownMode)
        {
            if (!_offline && knownMode is int mode && FunctionalModes.IsActive(mode))
            {
                SwitchOffline(mode);
            }
        }

        /// <summary>Runs a change; if the modem answers 518 (active after all), switches offline when approved and retries once.</summary>
        public void Run(Action change)
        {
            try
            {
                change();
            }
            catch (ModemCommandException ex) when (ex.Code == 518 && !_offline && _store.FunctionalMode is IFunctionalModeControl control)
            {
                int mode = control.GetFunctionalMode(_log, _cancellationToken);
                if (!FunctionalModes.IsActive(mode))
                {
                    throw;
                }

                SwitchOffline(mode);
                change();
            }
        }

        /// <summary>Restores the mode found, if this guard changed it. Safe to call more than once.</summary>
        public void Restore()
        {
            if (!_offline || OriginalMode is not int mode || _store.FunctionalMode is not IFunctionalModeControl control)
            {
                return;
            }

            _offline = false;
            try
            {
                if (!control.IsUsable)
                {
                    throw new ModemException(ErrorIds.SessionUnusable, ModemErrorCategory.ConnectionError, "the connection to the modem is gone", "Reconnect with Connect-Modem.");
                }

                // Restoring must happen even if the user pressed Ctrl+C before or during it (a stop while
                // the restore resynchronises the console would otherwise abandon it without a word), so it
                // does not listen to the token: every wait in it is bounded (the command timeouts plus wire time).
                control.SetFunctionalMode(mode, _log, CancellationToken.None);
                _log.Verbose("Functional mode restored to " + mode.ToString(CultureInfo.InvariantCulture) + ".");
            }
            catch (ModemException ex)
            {
                string m = mode.ToString(CultureInfo.InvariantCulture);
                RestoreError = new ModemException(ErrorIds.FunctionalModeNotRestored, ModemErrorCategory.InvalidOperation,
                    "The modem was switched offline (CFUN=4) for the change and is left offline: it could not be put back into mode " + m + " (" + ex.Message.TrimEnd('.') + ").",
                    "Restore it with Set-ModemFunctionalMode -Mode " + m + " (reconnect first if the session is gone), or reset the board.", ex);
                if (_cancellationToken.IsCancellationRequested)
                {
                    // Stopped (Ctrl+C): the caller reports no error now, so this line is all the user sees.
                    _log.Warning(RestoreError.Message + " " + RestoreError.Remedy);
                }
            }
        }

        /// <summary>
        /// Runs one change with the modem offline: holds the store, switches an active modem only
        /// when approved, retries once after a 518, and restores the mode found, also when the
        /// change fails. Returns the restore failure, or null.
        /// </summary>
        public static ModemException? RunOffline(ICredentialStore store, IChangeApprover approver, IModemLog log, CancellationToken cancellationToken, Action change)
        {
            using (store.Exclusive())
            using (var guard = new OfflineGuard(store, approver, log, cancellationToken))
            {
                IFunctionalModeControl? control = store.FunctionalMode;
                guard.EnsureOffline(control?.KnownFunctionalMode ?? control?.GetFunctionalMode(log, cancellationToken));
                guard.Run(change);
                guard.Restore();
                return guard.RestoreError;
            }
        }

        /// <summary>Restores the mode found (see <see cref="Restore"/>).</summary>
        public void Dispose() => Restore();

        /// <summary>The error for a modem that is active where switching was not allowed.</summary>
        public static ModemException ModeActive(int mode) => new ModemException(ErrorIds.FunctionalModeActive, ModemErrorCategory.InvalidOperation,
            "The modem is in functional mode " + mode.ToString(CultureInfo.InvariantCulture) + " (LTE active), and credentials can only be written, generated or deleted while it is offline; nothing was changed.",
            "Add -Force to let the cmdlet switch it offline (CFUN=4) and restore mode " + mode.ToString(CultureInfo.InvariantCulture) + " afterwards, or run Set-ModemFunctionalMode -Mode Offline first.");

        private void SwitchOffline(int mode)
        {
            if (_store.FunctionalMode is not IFunctionalModeControl control || !_approver.ApproveModeSwitch(mode))
            {
                throw ModeActive(mode);
            }

            _log.Verbose("The modem is in functional mode " + mode.ToString(CultureInfo.InvariantCulture) + " (LTE active); switching it offline (CFUN=4) for the change. It is restored afterwards.");
            OriginalMode = mode;

            // From the moment AT+CFUN=4 is on its way the modem may be offline: a stop (Ctrl+C), a
            // timeout or a lost line while its OK is awaited must still lead to the restore. Only an
            // error answer says the modem stayed in its mode.
            _offline = true;
            SwitchedOffline = true;
            try
            {
                control.SetFunctionalMode(FunctionalModes.Offline, _log, _cancellationToken);
            }
            catch (ModemCommandException)
            {
                _offline = false;
                SwitchedOffline = false;
                throw;
            }
        }
    }
}
