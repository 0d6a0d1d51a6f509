using Nrf91Cmng.Tests.Simulator;

/// <summary>
/// Runs <see cref="LazyLoadProbe"/> when this test assembly is started as a process of its own with
/// itself as a startup hook (DOTNET_STARTUP_HOOKS) and NRF91CMNG_LAZY_LOAD_PROBE=1; does nothing
/// otherwise. The runtime requires this name, outside any namespace.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(LazyLoadProbe.Variable) != "1")
        {
            return;
        }

        int code;
        try
        {
            code = LazyLoadProbe.Run();
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine(ex);
            code = 1;
        }

        Console.Out.Flush();
        Environment.Exit(code);
    }
}
