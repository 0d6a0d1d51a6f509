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

        private readonly object _gate = new object();
        private readonly ConsoleFrontEnd _frontEnd;
        private readonly Random _random;
        private readonly SecureRandom _secureRandom;
        private readonly AsymmetricCipherKeyPair _identity;
        private readonly List<Thread> _threads = new List<Thread>();
        private readonly CancellationTokenSource _disposed = new CancellationTokenSource();
        private readonly Stopwatch _uptime = Stopwatch.StartNew();
        private ProcessingDelays _delays;
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
            _frontEnd = ConsoleFrontEnd.Create(options, AtHostMaxCommandLength);
            _shellAccess = new ShellModemAccess(this);
            _frontEnd.Attach(_shellAccess);
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
            InitialiseNoise(options);
            Faults = new VirtualModemFaults(this);
            if (Profile.HasFactoryPublicKey)
            {
                AsymmetricCipherKeyPair factory = ModemCrypto.GenerateP256(_secureRandom);
                string pem = ModemCrypto.Pem("PUBLIC KEY", ModemCrypto.SubjectPublicKeyInfoDer((ECPublicKeyParameters)factory.Public));
                _store[new CredentialKey(0, 5)] = new StoredCredential(Latin1Bytes(pem), null, CredentialOrigin.Factory);
            }

            ResetPowerOnState();
            if (options.Clock is string clock)
            {
                SetClock(clock);
            }

            _clockRuns = options.ClockRuns;
            BootConsole();
        }

        /// <summary>The firmware the modem imitates.</summary>
        public FirmwareProfile Profile { get; }

        /// <summary>The console firmware in front of the modem.</summary>
        public ModemFraming Framing { get; }

        /// <summary>The Zephyr shell in front of the modem (<see cref="ModemFraming.Shell"/>, <see cref="ModemFraming.ZephyrShell"/>); null for at_host and SLM.</summary>
        internal ZephyrShellFrontEnd? Shell => _frontEnd as ZephyrShellFrontEnd;

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
    }
}
