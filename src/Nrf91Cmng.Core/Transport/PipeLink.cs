namespace Nrf91Cmng.Core.Transport
{
    /// <summary>
    /// An in-process, bidirectional byte connection: what one end writes, the other reads.
    /// Used to attach the virtual modem to a session without any operating-system resource.
    /// </summary>
    public sealed class PipeLink : IByteLink
    {
        private readonly ByteQueue _incoming;
        private readonly ByteQueue _outgoing;

        private PipeLink(ByteQueue incoming, ByteQueue outgoing)
        {
            _incoming = incoming;
            _outgoing = outgoing;
        }

        /// <summary>Creates two connected ends.</summary>
        public static (PipeLink Host, PipeLink Device) CreatePair()
        {
            var toDevice = new ByteQueue();
            var toHost = new ByteQueue();
            return (new PipeLink(toHost, toDevice), new PipeLink(toDevice, toHost));
        }

        /// <inheritdoc />
        public bool IsOpen => !_incoming.IsClosed && !_outgoing.IsClosed;

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken)
            => _incoming.Read(buffer, offset, count, timeout, cancellationToken);

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => _outgoing.Write(buffer, offset, count);

        /// <summary>Closes both directions; the other end sees <see cref="LinkClosedException"/>.</summary>
        public void Dispose()
        {
            _incoming.Close();
            _outgoing.Close();
        }

        private sealed class ByteQueue
        {
            private readonly Queue<byte> _bytes = new Queue<byte>();
            private bool _closed;

            public bool IsClosed
            {
                get
                {
                    lock (_bytes)
                    {
                        return _closed;
                    }
                }
            }

            public void Write(byte[] buffer, int offset, int count)
            {
                lock (_bytes)
                {
                    if (_closed)
                    {
                        throw new LinkClosedException("The in-process link is closed.");
                    }

                    for (int i = 0; i < count; i++)
                    {
                        _bytes.Enqueue(buffer[offset + i]);
                    }

                    Monitor.PulseAll(_bytes);
                }
            }

            public int Read(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken)
            {
                DateTime deadline = DateTime.UtcNow + timeout;
                using CancellationTokenRegistration registration = cancellationToken.Register(Wake);
                lock (_bytes)
                {
                    while (_bytes.Count == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (_closed)
                        {
                            throw new LinkClosedException("The in-process link was closed by the other side.");
                        }

                        TimeSpan left = deadline - DateTime.UtcNow;
                        if (left <= TimeSpan.Zero)
                        {
                            return 0;
                        }

                        Monitor.Wait(_bytes, left);
                    }

                    int n = Math.Min(count, _bytes.Count);
                    for (int i = 0; i < n; i++)
                    {
                        buffer[offset + i] = _bytes.Dequeue();
                    }

                    return n;
                }
            }

            public void Close()
            {
                lock (_bytes)
                {
                    _closed = true;
                    Monitor.PulseAll(_bytes);
                }
            }

            private void Wake()
            {
                lock (_bytes)
                {
                    Monitor.PulseAll(_bytes);
                }
            }
        }
    }
}
