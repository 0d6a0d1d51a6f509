using CsCheck;
using Xunit.Abstractions;

namespace Nrf91Cmng.Core.Tests.Reliability;

/// <summary>
/// Property and fuzz tests of the AT response path: random and mutated real replies, fed in random
/// chunks, never crash or hang the line assembler and the collector; a whole engine over random
/// byte streams only ever answers or throws a ModemException; a long session under random URC noise
/// loses and mixes up nothing. Case counts and figures go to the test output (RELIABILITY.md).
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly string[] s_replies =
    {
        "OK\r\n",
        "%CMNG: 16842753,0,\"2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1\"\r\nOK\r\n",
        "%CMNG: 16842753,4,\"2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1\",\"nrf-124578\"\r\nOK\r\n",
        "%CMNG: 7,0,\"AB\",\"-----BEGIN CERTIFICATE-----\nMIIB\nOK\n-----END CERTIFICATE-----\n\"\r\nOK\r\n",
        "\r\n%CMNG: 1,0,\"AB\"\r\n\r\nOK\r\n",
        "+CSCON: 1\r\n[00:00:12.345,678] <inf> lte_lc: status\r\n+CEREG: 0\r\nOK\r\n",
        "AT+CGSN\r\n352656109480783\r\nOK\r\n",
        "+CME ERROR: 513\r\n",
        "ERROR\r\n",
        "\u001b[1;32mmfw_nrf9160_1.3.5\u001b[0m\r\nOK\r\n",
        "%KEYGEN: \"MIIBOKabc.0oRDOK\"\r\nOK\r\n",
        "uart:~$ at AT+CGMM\r\nnRF9160-SICA\r\nOK\r\nuart:~$ ",
    };

    private readonly ITestOutputHelper _output;

    public ParserFuzzTests(ITestOutputHelper output) => _output = output;

    private static Gen<byte[]> Mutated =>
        Gen.Select(Gen.Int[0, s_replies.Length - 1], Gen.Select(Gen.Int[0, 3], Gen.Int[0, 400], Gen.Byte).Array[0, 6], (i, edits) =>
        {
            var bytes = new List<byte>(Encoding.Latin1.GetBytes(s_replies[i]));
            foreach ((int kind, int at, byte value) in edits)
            {
                int p = bytes.Count == 0 ? 0 : at % bytes.Count;
                switch (kind)
                {
                    case 0 when bytes.Count > 0: bytes[p] = value; break;
                    case 1: bytes.Insert(p, value); break;
                    case 2 when bytes.Count > 0: bytes.RemoveAt(p); break;
                    default: bytes.InsertRange(p, Encoding.Latin1.GetBytes("\r\n+CEREG: 5\r\n")); break;
                }
            }

            return bytes.ToArray();
        });

    [Fact]
    public void RandomAndMutatedRepliesInRandomChunksNeverCrashTheParser()
    {
        var commands = new[] { ("AT%CMNG=1", "%CMNG:"), ("AT%CMNG=2,7,0", "%CMNG:"), ("AT+CGSN", (string?)null), ("AT%KEYGEN=1,2,0", "%KEYGEN:"), ("AT+CGMM", null) };
        int cases = 0, complete = 0;
        Gen<byte[]> bytes = Gen.OneOf(Gen.Byte.Array[0, 600], Mutated);
        Gen.Select(bytes, Gen.Int[1, 64], Gen.Int[0, commands.Length - 1], Gen.Bool).Sample((data, chunk, c, shell) =>
        {
            (string command, string? prefix) = commands[c];
            var collector = new AtResponseCollector(new AtRequest(command) { ResponsePrefix = prefix }, command, shell ? CommandMode.Shell : CommandMode.At);
            var assembler = new AtLineAssembler();
            var pieces = new List<LinePiece>();
            for (int offset = 0; offset < data.Length && !collector.IsComplete; offset += chunk)
            {
                pieces.Clear();
                assembler.Feed(data, offset, Math.Min(chunk, data.Length - offset), pieces);
                foreach (LinePiece piece in pieces)
                {
                    if (collector.Accept(piece))
                    {
                        break;
                    }
                }
            }

            Interlocked.Increment(ref cases);
            if (collector.IsComplete)
            {
                Interlocked.Increment(ref complete);
                Assert.True(collector.Result is AtResultKind.Ok or AtResultKind.Error or AtResultKind.CmeError or AtResultKind.CmsError);
            }
        }, iter: 40000, threads: 1);
        _output.WriteLine("AT parser fuzz: " + cases + " cases (" + complete + " reached a final result), no exception.");

        // Half the cases are real replies with a few edits: a good share of them must still parse to a
        // final result, or the fuzz only ever fed the parser noise and proved nothing about replies.
        Assert.True(complete >= cases / 10, "only " + complete + " of " + cases + " cases reached a final result");
    }

    [Fact]
    public void TheEngineOverRandomByteStreamsOnlyAnswersOrThrowsTypedErrors()
    {
        int cases = 0, answered = 0;
        var clock = Stopwatch.StartNew();
        Gen.OneOf(Gen.Byte.Array[0, 300], Mutated).Sample(data =>
        {
            using var device = new At.ScriptedDevice(_ => Encoding.Latin1.GetString(data), chunk: 7);
            using AtChannel channel = At.ScriptedDevice.Channel(device);
            channel.DefaultTimeout = TimeSpan.FromMilliseconds(100);
            channel.ResyncProbeTimeout = TimeSpan.FromMilliseconds(40);
            try
            {
                channel.Execute(new AtRequest("AT%CMNG=1") { ResponsePrefix = "%CMNG:" }, null, CancellationToken.None);
                Interlocked.Increment(ref answered);
            }
            catch (ModemException)
            {
                // Typed: timeout, protocol, session unusable.
            }

            Interlocked.Increment(ref cases);
        }, iter: 120, threads: 1);
        _output.WriteLine("AT engine fuzz: " + cases + " random streams, " + answered + " answered, the rest typed errors, " + clock.Elapsed.TotalSeconds.ToString("0.0") + " s.");

        // Both outcomes must have occurred: streams that answer and streams that end in a typed error.
        Assert.InRange(answered, 1, cases - 1);
    }

    [Fact]
    public void SoakTenThousandCommandsUnderRandomNoiseLoseNothingAndKeepMemoryFlat()
    {
        using var modem = new VirtualModem(new VirtualModemOptions { Seed = 11, RandomNoiseRate = 0.2 });
        modem.Preload(1, 0, Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nc29haw==\n-----END CERTIFICATE-----\n"));
        using ModemClient client = ModemClient.Connect(new LinkTransport(modem.ConnectInProcess(), "simulator://soak", TransportKind.InProcess, "virtual modem"), new ModemClientOptions(), null, CancellationToken.None);
        const int commands = 10000;
        long memoryAtStart = 0;
        var clock = Stopwatch.StartNew();
        int unsolicited = 0;
        for (int i = 0; i < commands; i++)
        {
            if (i == 1000)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                memoryAtStart = GC.GetTotalMemory(true);
            }

            switch (i % 4)
            {
                case 0:
                    Assert.Equal(modem.Imei, client.Channel.Execute(new AtRequest("AT+CGSN"), null, CancellationToken.None).Lines.Single());
                    break;
                case 1:
                    AtResponse list = client.Channel.Execute(new AtRequest("AT%CMNG=1,1") { ResponsePrefix = "%CMNG:" }, null, CancellationToken.None);
                    Assert.StartsWith("%CMNG: 1,0,", Assert.Single(list.Lines));
                    unsolicited += list.Unsolicited.Count;
                    break;
                case 2:
                    AtResponse mode = client.Channel.Execute(new AtRequest("AT+CFUN?") { ResponsePrefix = "+CFUN:" }, null, CancellationToken.None);
                    Assert.Equal("+CFUN: 0", Assert.Single(mode.Lines));
                    unsolicited += mode.Unsolicited.Count;
                    break;
                default:
                    Assert.Equal("nRF9160-SICA", client.Channel.Execute(new AtRequest("AT+CGMM"), null, CancellationToken.None).Lines.Single());
                    break;
            }
        }

        clock.Stop();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long memoryAtEnd = GC.GetTotalMemory(true);
        double perSecond = commands / clock.Elapsed.TotalSeconds;
        _output.WriteLine("Soak: " + commands + " commands in " + clock.Elapsed.TotalSeconds.ToString("0.0") + " s (" + perSecond.ToString("0") + "/s), "
            + unsolicited + " unsolicited lines set aside, managed memory " + (memoryAtStart / 1024) + " KiB after 1,000 commands and " + (memoryAtEnd / 1024) + " KiB after 10,000.");
        Assert.True(memoryAtEnd - memoryAtStart < 8 * 1024 * 1024, "memory grew by " + (memoryAtEnd - memoryAtStart) + " bytes");
        Assert.True(unsolicited > 0, "the noise knob produced no unsolicited lines: the soak would prove nothing");
    }
}
