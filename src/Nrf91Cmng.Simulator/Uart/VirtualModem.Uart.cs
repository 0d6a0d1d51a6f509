using System.Collections.Concurrent;
using Nrf91Cmng.Core.Transport;

namespace Nrf91Cmng.Simulator
{
    /// <content>The serial line: serving a connection, pacing at the baud rate, at_host losing input while busy, writing replies and pending output.</content>
    public sealed partial class VirtualModem
    {
        private static readonly TimeSpan s_readSlice = TimeSpan.FromMilliseconds(20);
        private readonly List<PendingOutput> _pending = new List<PendingOutput>();
        private readonly bool _truncateLongReplies;
        private Session? _session;
        private long _bootUntil;
        private int _baudRate;
        private bool _dropInputWhileBusy;
        private long _rxDropped;

        /// <summary>Bytes a shell console lost because its UART RX ring buffer was full while it ran a command.</summary>
        public long RxBytesDropped => Interlocked.Read(ref _rxDropped);

        /// <summary>Serial pacing in baud (0 = off); takes effect at once.</summary>
        public int BaudRate
        {
            get => Volatile.Read(ref _baudRate);
            set => Volatile.Write(ref _baudRate, Math.Max(0, value));
        }

        /// <summary>Whether at_host loses bytes arriving while a command runs (see <see cref="VirtualModemOptions.DropInputWhileBusy"/>).</summary>
        public bool DropInputWhileBusy
        {
            get => Volatile.Read(ref _dropInputWhileBusy);
            set => Volatile.Write(ref _dropInputWhileBusy, value);
        }

        /// <summary>True while a connection is being served.</summary>
        public bool IsServing
        {
            get
            {
                lock (_gate)
                {
                    return _session is not null;
                }
            }
        }

        /// <summary>How long a write may wait for a host that does not read before the output is dropped (default 2 s).</summary>
        internal TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>Time on the wire of <paramref name="bytes"/> at <paramref name="baudRate"/> (10 bit times per byte).</summary>
        public static TimeSpan WireTime(long bytes, int baudRate) =>
            baudRate <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Ceiling(bytes * 10.0 * TimeSpan.TicksPerSecond / baudRate));

        /// <summary>
        /// Connects a host in process: returns the host end of a <see cref="PipeLink"/> and serves the
        /// device end on a background thread until either end closes or the modem is disposed.
        /// </summary>
        public IByteLink ConnectInProcess()
        {
            ThrowIfDisposed();
            (PipeLink host, PipeLink device) = PipeLink.CreatePair();
            StartBackground("VirtualModem in-process", () =>
            {
                try
                {
                    Serve(device, CancellationToken.None);
                }
                finally
                {
                    device.Dispose();
                }
            });
            return host;
        }

        /// <summary>
        /// Serves one connection on the calling thread until the link closes, <paramref name="cancellationToken"/>
        /// fires, another connection takes over, a drop fault closes it, or the modem is disposed.
        /// Only a drop fault disposes <paramref name="deviceEnd"/>.
        /// </summary>
        public void Serve(IByteLink deviceEnd, CancellationToken cancellationToken)
        {
            if (deviceEnd is null)
            {
                throw new ArgumentNullException(nameof(deviceEnd));
            }

            ThrowIfDisposed();
            using (CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token))
            {
                var session = new Session(deviceEnd, linked.Token);
                lock (_gate)
                {
                    if (_session is not null)
                    {
                        _session.Superseded = true;
                    }

                    _session = session;
                    long stale = Stopwatch.GetTimestamp() - Stopwatch.Frequency;
                    _pending.RemoveAll(p => p.Due < stale);
                }

                try
                {
                    Loop(session);
                }
                catch (ConnectionDropped)
                {
                    deviceEnd.Dispose();
                }
                catch (LinkClosedException)
                {
                    // The host went away.
                }
                catch (OperationCanceledException) when (session.Token.IsCancellationRequested)
                {
                    // Stopped.
                }
                finally
                {
                    lock (_gate)
                    {
                        if (ReferenceEquals(_session, session))
                        {
                            _session = null;
                        }
                    }
                }
            }
        }

        internal void EnqueueOutput(string text, bool raw, TimeSpan delay = default)
        {
            lock (_gate)
            {
                _pending.Add(new PendingOutput(Stopwatch.GetTimestamp() + ToStopwatch(delay), text, raw));
            }
        }

        internal void EnqueueFlood(int count)
        {
            lock (_gate)
            {
                long now = Stopwatch.GetTimestamp();
                for (int i = 0; i < count; i++)
                {
                    _pending.Add(new PendingOutput(now, RandomUrc(), raw: false));
                }
            }
        }

        internal void RequestDrop()
        {
            lock (_gate)
            {
                if (_session is not null)
                {
                    _session.DropRequested = true;
                }
            }
        }

        private static long ToStopwatch(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

        private void Loop(Session session)
        {
            var buffer = new byte[1024];
            long lastNoiseCheck = Stopwatch.GetTimestamp();
            while (true)
            {
                session.Token.ThrowIfCancellationRequested();
                if (session.Superseded)
                {
                    return;
                }

                if (session.DropRequested)
                {
                    throw new ConnectionDropped();
                }

                FlushPending(session);
                if (session.Injected.TryDequeue(out byte[]? stray))
                {
                    HandleInput(session, stray, stray.Length); // a second program's bytes (links without a real second client)
                    continue;
                }

                int n = session.Link.Read(buffer, 0, buffer.Length, s_readSlice, session.Token);
                if (n > 0)
                {
                    HandleInput(session, buffer, n);
                    continue;
                }

                long now = Stopwatch.GetTimestamp();
                double rate = RandomNoiseRate;
                if (rate > 0)
                {
                    double seconds = (now - lastNoiseCheck) / (double)Stopwatch.Frequency;
                    bool emit;
                    lock (_gate)
                    {
                        emit = _random.NextDouble() < rate * seconds;
                    }

                    if (emit)
                    {
                        WriteOut(session, _frontEnd.FrameUnsolicited(RandomUrc()));
                    }
                }

                lastNoiseCheck = now;
            }
        }

        private void HandleInput(Session session, byte[] buffer, int count)
        {
            long arrival = Stopwatch.GetTimestamp();
            Interlocked.Add(ref _bytesIn, count);
            if (arrival < Volatile.Read(ref _bootUntil))
            {
                return; // the board is resetting: the UART is not listening
            }

            Consume(session, buffer, count, arrival);
        }

        /// <summary>Feeds received bytes to the console, answering each finished line.</summary>
        private void Consume(Session session, byte[] buffer, int count, long arrival)
        {
            int baud = BaudRate;
            long perByte = baud > 0 ? (long)Math.Ceiling(Stopwatch.Frequency * 10.0 / baud) : 0;
            bool watchReceiving = Faults.HasReceivingRule;
            int i = 0;
            while (i < count)
            {
                Submission? submission = null;
                bool drop = false;
                bool rebooted = false;
                var echo = new StringBuilder();
                lock (_gate)
                {
                    while (i < count)
                    {
                        byte b = buffer[i++];
                        if (perByte > 0)
                        {
                            session.RxClock = Math.Max(session.RxClock, arrival) + perByte;
                        }

                        submission = _frontEnd.Feed(b, echo);
                        if (watchReceiving && submission is null && Faults.TakeWhileReceiving(_frontEnd.CurrentLine) is FaultRule rule)
                        {
                            if (rule.Kind == FaultKind.Drop)
                            {
                                drop = true;
                            }
                            else
                            {
                                RebootLocked(); // the rest of this chunk arrives while the board resets
                                rebooted = true;
                                i = count;
                            }

                            break;
                        }

                        if (submission is not null)
                        {
                            break;
                        }
                    }

                    if (i >= count && submission is null && !drop && !rebooted)
                    {
                        echo.Append(_frontEnd.EndOfChunk());
                    }
                }

                if (echo.Length > 0)
                {
                    WriteOut(session, echo.ToString());
                }

                if (drop)
                {
                    throw new ConnectionDropped();
                }

                if (rebooted || submission is null)
                {
                    continue;
                }

                if (perByte > 0)
                {
                    SleepUntil(session.RxClock, session.Token);
                }

                bool rxDisabled = _frontEnd.DisablesRxWhileBusy && DropInputWhileBusy;
                if (rxDisabled)
                {
                    i = count; // what followed the terminator arrived while UART RX was disabled
                }

                Respond(session, submission, rxDisabled);
                int ring = _frontEnd.RxRingBufferSize;
                if (!rxDisabled && ring > 0)
                {
                    // The shell was busy from the line end until its prompt: the rest of this chunk and
                    // what arrived before the output went out (taken by RespondShell) passed through the
                    // UART RX ring buffer. What fits is consumed next; the rest is lost with a warning
                    // per byte. Bytes sent after the prompt arrive at an idle shell and are not counted.
                    byte[] busy = BytesWhileBusy(session, buffer, i, count);
                    int kept = Math.Min(ring, busy.Length);
                    int dropped = busy.Length - kept;
                    if (dropped > 0)
                    {
                        Interlocked.Add(ref _rxDropped, dropped);
                    }

                    Consume(session, busy, kept, Stopwatch.GetTimestamp());
                    if (dropped > 0)
                    {
                        string warning;
                        lock (_gate)
                        {
                            warning = _frontEnd.RxOverflow(dropped, Uptime);
                        }

                        WriteOut(session, warning);
                    }

                    return;
                }
            }
        }

        /// <summary>The rest of the chunk after a line end, then what arrived while the command ran.</summary>
        private static byte[] BytesWhileBusy(Session session, byte[] buffer, int from, int count)
        {
            var busy = new List<byte>(count - from + session.ArrivedWhileBusy.Count);
            for (int k = from; k < count; k++)
            {
                busy.Add(buffer[k]);
            }

            busy.AddRange(session.ArrivedWhileBusy);
            session.ArrivedWhileBusy.Clear();
            return busy.ToArray();
        }

        /// <summary>Takes what is waiting on the link (called just before a shell writes its output).</summary>
        private void TakeArrivedWhileBusy(Session session) => ReadWaiting(session, maxReads: 1024, keep: session.ArrivedWhileBusy);

        /// <summary>
        /// Reads what is waiting on the link without waiting, at most <paramref name="maxReads"/> reads of
        /// up to 1 KiB, counting it as received; the bytes go to <paramref name="keep"/> (null: lost).
        /// </summary>
        private void ReadWaiting(Session session, int maxReads, List<byte>? keep)
        {
            var scratch = new byte[1024];
            for (int round = 0; round < maxReads; round++)
            {
                int n = session.Link.Read(scratch, 0, scratch.Length, TimeSpan.Zero, session.Token);
                if (n == 0)
                {
                    return;
                }

                Interlocked.Add(ref _bytesIn, n);
                keep?.AddRange(new ArraySegment<byte>(scratch, 0, n));
            }
        }

        private readonly struct PendingOutput
        {
            public PendingOutput(long due, string text, bool raw)
            {
                Due = due;
                Text = text;
                Raw = raw;
            }

            public long Due { get; }

            public string Text { get; }

            /// <summary>True: written as is; false: an unsolicited line framed by the console.</summary>
            public bool Raw { get; }
        }

        private sealed class Session
        {
            public Session(IByteLink link, CancellationToken token)
            {
                Link = link;
                Token = token;
            }

            public IByteLink Link { get; }

            public CancellationToken Token { get; }

            public volatile bool Superseded;

            public volatile bool DropRequested;

            public long RxClock;

            public long TxClock;

            /// <summary>Bytes that arrived while a shell ran a command (before its output went out).</summary>
            public readonly List<byte> ArrivedWhileBusy = new List<byte>();

            /// <summary>Bytes a second program wrote, for links that have no real second client.</summary>
            public readonly ConcurrentQueue<byte[]> Injected = new ConcurrentQueue<byte[]>();
        }

        private sealed class ConnectionDropped : Exception
        {
        }
    }
}
