using System.Reflection;
using System.Runtime.InteropServices;
using Nrf91Cmng.Core.Platform;

namespace Nrf91Cmng.Core.Transport
{
    /// <summary>
    /// A serial port through the <c>SerialPort</c> class the host already carries, bound late:
    /// System.IO.Ports in PowerShell 7.4 (8.0), 7.5 (9.0) and 7.6 (10.0), System.dll in Windows
    /// PowerShell 5.1. The module never ships or references a System.IO.Ports version, so no
    /// binding redirect is needed on any edition (see docs/ARCHITECTURE.md).
    /// </summary>
    public sealed class SerialTransport : IModemTransport
    {
        private static readonly TimeSpan s_slice = TimeSpan.FromMilliseconds(50);
        private readonly object _port;
        private readonly Stream _stream;
        private readonly SerialPortBinding _binding;
        private readonly PortLock _lock;
        private readonly TimeSpan _writeTimeout;
        private readonly SerialHandshake _handshake;
        private int _currentReadTimeout = -2;
        private volatile bool _closed;

        private SerialTransport(string portName, SerialSettings settings, SerialPortBinding binding, object port, Stream stream, PortLock portLock)
        {
            Name = portName;
            _writeTimeout = settings.WriteTimeout;
            _handshake = settings.Handshake;
            Settings = settings.Describe();
            BaudRate = settings.BaudRate;
            _binding = binding;
            _port = port;
            _stream = stream;
            _lock = portLock;
        }

        /// <inheritdoc />
        public string Name { get; }

        /// <inheritdoc />
        public TransportKind Kind => TransportKind.Serial;

        /// <inheritdoc />
        public string Settings { get; }

        /// <inheritdoc />
        public int BaudRate { get; }

        /// <inheritdoc />
        public bool IsOpen => !_closed && _binding.IsOpen(_port);

        /// <summary>Names of the serial ports the operating system lists (pseudo-terminals are not listed).</summary>
        public static string[] GetPortNames() => SerialPortBinding.Instance.GetPortNames();

        /// <summary>
        /// On Linux and macOS a port is a device file: a missing one or a folder is reported as such
        /// (System.IO.Ports says "access denied" for both, which sends users hunting for permissions).
        /// </summary>
        private static void CheckDeviceExists(string portName)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return;
            }

            if (System.Text.RegularExpressions.Regex.IsMatch(portName, @"^(\\\\\.\\)?COM[0-9]+$", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            {
                string[] present = GetPortNames();
                throw new ModemException(ErrorIds.PortNotFound, ModemErrorCategory.ObjectNotFound,
                    portName + " is a Windows port name; on " + (RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "macOS" : "Linux") + " serial ports are device files"
                    + (present.Length == 0 ? ", and none is present now." : ". Present here: " + string.Join(", ", present) + "."),
                    "Connect to the device file of the board's AT port, for example " + (RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "/dev/cu.usbmodem0010512161971" : "/dev/ttyACM0")
                    + "; Find-Modem lists the candidates and which one is the AT port.");
            }

            if (!portName.StartsWith("/", StringComparison.Ordinal))
            {
                return;
            }

            if (Directory.Exists(portName))
            {
                throw new ModemException(ErrorIds.PortNotFound, ModemErrorCategory.ObjectNotFound, portName + " is a folder, not a serial device.",
                    "Name the device (for example /dev/ttyACM0 or /dev/serial/by-id/usb-SEGGER_J-Link_...-if00); Find-Modem lists the candidates.");
            }

            if (!File.Exists(portName))
            {
                throw new ModemException(ErrorIds.PortNotFound, ModemErrorCategory.ObjectNotFound, "There is no serial port " + portName + ".",
                    "Check that the board is plugged in and powered; Find-Modem lists the ports present (ls /dev/ttyACM* /dev/cu.usbmodem*).");
            }
        }

        /// <summary>
        /// Opens the port; refuses one that this process already has open. On macOS a dial-in
        /// <c>/dev/tty.*</c> name opens its call-out twin <c>/dev/cu.*</c> (the dial-in open can block
        /// waiting for carrier detect). After opening, DTR and (without RTS/CTS) RTS are raised where
        /// the port accepts it (<see cref="SerialSettings.RaiseControlLines"/>).
        /// </summary>
        public static SerialTransport Open(SerialSettings settings)
        {
            if (settings is null)
            {
                throw new ArgumentNullException(nameof(settings));
            }

            string portName = SerialPortNames.PreferCalloutDevice(settings.PortName, RuntimeInformation.IsOSPlatform(OSPlatform.OSX), File.Exists);
            CheckDeviceExists(portName);
            PortLock portLock = PortLock.Acquire(portName);
            try
            {
                SerialPortBinding binding = SerialPortBinding.Instance;
                object port = binding.Create(portName, settings);
                try
                {
                    binding.Open(port);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is InvalidOperationException)
                {
                    (port as IDisposable)?.Dispose();
                    bool denied = ex is UnauthorizedAccessException;
                    throw new ModemConnectionException(denied ? ErrorIds.PortBusy : ErrorIds.ConnectionFailed,
                        "Cannot open serial port " + portName + ": " + ex.Message,
                        denied
                            ? "Another program (a terminal, nRF Connect for Desktop, another PowerShell) has the port open, or you lack permission (Linux: add yourself to the 'dialout' group). Close it and retry."
                            : "Check the port name with Find-Modem (or [System.IO.Ports.SerialPort]::GetPortNames()) and that the board is plugged in and powered.",
                        ex);
                }

                binding.RaiseControlLines(port, settings);
                Stream stream = binding.BaseStream(port);
                var transport = new SerialTransport(portName, settings, binding, port, stream, portLock);
                transport.DiscardInput();
                return transport;
            }
            catch
            {
                portLock.Dispose();
                throw;
            }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken)
        {
            DateTime deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                EnsureOpen();
                TimeSpan left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    if (_binding.BytesToRead(_port) == 0)
                    {
                        return 0;
                    }

                    left = TimeSpan.FromMilliseconds(1);
                }

                int wait = (int)Math.Ceiling((left < s_slice ? left : s_slice).TotalMilliseconds);
                try
                {
                    if (wait != _currentReadTimeout)
                    {
                        _binding.SetReadTimeout(_port, wait);
                        _currentReadTimeout = wait;
                    }

                    int n = _stream.Read(buffer, offset, count);
                    if (n > 0)
                    {
                        return n;
                    }
                }
                catch (TimeoutException)
                {
                    // Slice over: look at the token and the deadline again.
                }
                catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException || ex is InvalidOperationException || ex is UnauthorizedAccessException)
                {
                    _closed = true;
                    throw new LinkClosedException("Serial port " + Name + " failed: " + ex.Message, ex);
                }

                if (DateTime.UtcNow >= deadline)
                {
                    return 0;
                }
            }
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            EnsureOpen();
            try
            {
                _stream.Write(buffer, offset, count);
                _stream.Flush();
            }
            catch (TimeoutException ex)
            {
                // The port is still there, but what part of the bytes went out is unknown: the session
                // cannot continue, and the error says why rather than "connection lost".
                _closed = true;
                throw WriteStalled(Name, _handshake, _writeTimeout, ex);
            }
            catch (Exception ex) when (ex is IOException || ex is ObjectDisposedException || ex is InvalidOperationException || ex is UnauthorizedAccessException)
            {
                _closed = true;
                throw new LinkClosedException("Serial port " + Name + " failed while writing: " + ex.Message, ex);
            }
        }

        /// <inheritdoc />
        public void DiscardInput()
        {
            try
            {
                _binding.DiscardInBuffer(_port);
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidOperationException)
            {
                // A port that cannot discard still works.
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_closed && !_binding.IsOpen(_port))
            {
                _lock.Dispose();
                return;
            }

            _closed = true;
            try
            {
                (_port as IDisposable)?.Dispose();
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidOperationException || ex is UnauthorizedAccessException)
            {
                // The device is already gone.
            }
            finally
            {
                _lock.Dispose();
            }
        }

        /// <summary>The error for a write that did not complete within the write timeout.</summary>
        internal static ModemConnectionException WriteStalled(string portName, SerialHandshake handshake, TimeSpan timeout, Exception? inner)
        {
            string seconds = timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
            return handshake == SerialHandshake.RequestToSend
                ? new ModemConnectionException(ErrorIds.SerialWriteStalled,
                    "Serial port " + portName + " did not accept data within " + seconds + " s: RTS/CTS flow control held it (the board never raised CTS).",
                    "The board may have no RTS/CTS wiring (some Feather and custom boards): connect with -Handshake None. On an nRF91 DK check that the board is powered and its interface MCU runs.",
                    inner)
                : new ModemConnectionException(ErrorIds.SerialWriteStalled,
                    "Serial port " + portName + " did not accept data within " + seconds + " s.",
                    "The device stopped reading its port: reset or re-plug the board and reconnect with Connect-Modem.",
                    inner);
        }

        private void EnsureOpen()
        {
            if (_closed)
            {
                throw new LinkClosedException("Serial port " + Name + " is closed.");
            }
        }

        /// <summary>The SerialPort type of the running host, used through reflection.</summary>
        private sealed class SerialPortBinding
        {
            private static readonly Lazy<SerialPortBinding> s_instance = new Lazy<SerialPortBinding>(() => new SerialPortBinding(LocateType()));

            private readonly Type _type;
            private readonly PropertyInfo _isOpen;
            private readonly PropertyInfo _bytesToRead;
            private readonly PropertyInfo _readTimeout;
            private readonly PropertyInfo _baseStream;

            private SerialPortBinding(Type type)
            {
                _type = type;
                _isOpen = Property("IsOpen");
                _bytesToRead = Property("BytesToRead");
                _readTimeout = Property("ReadTimeout");
                _baseStream = Property("BaseStream");
            }

            public static SerialPortBinding Instance => s_instance.Value;

            public object Create(string portName, SerialSettings settings)
            {
                object port = Activator.CreateInstance(_type)!;
                try
                {
                    Property("PortName").SetValue(port, portName);
                }
                catch (TargetInvocationException ex) when (ex.InnerException is ArgumentException)
                {
                    // SerialPort validates the name in its setter (for example "\\.\COM10" on
                    // .NET Framework): without this the raw TargetInvocationException escaped.
                    (port as IDisposable)?.Dispose();
                    throw new ModemException(ErrorIds.PortNameInvalid, ModemErrorCategory.InvalidArgument,
                        "'" + portName + "' is not a serial port name this PowerShell accepts: " + ex.InnerException.Message,
                        "Name the port as the system lists it (COM5, COM10 or a com0com name such as CNCA0 on Windows, /dev/ttyACM0 on Linux, /dev/cu.usbmodem... on macOS): Find-Modem lists them.",
                        ex.InnerException);
                }

                Property("BaudRate").SetValue(port, settings.BaudRate);
                Property("DataBits").SetValue(port, 8);
                SetEnum(port, "Parity", "None");
                SetEnum(port, "StopBits", "One");
                SetEnum(port, "Handshake", settings.Handshake.ToString());
                Property("ReadTimeout").SetValue(port, 50);
                Property("WriteTimeout").SetValue(port, (int)Math.Max(1, Math.Min(int.MaxValue, settings.WriteTimeout.TotalMilliseconds)));
                Property("ReadBufferSize").SetValue(port, 65536);
                return port;
            }

            public void Open(object port) => Invoke(port, "Open");

            public void DiscardInBuffer(object port) => Invoke(port, "DiscardInBuffer");

            public bool IsOpen(object port)
            {
                try
                {
                    return (bool)_isOpen.GetValue(port)!;
                }
                catch (TargetInvocationException)
                {
                    return false;
                }
            }

            public int BytesToRead(object port)
            {
                try
                {
                    return (int)_bytesToRead.GetValue(port)!;
                }
                catch (TargetInvocationException ex) when (ex.InnerException is IOException || ex.InnerException is InvalidOperationException)
                {
                    throw new LinkClosedException("Serial port failed: " + ex.InnerException.Message, ex.InnerException);
                }
            }

            public void SetReadTimeout(object port, int milliseconds) => _readTimeout.SetValue(port, milliseconds);

            public Stream BaseStream(object port) => (Stream)_baseStream.GetValue(port)!;

            public string[] GetPortNames() => (string[])_type.GetMethod("GetPortNames", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, null)!;

            /// <summary>
            /// Raises DTR (some USB CDC ACM firmware only sends once DTR is asserted) and, where flow
            /// control does not own it, RTS (a board whose UART waits for CTS stays silent while the
            /// host keeps RTS low: Windows does with Handshake None; Linux and pyserial raise it).
            /// Pseudo-terminals and some bridges refuse the ioctl: that is harmless, the port is used
            /// as it is.
            /// </summary>
            public void RaiseControlLines(object port, SerialSettings settings)
            {
                if (settings.RaiseDtr)
                {
                    TrySet(port, "DtrEnable", true);
                }

                if (settings.RaiseRts)
                {
                    TrySet(port, "RtsEnable", true);
                }
            }

            private void TrySet(object port, string property, object value)
            {
                try
                {
                    Property(property).SetValue(port, value);
                }
                catch (TargetInvocationException ex) when (ex.InnerException is IOException || ex.InnerException is InvalidOperationException || ex.InnerException is UnauthorizedAccessException || ex.InnerException is PlatformNotSupportedException)
                {
                    // Not supported by this device (pseudo-terminals): fine.
                }
            }

            private static Type LocateType()
            {
                string[] candidates =
                {
                    "System.IO.Ports.SerialPort, System.IO.Ports",
                    "System.IO.Ports.SerialPort, System, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089",
                };
                foreach (string name in candidates)
                {
                    Type? type = Type.GetType(name, throwOnError: false);
                    if (type is not null)
                    {
                        return type;
                    }
                }

                throw new ModemConnectionException(ErrorIds.SerialUnavailable,
                    "This PowerShell host carries no System.IO.Ports.SerialPort, so serial ports cannot be opened.",
                    "Use pwsh 7.4 or later or Windows PowerShell 5.1, or reach the modem over TCP (Connect-Modem -Uri tcp://host:port through ser2net).");
            }

            private PropertyInfo Property(string name) =>
                _type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new MissingMemberException(_type.FullName, name);

            private void SetEnum(object port, string property, string value)
            {
                PropertyInfo p = Property(property);
                p.SetValue(port, Enum.Parse(p.PropertyType, value));
            }

            private void Invoke(object port, string method)
            {
                try
                {
                    _type.GetMethod(method, BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null)!.Invoke(port, null);
                }
                catch (TargetInvocationException ex) when (ex.InnerException is not null)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                    throw;
                }
            }
        }
    }

    /// <summary>
    /// A port can be open once per process (a COM port cannot be shared): this refuses a second
    /// open of the same device across runspaces, resolving symbolic links such as /dev/serial/by-id.
    /// </summary>
    public sealed class PortLock : IDisposable
    {
        private static readonly System.Collections.Generic.HashSet<string> s_open = new System.Collections.Generic.HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly string _key;
        private readonly int _advisoryLock;
        private int _released;

        private PortLock(string key, int advisoryLock)
        {
            _key = key;
            _advisoryLock = advisoryLock;
        }

        /// <summary>
        /// Claims <paramref name="portName"/> for this process or throws ResourceBusy. On Linux and
        /// macOS a serial device is also locked against other processes the way pyserial's
        /// <c>exclusive=True</c> does (<c>flock</c>), which every Nrf91Cmng process and the
        /// pyserial-based Nordic tools honour; the port's own TIOCEXCL does not stop root. Windows
        /// COM ports are exclusive already; tcp:// addresses are claimed within this process.
        /// </summary>
        public static PortLock Acquire(string portName)
        {
            string key = Canonical(portName);
            lock (s_open)
            {
                if (!s_open.Add(key))
                {
                    throw new ModemException(ErrorIds.PortBusy, ModemErrorCategory.ResourceBusy,
                        "Port " + portName + " is already open in this PowerShell process.",
                        "Use the existing session (Get-ModemSession) or close it first (Disconnect-Modem).");
                }
            }

            int advisory = -2;
            if (Path.DirectorySeparatorChar == '/' && key.StartsWith("/", StringComparison.Ordinal))
            {
                advisory = UnixNative.TryLockExclusive(key);
                if (advisory == -1)
                {
                    lock (s_open)
                    {
                        s_open.Remove(key);
                    }

                    throw new ModemException(ErrorIds.PortBusy, ModemErrorCategory.ResourceBusy,
                        "Port " + portName + " is held by another program: another PowerShell with an Nrf91Cmng session, or a tool such as nrfcredstore or nRF Cloud Utils has it locked. Both programs would read each other's replies, so it was not opened.",
                        "Close the other program's session on " + portName + " (Disconnect-Modem there, or quit the tool), then connect again.");
                }
            }

            return new PortLock(key, advisory);
        }

        /// <summary>True when this process holds <paramref name="portName"/>.</summary>
        public static bool IsHeld(string portName)
        {
            lock (s_open)
            {
                return s_open.Contains(Canonical(portName));
            }
        }

        /// <summary>Releases the claim (and the lock other processes see).</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                UnixNative.Unlock(_advisoryLock);
                lock (s_open)
                {
                    s_open.Remove(_key);
                }
            }
        }

        /// <summary>The device a name refers to: symlinks resolved on Unix, upper case on Windows.</summary>
        public static string Canonical(string portName)
        {
            if (Path.DirectorySeparatorChar == '\\')
            {
                string name = portName.Trim();
                return name.StartsWith(@"\\.\", StringComparison.Ordinal) ? name.Substring(4).ToUpperInvariant() : name.ToUpperInvariant();
            }

            return portName.IndexOf("://", StringComparison.Ordinal) > 0 ? portName.ToLowerInvariant() : UnixNative.RealPath(portName) ?? portName;
        }
    }
}
