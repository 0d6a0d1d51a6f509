namespace Nrf91Cmng.Simulator
{
    /// <content>
    /// Writing to the host: a reply with its output-stage faults (lines interleaved at any line
    /// boundary, stalls, a second program on the port, a reset mid-reply), unsolicited lines,
    /// pacing at the baud rate and the write timeout.
    /// </content>
    public sealed partial class VirtualModem
    {
        private enum StepKind
        {
            Insert,
            Stall,
            Steal,
            Stray,
            Reboot,
        }

        private void Respond(Session session, Submission submission, bool rxDisabled)
        {
            if (submission.Body is not null)
            {
                RespondShell(session, submission);
                return;
            }

            if (submission.AtCommand is null)
            {
                WriteOut(session, submission.ImmediateOutput ?? string.Empty);
                return;
            }

            var outcome = new Outcome();
            string? reply;
            lock (_gate)
            {
                reply = Process(submission.AtCommand, outcome);
            }

            AddModelled(outcome.Modelled);
            double scale = ProcessingDelays.Scale;
            TimeSpan wait = TimeSpan.FromTicks((long)(outcome.Modelled.Ticks * Math.Max(0, scale))) + outcome.ExtraDelay;
            if (wait > TimeSpan.Zero)
            {
                SleepUntil(Stopwatch.GetTimestamp() + ToStopwatch(wait), session.Token);
            }

            if (rxDisabled)
            {
                Drain(session);
            }

            if (outcome.Drop)
            {
                throw new ConnectionDropped();
            }

            var output = new StringBuilder();
            foreach (string line in outcome.Before)
            {
                output.Append(_frontEnd.FrameUnsolicited(line));
            }

            if (outcome.Garbage is not null)
            {
                output.Append(Latin1String(outcome.Garbage, 0, outcome.Garbage.Length));
            }

            int replyStart = output.Length;
            string framed = string.Empty;
            if (reply is not null)
            {
                if (_truncateLongReplies && reply.Length > AtHostMaxCommandLength)
                {
                    reply = reply.Substring(0, AtHostMaxCommandLength);
                }

                framed = submission.Frame(reply);
                if (outcome.PartialBytes is int keep)
                {
                    framed = framed.Substring(0, Math.Min(framed.Length, keep < 0 ? framed.Length / 2 : keep));
                }

                output.Append(framed);
            }

            List<OutputStep> steps = reply is null ? new List<OutputStep>() : ReplySteps(framed, replyStart, outcome.OutputFaults);
            bool rebooted = WritePlanned(session, output.ToString(), steps);

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

        /// <summary>Where in the reply the output-stage faults act (offsets in the whole output).</summary>
        private List<OutputStep> ReplySteps(string framed, int replyStart, List<FaultRule> faults)
        {
            var steps = new List<OutputStep>();
            foreach (FaultRule fault in faults)
            {
                switch (fault.Kind)
                {
                    case FaultKind.InterleaveLines:
                        int turn = 0;
                        foreach (int after in fault.AfterLines)
                        {
                            string line = fault.Lines.Count > 0 ? fault.Lines[turn++ % fault.Lines.Count] : NoiseLine();
                            steps.Add(OutputStep.Insert(replyStart + LineStart(framed, after), _frontEnd.FrameUnsolicited(line)));
                        }

                        break;
                    case FaultKind.StallReply:
                        steps.Add(OutputStep.Stall(replyStart + ReplyOffset(framed, fault.Offset), fault.Delay));
                        break;
                    case FaultKind.StealReply:
                        int from = Math.Min(fault.Offset, framed.Length);
                        int length = Math.Min(fault.ByteCount, framed.Length - from);
                        if (length > 0)
                        {
                            steps.Add(OutputStep.Steal(replyStart + from, length));
                        }

                        break;
                    case FaultKind.RebootMidReply:
                        steps.Add(OutputStep.Reboot(replyStart + ReplyOffset(framed, fault.Offset)));
                        break;
                    case FaultKind.StrayInput:
                        // "Right after the reply", made exact: the other program's bytes go in just before
                        // the reply's last byte, so they reach the console before anything the client
                        // sends once it has the whole reply.
                        steps.Add(OutputStep.Stray(replyStart + Math.Max(0, framed.Length - 1), fault.Bytes!));
                        break;
                }
            }

            return steps;
        }

        /// <summary>Offset of the start of line <paramref name="afterLines"/> + 1 (0 = the start; past the end = the end).</summary>
        private static int LineStart(string framed, int afterLines)
        {
            int at = 0;
            for (int n = 0; n < afterLines; n++)
            {
                int newline = framed.IndexOf('\n', at);
                if (newline < 0)
                {
                    return framed.Length;
                }

                at = newline + 1;
            }

            return at;
        }

        /// <summary>A reply byte offset; negative = where the final result line starts.</summary>
        private static int ReplyOffset(string framed, int offset) =>
            offset >= 0 ? Math.Min(offset, framed.Length) : FinalResultOffset(framed);

        /// <summary>Start of the last OK / ERROR / +CME ERROR / +CMS ERROR line (the end when there is none, e.g. a cut reply).</summary>
        internal static int FinalResultOffset(string framed)
        {
            int end = framed.Length;
            while (end > 0)
            {
                int start = end >= 2 ? framed.LastIndexOf('\n', end - 2) + 1 : 0;
                string line = framed.Substring(start, end - start).TrimEnd('\r', '\n');
                if (line == "OK" || line == "ERROR" || line.StartsWith("+CME ERROR:", StringComparison.Ordinal) || line.StartsWith("+CMS ERROR:", StringComparison.Ordinal))
                {
                    return start;
                }

                end = start;
            }

            return framed.Length;
        }

        /// <summary>
        /// Writes <paramref name="text"/> with the <paramref name="steps"/> carried out at their offsets,
        /// and random lines interleaved at line boundaries (<see cref="InterleavedNoiseRate"/>).
        /// Returns true when a step reset the board (the rest is never written).
        /// </summary>
        private bool WritePlanned(Session session, string text, List<OutputStep> steps)
        {
            var plan = new List<OutputStep>(steps);
            if (InterleavedNoiseRate > 0)
            {
                for (int i = text.IndexOf('\n'); i >= 0 && i + 1 < text.Length; i = text.IndexOf('\n', i + 1))
                {
                    if (NextInterleave())
                    {
                        plan.Add(OutputStep.Insert(i + 1, _frontEnd.FrameUnsolicited(NoiseLine())));
                    }
                }
            }

            int pos = 0;
            foreach (OutputStep step in plan.Select((s, index) => (s, index)).OrderBy(x => x.s.Offset).ThenBy(x => x.index).Select(x => x.s))
            {
                if (step.Offset > pos)
                {
                    WriteRaw(session, text.Substring(pos, step.Offset - pos));
                    pos = step.Offset;
                }

                switch (step.Kind)
                {
                    case StepKind.Insert:
                        WriteRaw(session, step.Text!);
                        break;
                    case StepKind.Stall:
                        SleepUntil(Stopwatch.GetTimestamp() + ToStopwatch(step.Duration), session.Token);
                        break;
                    case StepKind.Steal:
                        int length = Math.Min(step.Length, text.Length - pos);
                        StealOutput(session, text.Substring(pos, length));
                        pos += length;
                        break;
                    case StepKind.Stray:
                        WriteStray(step.Bytes!);
                        break;
                    case StepKind.Reboot:
                        lock (_gate)
                        {
                            RebootLocked();
                        }

                        return true;
                }
            }

            if (pos < text.Length)
            {
                WriteRaw(session, text.Substring(pos));
            }

            return false;
        }

        /// <summary>
        /// A second program on the port reads these bytes as they go out: on a real shared port
        /// (a pseudo-terminal) it reads while they are written and gets what the kernel gives it;
        /// elsewhere the bytes take their wire time and never arrive.
        /// </summary>
        private void StealOutput(Session session, string segment)
        {
            byte[] bytes = Latin1Bytes(segment);
            if (session.Link is ISharedPort port)
            {
                TimeSpan window = WireTime(bytes.Length, BaudRate) + TimeSpan.FromMilliseconds(200);
                byte[] stolen = Array.Empty<byte>();
                using (var armed = new ManualResetEventSlim(false))
                {
                    var reader = new Thread(() =>
                    {
                        try
                        {
                            stolen = port.ReadAsSecondClient(bytes.Length, window, armed, session.Token);
                        }
                        catch (Core.Transport.LinkClosedException)
                        {
                            armed.Set(); // the port went away: nothing stolen
                        }
                    })
                    {
                        IsBackground = true,
                        Name = "VirtualModem second client",
                    };
                    reader.Start();
                    armed.Wait(TimeSpan.FromSeconds(1), session.Token);
                    WriteRaw(session, segment);
                    reader.Join();
                }

                Faults.RecordStolen(stolen, stolen.Length);
                return;
            }

            int baud = BaudRate;
            if (baud > 0)
            {
                long perByte = (long)Math.Ceiling(Stopwatch.Frequency * 10.0 / baud);
                session.TxClock = Math.Max(session.TxClock, Stopwatch.GetTimestamp()) + (bytes.Length * perByte);
                SleepUntil(session.TxClock, session.Token);
            }

            Interlocked.Add(ref _bytesOut, bytes.Length);
            Faults.RecordStolen(bytes, bytes.Length);
        }

        /// <summary>A second program on the port writes to the device (through the shared port, or straight into the console's input).</summary>
        internal void WriteStray(byte[] bytes)
        {
            Session? session;
            lock (_gate)
            {
                session = _session;
            }

            if (session is null)
            {
                return;
            }

            if (session.Link is ISharedPort port)
            {
                port.WriteAsSecondClient(bytes, session.Token);
            }
            else
            {
                session.Injected.Enqueue(bytes);
            }

            Faults.RecordStray(bytes.Length);
        }

        private void FlushPending(Session session)
        {
            var due = new StringBuilder();
            lock (_gate)
            {
                // One pass that keeps what is not due yet (a UrcFlood of 20000 lines must not cost
                // seconds of List.RemoveAt under the lock).
                long now = Stopwatch.GetTimestamp();
                int kept = 0;
                for (int i = 0; i < _pending.Count; i++)
                {
                    PendingOutput pending = _pending[i];
                    if (pending.Due <= now)
                    {
                        due.Append(pending.Raw ? pending.Text : _frontEnd.FrameUnsolicited(pending.Text));
                    }
                    else
                    {
                        _pending[kept++] = pending;
                    }
                }

                _pending.RemoveRange(kept, _pending.Count - kept);
            }

            if (due.Length > 0)
            {
                WriteOut(session, due.ToString());
            }
        }

        private void ScheduleLater(Outcome outcome)
        {
            long now = Stopwatch.GetTimestamp();
            foreach (KeyValuePair<TimeSpan, string> later in outcome.Later)
            {
                _pending.Add(new PendingOutput(now + ToStopwatch(later.Key), later.Value, raw: false));
            }
        }

        /// <summary>Loses whatever arrived while UART RX was disabled.</summary>
        private void Drain(Session session) => ReadWaiting(session, maxReads: 64, keep: null);

        /// <summary>Writes output that is not a reply (echo, unsolicited lines, console messages), with interleaved noise.</summary>
        private void WriteOut(Session session, string text)
        {
            if (text.Length > 0)
            {
                WritePlanned(session, text, new List<OutputStep>());
            }
        }

        /// <summary>
        /// Writes to the host, paced at the baud rate by deadlines (each chunk leaves no earlier than
        /// its last byte would on the wire). A host that does not read for <see cref="WriteTimeout"/>
        /// loses the output instead of blocking the modem.
        /// </summary>
        private void WriteRaw(Session session, string text)
        {
            if (text.Length == 0)
            {
                return;
            }

            byte[] bytes = Latin1Bytes(text);
            int baud = BaudRate;
            int chunk = baud > 0 ? Math.Max(1, baud / 2000) : bytes.Length;
            long perByte = baud > 0 ? (long)Math.Ceiling(Stopwatch.Frequency * 10.0 / baud) : 0;
            if (perByte > 0)
            {
                session.TxClock = Math.Max(session.TxClock, Stopwatch.GetTimestamp());
            }

            for (int offset = 0; offset < bytes.Length; offset += chunk)
            {
                int n = Math.Min(chunk, bytes.Length - offset);
                if (perByte > 0)
                {
                    session.TxClock += n * perByte;
                    SleepUntil(session.TxClock, session.Token);
                }

                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(session.Token))
                {
                    timeout.CancelAfter(WriteTimeout);
                    try
                    {
                        session.Link.Write(bytes, offset, n, timeout.Token);
                    }
                    catch (OperationCanceledException) when (!session.Token.IsCancellationRequested)
                    {
                        return; // nobody reads: the output is lost, as on a UART with no listener
                    }
                }

                Interlocked.Add(ref _bytesOut, n);
            }
        }

        private static void SleepUntil(long deadline, CancellationToken token)
        {
            while (true)
            {
                token.ThrowIfCancellationRequested();
                long left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0)
                {
                    return;
                }

                double ms = left * 1000.0 / Stopwatch.Frequency;
                if (ms > 2)
                {
                    token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(ms - 1));
                }
                else
                {
                    Thread.Yield();
                }
            }
        }

        /// <summary>One thing to do at an offset of the output being written.</summary>
        private readonly struct OutputStep
        {
            private OutputStep(StepKind kind, int offset, string? text, TimeSpan duration, int length, byte[]? bytes = null)
            {
                Kind = kind;
                Offset = offset;
                Text = text;
                Duration = duration;
                Length = length;
                Bytes = bytes;
            }

            public StepKind Kind { get; }

            public int Offset { get; }

            public string? Text { get; }

            public TimeSpan Duration { get; }

            public int Length { get; }

            public byte[]? Bytes { get; }

            public static OutputStep Insert(int offset, string text) => new OutputStep(StepKind.Insert, offset, text, TimeSpan.Zero, 0);

            public static OutputStep Stall(int offset, TimeSpan stall) => new OutputStep(StepKind.Stall, offset, null, stall, 0);

            public static OutputStep Steal(int offset, int length) => new OutputStep(StepKind.Steal, offset, null, TimeSpan.Zero, length);

            public static OutputStep Stray(int offset, byte[] bytes) => new OutputStep(StepKind.Stray, offset, null, TimeSpan.Zero, 0, bytes);

            public static OutputStep Reboot(int offset) => new OutputStep(StepKind.Reboot, offset, null, TimeSpan.Zero, 0);
        }
    }
}
