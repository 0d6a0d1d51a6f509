namespace Nrf91Cmng.Simulator
{
    /// <summary>Zephyr's <c>lib/os/base64.c</c> (the mbed TLS decoder): the exact acceptance rules <c>cred add … bin|bint</c> applies.</summary>
    internal static class ZephyrBase64
    {
        private const int EINVAL = 22;

        /// <summary>
        /// <c>base64_decode</c>: CR LF pairs and LF are skipped, spaces only at the very end or before
        /// a line end, at most two <c>=</c> and nothing after one, a trailing group of 1 to 3
        /// characters dropped. Returns 0 or -EINVAL.
        /// </summary>
        public static int Decode(byte[] source, int length, out byte[] decoded)
        {
            decoded = Array.Empty<byte>();
            int i;
            int n = 0;
            int j = 0;
            for (i = 0; i < length; i++)
            {
                int x = 0;
                while (i < length && source[i] == ' ')
                {
                    ++i;
                    ++x;
                }

                if (i == length)
                {
                    break;
                }

                if (length - i >= 2 && source[i] == '\r' && source[i + 1] == '\n')
                {
                    continue;
                }

                if (source[i] == '\n')
                {
                    continue;
                }

                if (x != 0)
                {
                    return -EINVAL;
                }

                if (source[i] == '=' && ++j > 2)
                {
                    return -EINVAL;
                }

                if (source[i] > 127 || Map(source[i]) == 127)
                {
                    return -EINVAL;
                }

                if (Map(source[i]) < 64 && j != 0)
                {
                    return -EINVAL;
                }

                n++;
            }

            if (n == 0)
            {
                return 0;
            }

            n = (6 * (n >> 3)) + (((6 * (n & 0x7)) + 7) >> 3);
            n -= j;
            var output = new byte[n];
            int p = 0;
            int src = 0;
            int value = 0;
            int count = 0;
            j = 3;
            for (; i > 0; i--, src++)
            {
                byte c = source[src];
                if (c == '\r' || c == '\n' || c == ' ')
                {
                    continue;
                }

                j -= Map(c) == 64 ? 1 : 0;
                value = (value << 6) | (Map(c) & 0x3F);
                if (++count == 4)
                {
                    count = 0;
                    if (j > 0)
                    {
                        output[p++] = (byte)(value >> 16);
                    }

                    if (j > 1)
                    {
                        output[p++] = (byte)(value >> 8);
                    }

                    if (j > 2)
                    {
                        output[p++] = (byte)value;
                    }
                }
            }

            decoded = new byte[p];
            Array.Copy(output, decoded, p);
            return 0;
        }

        /// <summary><c>base64_encode</c>: standard alphabet with padding.</summary>
        public static string Encode(byte[] data, int offset, int count) => Convert.ToBase64String(data, offset, count);

        private static int Map(byte c)
        {
            if (c >= 'A' && c <= 'Z')
            {
                return c - 'A';
            }

            if (c >= 'a' && c <= 'z')
            {
                return c - 'a' + 26;
            }

            if (c >= '0' && c <= '9')
            {
                return c - '0' + 52;
            }

            return c == '+' ? 62 : c == '/' ? 63 : c == '=' ? 64 : 127;
        }

        internal static string Latin1(byte[] bytes, int offset, int count)
        {
            var text = new StringBuilder(count);
            for (int i = 0; i < count; i++)
            {
                text.Append((char)bytes[offset + i]);
            }

            return text.ToString();
        }
    }
}
