using System.Text;
using BenchmarkDotNet.Attributes;
using Nrf91Cmng.Core.At;

namespace Nrf91Cmng.Benchmarks;

/// <summary>Parser throughput and allocations: a 1,000-entry %CMNG=1 list and a 4 KB %CMNG=2 read, fed in 64-byte reads as a serial port delivers them.</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private byte[] _list = Array.Empty<byte>();
    private byte[] _read = Array.Empty<byte>();

    [GlobalSetup]
    public void Setup()
    {
        var list = new StringBuilder();
        for (int i = 0; i < 1000; i++)
        {
            list.Append("%CMNG: ").Append(16842753 + i).Append(",0,\"2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1\"\r\n");
        }

        _list = Encoding.ASCII.GetBytes(list.Append("OK\r\n").ToString());
        var pem = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
        while (pem.Length < 4000)
        {
            pem.Append("MIIDQTCCAimgAwIBAgITBmyfz5m/jAo54vB4ikPmljZbyjANBgkqhkiG9w0BAQsF\n");
        }

        pem.Append("-----END CERTIFICATE-----\n");
        _read = Encoding.ASCII.GetBytes("%CMNG: 16842753,0,\"2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1\",\"" + pem + "\"\r\nOK\r\n");
    }

    [Benchmark]
    public int List1000Entries() => Parse(_list, "AT%CMNG=1");

    [Benchmark]
    public int Read4KilobytePem() => Parse(_read, "AT%CMNG=2,16842753,0");

    private static int Parse(byte[] bytes, string command)
    {
        var collector = new AtResponseCollector(new AtRequest(command) { ResponsePrefix = "%CMNG:" }, command, CommandMode.At);
        var assembler = new AtLineAssembler();
        var pieces = new List<LinePiece>();
        for (int offset = 0; offset < bytes.Length; offset += 64)
        {
            pieces.Clear();
            assembler.Feed(bytes, offset, Math.Min(64, bytes.Length - offset), pieces);
            foreach (LinePiece piece in pieces)
            {
                collector.Accept(piece);
            }
        }

        return collector.Lines.Count;
    }
}
