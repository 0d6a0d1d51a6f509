using System;
using System.Globalization;
using System.Threading;
using Nrf91Cmng.Core.Errors;
using Nrf91Cmng.Core.Logging;
using Nrf91Cmng.Core.Modem;

namespace Nrf91Cmng.Core.Provisioning
{
    /// <summary>
    /// Keeps the modem offline for credential changes and puts it back as found. Switches from an
    /// active mode (1, 2, 21) to offline (CFUN=4) only when approved; recovers from a stale known
    /// mode when the modem answers 518; restores the original mode on <see cref="Dispose"/>, also
    /// after a failure or Ctrl+C, and records (never throws) a failed restore.
    /// </summary>
    public sealed class OfflineGuard : IDisposable
    {
        private const int OfflineMode = 4;
        private readonly ModemClient _client;
        private readonly Func<int, bool> _approveSwitch;
        private readonly IModemLog _log;
        private readonly CancellationToken _cancellationToken;

        /// <summary>Creates the guard; nothing is sent until a change runs.</summary>
        public OfflineGuard(ModemClient client, Func<int, bool> approveSwitch, IModemLog? log, CancellationToken cancellationToken)
        {
            _client = client;
            _approveSwitch = approveSwitch;
            _log = log ?? NullModemLog.Instance;
            _cancellationToken = cancellationToken;
        }

        /// <summary>The mode found when a switch was needed.</summary>
        public int? OriginalMode { get; private set; }

        /// <summary>True while the modem is offline because of this guard.</summary>
        public bool Switched { get; private set; }

        /// <summary>Set when the original mode could not be restored.</summary>
        public ModemException? RestoreError { get; private set; }

        /// <summary>Switches offline now if <paramref name="knownMode"/> is active.</summary>
        public void EnsureOffline(int? knownMode)
        {
            if (!Switched && knownMode is int mode && ModemClient.IsActiveMode(mode))
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
            catch (ModemCommandException ex) when (ex.Code == 518 && !Switched)
            {
                int mode = _client.GetFunctionalMode(_log, _cancellationToken);
                if (!ModemClient.IsActiveMode(mode))
                {
                    throw;
                }

                SwitchOffline(mode);
                change();
            }
        }

        /// <summary>Restores the mode found, if this guard changed it.</summary>
        public void Dispose()
        {
            if (!Switched || OriginalMode is not int mode)
            {
                return;
            }

            Switched = false;
            try
            {
                // Restoring must happen even if the user pressed Ctrl+C meanwhile.
                _client.SetFunctionalMode(mode, _log, _cancellationToken.IsCancellationRequested ? CancellationToken.None : _cancellationToken);
                _log.Verbose("Functional mode restored to " + mode.ToString(CultureInfo.InvariantCulture) + ".");
            }
            catch (ModemException ex)
            {
                RestoreError = new ModemException(ErrorIds.FunctionalModeNotRestored, ModemErrorCategory.InvalidOperation,
                    "The modem was switched offline (CFUN=4) for the change and could not be put back into mode " + mode.ToString(CultureInfo.InvariantCulture) + ": " + ex.Message,
                    "Restore it with Set-ModemFunctionalMode -Mode " + mode.ToString(CultureInfo.InvariantCulture) + ".", ex);
                _log.Warning(RestoreError.Message);
            }
        }

        /// <summary>The error for a modem that is active where switching was not allowed.</summary>
        public static ModemException ModeActive(int mode) => new ModemException(ErrorIds.FunctionalModeActive, ModemErrorCategory.InvalidOperation,
            "The modem is in functional mode " + mode.ToString(CultureInfo.InvariantCulture) + " (LTE active), and credentials can only be written, generated or deleted while it is offline; nothing was changed.",
            "Add -Force to let the cmdlet switch it offline (CFUN=4) and restore mode " + mode.ToString(CultureInfo.InvariantCulture) + " afterwards, or run Set-ModemFunctionalMode -Mode Offline first.");

        private void SwitchOffline(int mode)
        {
            if (!_approveSwitch(mode))
            {
                throw ModeActive(mode);
            }

            _log.Verbose("The modem is in functional mode " + mode.ToString(CultureInfo.InvariantCulture) + " (LTE active); switching it offline (CFUN=4) for the change. It is restored afterwards.");
            OriginalMode = mode;
            _client.SetFunctionalMode(OfflineMode, _log, _cancellationToken);
            Switched = true;
        }
    }
}
