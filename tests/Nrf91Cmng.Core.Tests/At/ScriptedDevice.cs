namespace Nrf91Cmng.Core.Tests.At;

/// <summary>
/// A minimal device for engine tests: splits what the host sends into lines at CR/LF (quotes
/// respected) and answers each with whatever the responder returns (null = silence).
/// </summary>
internal sealed class ScriptedDevice : IDisposable
{
    private readonly PipeLink _device;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<string, string?> _responder;

    public ScriptedDevice(Func<string, string?> responder, int chunk = int.MaxValue)
    {
        _responder = responder;
        (PipeLink host, PipeLink device) = PipeLink.CreatePair();
        _device = device;
        Chunk = chunk;
        Transport = new LinkTransport(host, "scripted", TransportKind.InProcess, "test");
        _thread = new Thread(Serve) { IsBackground = true, Name = "scripted-device" };
        _thread.Start();
    }

    public IModemTransport Transport { get; }

    /// <summary>Replies are written in chunks of this many bytes (1 = byte by byte).</summary>
    public int Chunk { get; set; }

    public List<string> Received { get; } = new();

    public void Push(string bytes) => Write(bytes);

    public void Dispose()
    {
        _stop.Cancel();
        Transport.Dispose();
        _device.Dispose();
        _thread.Join(2000);
    }

    public static AtChannel Channel(ScriptedDevice device, LineTerminator terminator = LineTerminator.CrLf) =>
        new(device.Transport) { Terminator = terminator, DefaultTimeout = TimeSpan.FromSeconds(2), ResyncProbeTimeout = TimeSpan.FromMilliseconds(300) };

    private void Serve()
    {
        var line = new StringBuilder();
        bool quoted = false;
        var buffer = new byte[4096];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                int n = _device.Read(buffer, 0, buffer.Length, TimeSpan.FromMilliseconds(50), _stop.Token);
                for (int i = 0; i < n; i++)
                {
                    char c = (char)buffer[i];
                    if (c == '"')
                    {
                        quoted = !quoted;
                    }

                    if (!quoted && (c == '\r' || c == '\n'))
                    {
                        if (line.ToString().Trim().Length > 0)
                        {
                            string command = line.ToString();
                            lock (Received)
                            {
                                Received.Add(command);
                            }

                            string? reply = _responder(command);
                            if (reply is not null)
                            {
                                Write(reply);
                            }
                        }

                        line.Clear();
                        continue;
                    }

                    line.Append(c);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex is LinkClosedException)
        {
        }
    }

    private void Write(string text)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(text);
        for (int i = 0; i < bytes.Length; i += Chunk)
        {
            _device.Write(bytes, i, Math.Min(Chunk, bytes.Length - i), CancellationToken.None);
        }
    }
}
