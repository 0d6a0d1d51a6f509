using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Nrf91Cmng.Core.Transport
{
    /// <summary>
    /// A pseudo-terminal pair on Linux and macOS (libc posix_openpt). The slave path (for example
    /// /dev/pts/7) is what a serial program opens; the master is this object's <see cref="IByteLink"/>.
    /// The virtual modem serves on the master so that clients use their real serial code path.
    /// </summary>
    public sealed class PseudoTerminal : IByteLink
    {
        private const short PollIn = 0x001;
        private const short PollOut = 0x004;
        private const short PollErr = 0x008;
        private const short PollHup = 0x010;
        private const short PollNval = 0x020;
        private const int Eintr = 4;
        private const int Eio = 5;
        private static readonly int s_eagain = RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? 35 : 11;
        private static readonly object s_ptsnameGate = new object();
        private static readonly TimeSpan s_slice = TimeSpan.FromMilliseconds(50);

        private readonly object _writeGate = new object();
        private int _master;
        private int _slaveKeeper;
        private volatile bool _closed;

        private PseudoTerminal(int master, int slaveKeeper, string slavePath)
        {
            _master = master;
            _slaveKeeper = slaveKeeper;
            SlavePath = slavePath;
        }

        /// <summary>True where pseudo-terminals can be created (Linux and macOS).</summary>
        public static bool IsSupported =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        /// <summary>The device path a serial client opens, e.g. /dev/pts/7.</summary>
        public string SlavePath { get; }

        /// <inheritdoc />
        public bool IsOpen => !_closed;

        /// <summary>
        /// Creates a pair in raw mode (no echo, no CR/LF translation). The slave side is kept open
        /// by this object so that the master never reports "no client yet" (EIO) and the device
        /// node stays valid between client connections.
        /// </summary>
        public static PseudoTerminal Open() => Open(requestNonBlockingAtOpen: true);

        /// <summary>
        /// Opens a pair. <paramref name="requestNonBlockingAtOpen"/> false skips passing O_NONBLOCK to
        /// posix_openpt, as happens on macOS where posix_openpt accepts only O_RDWR and O_NOCTTY
        /// (tests use it to take the macOS path on Linux).
        /// </summary>
        internal static PseudoTerminal Open(bool requestNonBlockingAtOpen)
        {
            if (!IsSupported)
            {
                throw new PlatformNotSupportedException("Pseudo-terminals exist on Linux and macOS only; on Windows serve the virtual modem over TCP (Start-ModemSimulator -Transport Tcp) or use Connect-Modem -Simulator.");
            }

            bool mac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
            int oRdWr = 2;
            int oNoCtty = mac ? 0x20000 : 0x100;

            // Non-blocking master: a write to a full buffer (nobody reads the slave) returns EAGAIN
            // and Write waits in cancellable slices instead of hanging its thread. Linux takes the
            // flag at open; macOS refuses it there (EINVAL), so the flag is set with fcntl after
            // opening in every case, and checked.
            int master = requestNonBlockingAtOpen ? UnixNative.posix_openpt(oRdWr | oNoCtty | NonBlockFlag(mac)) : -1;
            if (master < 0)
            {
                master = UnixNative.posix_openpt(oRdWr | oNoCtty);
            }

            if (master < 0)
            {
                throw Fail("posix_openpt");
            }

            try
            {
                MakeNonBlocking(master, mac);
                if (UnixNative.grantpt(master) != 0)
                {
                    throw Fail("grantpt");
                }

                if (UnixNative.unlockpt(master) != 0)
                {
                    throw Fail("unlockpt");
                }

                string path = SlaveName(master, mac);
                int slave = UnixNative.open(path, oRdWr | oNoCtty);
                if (slave < 0)
                {
                    throw Fail("open " + path);
                }

                MakeRaw(slave);
                MakeRaw(master);
                return new PseudoTerminal(master, slave, path);
            }
            catch
            {
                UnixNative.close(master);
                throw;
            }
        }

        /// <summary>True when the master descriptor is in non-blocking mode (tests).</summary>
        internal bool IsMasterNonBlocking
        {
            get
            {
                int flags = UnixNative.fcntl_get(_master, FGetFl);
                return flags >= 0 && (flags & NonBlockFlag(RuntimeInformation.IsOSPlatform(OSPlatform.OSX))) != 0;
            }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (offset < 0 || count < 0 || offset + count > buffer.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(count));
            }

            DateTime deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_closed)
                {
                    throw new LinkClosedException("The pseudo-terminal is closed.");
                }

                TimeSpan left = deadline - DateTime.UtcNow;
                TimeSpan wait = left < s_slice ? left : s_slice;
                var fds = new UnixNative.PollFd { Fd = _master, Events = PollIn };
                int ready = UnixNative.poll(ref fds, 1, wait <= TimeSpan.Zero ? 0 : (int)Math.Ceiling(wait.TotalMilliseconds));
                if (ready < 0)
                {
                    if (Marshal.GetLastWin32Error() == Eintr)
                    {
                        continue;
                    }

                    throw new LinkClosedException("poll failed on the pseudo-terminal: " + new Win32Exception(Marshal.GetLastWin32Error()).Message);
                }

                if (ready == 0 || (fds.Revents & (PollIn | PollErr | PollHup | PollNval)) == 0)
                {
                    if (DateTime.UtcNow >= deadline)
                    {
                        return 0;
                    }

                    continue;
                }

                if ((fds.Revents & PollNval) != 0)
                {
                    throw new LinkClosedException("The pseudo-terminal is closed.");
                }

                unsafe
                {
                    fixed (byte* p = &buffer[offset])
                    {
                        long n = (long)UnixNative.read(_master, p, (UIntPtr)count);
                        if (n > 0)
                        {
                            return (int)n;
                        }

                        int errno = Marshal.GetLastWin32Error();
                        if (n < 0 && (errno == Eintr || errno == s_eagain))
                        {
                            continue;
                        }

                        if (n < 0 && errno == Eio)
                        {
                            // No client holds the slave open (only when the keeper was released): not connected yet.
                            Thread.Sleep(10);
                            continue;
                        }

                        throw new LinkClosedException("The pseudo-terminal went away.");
                    }
                }
            }
        }

        /// <summary>
        /// Writes all bytes or throws <see cref="LinkClosedException"/>. While the buffer is full
        /// (nobody reads the slave) it waits for room in short slices, so <paramref name="cancellationToken"/>
        /// ends the wait.
        /// </summary>
        public void Write(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            lock (_writeGate)
            {
                int done = 0;
                while (done < count)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (_closed)
                    {
                        throw new LinkClosedException("The pseudo-terminal is closed.");
                    }

                    unsafe
                    {
                        fixed (byte* p = &buffer[offset + done])
                        {
                            long n = (long)UnixNative.write(_master, p, (UIntPtr)(count - done));
                            if (n < 0)
                            {
                                int errno = Marshal.GetLastWin32Error();
                                if (errno == Eintr)
                                {
                                    continue;
                                }

                                if (errno == s_eagain)
                                {
                                    var fds = new UnixNative.PollFd { Fd = _master, Events = PollOut };
                                    UnixNative.poll(ref fds, 1, (int)s_slice.TotalMilliseconds);
                                    continue;
                                }

                                throw new LinkClosedException("Writing to the pseudo-terminal failed: " + new Win32Exception(errno).Message);
                            }

                            done += (int)n;
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Closes the master (and the slave keeper): a client on the slave side sees its port vanish.
        /// </summary>
        public void Dispose()
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            int slave = Interlocked.Exchange(ref _slaveKeeper, -1);
            if (slave >= 0)
            {
                UnixNative.close(slave);
            }

            int master = Interlocked.Exchange(ref _master, -1);
            if (master >= 0)
            {
                UnixNative.close(master);
            }
        }

        private static string SlaveName(int master, bool mac)
        {
            if (!mac)
            {
                var buffer = new byte[256];
                int rc = UnixNative.ptsname_r(master, buffer, (UIntPtr)buffer.Length);
                if (rc != 0)
                {
                    throw Fail("ptsname_r");
                }

                int length = Array.IndexOf(buffer, (byte)0);
                return Encoding.ASCII.GetString(buffer, 0, length < 0 ? buffer.Length : length);
            }

            lock (s_ptsnameGate)
            {
                IntPtr name = UnixNative.ptsname(master);
                if (name == IntPtr.Zero)
                {
                    throw Fail("ptsname");
                }

                return Marshal.PtrToStringAnsi(name) ?? throw Fail("ptsname");
            }
        }

        private const int FGetFl = 3;
        private const int FSetFl = 4;

        private static int NonBlockFlag(bool mac) => mac ? 0x4 : 0x800;

        /// <summary>
        /// Sets O_NONBLOCK. fcntl is variadic, and on Apple silicon variadic arguments travel on the
        /// stack, so a fixed-arity P/Invoke with the flags argument would pass garbage there: the
        /// runtime's own System.Native shim (in every .NET, hence every pwsh) does it first; the raw
        /// fcntl is the fallback (correct on Linux and Intel macOS), and the result is checked.
        /// </summary>
        private static void MakeNonBlocking(int fd, bool mac)
        {
            bool set = false;
            try
            {
                set = UnixNative.SystemNative_FcntlSetIsNonBlocking((IntPtr)fd, 1) == 0;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                // No System.Native (not a .NET Core runtime): use libc directly below.
            }

            if (!set)
            {
                int flags = UnixNative.fcntl_get(fd, FGetFl);
                if (flags < 0 || UnixNative.fcntl_set(fd, FSetFl, flags | NonBlockFlag(mac)) != 0)
                {
                    throw Fail("fcntl(O_NONBLOCK)");
                }
            }

            int now = UnixNative.fcntl_get(fd, FGetFl);
            if (now < 0 || (now & NonBlockFlag(mac)) == 0)
            {
                throw new InvalidOperationException("Creating a pseudo-terminal failed: its master could not be made non-blocking, and a blocking master can hang the virtual modem.");
            }
        }

        private static void MakeRaw(int fd)
        {
            // struct termios is opaque here: 256 bytes covers Linux (60) and macOS (72).
            var termios = new byte[256];
            if (UnixNative.tcgetattr(fd, termios) != 0)
            {
                throw Fail("tcgetattr");
            }

            UnixNative.cfmakeraw(termios);
            if (UnixNative.tcsetattr(fd, 0, termios) != 0)
            {
                throw Fail("tcsetattr");
            }
        }

        private static Exception Fail(string call) =>
            new InvalidOperationException("Creating a pseudo-terminal failed at " + call + ": " + new Win32Exception(Marshal.GetLastWin32Error()).Message);
    }
}
