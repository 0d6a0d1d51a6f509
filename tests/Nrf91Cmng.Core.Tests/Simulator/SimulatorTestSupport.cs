using System.IO.Ports;

namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>A test-only host transport over any byte link (in-process pipe, TCP socket).</summary>
    internal sealed class LinkTransport : IModemTransport
    {
        private readonly IByteLink _link;

        public LinkTransport(IByteLink link, string name, TransportKind kind)
        {
            _link = link;
            Name = name;
            Kind = kind;
        }

        public string Name { get; }

        public TransportKind Kind { get; }

        public string Settings => "test";

        public int BaudRate => 0;

        public bool IsOpen => _link.IsOpen;

        public void DiscardInput()
        {
            var scratch = new byte[4096];
            while (_link.Read(scratch, 0, scratch.Length, TimeSpan.Zero, CancellationToken.None) > 0)
            {
            }
        }

        public int Read(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken) =>
            _link.Read(buffer, offset, count, timeout, cancellationToken);

        public void Write(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _link.Write(buffer, offset, count, cancellationToken);

        public void Dispose() => _link.Dispose();
    }

    /// <summary>
    /// A test-only serial transport over <see cref="SerialPort.BaseStream"/>, reading in
    /// ReadTimeout slices (RTS/DTR are left alone: a pseudo-terminal refuses them).
    /// </summary>
    internal sealed class SerialPortTransport : IModemTransport
    {
        private readonly SerialPort _port;
        private volatile bool _closed;

        public SerialPortTransport(string path, int baud = 115200)
        {
            _port = new SerialPort(path, baud) { ReadTimeout = 50, WriteTimeout = 2000 };
            _port.Open();
            _port.DiscardInBuffer();
        }

        public string Name => _port.PortName;

        public TransportKind Kind => TransportKind.Serial;

        public string Settings => _port.BaudRate + " 8N1";

        public int BaudRate => _port.BaudRate;

        public bool IsOpen => !_closed && _port.IsOpen;

        public void DiscardInput() => _port.DiscardInBuffer();

        public int Read(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    if (timeout <= TimeSpan.Zero && _port.BytesToRead == 0)
                    {
                        return 0;
                    }

                    TimeSpan left = timeout - clock.Elapsed;
                    _port.ReadTimeout = (int)Math.Clamp(left.TotalMilliseconds, 1, 50);
                    int n = _port.BaseStream.Read(buffer, offset, count);
                    if (n > 0)
                    {
                        return n;
                    }
                }
                catch (TimeoutException)
                {
                }
                catch (Exception ex) when (ex is IOException || ex is InvalidOperationException || ex is ObjectDisposedException)
                {
                    _closed = true;
                    throw new LinkClosedException("The serial port failed: " + ex.Message, ex);
                }

                if (clock.Elapsed >= timeout)
                {
                    return 0;
                }
            }
        }

        public void Write(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            try
            {
                _port.BaseStream.Write(buffer, offset, count);
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidOperationException || ex is ObjectDisposedException || ex is TimeoutException)
            {
                _closed = true;
                throw new LinkClosedException("The serial port failed: " + ex.Message, ex);
            }
        }

        public void Dispose()
        {
            _closed = true;
            try
            {
                _port.Dispose();
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Raw byte exchanges with a virtual modem (no AT engine in between).</summary>
    internal static class Raw
    {
        public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

        public static string Text(byte[] bytes, int count) => Encoding.Latin1.GetString(bytes, 0, count);

        public static void Send(IByteLink link, string text)
        {
            byte[] bytes = Bytes(text);
            link.Write(bytes, 0, bytes.Length, CancellationToken.None);
        }

        /// <summary>Reads until <paramref name="done"/> holds for what arrived, or the time is up.</summary>
        public static string ReadUntil(IByteLink link, Func<string, bool> done, TimeSpan timeout)
        {
            var received = new StringBuilder();
            var buffer = new byte[8192];
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout && !done(received.ToString()))
            {
                int n = link.Read(buffer, 0, buffer.Length, TimeSpan.FromMilliseconds(20), CancellationToken.None);
                received.Append(Text(buffer, n));
            }

            return received.ToString();
        }

        /// <summary>Reads until what arrived ends with <paramref name="ending"/>, or the time (two seconds unless given) is up.</summary>
        public static string ReadUntilEndsWith(IByteLink link, string ending, TimeSpan? timeout = null) =>
            ReadUntil(link, s => s.EndsWith(ending, StringComparison.Ordinal), timeout ?? TimeSpan.FromSeconds(2));

        /// <summary>Reads whatever arrives within <paramref name="window"/>.</summary>
        public static string ReadFor(IByteLink link, TimeSpan window) => ReadUntil(link, _ => false, window);

        /// <summary>Sends and reads until an at_host reply ends with a final result line.</summary>
        public static string Exchange(IByteLink link, string text, TimeSpan? timeout = null)
        {
            Send(link, text);
            return ReadUntil(link, EndsWithFinal, timeout ?? TimeSpan.FromSeconds(5));
        }

        /// <summary>Runs <paramref name="test"/> against a fresh modem built from <paramref name="options"/> over an in-process link, then disposes the link and the modem.</summary>
        public static void OverLink(VirtualModemOptions options, Action<VirtualModem, IByteLink> test)
        {
            using var modem = new VirtualModem(options);
            using IByteLink link = modem.ConnectInProcess();
            test(modem, link);
        }

        /// <summary>As <see cref="OverLink"/>, with the modem first switched to offline mode (AT+CFUN=4) over the link.</summary>
        public static void OverLinkOffline(VirtualModemOptions options, Action<VirtualModem, IByteLink> test) =>
            OverLink(options, (modem, link) =>
            {
                Assert.Equal("OK\r\n", Exchange(link, "AT+CFUN=4\r"));
                test(modem, link);
            });

        public static bool EndsWithFinal(string s) =>
            s.EndsWith("OK\r\n", StringComparison.Ordinal) || s.EndsWith("ERROR\r\n", StringComparison.Ordinal)
            || System.Text.RegularExpressions.Regex.IsMatch(s, @"\+CME ERROR: \d+\r\n$");
    }

    /// <summary>Builds AT engines over each way of reaching the virtual modem.</summary>
    internal static class Hosts
    {
        public static AtChannel InProcess(VirtualModem modem) =>
            new AtChannel(new LinkTransport(modem.ConnectInProcess(), "simulator://test", TransportKind.InProcess))
            {
                DefaultTimeout = TimeSpan.FromSeconds(10),
            };

        public static AtChannel Tcp(VirtualModemServer server)
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            socket.Connect("127.0.0.1", server.Port);
            return new AtChannel(new LinkTransport(new SocketLink(socket), server.Address, TransportKind.Tcp))
            {
                DefaultTimeout = TimeSpan.FromSeconds(10),
            };
        }

        public static AtChannel Serial(VirtualModemServer server) =>
            new AtChannel(new SerialPortTransport(server.Address)) { DefaultTimeout = TimeSpan.FromSeconds(10) };

        public static AtResponse Run(this AtChannel channel, string command, TimeSpan? timeout = null, string? prefix = null) =>
            channel.Execute(new AtRequest(command) { Timeout = timeout, ResponsePrefix = prefix }, null, CancellationToken.None);
    }
}
