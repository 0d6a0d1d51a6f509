using System.Runtime.InteropServices;

namespace Nrf91Cmng.Core.Transport
{
    /// <summary>libc calls shared by the Unix code paths.</summary>
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

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
        private static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        private static extern int flock(int fd, int operation);

        [DllImport("libc", SetLastError = true)]
        private static extern int close(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr realpath(string path, IntPtr resolved);

        [DllImport("libc")]
        private static extern void free(IntPtr pointer);
    }
}
