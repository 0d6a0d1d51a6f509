using System.Runtime.InteropServices;
using Nrf91Cmng.Core.Transport;

namespace Nrf91Cmng.Simulator
{
    /// <summary>A device end that other programs can open as well: the modem can make it act as a second client.</summary>
    internal interface ISharedPort
    {
        /// <summary>
        /// Reads up to <paramref name="count"/> bytes the way another program holding the port open
        /// would: it waits for data for at most <paramref name="window"/>, and whatever it reads the
        /// client never sees. <paramref name="armed"/> is set once it waits, before any of the bytes
        /// it is meant to catch are written.
        /// </summary>
        byte[] ReadAsSecondClient(int count, TimeSpan window, ManualResetEventSlim armed, CancellationToken cancellationToken);

        /// <summary>Writes bytes to the device as another program on the port would.</summary>
        void WriteAsSecondClient(byte[] bytes, CancellationToken cancellationToken);
    }

    /// <summary>
    /// The pseudo-terminal a <see cref="VirtualModemServer"/> serves, plus a second open of its slave
    /// side, made on first use and kept: another program on the same port. What that program reads
    /// the client does not get (the kernel hands each byte to whichever reader takes it first); what
    /// it writes reaches the modem between the client's bytes.
    /// </summary>
    internal sealed class SharedPseudoTerminal : IByteLink, ISharedPort
    {
        private const short PollIn = 0x001;
        private const short PollOut = 0x004;
        private const int Eintr = 4;
        private static readonly int s_eagain = RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? 35 : 11;
        private readonly PseudoTerminal _pty;
        private readonly object _gate = new object();
        private int _second = -1;
        private bool _closed;

        public SharedPseudoTerminal(PseudoTerminal pty)
        {
            _pty = pty;
        }

        public bool IsOpen => _pty.IsOpen;

        public int Read(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken) =>
            _pty.Read(buffer, offset, count, timeout, cancellationToken);

        public void Write(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _pty.Write(buffer, offset, count, cancellationToken);

        public byte[] ReadAsSecondClient(int count, TimeSpan window, ManualResetEventSlim armed, CancellationToken cancellationToken)
        {
            var got = new byte[count];
            int done = 0;
            try
            {
                int fd = SecondOpen();
                var clock = Stopwatch.StartNew();
                armed.Set();
                while (done < count && clock.Elapsed < window && !cancellationToken.IsCancellationRequested)
                {
                    var fds = new UnixNative.PollFd { Fd = fd, Events = PollIn };
                    int ready = UnixNative.poll(ref fds, 1, 5);
                    if (ready <= 0 || (fds.Revents & PollIn) == 0)
                    {
                        continue;
                    }

                    long n = (long)Native.read(fd, got, done, (UIntPtr)(count - done));
                    if (n > 0)
                    {
                        done += (int)n;
                    }
                }
            }
            finally
            {
                armed.Set();
            }

            Array.Resize(ref got, done);
            return got;
        }

        public void WriteAsSecondClient(byte[] bytes, CancellationToken cancellationToken)
        {
            int fd = SecondOpen();
            int done = 0;
            var clock = Stopwatch.StartNew();
            while (done < bytes.Length && clock.Elapsed < TimeSpan.FromSeconds(2))
            {
                cancellationToken.ThrowIfCancellationRequested();
                long n = (long)Native.write(fd, bytes, done, (UIntPtr)(bytes.Length - done));
                if (n > 0)
                {
                    done += (int)n;
                    continue;
                }

                int errno = Marshal.GetLastWin32Error();
                if (n < 0 && errno != Eintr && errno != s_eagain)
                {
                    throw new LinkClosedException("The second client could not write to the pseudo-terminal: errno " + errno + ".");
                }

                var fds = new UnixNative.PollFd { Fd = fd, Events = PollOut };
                UnixNative.poll(ref fds, 1, 20);
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _closed = true;
                if (_second >= 0)
                {
                    UnixNative.close(_second);
                    _second = -1;
                }
            }

            _pty.Dispose();
        }

        private int SecondOpen()
        {
            lock (_gate)
            {
                if (_closed)
                {
                    throw new LinkClosedException("The pseudo-terminal is closed.");
                }

                if (_second < 0)
                {
                    bool mac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
                    int flags = 2 | (mac ? 0x20000 : 0x100) | (mac ? 0x4 : 0x800); // O_RDWR | O_NOCTTY | O_NONBLOCK
                    int fd = UnixNative.open(_pty.SlavePath, flags);
                    if (fd < 0)
                    {
                        throw new LinkClosedException("A second client could not open " + _pty.SlavePath + ": errno " + Marshal.GetLastWin32Error() + ".");
                    }

                    _second = fd;
                }

                return _second;
            }
        }

        private static class Native
        {
            internal static IntPtr read(int fd, byte[] buffer, int offset, UIntPtr count) =>
                Pinned(buffer, offset, address => UnixNative.read(fd, address, count));

            internal static IntPtr write(int fd, byte[] buffer, int offset, UIntPtr count) =>
                Pinned(buffer, offset, address => UnixNative.write(fd, address, count));

            /// <summary>Runs <paramref name="call"/> on the address of <paramref name="buffer"/>[<paramref name="offset"/>], pinned for the call.</summary>
            private static IntPtr Pinned(byte[] buffer, int offset, Func<IntPtr, IntPtr> call)
            {
                GCHandle pin = GCHandle.Alloc(buffer, GCHandleType.Pinned);
                try
                {
                    return call(pin.AddrOfPinnedObject() + offset);
                }
                finally
                {
                    pin.Free();
                }
            }
        }
    }
}
