using BenchmarkDotNet.Running;
using Nrf91Cmng.Benchmarks;

// dotnet run -c Release --project bench/Nrf91Cmng.Benchmarks -- --e2e      end-to-end table (wire ratio, round trips, fleet, start-up)
// dotnet run -c Release --project bench/Nrf91Cmng.Benchmarks -- --quick    the same, fewer runs (well under a minute)
// dotnet run -c Release --project bench/Nrf91Cmng.Benchmarks -- --filter *  BenchmarkDotNet parser benchmarks
if (args.Contains("--e2e") || args.Contains("--quick"))
{
    EndToEnd.Run(quick: args.Contains("--quick"));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ParserBenchmarks).Assembly).Run(args);
