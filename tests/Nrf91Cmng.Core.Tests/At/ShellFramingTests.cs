namespace Nrf91Cmng.Core.Tests.At;

/// <summary>
/// The engine on Zephyr shells: a command is over at the next prompt (VT100 colours dropped first),
/// the echo (wrapped at 80 columns) never becomes output, log lines stay apart, and connect tells the
/// raw AT console from shells with 'at', 'cred' or both, at no extra cost on the raw console.
/// </summary>
public sealed class ShellFramingTests
{
    private const string Prompt = "\x1b[1;32muart:~$ \x1b[m";

    /// <summary>A scripted Zephyr shell: echo, output, then the (coloured) prompt, as a real one prints them.</summary>
    private static ScriptedDevice Shell(Func<string, string> output, int chunk = int.MaxValue)
    {
        var device = new ScriptedDevice(line => line + "\r\n" + output(line) + Prompt, chunk);
        device.Push(Prompt);
        return device;
    }

    private static AtChannel ShellChannel(ScriptedDevice device, CommandMode mode = CommandMode.Cred)
    {
        AtChannel channel = ScriptedDevice.Channel(device);
        channel.Mode = mode;
        channel.Prompt = "uart:~$ ";
        return channel;
    }

    [Fact]
    public void AShellCommandEndsAtThePromptWithColoursEchoAndPromptRemoved()
    {
        using ScriptedDevice device = Shell(line => line == "cred list" ? "42,CA,59FXbTxVUc/JBxlTpwmGQFOmq+FOkoHPws0RtI5vBTw=,0\r\n1 credentials found.\r\n" : "\x1b[1;31m" + line + ": command not found\r\n\x1b[m");
        using AtChannel channel = ShellChannel(device);
        Thread.Sleep(50);
        ShellResponse response = channel.ExecuteShell(new ShellRequest("cred list"), null, CancellationToken.None);
        Assert.Equal(new[] { "42,CA,59FXbTxVUc/JBxlTpwmGQFOmq+FOkoHPws0RtI5vBTw=,0", "1 credentials found." }, response.Lines);
        ShellResponse unknown = channel.ExecuteShell(new ShellRequest("foo"), null, CancellationToken.None);
        Assert.Equal(new[] { "foo: command not found" }, unknown.Lines);
    }

    [Fact]
    public void AReplyArrivingByteByByteEndsOnlyAtThePrompt()
    {
        using ScriptedDevice device = Shell(_ => "Stored 48 bytes.\r\n", chunk: 1);
        using AtChannel channel = ShellChannel(device);
        Thread.Sleep(50);
        string chunk = new string('Q', 48);
        ShellResponse response = channel.ExecuteShell(new ShellRequest("cred buf " + chunk) { DisplayText = "cred buf <48 characters>" }, null, CancellationToken.None);
        Assert.Equal(new[] { "Stored 48 bytes." }, response.Lines);
        Assert.Equal("cred buf <48 characters>", response.Command);
    }

    [Fact]
    public void AWrappedEchoIsDroppedAndLogLinesAfterThePromptAreKeptApart()
    {
        // prompt (8) + 72 characters reach column 80: the shell adds CR LF inside the echo.
        string line = "cred add 42 CA DEFAULT bint " + new string('A', 44) + "LS0t";
        using ScriptedDevice device = new(sent => sent.Length <= 72 ? sent + "\r\n-1\r\n" + Prompt
            : sent.Substring(0, 72) + "\r\n" + sent.Substring(72) + "\r\nFailed to add TLS credential with sectag 42 and type CA_CERT. Error: -1\r\n.Credential buffer cleared.\r\n"
            + Prompt + "\x1b[8D\x1b[J[00:00:12.345,678] \x1b[1;33m<wrn> modem_key_mgmt: Not allowed when LTE connection is active\x1b[0m\r\n" + Prompt);
        device.Push(Prompt);
        using AtChannel channel = ShellChannel(device);
        Thread.Sleep(50);
        var log = new RecordingLog();
        ShellResponse response = channel.ExecuteShell(new ShellRequest(line), log, CancellationToken.None);
        Assert.Equal(new[] { "Failed to add TLS credential with sectag 42 and type CA_CERT. Error: -1", ".Credential buffer cleared." }, response.Lines);
        Assert.DoesNotContain(response.Lines, l => l.Contains("AAAA", StringComparison.Ordinal));

        // The log line came with or after the prompt: reported as unsolicited, never as output.
        ShellResponse next = channel.ExecuteShell(new ShellRequest("retval"), log, CancellationToken.None);
        Assert.Equal(new[] { "-1" }, next.Lines);
        Assert.Contains(log.Verbose, v => v.StartsWith("Unsolicited: [00:00:12.345,678] <wrn> modem_key_mgmt: Not allowed", StringComparison.Ordinal));
    }

    [Fact]
    public void AnEchoAfterALogLineIsStillNeverOutputNorLogged()
    {
        // A deferred log line lands between the line end and the echo of a chunk of a key.
        const string Chunk = "MHcCAQEEIBkVbKx3SECRETSECRETSECRETSECRETSECRETAoGCCqG";
        using var device = new ScriptedDevice(line => "[00:00:01.000,000] <inf> app: tick\r\n" + line + "\r\nStored 52 bytes.\r\n" + Prompt);
        device.Push(Prompt);
        using AtChannel channel = ShellChannel(device);
        Thread.Sleep(50);
        var log = new RecordingLog();
        var seen = new List<string>();
        channel.Observer = new Seen(seen);
        ShellResponse response = channel.ExecuteShell(new ShellRequest("cred buf " + Chunk) { DisplayText = "cred buf <52 characters of a key>" }, log, CancellationToken.None);
        Assert.Equal(new[] { "Stored 52 bytes." }, response.Lines);
        Assert.DoesNotContain(log.Debug.Concat(log.Verbose).Concat(seen), l => l.Contains("SECRET", StringComparison.Ordinal));
    }

    private sealed class Seen(List<string> seen) : Logging.ITrafficObserver
    {
        public void OnTraffic(DateTimeOffset time, Logging.TrafficDirection direction, string text) => seen.Add(text);
    }

    [Fact]
    public void AShellThatHasNotPrintedItsPromptYetIsNotOver()
    {
        using var device = new ScriptedDevice(line => line + "\r\n0 credentials found.\r\n");
        using AtChannel channel = ShellChannel(device);
        ThreadPool.QueueUserWorkItem(_ =>
        {
            Thread.Sleep(400);
            device.Push(Prompt);
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ShellResponse response = channel.ExecuteShell(new ShellRequest("cred list"), null, CancellationToken.None);
        Assert.True(clock.ElapsedMilliseconds >= 350, "completed after " + clock.ElapsedMilliseconds + " ms, before the prompt");
        Assert.Equal(new[] { "0 credentials found." }, response.Lines);
    }

    [Fact]
    public void AtThroughAShellWaitsForThePromptAfterTheOk()
    {
        using var device = new ScriptedDevice(line => line + "\r\n352656109480783\r\r\nOK\r\r\n\r\n");
        using AtChannel channel = ShellChannel(device, CommandMode.CredAndAt);
        ThreadPool.QueueUserWorkItem(_ =>
        {
            Thread.Sleep(300);
            device.Push(Prompt);
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        AtResponse response = channel.Execute(new AtRequest("AT+CGSN"), null, CancellationToken.None);
        Assert.True(response.IsOk);
        Assert.Equal(new[] { "352656109480783" }, response.Lines);
        Assert.True(clock.ElapsedMilliseconds >= 250, "the next line would have gone to a busy shell");
        Assert.Equal("at 'AT+CGSN'", device.Received.Single());
    }

    [Fact]
    public void ACredOnlyShellRefusesAtCommandsWithoutSendingThem()
    {
        using var device = new ScriptedDevice(_ => null);
        using AtChannel channel = ShellChannel(device, CommandMode.Cred);
        var ex = Assert.Throws<ModemException>(() => channel.Execute(new AtRequest("AT%CMNG=0,1,2,\"SECRET\""), null, CancellationToken.None));
        Assert.Equal(ErrorIds.AtNotAvailable, ex.ErrorId);
        Assert.DoesNotContain("SECRET", ex.Message, StringComparison.Ordinal);
        Assert.Empty(device.Received);
        channel.Mode = CommandMode.CredAndAt;
        Assert.Equal("at 'AT+CFUN?'", channel.Frame("AT+CFUN?"));
    }

    [Fact]
    public void QuotedContentReadThroughAShellGetsItsLineEndsBack()
    {
        // The shell writes every LF as CR LF: stored CR LF arrives as CR CR LF, stored LF as CR LF.
        string reply = "uart:~$ at 'AT%CMNG=2,7,0'\r\n%CMNG: 7,0,\"ABCD\",\"-----BEGIN X-----\r\r\nQUJD\r\r\n-----END X-----\r\r\n\"\r\r\nOK\r\r\n\r\nuart:~$ ";
        var collector = new AtResponseCollector(new AtRequest("AT%CMNG=2,7,0") { ResponsePrefix = "%CMNG:" }, "at 'AT%CMNG=2,7,0'", CommandMode.Shell);
        var assembler = new AtLineAssembler();
        var pieces = new List<LinePiece>();
        byte[] bytes = Encoding.Latin1.GetBytes(reply);
        assembler.Feed(bytes, 0, bytes.Length, pieces);
        foreach (LinePiece piece in pieces)
        {
            collector.Accept(piece);
        }

        Assert.True(collector.IsComplete);
        Assert.Equal("%CMNG: 7,0,\"ABCD\",\"-----BEGIN X-----\r\nQUJD\r\n-----END X-----\r\n\"", collector.Lines.Single());
    }

    [Fact]
    public void TheLineProbeFindsTheShellCommandBufferAndRefusesALongerLineBeforeSendingIt()
    {
        using VirtualModem modem = new(new VirtualModemOptions { Framing = ModemFraming.ZephyrShell, ShellCommands = ShellCommandSet.At, ShellColors = true });
        using ModemClient client = Connect(modem, CommandMode.Auto);
        Assert.Equal(CommandMode.Shell, client.Mode);
        string longWrite = "AT%CMNG=0,9,4,\"" + new string('i', 300) + "\"";
        int before = modem.ReceivedCommands.Count;
        var ex = Assert.Throws<ModemException>(() => client.Send(new AtRequest(longWrite), null, CancellationToken.None));
        Assert.Equal(ErrorIds.ShellLineTooLong, ex.ErrorId);
        Assert.Contains("CONFIG_SHELL_CMD_BUFF_SIZE 256", ex.Message, StringComparison.Ordinal);
        Assert.Equal(255, client.Channel.ShellLineLimit);
        Assert.Equal(before, modem.ReceivedCommands.Count);
        Assert.Null(modem.GetStoredBytes(9, 4));

        // A short one still goes, and a second long one is refused without measuring again.
        Assert.True(client.Send(new AtRequest("AT%CMNG=0,9,4,\"id\""), null, CancellationToken.None).IsOk);
        Assert.Throws<ModemException>(() => client.Send(new AtRequest(longWrite), null, CancellationToken.None));
    }

    [Fact]
    public void AShellThatTakesQuestionMarksAsWildcardsIsSaidSoAndStillConnects()
    {
        using VirtualModem modem = new(new VirtualModemOptions { Framing = ModemFraming.ZephyrShell, ShellWildcards = true });
        var log = new RecordingLog();
        using ModemClient client = Connect(modem, CommandMode.Auto, log);
        Assert.Equal(CommandMode.CredAndAt, client.Mode);
        Assert.NotNull(client.Identity.Imei);
        Assert.Null(client.KnownFunctionalMode);
        Assert.False(client.FunctionalModeReadable);
        Assert.Contains(log.Warnings, w => w.Contains("CONFIG_SHELL_WILDCARD", StringComparison.Ordinal));
        var ex = Assert.Throws<ModemException>(() => client.GetFunctionalMode(null, CancellationToken.None));
        Assert.Equal(ErrorIds.ShellCommandFailed, ex.ErrorId);
        Assert.Contains("wildcard", ex.Message, StringComparison.Ordinal);
        Assert.True(client.Send(new AtRequest("AT+CGMM"), null, CancellationToken.None).IsOk); // the session goes on
    }

    public static TheoryData<string, VirtualModemOptions, CommandMode> FrontEnds() => new()
    {
        { "at_host", new VirtualModemOptions(), CommandMode.At },
        { "serial_lte_modem", new VirtualModemOptions { Framing = ModemFraming.SerialLteModem }, CommandMode.At },
        { "legacy shell (at)", new VirtualModemOptions { Framing = ModemFraming.Shell }, CommandMode.Shell },
        { "NCS shell (at and cred)", new VirtualModemOptions { Framing = ModemFraming.ZephyrShell }, CommandMode.CredAndAt },
        { "cred only, volatile", new VirtualModemOptions { Framing = ModemFraming.ZephyrShell, ShellCommands = ShellCommandSet.Cred, CredentialBackend = TlsCredentialBackend.Volatile }, CommandMode.Cred },
        { "at only, no colours, mosh prompt", new VirtualModemOptions { Framing = ModemFraming.ZephyrShell, ShellCommands = ShellCommandSet.At, ShellColors = false, ShellPrompt = "mosh:~$ " }, CommandMode.Shell },
        { "both, custom prompt", new VirtualModemOptions { Framing = ModemFraming.ZephyrShell, ShellPrompt = "board> " }, CommandMode.CredAndAt },
    };

    [Theory]
    [MemberData(nameof(FrontEnds))]
    public void ConnectDetectsTheConsole(string name, VirtualModemOptions options, CommandMode expected)
    {
        options.Imei = "352656109480783";
        using VirtualModem modem = new(options);
        var log = new RecordingLog();
        using ModemClient client = Connect(modem, CommandMode.Auto, log);
        Assert.True(expected == client.Mode, name + ": " + client.Mode);
        Assert.Contains(log.Verbose, v => v.StartsWith("Command mode: " + ModemClient.Describe(expected), StringComparison.Ordinal));
        if (expected == CommandMode.Cred)
        {
            Assert.Null(client.Identity.Imei);
            Assert.Null(client.KnownFunctionalMode);
            Assert.DoesNotContain(modem.ReceivedCommands, c => !c.StartsWith("AT+CMEE", StringComparison.Ordinal) && !c.StartsWith("AT%CMNG=1", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal("352656109480783", client.Identity.Imei);
        }
    }

    [Fact]
    public void OnTheRawConsoleDetectionCostsOneCommandAsBefore()
    {
        using VirtualModem modem = new(new VirtualModemOptions());
        using ModemClient client = Connect(modem, CommandMode.Auto);
        Assert.Equal(new[] { "AT+CMEE=1", "AT+CGMM", "AT+CGMR", "AT+CGSN", "AT+CFUN?" }, modem.ReceivedCommands);
        Assert.Equal(5, client.Channel.CommandCount);
    }

    [Fact]
    public void AShellWithNeitherAtNorCredIsAClearError()
    {
        using VirtualModem modem = new(new VirtualModemOptions { Framing = ModemFraming.ZephyrShell, ShellCommands = ShellCommandSet.None });
        var ex = Assert.Throws<ModemException>(() => Connect(modem, CommandMode.Auto));
        Assert.Equal(ErrorIds.ShellWithoutCommands, ex.ErrorId);
        Assert.Contains("cred: command not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at: command not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("uart:~$", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CommandMode.Cred)]
    [InlineData(CommandMode.CredAndAt)]
    [InlineData(CommandMode.Shell)]
    public void CommandModeForcesAShellMode(CommandMode mode)
    {
        using VirtualModem modem = new(new VirtualModemOptions { Framing = ModemFraming.ZephyrShell });
        using ModemClient client = Connect(modem, mode);
        Assert.Equal(mode, client.Mode);
        Assert.Equal("uart:~$ ", client.Channel.Prompt);
        Assert.Equal(mode != CommandMode.Cred, client.Identity.Imei is not null);
    }

    private static ModemClient Connect(VirtualModem modem, CommandMode mode, RecordingLog? log = null) =>
        ModemClient.Connect(new LinkTransport(modem.ConnectInProcess(), "simulator://shell", TransportKind.InProcess, "virtual modem"),
            new ModemClientOptions { Mode = mode, DetectTimeout = TimeSpan.FromSeconds(1) }, log, CancellationToken.None);
}
