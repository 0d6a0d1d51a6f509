using System;
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

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr realpath(string path, IntPtr resolved);

        [DllImport("libc")]
        private static extern void free(IntPtr pointer);
    }
}
