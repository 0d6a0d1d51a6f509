namespace Nrf91Cmng.Core.Tests.At;

/// <summary>The response collector against the public vectors, fed whole, split at every position and byte by byte.</summary>
public sealed class ResponseParsingTests
{
    internal const string AmazonRootCa1 = Crypto.Vectors.AmazonRootCa1;

    internal const string AmazonSha = Crypto.Vectors.AmazonRootCa1Sha256;

    private const string Tv4FullList =
        "%CMNG: 42,0,\"2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1\"\r\n" +
        "%CMNG: 1001,0,\"39FDCF28AEFFE08D03251FCCAF645E3C5DE19FA4EBBAFC89B4EDE2A422148BAB\"\r\n" +
        "%CMNG: 16842753,0,\"2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1\"\r\n" +
        "%CMNG: 16842753,1,\"B9BAC15641653CAE2B5151DCBD0C40DDCDF19125950FA2475977437EA35F7A45\"\r\n" +
        "%CMNG: 16842753,2,\"3EB33ABEB054A64578ED0ACF2BC13D570557FDEB413566D3D4678A2B89F65695\"\r\n" +
        "%CMNG: 4294967293,10,\"2C43952EE9E000FF2ACC4E2ED0897C0A72AD5FA72C3D934E81741CBD54F05BD1\"\r\n" +
        "%CMNG: 4294967294,6,\"A3CC4121A62D4BB103AE92F70A77A456886AE3CD5B2D156A200A1B90D9E92E05\"\r\n" +
        "%CMNG: 4294967292,11,\"2027C4699EAA90A414D33FA81B975C0FDEDEFB04A19CEA1ED43A8876CAD31E89\"\r\n" +
        "OK\r\n";

    private static string ReadReply(string content) => "%CMNG: 16842753,0,\"" + AmazonSha + "\",\"" + content + "\"\r\nOK\r\n";

    public static TheoryData<string, string, string?, string[], string> Vectors => new()
    {
        // name, command, prefix, expected lines, reply bytes
        { "TV-4 empty list", "AT%CMNG=1", "%CMNG:", Array.Empty<string>(), "OK\r\n" },
        { "TV-4 digest lookup", "AT%CMNG=1,16842753,1", "%CMNG:", new[] { "%CMNG: 16842753,1,\"B9BAC15641653CAE2B5151DCBD0C40DDCDF19125950FA2475977437EA35F7A45\"" },
            "%CMNG: 16842753,1,\"B9BAC15641653CAE2B5151DCBD0C40DDCDF19125950FA2475977437EA35F7A45\"\r\nOK\r\n" },
        { "TV-11 read PSK identity", "AT%CMNG=2,16842753,4", "%CMNG:", new[] { "%CMNG: 16842753,4,\"" + AmazonSha + "\",\"nrf-124578\"" },
            "%CMNG: 16842753,4,\"" + AmazonSha + "\",\"nrf-124578\"\r\nOK\r\n" },
        { "multi-line PEM read (LF content)", "AT%CMNG=2,16842753,0", "%CMNG:", new[] { "%CMNG: 16842753,0,\"" + AmazonSha + "\",\"" + AmazonRootCa1 + "\"" }, ReadReply(AmazonRootCa1) },
        { "multi-line PEM read (CRLF content)", "AT%CMNG=2,16842753,0", "%CMNG:", new[] { "%CMNG: 16842753,0,\"" + AmazonSha + "\",\"" + AmazonRootCa1.Replace("\n", "\r\n") + "\"" }, ReadReply(AmazonRootCa1.Replace("\n", "\r\n")) },
        { "content holding an OK line", "AT%CMNG=2,7,4", "%CMNG:", new[] { "%CMNG: 7,4,\"" + AmazonSha + "\",\"a\nOK\nERROR\n\"" }, "%CMNG: 7,4,\"" + AmazonSha + "\",\"a\nOK\nERROR\n\"\r\nOK\r\n" },
        { "base64url with OK inside", "AT%KEYGEN=42,2,0", "%KEYGEN:", new[] { "%KEYGEN: \"MIIBOKabcOK.0oRDOK\"" }, "%KEYGEN: \"MIIBOKabcOK.0oRDOK\"\r\nOK\r\n" },
        { "SLM framing", "AT%CMNG=1,16842753,0", "%CMNG:", new[] { "%CMNG: 16842753,0,\"" + AmazonSha + "\"" }, "\r\n%CMNG: 16842753,0,\"" + AmazonSha + "\"\r\n\r\nOK\r\n" },
        { "URCs and logs between lines", "AT+CFUN=4", "+CFUN:", Array.Empty<string>(), "+CSCON: 1\r\n[00:00:12.345,678] <inf> lte_lc: Network registration status: 0\r\n+CEREG: 0\r\n+CSCON: 0\r\nOK\r\n" },
        { "ANSI colours", "AT+CGMR", null, new[] { "mfw_nrf9160_1.3.5" }, "\u001b[1;32mmfw_nrf9160_1.3.5\u001b[0m\r\n\u001b[1;32mOK\u001b[0m\r\n" },
        { "echo then bare IMEI", "AT+CGSN", null, new[] { "352656109480783" }, "AT+CGSN\r\n352656109480783\r\nOK\r\n" },
        { "CME error", "AT%CMNG=2,4567,0", "%CMNG:", Array.Empty<string>(), "+CME ERROR: 513\r\n" },
        { "list with URC before and after", "AT%CMNG=1", "%CMNG:", Tv4FullList.Split("\r\n").Where(l => l.StartsWith("%CMNG", StringComparison.Ordinal)).ToArray(), "+CEREG: 2,\"4A2B\",\"0123ABCD\",7\r\n" + Tv4FullList + "+CSCON: 0\r\n" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void VectorParsesWholeSplitAndByteByByte(string name, string command, string? prefix, string[] expected, string reply)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(reply);
        AtResponseCollector whole = Collect(command, prefix, bytes, new[] { bytes.Length });
        Assert.True(whole.IsComplete, name);
        Assert.Equal(expected, whole.Lines);

        for (int split = 1; split < bytes.Length; split++)
        {
            AtResponseCollector parts = Collect(command, prefix, bytes, new[] { split, bytes.Length - split });
            Assert.Equal(expected, parts.Lines);
            Assert.Equal(whole.Result, parts.Result);
            Assert.Equal(whole.ErrorCode, parts.ErrorCode);
        }

        AtResponseCollector single = Collect(command, prefix, bytes, Enumerable.Repeat(1, bytes.Length).ToArray());
        Assert.Equal(expected, single.Lines);
    }

    [Fact]
    public void UrcsBetweenEveryLineNeverChangeTheResult()
    {
        string[] lines = Tv4FullList.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string noisy = string.Concat(lines.Select(l => "+CSCON: 1\r\n[00:00:01.000,000] <inf> app: tick\r\n%XSIM: 1\r\n" + l + "\r\n"));
        AtResponseCollector c = Collect("AT%CMNG=1", "%CMNG:", Encoding.Latin1.GetBytes(noisy), new[] { 7, 13, 1, 64 });
        Assert.Equal(lines.Where(l => l != "OK"), c.Lines);
        Assert.Equal(AtResultKind.Ok, c.Result);
        Assert.Equal(3 * lines.Length, c.Unsolicited.Count);
    }

    [Theory]
    [InlineData("OK", AtResultKind.Ok, null)]
    [InlineData("ERROR", AtResultKind.Error, null)]
    [InlineData("+CME ERROR: 518", AtResultKind.CmeError, 518)]
    [InlineData("+CME ERROR:527", AtResultKind.CmeError, 527)]
    [InlineData("+CMS ERROR: 301", AtResultKind.CmsError, 301)]
    public void FinalResultsAreWholeLines(string line, AtResultKind kind, int? code)
    {
        Assert.True(AtResponseCollector.TryParseFinal(line, out AtResultKind k, out int? c));
        Assert.Equal(kind, k);
        Assert.Equal(code, c);
    }

    [Theory]
    [InlineData("OKAY")]
    [InlineData("MIIBOK")]
    [InlineData("NOT OK")]
    [InlineData("ERRORS")]
    [InlineData("+CME ERRORS: 5")]
    public void SubstringsAreNotFinalResults(string line) => Assert.False(AtResponseCollector.TryParseFinal(line, out _, out _));

    [Fact]
    public void Tv4ListParsesIntoEntriesWithModemOwnedTags()
    {
        var entries = Tv4FullList.Split("\r\n").Where(l => l.StartsWith("%CMNG", StringComparison.Ordinal)).Select(l => AtCredentialStore.ParseEntry(l, false)).ToList();
        Assert.Equal(8, entries.Count);
        Assert.Equal(5, entries.Count(e => !e.IsModemOwnedTag));
        Assert.Equal(4294967292u, entries[^1].SecTag);
        Assert.Equal(CredentialType.NordicBasePublicKey, entries[^1].Type);
        Assert.All(entries, e => Assert.Equal(64, e.Sha256!.Length));
    }

    [Fact]
    public void Tv4DigestOneByteShortIsRejected()
    {
        var ex = Assert.Throws<ModemProtocolException>(() => AtCredentialStore.ParseEntry("%CMNG: 16842753,1,\"B9BAC15641653CAE2B5151DCBD0C40DDCDF19125950FA2475977437EA35F7A\"", false));
        Assert.Equal(ErrorIds.UnexpectedResponse, ex.ErrorId);
        Assert.Contains("62 characters", ex.Message);
    }

    [Theory]
    [InlineData("%CMNG: 16842753,0,\"0000000000000000000000000000000000000000000000000000000000000000\"", 0)]
    [InlineData("%CMNG: 51966,3,\"0303030303030303030303030303030303030303030303030303030303030303\"", 3)]
    [InlineData("%CMNG: 51966,4,\"0404040404040404040404040404040404040404040404040404040404040404\"", 4)]
    public void Tv8PlaceholderDigestsAreRecognised(string line, int type)
    {
        CredentialEntry entry = AtCredentialStore.ParseEntry(line, false);
        Assert.True(entry.IsPlaceholderDigest);
        Assert.Null(entry.Sha256);
        Assert.Equal((CredentialType)type, entry.Type);
    }

    [Fact]
    public void DocExampleSpacesAreAccepted()
    {
        CredentialEntry entry = AtCredentialStore.ParseEntry("%CMNG: 12345678, 0, \"" + AmazonSha + "\"", false);
        Assert.Equal(12345678u, entry.SecTag);
        Assert.Equal(AmazonSha, entry.Sha256);
    }

    [Fact]
    public void ReadContentComesBackByteForByte()
    {
        string crlf = AmazonRootCa1.Replace("\n", "\r\n");
        AtResponseCollector c = Collect("AT%CMNG=2,16842753,0", "%CMNG:", Encoding.Latin1.GetBytes(ReadReply(crlf)), new[] { 3, 61, 2 });
        CredentialEntry entry = AtCredentialStore.ParseEntry(c.Lines.Single(), withContent: true);
        Assert.Equal(crlf, entry.Content);
        Assert.Equal(AmazonSha, entry.Sha256);
    }

    [Fact]
    public void EchoedSecretLinesAreDroppedNotReported()
    {
        string command = "AT%CMNG=0,42,2,\"-----BEGIN PRIVATE KEY-----\nSECRETSECRETSECRET\n-----END PRIVATE KEY-----\n\"";
        string reply = command.Replace("\n", "\r\n") + "\r\nOK\r\n";
        AtResponseCollector c = Collect(command, "%CMNG:", Encoding.Latin1.GetBytes(reply), new[] { 5 });
        Assert.Equal(AtResultKind.Ok, c.Result);
        Assert.Empty(c.Lines);
        Assert.Empty(c.Unsolicited);
        Assert.True(c.EchoLines >= 3);
    }

    [Fact]
    public void TheTailOfALineWhoseStartWasLostNeverOpensAQuote()
    {
        // The port opened (or its input was discarded) in the middle of a URC: the first bytes read are
        // the rest of that line. A cut inside a quoted string leaves an odd quote, which is a closing
        // quote, not an opening one: the reply after it must still end at its OK.
        const string urc = "+CEREG: 5,\"76C1\",\"0102DA04\",7,,,\"11100000\",\"11100000\"\r\n";
        const string after = "+CSCON: 1\r\n+CEREG: 1,\"76C1\",\"0102DA04\",7\r\n[00:00:01.000,000] <inf> app: tick\r\nOK\r\n";
        for (int cut = 1; cut < urc.Length - 2; cut++)
        {
            byte[] bytes = Encoding.Latin1.GetBytes(urc.Substring(cut) + after);
            AtResponseCollector c = Collect("AT", null, bytes, new[] { 3 });
            Assert.True(c.IsComplete, "cut at " + cut + ": " + urc.Substring(cut).Trim());
            Assert.Equal(AtResultKind.Ok, c.Result);
            Assert.False(c.InsideQuote);
            Assert.DoesNotContain(c.Lines, l => l.IndexOf('"') >= 0 && l.Count(ch => ch == '"') % 2 == 1);
        }
    }

    [Fact]
    public void ShellPromptsAndEchoAreStripped()
    {
        string framed = "at 'AT+CGSN'";
        string reply = "uart:~$ at 'AT+CGSN'\r\n352656109480783\r\nOK\r\nuart:~$ ";
        AtResponseCollector c = Collect(framed, null, Encoding.Latin1.GetBytes(reply), new[] { 4 }, CommandMode.Shell);
        Assert.Equal(new[] { "352656109480783" }, c.Lines);
        Assert.Equal(AtResultKind.Ok, c.Result);
    }

    private static AtResponseCollector Collect(string command, string? prefix, byte[] bytes, int[] chunks, CommandMode mode = CommandMode.At)
    {
        var collector = new AtResponseCollector(new AtRequest(command) { ResponsePrefix = prefix }, command, mode);
        var assembler = new AtLineAssembler();
        var pieces = new List<LinePiece>();
        int offset = 0;
        int i = 0;
        while (offset < bytes.Length)
        {
            int size = Math.Min(chunks[i % chunks.Length], bytes.Length - offset);
            pieces.Clear();
            assembler.Feed(bytes, offset, size, pieces);
            foreach (LinePiece piece in pieces)
            {
                collector.Accept(piece);
            }

            offset += size;
            i++;
        }

        return collector;
    }
}
