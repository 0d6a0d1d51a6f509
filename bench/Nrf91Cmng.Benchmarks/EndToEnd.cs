using System.Diagnostics;
using System.Globalization;
using System.IO.Ports;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Nrf91Cmng.Core.Credentials;

namespace Nrf91Cmng.Benchmarks;

/// <summary>
/// The end-to-end harness. Everything is measured against virtual modems served by another pwsh
/// process (Start-ModemSimulator -Realistic: a pseudo-terminal paced at 115200 baud, flash writes,
/// lists and CFUN changes waited for in real time, +CEREG/+CSCON noise), never an in-process
/// simulator, and every ratio is taken within one run of this harness:
/// <list type="bullet">
/// <item>the floor: a bare client in this process that writes exactly the module's bytes for CFUN=4,
/// the three writes, one list and CFUN=1 and waits for each OK;</item>
/// <item>cold and warm: Invoke-ModemProvisioning -Session in fresh pwsh processes (run 1 of each is
/// cold), alternating with floor runs on the same modem;</item>
/// <item>connect (time and round trips), Import-Module, one-shot pwsh processes with and without the
/// module, the fleet ratio, and optionally nrfcredstore run against the same modem.</item>
/// </list>
/// Prints Markdown; with <c>--smoke</c> it checks the ratios against generous bounds and fails.
/// </summary>
internal static class EndToEnd
{
    private const int Baud = 115200;
    private const uint SecTag = 42;
    private const int QuietMs = 500;

    // Smoke bounds: ratios only (a noisy 2-core machine; the goals are 1.2, 1.05 and half of the
    // overhead measured before the first-use work, see BENCHMARKS.md).
    private const double ColdBound = 1.6;
    private const double WarmBound = 1.25;
    private const double OneShotOverheadBound = 0.8;
    private const double FleetBound = 1.6;

    public static int Run(Options options)
    {
        if (OperatingSystem.IsWindows())
        {
            Console.WriteLine("The end-to-end harness needs pseudo-terminals (Linux, macOS); skipped.");
            return 0;
        }

        string work = Directory.CreateTempSubdirectory("nrf91cmng-bench-").FullName;
        try
        {
            return RunIn(options, work);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int RunIn(Options o, string work)
    {
        var total = Stopwatch.StartNew();
        Fixture[] plan = Fixtures(work);
        string[] planArgs = plan.Select(f => SecTag.ToString(CultureInfo.InvariantCulture) + "|" + f.Type + "|" + f.Path).ToArray();
        int processes = o.Smoke ? 2 : o.Quick ? 3 : 5;
        int runsPerProcess = o.Smoke ? 2 : 4;
        int oneShots = o.Smoke ? 3 : 7;
        int fleet = o.Smoke ? 4 : 16;
        Console.WriteLine("pwsh: " + o.Pwsh);
        Console.WriteLine("module: " + o.Module);
        Console.WriteLine("Payload: CA " + plan[0].Content.Length + " B, client certificate " + plan[1].Content.Length + " B, key " + plan[2].Content.Length
            + " B at sec_tag " + SecTag + "; " + Baud + " baud 8N1, realistic delays; " + processes + " fresh processes x " + runsPerProcess + " runs.");
        Console.WriteLine();

        var floors = new List<double>();
        var modelled = new List<double>();
        var colds = new List<double>();
        var warms = new List<double>();
        var imports = new List<double>();
        var connects = new List<double>();
        int? connectCommands = null;
        int? provisioningCommands = null;
        double fleetRatio;
        double fleetOne;
        double fleetAll;
        var nrfcredstore = new List<double>();
        var oneShotJobs = new List<double>();
        using (var server = SimulatorServer.Start(o, Math.Max(1, fleet), planArgs))
        {
            string port = server.Ports[0];
            using (var bare = new BareClient(port))
            {
                bare.Prepare();
            }

            for (int p = 0; p < processes; p++)
            {
                (double wall, double model, int commands) = FloorRun(server, port, plan);
                floors.Add(wall);
                modelled.Add(model);
                provisioningCommands ??= commands + 1;   // the module's list before writing
                JsonElement result = RunScript(o, "Measure-Provisioning.ps1", "-Module", o.Module, "-Port", port, "-Plan", planArgs, "-Runs", runsPerProcess.ToString(CultureInfo.InvariantCulture),
                    "-QuietMs", QuietMs.ToString(CultureInfo.InvariantCulture), "-TranscriptFolder", work);
                double[] runs = result.GetProperty("RunsMs").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                colds.Add(runs[0]);
                warms.AddRange(runs.Skip(1));
                imports.Add(result.GetProperty("ImportMs").GetDouble());
                connects.Add(result.GetProperty("ConnectMs").GetDouble());
                connectCommands = result.GetProperty("ConnectCommands").GetInt32();
            }

            if (!o.Smoke)
            {
                for (int i = 0; i < 3; i++)
                {
                    oneShotJobs.Add(OneShotJob(o, port, planArgs));
                    using var bare = new BareClient(port);
                    bare.Reset(plan);
                }

                if (o.NrfCredStore is not null)
                {
                    for (int i = 0; i < 3; i++)
                    {
                        nrfcredstore.Add(NrfCredStoreRun(o, work, port, plan));
                        using var bare = new BareClient(port);
                        bare.Reset(plan);
                    }
                }
            }

            JsonElement f = RunScript(o, "Measure-Provisioning.ps1", "-Module", o.Module, "-FleetPorts", server.Ports.ToArray(), "-Plan", planArgs, "-QuietMs", QuietMs.ToString(CultureInfo.InvariantCulture));
            fleetOne = f.GetProperty("OneMs").GetDouble();
            fleetAll = f.GetProperty("AllMs").GetDouble();
            fleetRatio = fleetAll / fleetOne;
        }

        // One-shot processes, alternating so that drift hits all alike; wall and CPU time.
        var bareStarts = new List<double>();
        var withModule = new List<double>();
        var withBaseline = new List<double>();
        var bareCpu = new List<double>();
        var moduleCpu = new List<double>();
        var baselineCpu = new List<double>();
        for (int i = 0; i < oneShots; i++)
        {
            (double w, double c) = TimeProcessWithCpu(o.Pwsh, "-NoProfile", "-NonInteractive", "-Command", "exit");
            bareStarts.Add(w);
            bareCpu.Add(c);
            (w, c) = TimeProcessWithCpu(o.Pwsh, "-NoProfile", "-NonInteractive", "-Command", "Import-Module '" + o.Module.Replace("'", "''") + "'; exit");
            withModule.Add(w);
            moduleCpu.Add(c);
            if (o.Baseline is not null)
            {
                (w, c) = TimeProcessWithCpu(o.Pwsh, "-NoProfile", "-NonInteractive", "-Command", "Import-Module '" + o.Baseline.Replace("'", "''") + "'; exit");
                withBaseline.Add(w);
                baselineCpu.Add(c);
            }
        }

        double floor = Median(floors);
        double cold = Median(colds);
        double warm = Median(warms);
        double bareStart = Median(bareStarts);
        double overhead = Median(withModule) - bareStart;
        double cpuOverhead = Median(moduleCpu) - Median(bareCpu);
        Console.WriteLine("| Figure (one run of the harness) | Value | Goal |");
        Console.WriteLine("| --- | --- | --- |");
        Console.WriteLine("| Floor: bare client, CFUN=4 + 3 writes + list + CFUN=1, median of " + floors.Count + " | " + Ms(floor) + " (modelled: " + Ms(Median(modelled)) + " = bytes x 10 / 115200 + the modem's delays) | |");
        Console.WriteLine("| **Cold** provisioning (first Invoke-ModemProvisioning in a fresh pwsh, open session at CFUN 1) / floor | **" + F(cold / floor) + "** (" + Ms(cold) + ", median of " + colds.Count + ") | <= 1.20 |");
        Console.WriteLine("| **Warm** provisioning (later runs in the same process) / floor | **" + F(warm / floor) + "** (" + Ms(warm) + ", median of " + warms.Count + ") | <= 1.05 |");
        Console.WriteLine("| Round trips of the provisioning (list before writing, CFUN=4, 3 writes, list, CFUN=1) | " + provisioningCommands + " (floor: " + (provisioningCommands - 1) + ") | floor + 1 |");
        Console.WriteLine("| Connect-Modem: round trips / time | " + connectCommands + " / " + Ms(Median(connects)) + " | |");
        Console.WriteLine("| Import-Module (inside the process) | " + Ms(Median(imports)) + " | |");
        Console.WriteLine("| One-shot pwsh -c 'exit': without the module / with Import-Module, wall, median of " + oneShots + " | " + Ms(bareStart) + " / " + Ms(Median(withModule)) + " (overhead " + Ms(overhead) + ", " + F(overhead / bareStart) + " of a bare start) | |");
        Console.WriteLine("| The same, CPU time (user + system) | " + Ms(Median(bareCpu)) + " / " + Ms(Median(moduleCpu)) + " (overhead " + Ms(cpuOverhead) + ", " + F(cpuOverhead / Median(bareCpu)) + " of a bare start) | |");
        if (withBaseline.Count > 0)
        {
            double baseOverhead = Median(withBaseline) - bareStart;
            double baseCpuOverhead = Median(baselineCpu) - Median(bareCpu);
            Console.WriteLine("| One-shot overhead, this module / the baseline (" + o.Baseline + ": " + Ms(baseOverhead) + " wall, " + Ms(baseCpuOverhead) + " CPU) | **" + F(overhead / baseOverhead) + "** wall, **" + F(cpuOverhead / baseCpuOverhead) + "** CPU | <= 0.50 |");
        }

        Console.WriteLine("| Fleet: " + fleet + " modems at once / one modem (warm, one thread per modem) | " + F(fleetRatio) + " (" + Ms(fleetAll) + " / " + Ms(fleetOne) + ") | <= 1.5 |");
        if (oneShotJobs.Count > 0)
        {
            Console.WriteLine("| One-shot job: pwsh -c 'Import-Module; Invoke-ModemProvisioning -PortName' (process start, connect, provisioning) | " + Ms(Median(oneShotJobs)) + " (" + F(Median(oneShotJobs) / floor) + " x floor) | |");
        }

        if (nrfcredstore.Count > 0)
        {
            double job = oneShotJobs.Count > 0 ? Median(oneShotJobs) : cold;
            Console.WriteLine("| nrfcredstore, measured: 3 `write` + 1 `list` processes on the same modem, median of " + nrfcredstore.Count + " | " + Ms(Median(nrfcredstore))
                + " (" + F(Median(nrfcredstore) / floor) + " x floor; " + F(Median(nrfcredstore) / job) + " x our one-shot job) | |");
        }

        Console.WriteLine();
        Console.WriteLine("Harness wall time: " + total.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s.");
        if (!o.Smoke)
        {
            return 0;
        }

        var failures = new List<string>();
        Check(failures, "cold / floor", cold / floor, ColdBound);
        Check(failures, "warm / floor", warm / floor, WarmBound);
        Check(failures, "one-shot Import-Module CPU overhead / bare pwsh start", cpuOverhead / Median(bareCpu), OneShotOverheadBound);
        Check(failures, "fleet " + fleet + " / one", fleetRatio, FleetBound);
        if (failures.Count > 0)
        {
            Console.WriteLine("Benchmark smoke FAILED: " + string.Join("; ", failures));
            return 1;
        }

        Console.WriteLine("Benchmark smoke passed.");
        return 0;
    }

    private static void Check(List<string> failures, string what, double ratio, double bound)
    {
        bool ok = ratio <= bound;
        Console.WriteLine((ok ? "ok   " : "FAIL ") + what + " = " + F(ratio) + " (bound " + F(bound) + ")");
        if (!ok)
        {
            failures.Add(what + " " + F(ratio) + " > " + F(bound));
        }
    }

    /// <summary>One floor run on a modem at CFUN 1 with nothing at the sec_tag; leaves it that way.</summary>
    private static (double Wall, double Modelled, int Commands) FloorRun(SimulatorServer server, string port, Fixture[] plan)
    {
        using var bare = new BareClient(port);
        JsonElement before = server.Stats()[0];
        double wall = bare.Provision(plan);
        JsonElement after = server.Stats()[0];
        long bytes = after.GetProperty("BytesReceived").GetInt64() + after.GetProperty("BytesSent").GetInt64() - before.GetProperty("BytesReceived").GetInt64() - before.GetProperty("BytesSent").GetInt64();
        double modem = after.GetProperty("ModelledMs").GetDouble() - before.GetProperty("ModelledMs").GetDouble();
        int commands = after.GetProperty("Commands").GetInt32() - before.GetProperty("Commands").GetInt32();
        bare.Reset(plan);
        return (wall, bytes * 10.0 * 1000 / Baud + modem, commands);
    }

    private static double OneShotJob(Options o, string port, string[] planArgs)
    {
        string plan = "@(" + string.Join(",", planArgs.Select(a => a.Split('|', 3)).Select(a => "@{SecTag=" + a[0] + ";Type='" + a[1] + "';Path='" + a[2].Replace("'", "''") + "'}")) + ")";
        string script = "$ErrorActionPreference='Stop'; Import-Module '" + o.Module.Replace("'", "''") + "'; $r = Invoke-ModemProvisioning -PortName '" + port + "' -Plan " + plan
            + " -Force; if ($r.Status -ne 'Provisioned') { exit 1 }";
        return TimeProcess(o.Pwsh, "-NoProfile", "-NonInteractive", "-Command", script);
    }

    /// <summary>nrfcredstore as a user runs it: one process per write and one to list, each opening the port.</summary>
    private static double NrfCredStoreRun(Options o, string work, string port, Fixture[] plan)
    {
        string stubs = Path.Combine(work, "pystubs");
        if (!Directory.Exists(stubs))
        {
            // Only nrfcredstore's RTT and interactive port selection use these two packages; neither is
            // used with a named serial port, and neither is packaged by Debian.
            Directory.CreateDirectory(Path.Combine(stubs, "pynrfjprog"));
            File.WriteAllText(Path.Combine(stubs, "pynrfjprog", "__init__.py"), string.Empty);
            File.WriteAllText(Path.Combine(stubs, "pynrfjprog", "LowLevel.py"), string.Empty);
            File.WriteAllText(Path.Combine(stubs, "inquirer.py"), string.Empty);
        }

        string[] types = { "ROOT_CA_CERT", "CLIENT_CERT", "CLIENT_KEY" };
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < plan.Length; i++)
        {
            RunNrfCredStore(o, stubs, port, "write", SecTag.ToString(CultureInfo.InvariantCulture), types[i], plan[i].Path);
        }

        RunNrfCredStore(o, stubs, port, "list", "--tag", SecTag.ToString(CultureInfo.InvariantCulture));
        return clock.Elapsed.TotalMilliseconds;
    }

    private static void RunNrfCredStore(Options o, string stubs, string port, params string[] command)
    {
        string argv = string.Join(", ", new[] { "nrfcredstore", "--baudrate", "115200", port }.Concat(command).Select(a => "'" + a.Replace("'", "\\'") + "'"));
        var start = new ProcessStartInfo(o.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        // pyserial lists only /dev/ttyS*, ttyUSB*, ttyACM*...: the pseudo-terminal is added to its list
        // (nrfcredstore refuses a port that is not listed). Nothing else of nrfcredstore is touched.
        start.ArgumentList.Add("import sys; sys.path[:0] = ['" + stubs + "', '" + o.NrfCredStore + "']\n"
            + "import serial.tools.list_ports as lp, serial.tools.list_ports_linux as lpl\n"
            + "listed = lp.comports\n"
            + "lp.comports = lambda *a, **k: listed(*a, **k) + [lpl.SysFS('" + port + "')]\n"
            + "from nrfcredstore.cli import run; run([" + argv + "])");
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("nrfcredstore " + string.Join(" ", command) + " failed: " + output);
        }
    }

    private static JsonElement RunScript(Options o, string script, params object[] arguments)
    {
        var start = new ProcessStartInfo(o.Pwsh) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-NoProfile", "-NonInteractive", "-File", Path.Combine(AppContext.BaseDirectory, "scripts", script) })
        {
            start.ArgumentList.Add(a);
        }

        foreach (object argument in arguments)
        {
            if (argument is string[] many)
            {
                // -File binds the words after a [string[]] parameter name as one array only with commas.
                start.ArgumentList.Add(string.Join(",", many.Select(m => m.Contains(',') ? throw new ArgumentException("comma in " + m) : m)));
            }
            else
            {
                start.ArgumentList.Add((string)argument);
            }
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;
        if (process.ExitCode != 0 || !last.StartsWith('{'))
        {
            throw new InvalidOperationException(script + " failed (exit " + process.ExitCode + "): " + output + error.Result);
        }

        return JsonDocument.Parse(last).RootElement.Clone();
    }

    private static double TimeProcess(string file, params string[] arguments) => TimeProcessWithCpu(file, arguments).Wall;

    /// <summary>Wall time, and CPU time (user + system, from getrusage of the children: steadier than wall time on a loaded machine).</summary>
    private static (double Wall, double Cpu) TimeProcessWithCpu(string file, params string[] arguments)
    {
        double before = ChildrenCpuMs();
        double wall = TimeProcessCore(file, arguments);
        return (wall, ChildrenCpuMs() - before);
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out RUsage usage);

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.ByValArray, SizeConst = 14)]
        public long[] Rest;
    }

    private static double ChildrenCpuMs()
    {
        const int RUsageChildren = -1;
        return getrusage(RUsageChildren, out RUsage u) == 0
            ? (u.UserSeconds + u.SystemSeconds) * 1000.0 + (u.UserMicroseconds + u.SystemMicroseconds) / 1000.0
            : double.NaN;
    }

    private static double TimeProcessCore(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        double ms = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(file + " " + string.Join(" ", arguments) + " failed (exit " + process.ExitCode + "): " + output + error.Result);
        }

        return ms;
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Fixture[] Fixtures(string folder)
    {
        using RSA caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Amazon Root CA 1 sized test root, O=Nrf91Cmng benchmarks, C=US", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(20));
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=nrf-352656100000000", key, HashAlgorithmName.SHA256);
        using X509Certificate2 cert = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2), new byte[] { 1 });
        var items = new[]
        {
            (CredentialType.RootCA, "ca.pem", ca.ExportCertificatePem() + "\n"),
            (CredentialType.ClientCertificate, "cert.pem", cert.ExportCertificatePem() + "\n"),
            (CredentialType.ClientPrivateKey, "key.pem", key.ExportPkcs8PrivateKeyPem() + "\n"),
        };
        return items.Select(i =>
        {
            string path = Path.Combine(folder, i.Item2);
            File.WriteAllText(path, i.Item3);

            // The exact text the module sends: its own validation normalises it (LF, one trailing newline).
            string content = CredentialValidator.Validate(i.Item1, File.ReadAllBytes(path)).Content;
            return new Fixture(i.Item1, path, content);
        }).ToArray();
    }

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Ms(double ms) => ms.ToString("0", CultureInfo.InvariantCulture) + " ms";

    internal sealed record Fixture(CredentialType Type, string Path, string Content);

    /// <summary>Command-line options of the end-to-end modes.</summary>
    internal sealed class Options
    {
        public bool Quick { get; init; }

        public bool Smoke { get; init; }

        public string Pwsh { get; init; } = "pwsh";

        public string Module { get; init; } = string.Empty;

        public string? Baseline { get; init; }

        public string? NrfCredStore { get; init; }

        public string Python { get; init; } = "/usr/bin/python3";
    }

    /// <summary>The other pwsh process that serves the modems (scripts/Serve-Simulators.ps1).</summary>
    private sealed class SimulatorServer : IDisposable
    {
        private readonly Process _process;

        private SimulatorServer(Process process, IReadOnlyList<string> ports)
        {
            _process = process;
            Ports = ports;
        }

        public IReadOnlyList<string> Ports { get; }

        public static SimulatorServer Start(Options o, int count, string[] planArgs)
        {
            var start = new ProcessStartInfo(o.Pwsh) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string a in new[]
            {
                "-NoProfile", "-NonInteractive", "-File", Path.Combine(AppContext.BaseDirectory, "scripts", "Serve-Simulators.ps1"),
                "-Module", o.Module, "-Count", count.ToString(CultureInfo.InvariantCulture), "-BaudRate", Baud.ToString(CultureInfo.InvariantCulture), "-Plan", string.Join(",", planArgs),
            })
            {
                start.ArgumentList.Add(a);
            }

            Process process = Process.Start(start)!;
            string? line;
            while ((line = process.StandardOutput.ReadLine()) is not null && !line.StartsWith("READY ", StringComparison.Ordinal))
            {
            }

            if (line is null)
            {
                throw new InvalidOperationException("The simulator process did not start: " + process.StandardError.ReadToEnd());
            }

            string[] ports = JsonSerializer.Deserialize<string[]>(line.Substring(6))!;
            return new SimulatorServer(process, ports);
        }

        public JsonElement[] Stats()
        {
            _process.StandardInput.WriteLine("stats");
            string? line;
            while ((line = _process.StandardOutput.ReadLine()) is not null && !line.StartsWith("STATS ", StringComparison.Ordinal))
            {
            }

            JsonElement root = JsonDocument.Parse(line!.Substring(6)).RootElement.Clone();
            return root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToArray() : new[] { root };
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.WriteLine("stop");
                if (!_process.WaitForExit(10000))
                {
                    _process.Kill();
                }
            }
            finally
            {
                _process.Dispose();
            }
        }
    }

    /// <summary>
    /// The floor: a client with no logic at all. It writes each command and reads lines until the
    /// final result, nothing else (no identity, no list before writing, no settle).
    /// </summary>
    private sealed class BareClient : IDisposable
    {
        private readonly SerialPort _port;

        public BareClient(string name)
        {
            _port = new SerialPort(name, Baud) { Handshake = Handshake.None, NewLine = "\n", ReadTimeout = 20000, WriteTimeout = 20000, Encoding = Encoding.ASCII };
            _port.Open();
            _port.DiscardInBuffer();
        }

        /// <summary>From power-on: online, nothing stored at the sec_tag.</summary>
        public void Prepare()
        {
            Command("AT+CMEE=1");
            Command("AT+CFUN=1");
            Quiet();
        }

        /// <summary>CFUN=4, the three writes, one list, CFUN=1: the milliseconds from the first byte to the last OK.</summary>
        public double Provision(Fixture[] plan)
        {
            var clock = Stopwatch.StartNew();
            Command("AT+CFUN=4");
            foreach (Fixture f in plan)
            {
                Command("AT%CMNG=0," + SecTag + "," + (int)f.Type + ",\"" + f.Content + "\"");
            }

            Command("AT%CMNG=1," + SecTag);
            Command("AT+CFUN=1");
            double ms = clock.Elapsed.TotalMilliseconds;
            Quiet();
            return ms;
        }

        /// <summary>Deletes the plan's credentials and puts the modem back online (untimed).</summary>
        public void Reset(Fixture[] plan)
        {
            Command("AT+CFUN=4");
            foreach (Fixture f in plan)
            {
                Command("AT%CMNG=3," + SecTag + "," + (int)f.Type, okOrError: true);
            }

            Command("AT+CFUN=1");
            Quiet();
        }

        public void Dispose() => _port.Dispose();

        private void Quiet()
        {
            Thread.Sleep(QuietMs);
            _port.DiscardInBuffer();
        }

        private void Command(string command, bool okOrError = false)
        {
            _port.Write(command + "\r\n");
            while (true)
            {
                string line = _port.ReadLine().TrimEnd('\r');
                if (line == "OK")
                {
                    return;
                }

                if (line == "ERROR" || line.StartsWith("+CME ERROR", StringComparison.Ordinal))
                {
                    if (okOrError)
                    {
                        return;
                    }

                    throw new InvalidOperationException(command.Split(',')[0] + " answered " + line);
                }
            }
        }
    }
}
