using System.Net.Sockets;

namespace Nrf91Cmng.Core.Transport
{
    /// <summary>A connected TCP socket as a byte link (used by the TCP transport and the virtual modem's TCP server).</summary>
    public sealed class SocketLink : IByteLink
    {
        private static readonly TimeSpan s_slice = TimeSpan.FromMilliseconds(50);
        private readonly Socket _socket;
        private volatile bool _closed;

        /// <summary>Wraps an already connected socket; the link owns it.</summary>
        public SocketLink(Socket socket)
        {
            _socket = socket ?? throw new ArgumentNullException(nameof(socket));
            _socket.NoDelay = true;
        }

        /// <inheritdoc />
        public bool IsOpen => !_closed && _socket.Connected;

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken)
        {
            DateTime deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_closed)
                {
                    throw new LinkClosedException("The TCP connection is closed.");
                }

                TimeSpan left = deadline - DateTime.UtcNow;
                TimeSpan wait = left < s_slice ? left : s_slice;
                try
                {
                    if (wait > TimeSpan.Zero && !_socket.Poll((int)(wait.Ticks / 10), SelectMode.SelectRead))
                    {
                        if (DateTime.UtcNow >= deadline)
                        {
                            return 0;
                        }

                        continue;
                    }

                    if (wait <= TimeSpan.Zero && _socket.Available == 0)
                    {
                        return 0;
                    }

                    int n = _socket.Receive(buffer, offset, count, SocketFlags.None);
                    if (n == 0)
                    {
                        _closed = true;
                        throw new LinkClosedException("The TCP connection was closed by the other side.");
                    }

                    return n;
                }
                catch (SocketException ex)
                {
                    _closed = true;
                    throw new LinkClosedException("The TCP connection failed: " + ex.Message, ex);
                }
                catch (ObjectDisposedException ex)
                {
                    _closed = true;
                    throw new LinkClosedException("The TCP connection is closed.", ex);
                }
            }
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                int sent = 0;
                while (sent < count)
                {
                    sent += _socket.Send(buffer, offset + sent, count - sent, SocketFlags.None);
                }
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
            {
                _closed = true;
                throw new LinkClosedException("The TCP connection failed while writing: " + ex.Message, ex);
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            _closed = true;
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
            {
                // Already gone.
            }

            _socket.Dispose();
        }
    }
}
