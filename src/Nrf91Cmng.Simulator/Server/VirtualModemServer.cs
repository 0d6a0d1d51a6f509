using System.Net;
using System.Net.Sockets;
using Nrf91Cmng.Core.Transport;

namespace Nrf91Cmng.Simulator
{
    /// <summary>How a <see cref="VirtualModemServer"/> is reached.</summary>
    public enum VirtualModemServerKind
    {
        /// <summary>A TCP listener on 127.0.0.1 (raw bytes, like a ser2net port).</summary>
        Tcp,

        /// <summary>A pseudo-terminal: clients open <see cref="VirtualModemServer.Address"/> as a serial port.</summary>
        PseudoTerminal,
    }

    /// <summary>
    /// Serves a <see cref="VirtualModem"/> outside the process: over TCP (reconnects accepted; a new
    /// connection takes over from the previous one, as only one program can hold a serial port) or
    /// a pseudo-terminal (<see cref="Vanish"/> makes the port disappear like an unplugged board; the
    /// second-client faults, <see cref="VirtualModemFaults.StealReply"/> and
    /// <see cref="VirtualModemFaults.StrayInput"/>, open its slave side a second time, as another
    /// program on the same port would). Dispose stops it; it never disposes the modem.
    /// </summary>
    public sealed class VirtualModemServer : IDisposable
    {
        private static readonly TimeSpan s_tcpSendTimeout = TimeSpan.FromSeconds(2);
        private readonly object _gate = new object();
        private readonly CancellationTokenSource _stop;
        private readonly TcpListener? _listener;
        private readonly PseudoTerminal? _pty;
        private readonly SharedPseudoTerminal? _shared;
        private readonly Thread _thread;
        private IByteLink? _current;
        private Thread? _currentThread;
        private int _connections;
        private int _vanished;

        private VirtualModemServer(VirtualModem modem, VirtualModemServerKind kind, string address, int port, TcpListener? listener, PseudoTerminal? pty)
        {
            Modem = modem;
            Kind = kind;
            Address = address;
            Port = port;
            _listener = listener;
            _pty = pty;
            _shared = pty is null ? null : new SharedPseudoTerminal(pty);
            _stop = CancellationTokenSource.CreateLinkedTokenSource(modem.DisposedToken);
            _thread = new Thread(() => modem.Guard(kind == VirtualModemServerKind.Tcp ? (Action)AcceptLoop : ServePseudoTerminal))
            {
                IsBackground = true,
                Name = "VirtualModemServer " + address,
            };
        }

        /// <summary>The modem being served.</summary>
        public VirtualModem Modem { get; }

        /// <summary>TCP or pseudo-terminal.</summary>
        public VirtualModemServerKind Kind { get; }

        /// <summary><c>tcp://127.0.0.1:&lt;port&gt;</c>, or the pseudo-terminal's slave path (e.g. <c>/dev/pts/7</c>).</summary>
        public string Address { get; }

        /// <summary>The TCP port (0 for a pseudo-terminal).</summary>
        public int Port { get; }

        /// <summary>Connections accepted so far (TCP); 1 for a pseudo-terminal.</summary>
        public int ConnectionCount => Volatile.Read(ref _connections);

        /// <summary>False after <see cref="Vanish"/>, <see cref="Dispose"/>, the modem's disposal, or a drop fault on a pseudo-terminal.</summary>
        public bool IsRunning => Volatile.Read(ref _vanished) == 0;

        /// <summary>Listens on 127.0.0.1:<paramref name="port"/> (0 = any free port).</summary>
        public static VirtualModemServer StartTcp(VirtualModem modem, int port = 0)
        {
            if (modem is null)
            {
                throw new ArgumentNullException(nameof(modem));
            }

            modem.ThrowIfDisposed();
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            int actual = ((IPEndPoint)listener.LocalEndpoint).Port;
            var server = new VirtualModemServer(modem, VirtualModemServerKind.Tcp,
                "tcp://127.0.0.1:" + actual.ToString(CultureInfo.InvariantCulture), actual, listener, null);
            server._thread.Start();
            return server;
        }

        /// <summary>Creates a pseudo-terminal and serves the modem on its master side (Linux and macOS).</summary>
        public static VirtualModemServer StartPseudoTerminal(VirtualModem modem)
        {
            if (modem is null)
            {
                throw new ArgumentNullException(nameof(modem));
            }

            modem.ThrowIfDisposed();
            PseudoTerminal pty = PseudoTerminal.Open();
            var server = new VirtualModemServer(modem, VirtualModemServerKind.PseudoTerminal, pty.SlavePath, 0, null, pty);
            server._connections = 1;
            server._thread.Start();
            return server;
        }

        /// <summary>
        /// The device goes away: the pseudo-terminal is closed (its path disappears; an open client
        /// sees its port fail) or the TCP listener and the current connection are closed.
        /// </summary>
        public void Vanish()
        {
            if (Interlocked.Exchange(ref _vanished, 1) != 0)
            {
                return;
            }

            _stop.Cancel();
            _listener?.Stop();
            IByteLink? current;
            lock (_gate)
            {
                current = _current;
                _current = null;
            }

            current?.Dispose();
            _shared?.Dispose();
            _pty?.Dispose();
        }

        /// <summary>Stops serving (as <see cref="Vanish"/>) and waits briefly for the threads.</summary>
        public void Dispose()
        {
            Vanish();
            Thread? session;
            lock (_gate)
            {
                session = _currentThread;
            }

            if (Thread.CurrentThread != _thread)
            {
                _thread.Join(TimeSpan.FromSeconds(2));
            }

            if (session is not null && Thread.CurrentThread != session)
            {
                session.Join(TimeSpan.FromSeconds(2));
            }
        }

        private void ServePseudoTerminal()
        {
            try
            {
                Modem.Serve(_shared!, _stop.Token);
            }
            catch (ObjectDisposedException)
            {
                // The modem was disposed first.
            }
            finally
            {
                // Whatever ended the session (a drop fault, the modem's disposal), the board is gone.
                Vanish();
            }
        }

        private void AcceptLoop()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    if (!_listener!.Server.Poll(50_000, SelectMode.SelectRead))
                    {
                        continue;
                    }

                    Socket socket = _listener.AcceptSocket();
                    socket.SendTimeout = (int)s_tcpSendTimeout.TotalMilliseconds;
                    var link = new SocketLink(socket);
                    Interlocked.Increment(ref _connections);
                    IByteLink? previous;
                    var thread = new Thread(() => Modem.Guard(() => ServeConnection(link))) { IsBackground = true, Name = "VirtualModemServer connection " + Address };
                    lock (_gate)
                    {
                        previous = _current;
                        _current = link;
                        _currentThread = thread;
                    }

                    // One holder at a time, like a serial port: the newcomer takes over.
                    previous?.Dispose();
                    thread.Start();
                }
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is InvalidOperationException)
            {
                // Listener stopped.
            }
            finally
            {
                if (Modem.DisposedToken.IsCancellationRequested)
                {
                    Vanish();
                }
            }
        }

        private void ServeConnection(IByteLink link)
        {
            try
            {
                Modem.Serve(link, _stop.Token);
            }
            catch (ObjectDisposedException)
            {
                // The modem was disposed.
            }
            finally
            {
                lock (_gate)
                {
                    if (ReferenceEquals(_current, link))
                    {
                        _current = null;
                    }
                }

                link.Dispose();
            }
        }
    }
}
