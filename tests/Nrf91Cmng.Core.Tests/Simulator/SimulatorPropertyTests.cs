using System.Security.Cryptography;
using System.Text.RegularExpressions;
using CsCheck;

namespace Nrf91Cmng.Core.Tests.Simulator
{
    /// <summary>Property and fuzz tests of the line discipline, the interpreter and the store.</summary>
    public sealed class SimulatorPropertyTests
    {
        private static readonly Gen<byte> s_interestingByte = Gen.Frequency(
            (6, Gen.Byte[(byte)'A', (byte)'Z']),
            (2, Gen.OneOf((byte)'"', (byte)'\r', (byte)'\n', (byte)0, (byte)0x08, (byte)0x7F, (byte)' ', (byte)',')),
            (1, Gen.Byte));

        [Fact]
        public void AtHostFrontEndMatchesALiteralPortOfAtHostC()
        {
            Gen<(byte[], AtHostTerminator, int)> gen = Gen.Select(
                s_interestingByte.Array[0, 400],
                Gen.Enum<AtHostTerminator>(),
                Gen.Int[4, 64]);
            gen.Sample((input, terminator, size) =>
            {
                var frontEnd = new AtHostFrontEnd(terminator, size - 1);
                var reference = new AtHostC(terminator, size);
                var echo = new StringBuilder();
                foreach (byte b in input)
                {
                    string? expected = reference.Feed(b);
                    Submission? actual = frontEnd.Feed(b, echo);
                    Assert.Equal(expected, actual?.AtCommand);
                    Assert.True(frontEnd.CurrentLine.Length <= size - 1);
                }

                Assert.Equal(0, echo.Length);
            }, iter: 400);
        }

        [Fact]
        public void TheInterpreterAlwaysEndsWithExactlyOneFinalResult()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 80 });
            modem.Execute("AT+CFUN=4");
            string[] names = { "%CMNG", "%XPMNG", "%KEYGEN", "%ATTESTTOKEN", "+CFUN", "+CMEE", "+CGSN", "+CGMR", "%XICCID", "%HWVERSION", "+CEREG", "%XPOFWARN", "%XSUDO", "+FOO" };
            Gen<string> parameter = Gen.OneOf(
                Gen.Int[-2, 20].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Gen.OneOf("4294967295", "2147483648", "", " 1", "\"\"", "\"abc\"", "\"a,b\"", "\"CN=x\"", "\"110000000\"", "\"00112233445566778899AABBCCDDEEFF\""),
                Gen.String[Gen.Char.AlphaNumeric, 0, 8]);
            Gen<string> command = Gen.Select(Gen.OneOf(names), Gen.OneOf("", "?", "=?", "="), parameter.Array[0, 6], Gen.Bool)
                .Select((name, form, parameters, compound) =>
                    "AT" + name + form + (form == "=" ? string.Join(",", parameters) : string.Empty) + (compound ? ";+CMEE=1" : string.Empty));
            Regex final = new Regex(@"(^|\r\n)(OK|ERROR|\+CME ERROR: \d+)\r\n$");
            command.Sample(text =>
            {
                string reply = modem.Execute(text);
                Assert.Matches(final, reply);
                Assert.DoesNotMatch(@"(^|\r\n)(OK|ERROR|\+CME ERROR: \d+)\r\n.", reply);
            }, iter: 600);
        }

        [Fact]
        public void TheListAlwaysEqualsAModelOfTheStore()
        {
            Gen<(bool Write, uint Tag, int Type, string Content)> op = Gen.Select(
                Gen.Int[0, 3].Select(i => i > 0),
                Gen.UInt[0, 4],
                Gen.OneOf(0, 1, 2, 3, 4),
                Gen.String[Gen.Char['!', '~'].Where(c => c != '"'), 1, 40]);
            op.Array[1, 30].Sample(ops =>
            {
                using var modem = new VirtualModem(new VirtualModemOptions { Seed = 81, Firmware = "mfw_nrf9160_1.3.7" });
                Assert.Equal("OK\r\n", modem.Execute("AT+CFUN=4"));
                var model = new SortedDictionary<(uint, int), string>();
                foreach ((bool write, uint tag, int type, string content) in ops)
                {
                    if (write)
                    {
                        Assert.Equal("OK\r\n", modem.Execute("AT%CMNG=0," + tag + "," + type + ",\"" + content + "\""));
                        model[(tag, type)] = content;
                    }
                    else
                    {
                        Assert.Equal(model.Remove((tag, type)) ? "OK\r\n" : "ERROR\r\n", modem.Execute("AT%CMNG=3," + tag + "," + type));
                    }
                }

                string expected = string.Concat(model.Select(e =>
                    "%CMNG: " + e.Key.Item1 + "," + e.Key.Item2 + ",\"" + Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(e.Value))) + "\"\r\n"));
                string owned = modem.Execute("AT%CMNG=1,4294967293") + modem.Execute("AT%CMNG=1,4294967294") + modem.Execute("AT%CMNG=1,4294967292");
                Assert.Equal(expected + owned.Replace("OK\r\n", string.Empty) + "OK\r\n", modem.Execute("AT%CMNG=1"));
            }, iter: 100);
        }

        [Fact]
        public void RandomNoiseArrivesWhileIdleAndNeverInsideAReply()
        {
            using var modem = new VirtualModem(new VirtualModemOptions { Seed = 82, RandomNoiseRate = 40 });
            using IByteLink link = modem.ConnectInProcess();
            string idle = Raw.ReadFor(link, TimeSpan.FromMilliseconds(400));
            Assert.NotEmpty(idle);
            Assert.All(idle.Split("\r\n", StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^([+%][A-Z]+: |\[\d\d:\d\d:\d\d\.\d{3},\d{3}\] <inf> )", line));

            modem.RandomNoiseRate = 1; // one URC before every reply, none while idle is likely short
            modem.Preload(1, 0, Raw.Bytes(Vectors.AmazonRootCa1));
            for (int i = 0; i < 10; i++)
            {
                string reply = Raw.Exchange(link, "AT%CMNG=2,1,0\r");
                string body = "%CMNG: 1,0,\"" + Vectors.AmazonRootCa1Digest + "\",\"" + Vectors.AmazonRootCa1 + "\"\r\nOK\r\n";
                Assert.EndsWith(body, reply);
            }
        }

        /// <summary>lib/at_host/at_host.c uart_rx_handler, transcribed literally (C buffer of <c>size</c> bytes).</summary>
        private sealed class AtHostC
        {
            private readonly AtHostTerminator _mode;
            private readonly byte[] _buf;
            private bool _insideQuotes;
            private int _len;

            public AtHostC(AtHostTerminator mode, int size)
            {
                _mode = mode;
                _buf = new byte[size];
            }

            public string? Feed(byte character)
            {
                switch (character)
                {
                    case 0x08:
                    case 0x7F:
                        if (_len > 0)
                        {
                            _len--;
                        }

                        return null;
                }

                if (!_insideQuotes)
                {
                    switch (character)
                    {
                        case 0:
                            if (_mode == AtHostTerminator.Nul)
                            {
                                return Send();
                            }

                            return null;
                        case (byte)'\r':
                            if (_mode == AtHostTerminator.Cr)
                            {
                                return Send();
                            }

                            break;
                        case (byte)'\n':
                            if (_mode == AtHostTerminator.Lf)
                            {
                                return Send();
                            }

                            if (_mode == AtHostTerminator.CrLf && _len > 0 && _buf[_len - 1] == '\r')
                            {
                                return Send();
                            }

                            break;
                    }
                }

                if (_len + 1 > _buf.Length - 1)
                {
                    return null;
                }

                _buf[_len++] = character;
                if (character == '"')
                {
                    _insideQuotes = !_insideQuotes;
                }

                return null;
            }

            private string? Send()
            {
                _buf[_len] = 0;
                _insideQuotes = false;
                _len = 0;
                for (int i = 0; ; i++)
                {
                    if (_buf[i] > ' ')
                    {
                        return Encoding.Latin1.GetString(_buf, 0, Array.IndexOf(_buf, (byte)0)); // "%s"
                    }

                    if (_buf[i] == 0)
                    {
                        return null;
                    }
                }
            }
        }
    }
}
