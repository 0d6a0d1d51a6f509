namespace Nrf91Cmng.Simulator
{
    /// <content>The modem as the Zephyr shell's commands reach it (<c>nrf_modem_at_cmd</c>), and running a shell line.</content>
    public sealed partial class VirtualModem
    {
        private readonly ShellModemAccess _shellAccess;

        /// <summary>The uptime log lines show; tests fix it to compare bytes.</summary>
        internal Func<TimeSpan>? UptimeSource { get; set; }

        internal TimeSpan Uptime => UptimeSource?.Invoke() ?? _uptime.Elapsed;

        /// <summary>What the console firmware does with the modem at boot (the nRF modem TLS backend lists the store).</summary>
        private void BootConsole()
        {
            _shellAccess.Booting = true;
            try
            {
                _frontEnd.OnBoot(_shellAccess);
            }
            finally
            {
                _shellAccess.Booting = false;
            }
        }

        /// <summary>Runs a shell line with the modem at hand, then writes what the shell wrote with the reply's faults.</summary>
        private void RespondShell(Session session, Submission submission)
        {
            var outcome = new Outcome();
            ShellRun run;
            List<FaultRule> faults;
            lock (_gate)
            {
                _shellAccess.Begin(outcome);
                try
                {
                    run = submission.Body!(_shellAccess);
                }
                finally
                {
                    faults = _shellAccess.End();
                }
            }

            AddModelled(outcome.Modelled);
            TimeSpan wait = TimeSpan.FromTicks((long)(outcome.Modelled.Ticks * Math.Max(0, ProcessingDelays.Scale))) + outcome.ExtraDelay;
            if (wait > TimeSpan.Zero)
            {
                SleepUntil(Stopwatch.GetTimestamp() + ToStopwatch(wait), session.Token);
            }

            if (outcome.Drop)
            {
                throw new ConnectionDropped();
            }

            string output = run.Output;
            int replyStart = run.ReplyStart;
            string framed = replyStart >= 0 ? output.Substring(replyStart, run.ReplyLength) : string.Empty;
            if (replyStart >= 0 && outcome.Garbage is not null)
            {
                string garbage = Latin1String(outcome.Garbage, 0, outcome.Garbage.Length);
                output = output.Substring(0, replyStart) + garbage + output.Substring(replyStart);
                replyStart += garbage.Length;
            }

            if (replyStart >= 0 && outcome.PartialBytes is int keep)
            {
                int cut = Math.Min(framed.Length, keep < 0 ? framed.Length / 2 : keep);
                framed = framed.Substring(0, cut);
                output = output.Substring(0, replyStart + cut); // the rest never comes
            }

            if (outcome.Before.Count > 0 && !run.Hung)
            {
                var after = new StringBuilder(output);
                foreach (string line in outcome.Before)
                {
                    after.Append(_frontEnd.FrameUnsolicited(line));
                }

                output = after.ToString();
            }

            if (_frontEnd.RxRingBufferSize > 0)
            {
                TakeArrivedWhileBusy(session); // before the prompt: a host that waits for it sends to an idle shell
            }

            List<OutputStep> steps = replyStart >= 0 ? ReplySteps(framed, replyStart, faults) : new List<OutputStep>();
            bool rebooted = WritePlanned(session, output, steps);
            lock (_gate)
            {
                if (!rebooted)
                {
                    ScheduleLater(outcome);
                }

                if (outcome.Reboot)
                {
                    RebootLocked();
                }
            }
        }

        /// <summary>nrf_modem_at_cmd for console code: the command goes through the fault rules and the interpreter like a console line.</summary>
        private sealed class ShellModemAccess : IShellModem
        {
            private readonly VirtualModem _modem;
            private readonly List<FaultRule> _outputFaults = new List<FaultRule>();
            private Outcome? _outcome;

            public ShellModemAccess(VirtualModem modem)
            {
                _modem = modem;
            }

            /// <summary>At boot: recorded, interpreted, no faults, no waiting.</summary>
            public bool Booting { get; set; }

            public TimeSpan Uptime => _modem.Uptime;

            public void Begin(Outcome outcome)
            {
                _outcome = outcome;
                _outputFaults.Clear();
            }

            public List<FaultRule> End()
            {
                _outcome = null;
                var faults = new List<FaultRule>(_outputFaults);
                _outputFaults.Clear();
                return faults;
            }

            public string? Execute(string command)
            {
                lock (_modem._gate)
                {
                    if (Booting || _outcome is null)
                    {
                        _modem.RecordCommand(command);
                        var quiet = new Outcome();
                        string reply = _modem.Interpret(Normalise(command), quiet);
                        _modem.AddModelled(quiet.Modelled);
                        return reply;
                    }

                    if (_outcome.Drop || _outcome.Reboot)
                    {
                        return null; // the board is gone: nothing more reaches the modem
                    }

                    string? answer = _modem.Process(command, _outcome);
                    _outputFaults.AddRange(_outcome.OutputFaults);
                    _outcome.OutputFaults = new List<FaultRule>();
                    return answer;
                }
            }
        }
    }
}
