using System.Reflection;

namespace Nrf91Cmng.Tests.Platform;

/// <summary>
/// The import-time host check of ModuleInitializer, as pure functions: PowerShell 7.0-7.3, .NET
/// Framework before 4.7.2 and another module's BouncyCastle in Windows PowerShell get a message
/// naming the fix. None of these hosts runs here; the decisions are tested on their version numbers.
/// The functions are internal to Nrf91Cmng.dll, which this project does not reference (the module
/// loads its engine itself), so they are reached by reflection on the built module.
/// </summary>
public sealed class HostCompatibilityTests
{
    private static readonly Lazy<Assembly> s_module = new(() =>
        Assembly.LoadFrom(Path.Combine(Path.GetDirectoryName(typeof(HostCompatibilityTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ModuleManifest").Value!)!, "Nrf91Cmng.dll")));

    private static Type Compatibility => s_module.Value.GetType("Nrf91Cmng.HostCompatibility", throwOnError: true)!;

    private static Type Loaded => s_module.Value.GetType("Nrf91Cmng.LoadedAssembly", throwOnError: true)!;

    [Theory]
    [InlineData("8.0.11", "7.4.6")]
    [InlineData("9.0.0", "7.5.0")]
    [InlineData("10.0.1", "7.6.9")]
    [InlineData("11.0.0", null)]
    public void PowerShell74AndLaterRun(string runtime, string? powerShell)
    {
        (string? error, string[] warnings) = CheckPowerShell7(Version.Parse(runtime), powerShell is null ? null : Version.Parse(powerShell));
        Assert.Null(error);
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("7.0.20", "7.3.12", "PowerShell 7.3.12 on .NET 7.0")]
    [InlineData("6.0.36", "7.2.24", "PowerShell 7.2.24 on .NET 6.0")]
    [InlineData("5.0.17", null, "PowerShell 7.1 on .NET 5.0")]
    [InlineData("3.1.32", null, "PowerShell 7.0 on .NET Core 3.1")]
    public void PowerShell70To73AreToldToUpgrade(string runtime, string? powerShell, string described)
    {
        (string? error, _) = CheckPowerShell7(Version.Parse(runtime), powerShell is null ? null : Version.Parse(powerShell));
        Assert.NotNull(error);
        Assert.Contains("needs PowerShell 7.4 or later", error, StringComparison.Ordinal);
        Assert.Contains(described, error, StringComparison.Ordinal);
        Assert.Contains("Windows PowerShell 5.1", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(533320)]
    [InlineData(528040)]
    [InlineData(528449)]
    [InlineData(461814)]
    [InlineData(461808)]
    public void NetFramework472AndLaterRun(int release)
    {
        (string? error, string[] warnings) = CheckWindowsPowerShell(release, ".NET Framework 4.8.9032.0");
        Assert.Null(error);
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData(461310, "4.7.1 (release 461310)")]
    [InlineData(460805, "4.7 (release 460805)")]
    [InlineData(394806, "4.6.2 (release 394806)")]
    [InlineData(394254, "4.6.1 (release 394254)")]
    [InlineData(379893, "4.5.2 (release 379893)")]
    public void OlderNetFrameworksAreToldWhatToInstall(int release, string described)
    {
        (string? error, _) = CheckWindowsPowerShell(release, null);
        Assert.NotNull(error);
        Assert.Contains(".NET Framework 4.7.2 or later", error, StringComparison.Ordinal);
        Assert.Contains(".NET Framework " + described, error, StringComparison.Ordinal);
        Assert.Contains("netstandard, Version=2.0.0.0", error, StringComparison.Ordinal);
        Assert.Contains("Install .NET Framework 4.8", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".NET Framework 4.8.4515.0", false)]
    [InlineData(".NET Framework 4.7.3062.0", false)]
    [InlineData(".NET Framework 4.7.2558.0", true)]
    [InlineData(".NET Framework 4.6.1590.0", true)]
    [InlineData("something else", false)]
    [InlineData(null, false)]
    public void WithoutTheRegistryValueTheRuntimeDescriptionDecides(string? description, bool refused)
    {
        (string? error, _) = CheckWindowsPowerShell(null, description);
        Assert.Equal(refused, error is not null);
        if (refused)
        {
            Assert.Contains(description!, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnotherModulesBouncyCastleIsNamedWithItsPath()
    {
        const string theirs = @"C:\Program Files\WindowsPowerShell\Modules\Az.Accounts\2.12.1\lib\netfx\BouncyCastle.Cryptography.dll";
        (string? error, string[] warnings) = CheckWindowsPowerShell(528040, null, (theirs, "2.2.1.47552"));
        Assert.Null(error);
        string warning = Assert.Single(warnings);
        Assert.Contains("BouncyCastle.Cryptography 2.2.1.47552 was loaded from " + theirs, warning, StringComparison.Ordinal);
        Assert.Contains("(module Az.Accounts)", warning, StringComparison.Ordinal);
        Assert.Contains("Nrf91Cmng's own 2.7.0.0", warning, StringComparison.Ordinal);
        Assert.Contains("import Nrf91Cmng before Az.Accounts", warning, StringComparison.Ordinal);
        Assert.Contains("PowerShell 7.4", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameBouncyCastleIsNoWarning()
    {
        Assert.Empty(CheckWindowsPowerShell(528040, null, (@"D:\tools\Other\BouncyCastle.Cryptography.dll", "2.7.0.0")).Warnings);
        Assert.Empty(CheckWindowsPowerShell(528040, null, (OurPath, "2.6.0.0")).Warnings);
        Assert.Empty(CheckWindowsPowerShell(528040, null).Warnings);
    }

    [Fact]
    public void ABouncyCastleLoadedFromMemorySaysSo()
    {
        string warning = Assert.Single(CheckWindowsPowerShell(528040, null, (string.Empty, null)).Warnings);
        Assert.Contains("(unknown version) was loaded from memory before", warning, StringComparison.Ordinal);
        Assert.Contains("before that module", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"C:\Users\me\Documents\WindowsPowerShell\Modules\PSPKI\4.2.0\BouncyCastle.Cryptography.dll", "PSPKI")]
    [InlineData("/home/me/.local/share/powershell/Modules/Foo/1.0/lib/BouncyCastle.Cryptography.dll", "Foo")]
    [InlineData(@"C:\tools\BouncyCastle.Cryptography.dll", null)]
    [InlineData(@"C:\Modules\BouncyCastle.Cryptography.dll", null)]
    [InlineData("", null)]
    public void TheModuleIsTheFolderAfterModules(string path, string? module)
    {
        Assert.Equal(module, Compatibility.GetMethod("ModuleFromPath")!.Invoke(null, new object?[] { path }));
    }

    private static string OurPath => Path.Combine(@"C:\Program Files\WindowsPowerShell\Modules\Nrf91Cmng\0.1.0\Dependencies", "BouncyCastle.Cryptography.dll");

    private static (string? Error, string[] Warnings) CheckPowerShell7(Version runtime, Version? powerShell) =>
        Verdict(Compatibility.GetMethod("CheckPowerShell7")!.Invoke(null, new object?[] { runtime, powerShell })!);

    private static (string? Error, string[] Warnings) CheckWindowsPowerShell(int? release, string? description, params (string Location, string? FileVersion)[] loaded)
    {
        Array assemblies = Array.CreateInstance(Loaded, loaded.Length);
        for (int i = 0; i < loaded.Length; i++)
        {
            assemblies.SetValue(Activator.CreateInstance(Loaded, loaded[i].Location, loaded[i].FileVersion), i);
        }

        return Verdict(Compatibility.GetMethod("CheckWindowsPowerShell")!.Invoke(null, new object?[] { release, description, assemblies, "2.7.0.0", OurPath })!);
    }

    private static (string? Error, string[] Warnings) Verdict(object verdict)
    {
        Type type = verdict.GetType();
        return ((string?)type.GetProperty("Error")!.GetValue(verdict), ((IEnumerable<string>)type.GetProperty("Warnings")!.GetValue(verdict)!).ToArray());
    }
}
