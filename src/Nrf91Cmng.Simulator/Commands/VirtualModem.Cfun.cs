namespace Nrf91Cmng.Simulator
{
    /// <content>Power and functional mode: <c>+CFUN</c>, the power-on state and resets.</content>
    public sealed partial class VirtualModem
    {
        private readonly List<int> _modeHistory = new List<int>();

        /// <summary>The functional mode <c>AT+CFUN?</c> reports (0, 1, 2 or 4).</summary>
        public int FunctionalMode
        {
            get
            {
                lock (_gate)
                {
                    return _cfun;
                }
            }
        }

        /// <summary>True while LTE is active (credential writes answer 518).</summary>
        public bool IsLteActive
        {
            get
            {
                lock (_gate)
                {
                    return Profile.IsLteActive(_cfun);
                }
            }
        }

        /// <summary>Every mode requested with <c>AT+CFUN=n</c> and accepted, in order (a reboot adds nothing).</summary>
        public IReadOnlyList<int> FunctionalModeHistory
        {
            get
            {
                lock (_gate)
                {
                    return _modeHistory.ToArray();
                }
            }
        }

        /// <summary>
        /// Resets the board: functional mode 0, CMEE 0, subscriptions off, the console's line buffer
        /// and quote state cleared, the credential store kept. The boot banner follows after the
        /// modelled boot time; bytes arriving meanwhile are lost.
        /// </summary>
        public void Reboot()
        {
            lock (_gate)
            {
                RebootLocked();
            }
        }

        private void RebootLocked()
        {
            ResetPowerOnState();
            _frontEnd.Reset();
            BootConsole();
            Interlocked.Increment(ref _rebootCount);
            _uptime.Restart();
            TimeSpan boot = _delays.Boot;
            AddModelled(boot);
            TimeSpan wait = TimeSpan.FromTicks((long)(boot.Ticks * Math.Max(0, _delays.Scale)));
            _bootUntil = Stopwatch.GetTimestamp() + ToStopwatch(wait);
            _pending.RemoveAll(p => !p.Raw);
            _pending.Add(new PendingOutput(_bootUntil, _frontEnd.BootText(Profile), raw: true));
        }

        private int _cfun;
        private int _cmee;
        private bool _uicc;
        private int _cereg;
        private int _cscon;
        private bool _xpofwarn;

        private void ResetPowerOnState()
        {
            _cfun = 0;
            _cmee = 0;
            _uicc = false;
            _cereg = 0;
            _cscon = 0;
            _xpofwarn = false;
            ResetClock();
        }

        private Result Cfun(AtCommandPart cmd, Outcome outcome)
        {
            switch (cmd.Form)
            {
                case AtForm.Read:
                    return Result.Ok(Line("+CFUN: " + _cfun.ToString(CultureInfo.InvariantCulture)));
                case AtForm.Test:
                    return Result.Ok(Line("+CFUN: (" + string.Join(",", Profile.FunctionalModes.Select(m => m.ToString(CultureInfo.InvariantCulture))) + ")"));
                case AtForm.Set:
                    break;
                default:
                    return Result.Error();
            }

            if (cmd.Parameters.Count < 1 || cmd.Parameters.Count > 2 || !cmd.Parameters[0].TryInt(out int mode) || !Profile.FunctionalModes.Contains(mode))
            {
                return Cme(50);
            }

            bool wasActive = Profile.IsLteActive(_cfun);
            switch (mode)
            {
                case 0:
                case 1:
                case 2:
                case 4:
                    _cfun = mode;
                    break;
                case 20:
                case 44:
                    _cfun = _cfun == 0 ? 0 : 4;
                    break;
                case 21:
                    _cfun = 1;
                    break;
            }

            if (mode == 1 || mode == 2 || mode == 21 || mode == 41 || mode == 44)
            {
                _uicc = true;
            }
            else if (mode == 0 || mode == 4 || mode == 40)
            {
                _uicc = false;
            }

            _modeHistory.Add(mode);
            outcome.Modelled += _delays.FunctionalModeChange;
            bool active = Profile.IsLteActive(_cfun);
            if (_unsolicitedNoise && active != wasActive)
            {
                if (active)
                {
                    outcome.Before.Add(LogLine("<inf> lte_lc: Functional mode changed to " + mode.ToString(CultureInfo.InvariantCulture)));
                    outcome.Later.Add(new KeyValuePair<TimeSpan, string>(TimeSpan.FromMilliseconds(80), "+CEREG: 2,\"76C1\",\"0102DA04\",7"));
                    outcome.Later.Add(new KeyValuePair<TimeSpan, string>(TimeSpan.FromMilliseconds(150), "+CSCON: 1"));
                    outcome.Later.Add(new KeyValuePair<TimeSpan, string>(TimeSpan.FromMilliseconds(300), "+CEREG: 5,\"76C1\",\"0102DA04\",7,,,\"11100000\",\"11100000\""));
                    outcome.Later.Add(new KeyValuePair<TimeSpan, string>(TimeSpan.FromMilliseconds(320), LogLine("<inf> lte_lc: Network registration status: Connected - roaming")));
                }
                else
                {
                    // The shape of the real transcript between AT+CFUN=4 and its OK (spec §0).
                    outcome.Before.Add("+CSCON: 1");
                    outcome.Before.Add("+CEREG: 0");
                    outcome.Before.Add(LogLine("<inf> lte_lc: Network registration status: Not registered"));
                    outcome.Before.Add("+CSCON: 0");
                }
            }

            return Result.Ok();
        }
    }
}
