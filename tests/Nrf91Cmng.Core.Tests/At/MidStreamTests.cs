using System.Text.RegularExpressions;

namespace Nrf91Cmng.Core.Tests.At;

/// <summary>
/// Starting in the middle of the stream: the port opened, its input discarded, or a drain window
/// ended while a line was on the wire, so the first bytes read are the rest of whatever the device
/// was printing (a URC, a log line, an earlier reply, a prompt, line noise). For every cut of that
/// traffic, the reply that follows must still end at its own final result with its own lines;
/// where the bytes are truly ambiguous (a stale final result of an earlier reply), the answer must
/// carry a sign that it is not clean, never look like a clean one.
/// </summary>
public sealed class MidStreamTests
{
    private const string Imei = "352656109480783";

    private const string Urc = "+CEREG: 5,\"76C1\",\"0102DA04\",7,,,\"11100000\",\"11100000\"\r\n";

    private const string LogLine = "[00:00:01.000,000] <inf> lte_lc: Network connectivity changed\r\n";

    private static readonly Regex s_imei = new Regex(@"^\d{14,17}$", RegexOptions.CultureInvariant);

    private static readonly string[] s_list =
    {
        "%CMNG: 16842753,0,\"" + ResponseParsingTests.AmazonSha + "\"",
        "%CMNG: 16842753,1,\"B9BAC15641653CAE2B5151DCBD0C40DDCDF19125950FA2475977437EA35F7A45\"",
    };

    private static string PemRead(string content) => "%CMNG: 16842753,0,\"" + ResponseParsingTests.AmazonSha + "\",\"" + content + "\"";

    /// <summary>What the device was printing when the host started reading (each is cut at every position) and what arrives after the command went.</summary>
    private static readonly string[] s_traffic =
    {
        "urc", "log", "slm-urc", "pem-read-lf", "pem-read-crlf", "slm-pem-read", "noise",
    };

    private static string TrafficText(string name) => name switch
    {
        "urc" => Urc + "+CSCON: 1\r\n",
        "log" => LogLine,
        "slm-urc" => "\r\n" + Urc.TrimEnd() + "\r\n\r\n+CSCON: 0\r\n",
        "pem-read-lf" => PemRead(ResponseParsingTests.AmazonRootCa1) + "\r\nOK\r\n",
        "pem-read-crlf" => PemRead(ResponseParsingTests.AmazonRootCa1.Replace("\n", "\r\n")) + "\r\nOK\r\n",
        "slm-pem-read" => "\r\n" + PemRead(ResponseParsingTests.AmazonRootCa1) + "\r\n\r\nOK\r\n",

        // Text that never gets a line end of its own: a Zephyr shell prompt, a printk without "\n", line noise of a reset.
        "prompt" => "uart:~$ ",
        "printk" => "[00:00:02.000,000] <inf> app: Waiting for network.. ",
        "noise" => "\xff\xf8\x80\xfe",
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The requests as the product builds them, each with the reply of an at_host (no leading CR LF) and of SLM (framed).</summary>
    private static readonly string[] s_commands = { "AT", "AT+CGSN", "AT%CMNG=1", "AT%CMNG=2,16842753,0" };

    public static TheoryData<string, string, bool> Matrix()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (string traffic in s_traffic)
        {
            foreach (string command in s_commands)
            {
                data.Add(traffic, command, false);
                data.Add(traffic, command, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void EveryCutOfPrecedingTrafficLeavesTheReplyItsOwnAnswer(string traffic, string command, bool slmFraming)
    {
        string text = TrafficText(traffic);
        var failures = new List<string>();
        for (int cut = 0; cut < text.Length; cut++)
        {
            string stale = text.Substring(cut);
            string? failure = Check(command, slmFraming, stale);
            if (failure is not null)
            {
                failures.Add("cut " + cut + " (" + Show(stale) + "): " + failure);
            }
        }

        Assert.True(failures.Count == 0, failures.Count + " of " + text.Length + " cuts fail:\n" + string.Join("\n", failures.Take(12)));
    }

    /// <summary>A stale final result (the earlier reply's OK, with nothing of that reply before it) cannot be told from a fresh one: the connect's quiet-line wait handles it, not the collector.</summary>
    [Fact]
    public void ALoneStaleOkIsTheOneAmbiguityAndItIsTakenAsTheAnswer()
    {
        AtResponseCollector c = Collect(Request("AT%CMNG=1"), "OK\r\n" + Reply("AT%CMNG=1", false));
        Assert.True(c.IsComplete);
        Assert.Empty(c.Lines);
        Assert.Empty(c.Unsolicited);
    }

    /// <summary>
    /// The channel keeps what arrived after the last line end before it sends (a prompt, a printk
    /// without a newline, line noise) in its line assembler: the reply's first line must not be
    /// glued to it ("uart:~$ OK" is no final result; "uart:~$ %CMNG: ..." no line of the list).
    /// Every cut of such text is pending in turn, before each of the four requests on one channel.
    /// </summary>
    [Theory]
    [InlineData("prompt")]
    [InlineData("printk")]
    [InlineData("noise")]
    public void TextPendingWithoutALineEndWhenACommandIsSentIsNotGluedToItsReply(string traffic)
    {
        using var device = new ScriptedDevice(cmd => s_commands.Contains(cmd) ? Reply(cmd, slm: false) : "OK\r\n");
        using AtChannel channel = ScriptedDevice.Channel(device);
        channel.DefaultTimeout = TimeSpan.FromMilliseconds(500);
        string text = TrafficText(traffic);
        var failures = new List<string>();
        for (int cut = 0; cut < text.Length; cut += traffic == "printk" ? 7 : 1)
        {
            foreach (string command in s_commands)
            {
                device.Push(text.Substring(cut));
                Thread.Sleep(10);
                try
                {
                    AtResponse r = channel.Execute(Request(command), null, CancellationToken.None);
                    if (!r.IsOk || !RightLines(command, r.Lines))
                    {
                        failures.Add("cut " + cut + " " + command + ": " + r.FinalLine + " [" + string.Join(" | ", r.Lines.Select(Show)) + "]");
                    }
                }
                catch (ModemTimeoutException)
                {
                    failures.Add("cut " + cut + " " + command + ": timeout");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(12)));
    }

    /// <summary>
    /// A line that is still arriving when the command goes (a URC on a slow link, byte by byte, far
    /// more reads than one) is read to its end, kept whole and logged, never cut into a dropped head
    /// and a tail. The quiet gap is widened here so that a loaded machine cannot fake a pause.
    /// </summary>
    [Fact]
    public void AUrcStillArrivingWhenACommandIsSentStaysWhole()
    {
        using var device = new ScriptedDevice(cmd => Reply(cmd, slm: false));
        using AtChannel channel = ScriptedDevice.Channel(device);
        channel.DanglingQuiet = TimeSpan.FromSeconds(2);
        channel.DanglingLimit = TimeSpan.FromSeconds(20);
        var log = new RecordingLog();
        device.Push(Urc.Substring(0, 10));
        var rest = new Thread(() =>
        {
            foreach (char c in Urc.Substring(10))
            {
                Thread.Sleep(1);
                device.Push(c.ToString());
            }
        });
        rest.Start();
        AtResponse r = channel.Execute(Request("AT%CMNG=1"), log, CancellationToken.None);
        rest.Join();
        Assert.Equal(s_list, r.Lines);
        Assert.Empty(r.Unsolicited);
        Assert.Contains(log.Verbose, v => v == "Unsolicited: " + Urc.TrimEnd());
    }

    /// <summary>Null when the reply after <paramref name="stale"/> is collected right (or detectably wrong); otherwise what went wrong.</summary>
    private static string? Check(string command, bool slmFraming, string stale)
    {
        AtResponseCollector c = Collect(Request(command), stale + Reply(command, slmFraming));
        if (!c.IsComplete)
        {
            return "no final result (a real channel waits for its timeout)" + (c.InsideQuote ? ", a quote is open" : string.Empty);
        }

        if (c.Result != AtResultKind.Ok)
        {
            return "result " + c.FinalLine;
        }

        if (RightLines(command, c.Lines))
        {
            return null;
        }

        // An earlier reply's OK ended this one early. Whatever came before it (its lines, or
        // their tails) is kept, so the caller sees the answer is not clean (connect then waits for
        // a quiet line and asks again); only a lone OK is indistinguishable (see the fact above).
        bool staleFinal = Regex.IsMatch(stale, @"(^|[\r\n])OK\r\n");
        bool marked = c.Unsolicited.Count > 0 || c.Lines.Count > 0;
        if (staleFinal && (marked || stale.Trim() == "OK"))
        {
            return null;
        }

        return "silently wrong: lines [" + string.Join(" | ", c.Lines.Select(Show)) + "], unsolicited [" + string.Join(" | ", c.Unsolicited.Select(Show)) + "]";
    }

    /// <summary>Whether <paramref name="lines"/> are the reply's own, read as the product reads them.</summary>
    private static bool RightLines(string command, IReadOnlyList<string> lines) => command switch
    {
        "AT" => true,
        "AT+CGSN" => BareValue(lines) == Imei,
        "AT%CMNG=1" => lines.SequenceEqual(s_list),
        _ => lines.Count == 1 && lines[0] == PemRead(ResponseParsingTests.AmazonRootCa1)
            && AtCredentialStore.ParseEntry(lines[0], withContent: true).Content == ResponseParsingTests.AmazonRootCa1,
    };

    /// <summary>The request exactly as the product builds it (ModemClient.ReadBare, AtCredentialStore.List and Read).</summary>
    private static AtRequest Request(string command) => command switch
    {
        "AT+CGSN" => new AtRequest(command) { BareLineFilter = line => s_imei.IsMatch(ModemClient.AfterNoise(line)) },
        "AT%CMNG=1" or "AT%CMNG=2,16842753,0" => new AtRequest(command) { ResponsePrefix = "%CMNG:" },
        _ => new AtRequest(command),
    };

    /// <summary>ModemClient.ReadBare's value: the last line that, after its last non-printable byte, has the shape.</summary>
    private static string? BareValue(IEnumerable<string> lines) =>
        lines.Select(ModemClient.AfterNoise).LastOrDefault(l => l.Length > 0 && s_imei.IsMatch(l));

    private static string Reply(string command, bool slm)
    {
        string[] lines = command switch
        {
            "AT" => Array.Empty<string>(),
            "AT+CGSN" => new[] { Imei },
            "AT%CMNG=1" => s_list,
            _ => new[] { PemRead(ResponseParsingTests.AmazonRootCa1) },
        };

        // at_host: "line\r\n...OK\r\n"; SLM: "\r\nline\r\n\r\nOK\r\n".
        return slm
            ? string.Concat(lines.Select(l => "\r\n" + l + "\r\n")) + "\r\nOK\r\n"
            : string.Concat(lines.Select(l => l + "\r\n")) + "OK\r\n";
    }

    private static AtResponseCollector Collect(AtRequest request, string bytes)
    {
        var collector = new AtResponseCollector(request, request.Command, CommandMode.At);
        var assembler = new AtLineAssembler();
        var pieces = new List<LinePiece>();
        assembler.Feed(Encoding.Latin1.GetBytes(bytes), 0, bytes.Length, pieces);
        foreach (LinePiece piece in pieces)
        {
            if (collector.Accept(piece))
            {
                break;
            }
        }

        return collector;
    }

    private static string Show(string s) => s.Length > 60 ? s.Substring(0, 57).Replace("\r", "\\r").Replace("\n", "\\n") + "..." : s.Replace("\r", "\\r").Replace("\n", "\\n");
}
