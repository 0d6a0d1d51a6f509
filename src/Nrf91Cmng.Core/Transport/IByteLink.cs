namespace Nrf91Cmng.Core.Transport
{
    /// <summary>
    /// One end of a bidirectional byte connection: a serial port, a TCP socket, an in-process pipe
    /// or a pseudo-terminal master. Both the host side (the AT engine) and the device side (the
    /// virtual modem) speak to this, so the same code path is exercised whatever carries the bytes.
    /// </summary>
    public interface IByteLink : IDisposable
    {
        /// <summary>False once either side closed the link or the device vanished.</summary>
        bool IsOpen { get; }

        /// <summary>
        /// Reads at most <paramref name="count"/> bytes, waiting at most <paramref name="timeout"/>.
        /// Returns 0 when nothing arrived in time. Throws <see cref="LinkClosedException"/> when the
        /// link is gone and <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/>
        /// fires; implementations wait in slices short enough that cancellation is seen at once.
        /// </summary>
        int Read(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken);

        /// <summary>Writes all bytes or throws <see cref="LinkClosedException"/>.</summary>
        void Write(byte[] buffer, int offset, int count, CancellationToken cancellationToken);
    }

    /// <summary>The host side of a link to a modem.</summary>
    public interface IModemTransport : IByteLink
    {
        /// <summary>What the user connected to: a port name, a tcp:// URI or "simulator://N".</summary>
        string Name { get; }

        /// <summary>Serial, Tcp or InProcess.</summary>
        TransportKind Kind { get; }

        /// <summary>Human-readable settings, e.g. "115200 8N1, RTS/CTS".</summary>
        string Settings { get; }

        /// <summary>
        /// Bits per second of the line (8N1: ten bits a byte), or 0 where the link has no known
        /// rate (TCP, an unpaced virtual modem). Waits that follow bytes on the wire add their wire time.
        /// </summary>
        int BaudRate { get; }

        /// <summary>Drops whatever bytes are waiting to be read.</summary>
        void DiscardInput();
    }

    /// <summary>What carries the bytes of a session.</summary>
    public enum TransportKind
    {
        /// <summary>A serial port (USB CDC ACM, UART bridge, pseudo-terminal).</summary>
        Serial,

        /// <summary>A raw TCP connection (ser2net-style serial servers, the virtual modem).</summary>
        Tcp,

        /// <summary>An in-process virtual modem.</summary>
        InProcess,
    }
}
