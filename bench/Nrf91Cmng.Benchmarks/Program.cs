using BenchmarkDotNet.Running;
using Nrf91Cmng.Benchmarks;

// dotnet run -c Release --project bench/Nrf91Cmng.Benchmarks -- --e2e      the end-to-end table (BENCHMARKS.md)
// dotnet run -c Release --project bench/Nrf91Cmng.Benchmarks -- --quick    the same with fewer runs
// dotnet run -c Release --project bench/Nrf91Cmng.Benchmarks -- --smoke    CI: few runs, fails when a ratio passes its bound
// dotnet run -c Release --project bench/Nrf91Cmng.Benchmarks -- --filter *  BenchmarkDotNet parser benchmarks
// End-to-end options: --pwsh <pwsh executable> (default: $PSHOME of `dotnet pwsh`), --module <psd1> (default:
// out/Nrf91Cmng/Nrf91Cmng.psd1), --baseline <psd1> (another build to compare the one-shot overhead with),
// --nrfcredstore <folder holding the nrfcredstore package> (runs it against the same modem), --python <python3>.
if (args.Contains("--e2e") || args.Contains("--quick") || args.Contains("--smoke"))
{
    string? Value(string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    string root = RepoRoot();
    var options = new EndToEnd.Options
    {
        Quick = args.Contains("--quick"),
        Smoke = args.Contains("--smoke"),
        Pwsh = Value("--pwsh") ?? Environment.GetEnvironmentVariable("NRF91CMNG_PWSH") ?? LocalPwsh(root),
        Module = Path.GetFullPath(Value("--module") ?? Path.Combine(root, "out", "Nrf91Cmng", "Nrf91Cmng.psd1")),
        Baseline = Value("--baseline") is string b ? Path.GetFullPath(b) : null,
        NrfCredStore = Value("--nrfcredstore") is string n ? Path.GetFullPath(n) : null,
        Python = Value("--python") ?? "/usr/bin/python3",
    };
    return EndToEnd.Run(options);
}

BenchmarkSwitcher.FromAssembly(typeof(ParserBenchmarks).Assembly).Run(args);
return 0;

static string RepoRoot()
{
    for (DirectoryInfo? d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
    {
        if (File.Exists(Path.Combine(d.FullName, "Nrf91Cmng.sln")))
        {
            return d.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}

// The repository's pwsh (a local dotnet tool): its own executable, so that timings do not include the tool launcher.
static string LocalPwsh(string root)
{
    var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (string a in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", "[Console]::Out.Write((Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')))" })
    {
        start.ArgumentList.Add(a);
    }

    using var process = System.Diagnostics.Process.Start(start)!;
    string path = process.StandardOutput.ReadToEnd().Trim();
    process.WaitForExit();
    return process.ExitCode == 0 && File.Exists(path) ? path : "pwsh";
}
