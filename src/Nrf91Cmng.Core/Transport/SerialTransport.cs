using System;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Threading;
using Nrf91Cmng.Core.Errors;

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
        private int _currentReadTimeout = -2;
        private volatile bool _closed;

        private SerialTransport(SerialSettings settings, SerialPortBinding binding, object port, Stream stream, PortLock portLock)
        {
            Name = settings.PortName;
            Settings = settings.Describe();
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
        public bool IsOpen => !_closed && _binding.IsOpen(_port);

        /// <summary>Names of the serial ports the operating system lists (pseudo-terminals are not listed).</summary>
        public static string[] GetPortNames() => SerialPortBinding.Instance.GetPortNames();

        /// <summary>
        /// On Linux and macOS a port is a device file: a missing one or a folder is reported as such
        /// (System.IO.Ports says "access denied" for both, which sends users hunting for permissions).
        /// </summary>
        private static void CheckDeviceExists(string portName)
        {
            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows) || !portName.StartsWith("/", StringComparison.Ordinal))
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

        /// <summary>Opens the port; refuses one that this process already has open.</summary>
        public static SerialTransport Open(SerialSettings settings)
        {
            if (settings is null)
            {
                throw new ArgumentNullException(nameof(settings));
            }

            CheckDeviceExists(settings.PortName);
            PortLock portLock = PortLock.Acquire(settings.PortName);
            try
            {
                SerialPortBinding binding = SerialPortBinding.Instance;
                object port = binding.Create(settings);
                try
                {
                    binding.Open(port);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is InvalidOperationException)
                {
                    (port as IDisposable)?.Dispose();
                    bool denied = ex is UnauthorizedAccessException;
                    throw new ModemConnectionException(denied ? ErrorIds.PortBusy : ErrorIds.ConnectionFailed,
                        "Cannot open serial port " + settings.PortName + ": " + ex.Message,
                        denied
                            ? "Another program (a terminal, nRF Connect for Desktop, another PowerShell) has the port open, or you lack permission (Linux: add yourself to the 'dialout' group). Close it and retry."
                            : "Check the port name with Find-Modem (or [System.IO.Ports.SerialPort]::GetPortNames()) and that the board is plugged in and powered.",
                        ex);
                }

                binding.AssertDtr(port);
                Stream stream = binding.BaseStream(port);
                var transport = new SerialTransport(settings, binding, port, stream, portLock);
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
                throw new LinkClosedException("Serial port " + Name + " did not accept data (flow control held it: is RTS/CTS wired? try -Handshake None).", ex);
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

            public object Create(SerialSettings settings)
            {
                object port = Activator.CreateInstance(_type)!;
                Property("PortName").SetValue(port, settings.PortName);
                Property("BaudRate").SetValue(port, settings.BaudRate);
                Property("DataBits").SetValue(port, 8);
                SetEnum(port, "Parity", "None");
                SetEnum(port, "StopBits", "One");
                SetEnum(port, "Handshake", settings.Handshake.ToString());
                Property("ReadTimeout").SetValue(port, 50);
                Property("WriteTimeout").SetValue(port, 10000);
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
            /// Some USB CDC ACM firmware only sends once DTR is asserted; pseudo-terminals and
            /// some bridges refuse the ioctl, which is harmless.
            /// </summary>
            public void AssertDtr(object port)
            {
                try
                {
                    Property("DtrEnable").SetValue(port, true);
                }
                catch (TargetInvocationException)
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
        private int _released;

        private PortLock(string key)
        {
            _key = key;
        }

        /// <summary>Claims <paramref name="portName"/> for this process or throws ResourceBusy.</summary>
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

            return new PortLock(key);
        }

        /// <summary>True when this process holds <paramref name="portName"/>.</summary>
        public static bool IsHeld(string portName)
        {
            lock (s_open)
            {
                return s_open.Contains(Canonical(portName));
            }
        }

        /// <summary>Releases the claim.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
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

            return UnixNative.RealPath(portName) ?? portName;
        }
    }
}
