using Nrf91Cmng.Core.Logging;

namespace Nrf91Cmng.Core.Tests.At;

/// <summary>The engine over a scripted device: timeouts, resynchronisation, cancellation, restarts and framing.</summary>
public sealed class AtChannelTests
{
    [Fact]
    public void SilentCommandTimesOutWithinItsTimeoutNamingCommandAndCause_NextCommandWorks()
    {
        bool silent = true;
        using var device = new ScriptedDevice(cmd => cmd == "AT+CGMR" && silent ? null : cmd.Contains("CGMR") ? "mfw_nrf9160_1.3.5\r\nOK\r\n" : "OK\r\n");
        using AtChannel channel = ScriptedDevice.Channel(device);
        var clock = Stopwatch.StartNew();
        var ex = Assert.Throws<ModemTimeoutException>(() => channel.Execute(new AtRequest("AT+CGMR") { Timeout = TimeSpan.FromMilliseconds(400) }, null, CancellationToken.None));
        // It waits the whole timeout (the engine's clock starts after this one), and gives up within a
        // bound that only a hang exceeds: no window that a busy machine can miss.
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), clock.Elapsed.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), clock.Elapsed.ToString());
        Assert.Contains("AT+CGMR", ex.Message);
        Assert.Contains("nothing at all came back", ex.Message);
        Assert.Equal(ErrorIds.CommandTimeout, ex.ErrorId);
        Assert.True(channel.NeedsResync);

        silent = false;
        AtResponse r = channel.Execute(new AtRequest("AT+CGMR"), null, CancellationToken.None);
        Assert.Equal("mfw_nrf9160_1.3.5", Assert.Single(r.Lines));
        Assert.Contains("AT", device.Received);
    }

    [Fact]
    public void AnOddQuoteIsRefusedBeforeItCanHangTheConsole()
    {
        // A console stuck inside a quote is recovered by erasing the line: see the virtual modem's
        // FaultInjectionTests and Reliability/FaultMatrixTests, which model at_host's line editing.
        using var device = new ScriptedDevice(_ => "OK\r\n");
        using AtChannel channel = ScriptedDevice.Channel(device);
        var refused = Assert.Throws<ModemException>(() =>
            channel.Execute(new AtRequest("AT%CMNG=0,42,0,\"-----BEGIN CERTIFICATE-----") { Timeout = TimeSpan.FromMilliseconds(300) }, null, CancellationToken.None));
        Assert.Equal(ErrorIds.CommandNotSendable, refused.ErrorId);
        Assert.Contains("odd number of double quotes", refused.Message);
        Assert.Empty(device.Received);
        Assert.True(channel.Execute(new AtRequest("AT"), null, CancellationToken.None).IsOk);
    }

    [Fact]
    public void CancellationStopsTheWaitAtOnce()
    {
        using var device = new ScriptedDevice(_ => null);
        using AtChannel channel = ScriptedDevice.Channel(device);
        using var cts = new CancellationTokenSource(150);
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => channel.Execute(new AtRequest("AT%KEYGEN=1,2,0") { Timeout = TimeSpan.FromSeconds(30) }, null, cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), "cancellation took " + clock.Elapsed);
        Assert.True(channel.NeedsResync);
    }

    [Fact]
    public void RestartBannerFailsTheCommandFastAndClientReenablesNumericErrors()
    {
        int cmee = 0;
        using var device = new ScriptedDevice(cmd => cmd switch
        {
            "AT+CFUN=4" => "*** Booting nRF Connect SDK v2.6.0 ***\r\nThe AT host sample started\r\n",
            "AT+CMEE=1" => (++cmee > 0 ? "OK\r\n" : null),
            "AT+CFUN?" => "+CFUN: 0\r\nOK\r\n",
            _ => "OK\r\n",
        });
        var options = new ModemClientOptions { Mode = CommandMode.At, Identify = false };
        using ModemClient client = ModemClient.Connect(device.Transport, options, null, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var ex = Assert.Throws<ModemException>(() => client.SetFunctionalMode(4, null, CancellationToken.None));
        Assert.Equal(ErrorIds.ModemRestarted, ex.ErrorId);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2));
        var log = new RecordingLog();
        Assert.Equal(0, client.GetFunctionalMode(log, CancellationToken.None));
        Assert.Equal(2, cmee);
        Assert.Contains(log.Warnings, w => w.Contains("restarted"));
    }

    [Fact]
    public void ConnectionDropIsAConnectionErrorAndTheSessionStaysClosed()
    {
        ScriptedDevice? device = null;
        device = new ScriptedDevice(cmd => { ThreadPool.QueueUserWorkItem(_ => device!.Dispose()); return null; });
        using AtChannel channel = ScriptedDevice.Channel(device);
        var ex = Assert.Throws<ModemConnectionException>(() => channel.Execute(new AtRequest("AT%CMNG=1"), null, CancellationToken.None));
        Assert.Equal(ErrorIds.ConnectionLost, ex.ErrorId);
        var again = Assert.Throws<ModemException>(() => channel.Execute(new AtRequest("AT"), null, CancellationToken.None));
        Assert.Equal(ErrorIds.SessionUnusable, again.ErrorId);
    }

    [Fact]
    public void CommandsLongerThanTheAtHostBufferAreRefusedBeforeSending()
    {
        using var device = new ScriptedDevice(_ => "OK\r\n");
        using AtChannel channel = ScriptedDevice.Channel(device);
        string command = "AT%CMNG=0,1,0,\"" + new string('A', 4090) + "\"";
        var ex = Assert.Throws<ModemException>(() => channel.Execute(new AtRequest(command) { DisplayText = "AT%CMNG=0,1,0,<...>" }, null, CancellationToken.None));
        Assert.Equal(ErrorIds.CommandTooLong, ex.ErrorId);
        Assert.Contains(command.Length.ToString(), ex.Message);
        Assert.Contains("4095", ex.Message);
        Thread.Sleep(100);
        Assert.Empty(device.Received);
    }

    [Fact]
    public void NonAsciiIsRefusedBeforeSending()
    {
        using var device = new ScriptedDevice(_ => "OK\r\n");
        using AtChannel channel = ScriptedDevice.Channel(device);
        var ex = Assert.Throws<ModemException>(() => channel.Execute(new AtRequest("AT%CMNG=0,1,4,\"caf\u00e9\""), null, CancellationToken.None));
        Assert.Equal(ErrorIds.CommandNotSendable, ex.ErrorId);
        Assert.Empty(device.Received);
    }

    [Fact]
    public void UrcFloodDuringACommandDoesNotChangeTheResult()
    {
        string flood = string.Concat(Enumerable.Range(0, 200).Select(i => "+CEREG: " + (i % 5) + "\r\n[00:00:" + (i % 60).ToString("00") + ".000,000] <inf> lte_lc: noise\r\n"));
        using var device = new ScriptedDevice(cmd => cmd == "AT%CMNG=1,42" ? flood + "%CMNG: 42,0,\"" + ResponseParsingTests.AmazonSha + "\"\r\n" + flood + "OK\r\n" : "OK\r\n", chunk: 97);
        using AtChannel channel = ScriptedDevice.Channel(device);
        var log = new RecordingLog();
        AtResponse r = channel.Execute(new AtRequest("AT%CMNG=1,42") { ResponsePrefix = "%CMNG:" }, log, CancellationToken.None);
        Assert.True(r.IsOk);
        Assert.Single(r.Lines);
        Assert.Equal(800, r.Unsolicited.Count);
        Assert.Equal(800, log.Verbose.Count(v => v.StartsWith("Unsolicited:", StringComparison.Ordinal)));
    }

    [Fact]
    public void UnsolicitedLinesBetweenCommandsAreReportedNotMistakenForAnswers()
    {
        using var device = new ScriptedDevice(cmd => cmd == "AT+CGMM" ? "nRF9160-SICA\r\nOK\r\n" : "OK\r\n");
        using AtChannel channel = ScriptedDevice.Channel(device);
        device.Push("+CSCON: 1\r\nOK\r\n");
        Thread.Sleep(50);
        var log = new RecordingLog();
        AtResponse r = channel.Execute(new AtRequest("AT+CGMM"), log, CancellationToken.None);
        Assert.Equal("nRF9160-SICA", Assert.Single(r.Lines));
        Assert.Contains(log.Verbose, v => v.Contains("+CSCON: 1"));
    }

    [Theory]
    [InlineData(LineTerminator.Cr, "\r")]
    [InlineData(LineTerminator.Lf, "\n")]
    [InlineData(LineTerminator.CrLf, "\r\n")]
    public void TerminatorIsAppended(LineTerminator terminator, string expected)
    {
        Assert.Equal(expected, AtChannel.TerminatorText(terminator));
    }

    [Fact]
    public void ShellFramingEscapesNewlinesOnlyForCmngWrite()
    {
        using var device = new ScriptedDevice(_ => "OK\r\n");
        using AtChannel channel = ScriptedDevice.Channel(device);
        channel.Mode = CommandMode.Shell;
        Assert.Equal("at 'AT%CMNG=0,1,0,\"A\\nB\\n\"'", channel.Frame("AT%CMNG=0,1,0,\"A\r\nB\n\""));
        Assert.Equal(ErrorIds.CommandNotSendable, Assert.Throws<ModemException>(() => channel.Frame("AT%XPMNG=0,\"A\nB\"")).ErrorId);
        Assert.Equal(ErrorIds.CommandNotSendable, Assert.Throws<ModemException>(() => channel.Frame("AT%CMNG=0,1,4,\"it's\"")).ErrorId);
    }

    [Fact]
    public void AutoDetectFindsAZephyrShell()
    {
        using var device = new ScriptedDevice(cmd =>
        {
            string line = cmd.Trim();
            if (line.StartsWith("at '", StringComparison.Ordinal))
            {
                string inner = line.Substring(4, line.Length - 5);
                return inner == "AT+CGSN" ? line + "\r\n352656109480783\r\nOK\r\nuart:~$ " : line + "\r\nOK\r\nuart:~$ ";
            }

            return line.Split(' ')[0] + ": command not found\r\nuart:~$ ";
        });
        var options = new ModemClientOptions { Identify = false, DetectTimeout = TimeSpan.FromMilliseconds(300) };
        using ModemClient client = ModemClient.Connect(device.Transport, options, null, CancellationToken.None);
        Assert.Equal(CommandMode.Shell, client.Mode);
        Assert.Equal("352656109480783", client.Identify(null, CancellationToken.None).Imei);
    }

    [Fact]
    public void NothingAnsweringIsAClearNoConsoleError()
    {
        using var device = new ScriptedDevice(_ => null);
        var options = new ModemClientOptions { Identify = false, DetectTimeout = TimeSpan.FromMilliseconds(100) };
        var clock = Stopwatch.StartNew();
        var ex = Assert.Throws<ModemConnectionException>(() => ModemClient.Connect(device.Transport, options, null, CancellationToken.None));
        Assert.Equal(ErrorIds.NoAtConsole, ex.ErrorId);
        Assert.Contains("-Handshake None", ex.Remedy);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void TranscriptObserverSeesRedactedCommandsAndTimestampedLines()
    {
        using var device = new ScriptedDevice(cmd => "OK\r\n");
        using AtChannel channel = ScriptedDevice.Channel(device);
        var seen = new List<(DateTimeOffset, TrafficDirection, string)>();
        channel.Observer = new Recorder(seen);
        channel.Execute(new AtRequest("AT%CMNG=0,1,2,\"SECRETKEY\"") { DisplayText = "AT%CMNG=0,1,2,\"<9 bytes>\"" }, null, CancellationToken.None);
        Assert.Contains(seen, s => s.Item2 == TrafficDirection.Sent && s.Item3 == "AT%CMNG=0,1,2,\"<9 bytes>\"");
        Assert.DoesNotContain(seen, s => s.Item3.Contains("SECRETKEY"));
        Assert.Contains(seen, s => s.Item2 == TrafficDirection.Received && s.Item3 == "OK");
    }

    private sealed class Recorder(List<(DateTimeOffset, TrafficDirection, string)> seen) : ITrafficObserver
    {
        public void OnTraffic(DateTimeOffset time, TrafficDirection direction, string text)
        {
            lock (seen)
            {
                seen.Add((time, direction, text));
            }
        }
    }
}

internal sealed class RecordingLog : IModemLog
{
    public List<string> Verbose { get; } = new();

    public List<string> Debug { get; } = new();

    public List<string> Warnings { get; } = new();

    void IModemLog.Verbose(string message) => Verbose.Add(message);

    void IModemLog.Debug(string message) => Debug.Add(message);

    void IModemLog.Warning(string message) => Warnings.Add(message);
}
