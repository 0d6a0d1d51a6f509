using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Nrf91Cmng.Core.Transport;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Nrf91Cmng.Simulator
{
    /// <summary>
    /// A virtual nRF91 modem behind a console firmware (at_host, serial_lte_modem or a Zephyr
    /// shell): the byte-level line discipline, the modem's command set and credential store per
    /// firmware profile, serial pacing, processing delays, unsolicited noise and fault injection.
    /// Serve it on any <see cref="IByteLink"/>: in process (<see cref="ConnectInProcess"/>), over
    /// TCP or a pseudo-terminal (<see cref="VirtualModemServer"/>). One connection is served at a
    /// time; a new one takes over from the previous, as a serial port would. State reads are
    /// thread-safe.
    /// </summary>
    public sealed partial class VirtualModem : IDisposable
    {
        /// <summary>at_host's buffer: 4096 bytes including the terminating NUL.</summary>
        public const int AtHostMaxCommandLength = 4095;

        private static readonly TimeSpan s_readSlice = TimeSpan.FromMilliseconds(20);

        private readonly object _gate = new object();
        private readonly int _maxCredentials;
        private readonly int _storageBytes;
        private readonly bool _truncateLongReplies;
        private readonly ConsoleFrontEnd _frontEnd;
        private readonly Random _random;
        private readonly SecureRandom _secureRandom;
        private readonly AsymmetricCipherKeyPair _identity;
        private readonly SortedDictionary<CredentialKey, StoredCredential> _store = new SortedDictionary<CredentialKey, StoredCredential>();
        private readonly List<string> _received = new List<string>();
        private readonly List<int> _modeHistory = new List<int>();
        private readonly List<PendingOutput> _pending = new List<PendingOutput>();
        private readonly List<Thread> _threads = new List<Thread>();
        private readonly CancellationTokenSource _disposed = new CancellationTokenSource();
        private readonly Stopwatch _uptime = Stopwatch.StartNew();
        private ProcessingDelays _delays;
        private Session? _session;
        private long _bootUntil;
        private int _baudRate;
        private bool _dropInputWhileBusy;
        private bool _unsolicitedNoise;
        private double _randomNoiseRate;
        private long _commands;
        private long _bytesIn;
        private long _bytesOut;
        private long _modelledTicks;
        private int _rebootCount;
        private Exception? _lastError;

        /// <summary>Creates a powered-on modem (CFUN 0, CMEE 0) with an empty credential store.</summary>
        /// <exception cref="ArgumentException">Unknown firmware profile, malformed IMEI or bad option.</exception>
        public VirtualModem(VirtualModemOptions? options = null)
        {
            options ??= new VirtualModemOptions();
            _maxCredentials = options.MaxCredentials;
            _storageBytes = options.CredentialStorageBytes;
            _truncateLongReplies = options.TruncateLongReplies;
            Profile = FirmwareProfile.Get(options.Firmware ?? FirmwareProfile.Default.Name);
            _random = options.Seed is int seed ? new Random(seed) : new Random(Guid.NewGuid().GetHashCode());
            _secureRandom = ModemCrypto.CreateRandom(options.Seed is int s ? s : (int?)null);
            _frontEnd = ConsoleFrontEnd.Create(options.Framing, options.Terminator, options.ShellPrompt ?? "uart:~$ ", AtHostMaxCommandLength);
            Framing = options.Framing;
            Terminator = options.Terminator ?? (options.Framing == ModemFraming.AtHost ? AtHostTerminator.Cr : AtHostTerminator.CrLf);
            if (options.MaxCredentials < 0 || options.CredentialStorageBytes < 0)
            {
                throw new ArgumentException("Credential capacity limits cannot be negative.", nameof(options));
            }

            if (options.Imei is string imei)
            {
                if (imei.Length != 15 || !imei.All(c => c >= '0' && c <= '9'))
                {
                    throw new ArgumentException("An IMEI has exactly 15 digits; got '" + imei + "'.", nameof(options));
                }

                Imei = imei;
            }
            else
            {
                Imei = GenerateImei(Profile.ImeiTac, _random);
            }

            DeviceUuid = options.DeviceUuid ?? GenerateDeviceUuid(_random);
            Iccid = "89" + Digits(_random, 17) + "F";
            _identity = ModemCrypto.GenerateP256(_secureRandom);
            IdentityPublicKeyInfo = ModemCrypto.SubjectPublicKeyInfoDer((ECPublicKeyParameters)_identity.Public);
            _delays = (options.ProcessingDelays ?? ProcessingDelays.Off).Clone();
            _baudRate = Math.Max(0, options.BaudRate);
            _dropInputWhileBusy = options.DropInputWhileBusy;
            _unsolicitedNoise = options.UnsolicitedNoise;
            _randomNoiseRate = Math.Max(0, options.RandomNoiseRate);
            Faults = new VirtualModemFaults(this);
            if (Profile.HasFactoryPublicKey)
            {
                AsymmetricCipherKeyPair factory = ModemCrypto.GenerateP256(_secureRandom);
                string pem = ModemCrypto.Pem("PUBLIC KEY", ModemCrypto.SubjectPublicKeyInfoDer((ECPublicKeyParameters)factory.Public));
                _store[new CredentialKey(0, 5)] = new StoredCredential(Latin1Bytes(pem), null, CredentialOrigin.Factory);
            }

            ResetPowerOnState();
        }

        /// <summary>The firmware the modem imitates.</summary>
        public FirmwareProfile Profile { get; }

        /// <summary>The console firmware in front of the modem.</summary>
        public ModemFraming Framing { get; }

        /// <summary>The terminator the console expects (Shell: CR or LF, whatever is configured here is ignored).</summary>
        public AtHostTerminator Terminator { get; }

        /// <summary>The 15-digit IMEI (<c>AT+CGSN</c>).</summary>
        public string Imei { get; }

        /// <summary>True once disposed: every connection is closed and no new one is accepted.</summary>
        public bool IsDisposed => _disposed.IsCancellationRequested;

        /// <summary>The device UUID (KEYGEN subject, attestation, <c>%DEVICEUUID</c>).</summary>
        public Guid DeviceUuid { get; }

        /// <summary>The SIM's ICCID (<c>%XICCID</c>, answered while the UICC is on).</summary>
        public string Iccid { get; }

        /// <summary>DER SubjectPublicKeyInfo of the device identity key that signs KEYGEN and ATTESTTOKEN COSE objects (ES256).</summary>
        public byte[] IdentityPublicKeyInfo { get; }

        /// <summary>The identity public key as PEM.</summary>
        public string IdentityPublicKeyPem => ModemCrypto.Pem("PUBLIC KEY", IdentityPublicKeyInfo);

        /// <summary>Fault injection.</summary>
        public VirtualModemFaults Faults { get; }

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

        /// <summary>The +CMEE setting (0 after power-on: every CME error reads ERROR).</summary>
        public int ErrorReporting
        {
            get
            {
                lock (_gate)
                {
                    return _cmee;
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

        /// <summary>Every command line the console handed to the modem, exactly as assembled (terminator CR of CR LF builds included).</summary>
        public IReadOnlyList<string> ReceivedCommands
        {
            get
            {
                lock (_gate)
                {
                    return _received.ToArray();
                }
            }
        }

        /// <summary>The store as <c>AT%CMNG=1</c> lists it: user entries by tag then type, then the modem's own.</summary>
        public IReadOnlyList<VirtualCredential> Credentials
        {
            get
            {
                lock (_gate)
                {
                    return ListCredentials(null, null);
                }
            }
        }

        /// <summary>Serial pacing in baud (0 = off); takes effect at once.</summary>
        public int BaudRate
        {
            get => Volatile.Read(ref _baudRate);
            set => Volatile.Write(ref _baudRate, Math.Max(0, value));
        }

        /// <summary>The processing-time model; replace it (or change its <see cref="ProcessingDelays.Scale"/>) at any time.</summary>
        public ProcessingDelays ProcessingDelays
        {
            get
            {
                lock (_gate)
                {
                    return _delays;
                }
            }

            set
            {
                lock (_gate)
                {
                    _delays = value ?? ProcessingDelays.Off;
                }
            }
        }

        /// <summary>Whether at_host loses bytes arriving while a command runs (see <see cref="VirtualModemOptions.DropInputWhileBusy"/>).</summary>
        public bool DropInputWhileBusy
        {
            get => Volatile.Read(ref _dropInputWhileBusy);
            set => Volatile.Write(ref _dropInputWhileBusy, value);
        }

        /// <summary>Emit +CEREG/+CSCON and log lines around functional-mode changes.</summary>
        public bool UnsolicitedNoise
        {
            get => Volatile.Read(ref _unsolicitedNoise);
            set => Volatile.Write(ref _unsolicitedNoise, value);
        }

        /// <summary>Random URC rate (see <see cref="VirtualModemOptions.RandomNoiseRate"/>).</summary>
        public double RandomNoiseRate
        {
            get
            {
                lock (_gate)
                {
                    return _randomNoiseRate;
                }
            }

            set
            {
                lock (_gate)
                {
                    _randomNoiseRate = Math.Max(0, value);
                }
            }
        }

        /// <summary>Command lines handed to the modem.</summary>
        public long CommandsProcessed => Interlocked.Read(ref _commands);

        /// <summary>Bytes received from the host (including bytes the console dropped).</summary>
        public long BytesReceived => Interlocked.Read(ref _bytesIn);

        /// <summary>Bytes written to the host.</summary>
        public long BytesSent => Interlocked.Read(ref _bytesOut);

        /// <summary>Sum of the modelled processing times of every command and reset (unscaled), whatever the delay scale.</summary>
        public TimeSpan ModelledProcessingTime => TimeSpan.FromTicks(Interlocked.Read(ref _modelledTicks));

        /// <summary>How many times the board was reset.</summary>
        public int RebootCount => Volatile.Read(ref _rebootCount);

        /// <summary>
        /// An unexpected exception that ended a serving thread (a simulator bug, never a host
        /// mistake); null when none happened. Background threads never let an exception escape,
        /// so a host process (pwsh) cannot be brought down by the simulator.
        /// </summary>
        public Exception? LastError => Volatile.Read(ref _lastError);

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

        /// <summary>The stored bytes of (<paramref name="secTag"/>, <paramref name="type"/>) exactly as written; null when absent.</summary>
        public byte[]? GetStoredBytes(uint secTag, int type)
        {
            lock (_gate)
            {
                return _store.TryGetValue(new CredentialKey(secTag, type), out StoredCredential? entry) ? (byte[])entry.Content.Clone() : null;
            }
        }

        /// <summary>
        /// Puts bytes into the store without any check (capacity, access, state), replacing an entry.
        /// <paramref name="digest"/> overrides the digest the list shows (64 hex digits), e.g. to
        /// replay SDK test data; by default it is the SHA-256 of <paramref name="content"/>.
        /// </summary>
        public void Preload(uint secTag, int type, byte[] content, string? digest = null)
        {
            if (content is null)
            {
                throw new ArgumentNullException(nameof(content));
            }

            if (digest is not null && (digest.Length != 64 || !digest.All(Uri.IsHexDigit)))
            {
                throw new ArgumentException("A digest is 64 hexadecimal digits.", nameof(digest));
            }

            lock (_gate)
            {
                _store[new CredentialKey(secTag, type)] = new StoredCredential((byte[])content.Clone(), digest?.ToUpperInvariant(), CredentialOrigin.Preloaded);
            }
        }

        /// <summary>Removes an entry without any check; true when it existed.</summary>
        public bool Remove(uint secTag, int type)
        {
            lock (_gate)
            {
                return _store.Remove(new CredentialKey(secTag, type));
            }
        }

        /// <summary>Empties the credential store (the factory public key of 0.7.0 included).</summary>
        public void ClearCredentials()
        {
            lock (_gate)
            {
                _store.Clear();
            }
        }

        /// <summary>
        /// Runs one command line through the modem's interpreter directly (no console, no faults,
        /// no waiting) and returns the modem's raw reply, e.g. <c>OK\r\n</c>. The command is recorded
        /// and changes state like any other.
        /// </summary>
        public string Execute(string commandLine)
        {
            if (commandLine is null)
            {
                throw new ArgumentNullException(nameof(commandLine));
            }

            lock (_gate)
            {
                RecordCommand(commandLine);
                var outcome = new Outcome();
                string reply = Interpret(Normalise(commandLine), outcome);
                AddModelled(outcome.Modelled);
                ScheduleLater(outcome);
                return reply;
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

        /// <summary>Stops every connection served by this modem and waits (briefly) for its threads.</summary>
        public void Dispose()
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            Thread[] threads;
            lock (_threads)
            {
                threads = _threads.ToArray();
                _threads.Clear();
            }

            foreach (Thread thread in threads)
            {
                if (thread != Thread.CurrentThread)
                {
                    thread.Join(TimeSpan.FromSeconds(2));
                }
            }
        }

        internal void ThrowIfDisposed()
        {
            if (_disposed.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(VirtualModem));
            }
        }

        internal CancellationToken DisposedToken => _disposed.Token;

        internal void StartBackground(string name, Action body)
        {
            var thread = new Thread(() => Guard(body)) { IsBackground = true, Name = name };
            lock (_threads)
            {
                _threads.RemoveAll(t => !t.IsAlive);
                _threads.Add(thread);
            }

            thread.Start();
        }

        /// <summary>Runs a background thread's body; an escaping exception is recorded, not rethrown.</summary>
        internal void Guard(Action body)
        {
            try
            {
                body();
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                Volatile.Write(ref _lastError, ex);
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

        internal void OnPowerOffWarningRaised()
        {
            lock (_gate)
            {
                if (_xpofwarn && Profile.SupportsPowerOffWarning)
                {
                    _pending.Add(new PendingOutput(Stopwatch.GetTimestamp(), "%XPOFWARN", raw: false));
                }
            }
        }

        private static long ToStopwatch(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

        private static string Digits(Random random, int count)
        {
            var text = new StringBuilder(count);
            for (int i = 0; i < count; i++)
            {
                text.Append((char)('0' + random.Next(10)));
            }

            return text.ToString();
        }

        /// <summary>TAC + 6 random digits + Luhn check digit.</summary>
        private static string GenerateImei(string tac, Random random)
        {
            string body = tac + Digits(random, 14 - tac.Length);
            return body + LuhnDigit(body).ToString(CultureInfo.InvariantCulture);
        }

        /// <summary>The Luhn check digit of the 14 IMEI digits.</summary>
        internal static int LuhnDigit(string digits)
        {
            int sum = 0;
            for (int i = 0; i < digits.Length; i++)
            {
                int d = digits[digits.Length - 1 - i] - '0';
                if (i % 2 == 0)
                {
                    d *= 2;
                    if (d > 9)
                    {
                        d -= 9;
                    }
                }

                sum += d;
            }

            return (10 - (sum % 10)) % 10;
        }

        /// <summary>Real device UUIDs start with "P6" and a few ASCII letters and digits, then version 4 and variant bits.</summary>
        private static Guid GenerateDeviceUuid(Random random)
        {
            const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
            var b = new byte[16];
            random.NextBytes(b);
            b[0] = (byte)'P';
            b[1] = (byte)'6';
            for (int i = 2; i < 6; i++)
            {
                b[i] = (byte)alphabet[random.Next(alphabet.Length)];
            }

            b[6] = (byte)(0x40 | (b[6] & 0x0F));
            b[8] = (byte)(0x80 | (b[8] & 0x3F));
            return ModemCrypto.GuidFromRfcBytes(b);
        }

        private static byte[] Latin1Bytes(string text)
        {
            var bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[i] = (byte)text[i];
            }

            return bytes;
        }

        private static string Latin1String(byte[] bytes, int offset, int count)
        {
            var chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                chars[i] = (char)bytes[offset + i];
            }

            return new string(chars);
        }

        private void AddModelled(TimeSpan span) => Interlocked.Add(ref _modelledTicks, span.Ticks);

        private void RecordCommand(string assembled)
        {
            _received.Add(assembled);
            Interlocked.Increment(ref _commands);
        }

        /// <summary>§7.1: a leading LF (left over from CR LF sent to a CR build) and a trailing CR (CR LF builds) are harmless.</summary>
        private static string Normalise(string assembled) => assembled.TrimStart('\n').TrimEnd('\r');

        private void RebootLocked()
        {
            ResetPowerOnState();
            _frontEnd.Reset();
            Interlocked.Increment(ref _rebootCount);
            _uptime.Restart();
            TimeSpan boot = _delays.Boot;
            AddModelled(boot);
            TimeSpan wait = TimeSpan.FromTicks((long)(boot.Ticks * Math.Max(0, _delays.Scale)));
            _bootUntil = Stopwatch.GetTimestamp() + ToStopwatch(wait);
            _pending.RemoveAll(p => !p.Raw);
            _pending.Add(new PendingOutput(_bootUntil, _frontEnd.BootText(Profile), raw: true));
        }

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

        private void FlushPending(Session session)
        {
            var due = new StringBuilder();
            lock (_gate)
            {
                long now = Stopwatch.GetTimestamp();
                for (int i = 0; i < _pending.Count; i++)
                {
                    if (_pending[i].Due <= now)
                    {
                        due.Append(_pending[i].Raw ? _pending[i].Text : _frontEnd.FrameUnsolicited(_pending[i].Text));
                        _pending.RemoveAt(i);
                        i--;
                    }
                }
            }

            if (due.Length > 0)
            {
                WriteOut(session, due.ToString());
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

            int baud = BaudRate;
            long perByte = baud > 0 ? (long)Math.Ceiling(Stopwatch.Frequency * 10.0 / baud) : 0;
            bool watchMidWrite = Faults.HasMidWriteDrop;
            int i = 0;
            while (i < count)
            {
                Submission? submission = null;
                bool drop = false;
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
                        if (watchMidWrite && submission is null && Faults.TakeMidWriteDrop(_frontEnd.CurrentLine))
                        {
                            drop = true;
                            break;
                        }

                        if (submission is not null)
                        {
                            break;
                        }
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

                if (submission is null)
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
            }
        }

        private void Respond(Session session, Submission submission, bool rxDisabled)
        {
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

            if (reply is not null)
            {
                if (_truncateLongReplies && reply.Length > AtHostMaxCommandLength)
                {
                    reply = reply.Substring(0, AtHostMaxCommandLength);
                }

                string framed = submission.Frame(reply);
                if (outcome.PartialBytes is int keep)
                {
                    framed = framed.Substring(0, Math.Min(framed.Length, keep < 0 ? framed.Length / 2 : keep));
                }

                output.Append(framed);
            }

            if (output.Length > 0)
            {
                WriteOut(session, output.ToString());
            }

            lock (_gate)
            {
                ScheduleLater(outcome);
                if (outcome.Reboot)
                {
                    RebootLocked();
                }
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
        private void Drain(Session session)
        {
            var scratch = new byte[1024];
            for (int i = 0; i < 64; i++)
            {
                int n = session.Link.Read(scratch, 0, scratch.Length, TimeSpan.Zero, session.Token);
                if (n == 0)
                {
                    return;
                }

                Interlocked.Add(ref _bytesIn, n);
            }
        }

        /// <summary>
        /// Writes to the host, paced at the baud rate by deadlines (each chunk leaves no earlier than
        /// its last byte would on the wire). A host that does not read for <see cref="WriteTimeout"/>
        /// loses the output instead of blocking the modem.
        /// </summary>
        private void WriteOut(Session session, string text)
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

        private readonly struct CredentialKey : IComparable<CredentialKey>, IEquatable<CredentialKey>
        {
            public CredentialKey(uint tag, int type)
            {
                Tag = tag;
                Type = type;
            }

            public uint Tag { get; }

            public int Type { get; }

            public int CompareTo(CredentialKey other) =>
                Tag != other.Tag ? Tag.CompareTo(other.Tag) : Type.CompareTo(other.Type);

            public bool Equals(CredentialKey other) => Tag == other.Tag && Type == other.Type;

            public override bool Equals(object? obj) => obj is CredentialKey other && Equals(other);

            public override int GetHashCode() => unchecked(((int)Tag * 31) + Type);
        }

        private sealed class StoredCredential
        {
            public StoredCredential(byte[] content, string? digest, CredentialOrigin origin)
            {
                Content = content;
                Sha256 = digest ?? ModemCrypto.Hex(ModemCrypto.Sha256(content));
                Origin = origin;
            }

            public byte[] Content { get; }

            public string Sha256 { get; }

            public CredentialOrigin Origin { get; }
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
        }

        /// <summary>What one command did besides its reply.</summary>
        private sealed class Outcome
        {
            public TimeSpan Modelled;

            public TimeSpan ExtraDelay;

            public readonly List<string> Before = new List<string>();

            public readonly List<KeyValuePair<TimeSpan, string>> Later = new List<KeyValuePair<TimeSpan, string>>();

            public byte[]? Garbage;

            public int? PartialBytes;

            public bool Drop;

            public bool Reboot;
        }

        private sealed class ConnectionDropped : Exception
        {
        }
    }
}
