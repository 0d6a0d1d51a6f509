using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Nrf91Cmng.Tests.Infrastructure;

namespace Nrf91Cmng.Tests.Simulator;

/// <summary>
/// The virtual modem lives in its own assembly (Nrf91Cmng.Simulator) that the module loads only
/// when a simulator is used, into the same isolated load context as the engine. Other tests in
/// this process load it long before, so the check runs in a fresh process: this test assembly
/// started with itself as a startup hook (<see cref="LazyLoadProbe"/>).
/// </summary>
[Collection("Hosted")]
public sealed class SimulatorLazyLoadTests
{
    /// <param name="fullyOptimized">
    /// Tiered compilation off: every method is compiled fully optimized at once, inlining included,
    /// as hot methods are later; a simulator type inlined into a common path would load it here.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheSimulatorAssemblyLoadsOnlyWhenASimulatorIsUsedAndBesideTheEngine(bool fullyOptimized)
    {
        string assembly = typeof(SimulatorLazyLoadTests).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(Path.ChangeExtension(assembly, ".runtimeconfig.json"));
        start.ArgumentList.Add("--depsfile");
        start.ArgumentList.Add(Path.ChangeExtension(assembly, ".deps.json"));
        start.ArgumentList.Add(assembly);
        start.Environment["DOTNET_STARTUP_HOOKS"] = assembly;
        start.Environment[LazyLoadProbe.Variable] = "1";
        if (fullyOptimized)
        {
            start.Environment["DOTNET_TieredCompilation"] = "0";
        }

        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = await process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "The probe process did not finish.");
        string report = stdout + "\n" + await stderr;
        Assert.True(process.ExitCode == 0, "The probe process failed:\n" + report);

        Dictionary<string, string> facts = stdout.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("probe:", StringComparison.Ordinal))
            .Select(l => l["probe:".Length..].Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);

        // A whole session on a port that is not a simulator: the engine loads, the simulator does not.
        Assert.Equal("True", facts["engineLoaded"]);
        Assert.Equal("False", facts["simulatorLoadedAfterRealPort"]);
        Assert.Equal("nRF9160-SICA", facts["realPortModel"]);
        Assert.Equal("1", facts["realPortCredentials"]);

        // Then a simulator works, and its assembly sits in the engine's isolated context.
        Assert.Equal("nRF9161-LACA", facts["simulatorModel"]);
        Assert.Equal("True", facts["simulatorLoadedAfterSimulator"]);
        Assert.Equal("Nrf91Cmng", facts["engineContext"]);
        Assert.Equal("Nrf91Cmng", facts["simulatorContext"]);
        Assert.Equal(Path.GetDirectoryName(facts["engineLocation"]), Path.GetDirectoryName(facts["simulatorLocation"]));
        Assert.EndsWith("Dependencies", Path.GetDirectoryName(facts["simulatorLocation"]));
    }
}

/// <summary>
/// What runs in the fresh process: a minimal "real board" on loopback TCP (at_host-style replies),
/// a session on it through the cmdlets, the loaded assemblies, then Connect-Modem -Simulator.
/// </summary>
internal static class LazyLoadProbe
{
    public const string Variable = "NRF91CMNG_LAZY_LOAD_PROBE";

    public static int Run()
    {
        using var board = new ScriptedBoard();
        using var ps = new PowerShellHarness();
        ps.RunChecked("Get-ModemSession; Get-ModemSimulator; $null = TabExpansion2 -inputScript 'Connect-Modem -PortName ' -cursorColumn 24");
        ps.RunChecked("Connect-Modem -Uri " + board.Address + " -TimeoutSeconds 2");
        Report("realPortModel", ps.RunChecked("(Get-ModemInfo).Model").Single());
        Report("realPortCredentials", ps.RunChecked("@(Get-ModemCredential).Count").Single());
        ps.RunChecked("Get-ModemSession | Disconnect-Modem");
        ps.Run("Connect-Modem -PortName /nonexistent/nrf91-port -TimeoutSeconds 1");
        Report("engineLoaded", Loaded("Nrf91Cmng.Core") is not null);
        Report("simulatorLoadedAfterRealPort", Loaded("Nrf91Cmng.Simulator") is not null);

        Report("simulatorModel", ps.RunChecked("(Connect-Modem -Simulator -Firmware mfw_nrf91x1_2.0.2 | Get-ModemInfo).Model").Single());
        ps.RunChecked("Get-ModemSession | Disconnect-Modem");
        System.Reflection.Assembly? engine = Loaded("Nrf91Cmng.Core");
        System.Reflection.Assembly? simulator = Loaded("Nrf91Cmng.Simulator");
        Report("simulatorLoadedAfterSimulator", simulator is not null);
        Report("engineContext", engine is null ? "none" : System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(engine)?.Name);
        Report("simulatorContext", simulator is null ? "none" : System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(simulator)?.Name);
        Report("engineLocation", engine?.Location);
        Report("simulatorLocation", simulator?.Location);
        return 0;
    }

    private static System.Reflection.Assembly? Loaded(string name) =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == name);

    private static void Report(string key, object? value) => Console.Out.WriteLine("probe:" + key + "=" + value);

    /// <summary>Answers like an nRF9160 behind at_host, one command at a time; just enough for a session.</summary>
    private sealed class ScriptedBoard : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Thread _thread;

        public ScriptedBoard()
        {
            _listener.Start();
            Address = "tcp://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port;
            _thread = new Thread(Serve) { IsBackground = true };
            _thread.Start();
        }

        public string Address { get; }

        public void Dispose() => _listener.Stop();

        private static string Answer(string command) => command.ToUpperInvariant() switch
        {
            "AT+CGMM" => "nRF9160-SICA\r\nOK\r\n",
            "AT+CGMR" => "mfw_nrf9160_1.3.5\r\nOK\r\n",
            "AT+CGMI" => "Nordic Semiconductor ASA\r\nOK\r\n",
            "AT+CGSN" => "352656100367872\r\nOK\r\n",
            "AT+CFUN?" => "+CFUN: 0\r\nOK\r\n",
            "AT%CMNG=1" => "%CMNG: 42,0,\"" + new string('A', 64) + "\"\r\nOK\r\n",
            _ when command.StartsWith("AT", StringComparison.OrdinalIgnoreCase) && !command.Contains("UUID", StringComparison.OrdinalIgnoreCase) => "OK\r\n",
            _ => "ERROR\r\n",
        };

        private void Serve()
        {
            try
            {
                while (true)
                {
                    using Socket socket = _listener.AcceptSocket();
                    var line = new StringBuilder();
                    var buffer = new byte[256];
                    int n;
                    while ((n = socket.Receive(buffer)) > 0)
                    {
                        for (int i = 0; i < n; i++)
                        {
                            char c = (char)buffer[i];
                            if (c != '\r' && c != '\n')
                            {
                                line.Append(c);
                                continue;
                            }

                            string command = line.ToString().Trim().Trim('"');
                            line.Clear();
                            if (command.Length > 0)
                            {
                                socket.Send(Encoding.ASCII.GetBytes(Answer(command)));
                            }
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
            {
                // Listener stopped or the session went away.
            }
        }
    }
}
