using System.Runtime.InteropServices;

namespace Nrf91Cmng.Core.Transport
{
    /// <summary>libc calls shared by the Unix code paths (also by the virtual modem's pseudo-terminal server).</summary>
    internal static class UnixNative
    {
        /// <summary>The canonical path with symbolic links resolved, or null; null where there is no libc.</summary>
        public static string? RealPath(string path)
        {
            try
            {
                IntPtr p = realpath(path, IntPtr.Zero);
                if (p == IntPtr.Zero)
                {
                    return null;
                }

                try
                {
                    return Marshal.PtrToStringAnsi(p);
                }
                finally
                {
                    free(p);
                }
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return null;
            }
        }

        /// <summary>
        /// Takes the advisory lock pyserial's <c>exclusive=True</c> takes (<c>flock(LOCK_EX | LOCK_NB)</c>)
        /// on a descriptor of its own for <paramref name="path"/>. Returns the descriptor to keep
        /// (closing it releases the lock), -1 when another process holds the lock, or -2 where the
        /// lock cannot be taken at all (no libc, a path that cannot be opened read-only): the caller
        /// then relies on the port's own exclusivity.
        /// </summary>
        public static int TryLockExclusive(string path)
        {
            try
            {
                bool mac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
                int flags = (mac ? 0x20000 : 0x100) | (mac ? 0x4 : 0x800) | (mac ? 0x1000000 : 0x80000); // O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC
                int fd = open(path, flags);
                if (fd < 0)
                {
                    return -2;
                }

                if (flock(fd, LockExclusive | LockNonBlocking) == 0)
                {
                    return fd;
                }

                int error = Marshal.GetLastWin32Error();
                close(fd);
                return error == (mac ? 35 : 11) ? -1 : -2;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return -2;
            }
        }

        /// <summary>Closes a descriptor from <see cref="TryLockExclusive"/>, releasing its lock.</summary>
        public static void Unlock(int fd)
        {
            if (fd >= 0)
            {
                close(fd);
            }
        }

        private const int LockExclusive = 2;
        private const int LockNonBlocking = 4;

        // The libc surface of the Unix code paths (port locks, pseudo-terminals here and in the
        // virtual modem's server), declared once.

        /// <summary>struct pollfd.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
        internal static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        internal static extern int close(int fd);

        [DllImport("libc", SetLastError = true)]
        internal static extern unsafe IntPtr read(int fd, byte* buffer, UIntPtr count);

        [DllImport("libc", SetLastError = true)]
        internal static extern unsafe IntPtr write(int fd, byte* buffer, UIntPtr count);

        [DllImport("libc", SetLastError = true)]
        internal static extern IntPtr read(int fd, IntPtr buffer, UIntPtr count);

        [DllImport("libc", SetLastError = true)]
        internal static extern IntPtr write(int fd, IntPtr buffer, UIntPtr count);

        [DllImport("libc", SetLastError = true)]
        internal static extern int poll(ref PollFd fds, uint count, int timeoutMs);

        [DllImport("libc", SetLastError = true)]
        internal static extern int flock(int fd, int operation);

        [DllImport("libc", SetLastError = true)]
        internal static extern int posix_openpt(int flags);

        [DllImport("libc", SetLastError = true)]
        internal static extern int grantpt(int fd);

        [DllImport("libc", SetLastError = true)]
        internal static extern int unlockpt(int fd);

        [DllImport("libc", SetLastError = true)]
        internal static extern int ptsname_r(int fd, byte[] buffer, UIntPtr length);

        [DllImport("libc", SetLastError = true)]
        internal static extern IntPtr ptsname(int fd);

        [DllImport("libc", SetLastError = true)]
        internal static extern int tcgetattr(int fd, byte[] termios);

        [DllImport("libc", SetLastError = true)]
        internal static extern int tcsetattr(int fd, int optionalActions, byte[] termios);

        [DllImport("libc")]
        internal static extern void cfmakeraw(byte[] termios);

        [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        internal static extern int fcntl_get(int fd, int command);

        [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
        internal static extern int fcntl_set(int fd, int command, int argument);

        [DllImport("libSystem.Native", SetLastError = true)]
        internal static extern int SystemNative_FcntlSetIsNonBlocking(IntPtr fd, int isNonBlocking);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr realpath(string path, IntPtr resolved);

        [DllImport("libc")]
        private static extern void free(IntPtr pointer);
    }
}
