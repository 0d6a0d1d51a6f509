using System.Net;
using System.Net.Sockets;

namespace Nrf91Cmng.Core.Transport
{
    /// <summary>A host-side transport over any byte link: TCP connections and in-process virtual modems.</summary>
    public sealed class LinkTransport : IModemTransport
    {
        private static readonly TimeSpan s_drainSlice = TimeSpan.Zero;
        private readonly IByteLink _link;

        /// <summary>Wraps <paramref name="link"/>; <paramref name="owned"/> is disposed with it (e.g. a virtual modem).</summary>
        public LinkTransport(IByteLink link, string name, TransportKind kind, string settings, IDisposable? owned = null)
        {
            _link = link ?? throw new ArgumentNullException(nameof(link));
            Name = name;
            Kind = kind;
            Settings = settings;
            Owned = owned;
        }

        /// <summary>What is disposed with the transport (a virtual modem, a claim on the address).</summary>
        public IDisposable? Owned { get; internal set; }

        /// <inheritdoc />
        public string Name { get; }

        /// <inheritdoc />
        public TransportKind Kind { get; }

        /// <inheritdoc />
        public string Settings { get; }

        /// <summary>The line rate where the far end paces at one (a paced virtual modem), else 0.</summary>
        public int BaudRate { get; set; }

        /// <inheritdoc />
        public bool IsOpen => _link.IsOpen;

        /// <summary>
        /// Connects to <c>tcp://host:port</c> (a ser2net-style serial server or a virtual modem)
        /// within <paramref name="timeout"/>.
        /// </summary>
        public static LinkTransport ConnectTcp(Uri uri, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (uri is null)
            {
                throw new ArgumentNullException(nameof(uri));
            }

            if (!string.Equals(uri.Scheme, "tcp", StringComparison.OrdinalIgnoreCase) || uri.Port <= 0)
            {
                throw new ModemException(ErrorIds.InvalidUri, ModemErrorCategory.InvalidArgument,
                    "'" + uri.OriginalString + "' is not a tcp://host:port address.",
                    "Give the address as tcp://host:port, for example tcp://127.0.0.1:7000 (ser2net raw mode or Start-ModemSimulator -Transport Tcp).");
            }

            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                IPAddress[] addresses = IPAddress.TryParse(uri.Host, out IPAddress? ip) ? new[] { ip } : Dns.GetHostAddresses(uri.Host);
                IAsyncResult pending = socket.BeginConnect(addresses, uri.Port, null, null);
                int waited = 0;
                while (!pending.AsyncWaitHandle.WaitOne(50))
                {
                    waited += 50;
                    if (cancellationToken.IsCancellationRequested)
                    {
                        socket.Dispose();
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    if (waited >= timeout.TotalMilliseconds)
                    {
                        socket.Dispose();
                        throw new SocketException((int)SocketError.TimedOut);
                    }
                }

                socket.EndConnect(pending);
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
            {
                socket.Dispose();
                throw new ModemConnectionException(ErrorIds.ConnectionFailed,
                    "Cannot connect to " + uri.OriginalString + ": " + ex.Message,
                    "Check that the serial server (ser2net in raw mode, or the virtual modem) is running and listening on that port.",
                    ex);
            }

            string name = "tcp://" + uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new LinkTransport(new SocketLink(socket), name, TransportKind.Tcp, "raw TCP");
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken)
            => _link.Read(buffer, offset, count, timeout, cancellationToken);

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => _link.Write(buffer, offset, count, cancellationToken);

        /// <inheritdoc />
        public void DiscardInput()
        {
            var scratch = new byte[4096];
            try
            {
                for (int i = 0; i < 64 && _link.Read(scratch, 0, scratch.Length, s_drainSlice, CancellationToken.None) > 0; i++)
                {
                }
            }
            catch (LinkClosedException)
            {
                // Reported by the next read.
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _link.Dispose();
            Owned?.Dispose();
        }
    }
}
