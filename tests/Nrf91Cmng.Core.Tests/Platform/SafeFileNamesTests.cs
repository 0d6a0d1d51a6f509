using CsCheck;
using Nrf91Cmng.Core.Platform;

namespace Nrf91Cmng.Core.Tests.Platform;

/// <summary>Transcript file names from port names: never a Windows device name, never shared by two ports.</summary>
public sealed class SafeFileNamesTests
{
    [Theory]
    [InlineData("COM5", "COM5_")]
    [InlineData("com5", "COM5_")]
    [InlineData(@"\\.\COM10", "COM10_")]
    [InlineData(@"\\?\COM3", "COM3_")]
    [InlineData("/dev/ttyACM0", "ttyACM0_")]
    [InlineData("/dev/cu.usbmodem0009600000001", "cu.usbmodem0009600000001_")]
    [InlineData("/dev/serial/by-id/usb-SEGGER_J-Link_000960012345-if00", "serial-by-id-usb-SEGGER-J-Link-000960012345-if00_")]
    [InlineData("tcp://127.0.0.1:7000", "tcp-127.0.0.1-7000_")]
    [InlineData("CNCA0", "CNCA0_")]
    [InlineData("NUL", "NUL_")]
    [InlineData("CON.txt", "port-CON.txt_")]
    [InlineData("/dev/con.x", "port-con.x_")]
    [InlineData("", "port_")]
    [InlineData("  ", "port_")]
    [InlineData("////", "port_")]
    public void NamesAreReadableWithAHashSuffix(string port, string expectedPrefix)
    {
        string name = SafeFileNames.ForPort(port);
        Assert.StartsWith(expectedPrefix, name, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9.-]+_[0-9a-f]{10}$", name);
        Assert.False(SafeFileNames.IsReservedOnWindows(name));
        Assert.False(SafeFileNames.IsReservedOnWindows(name + ".log"));
    }

    [Fact]
    public void SpellingsOfOneWindowsPortShareAName()
    {
        string name = SafeFileNames.ForPort("COM10");
        Assert.Equal(name, SafeFileNames.ForPort(@"\\.\COM10"));
        Assert.Equal(name, SafeFileNames.ForPort("com10"));
        Assert.Equal(name, SafeFileNames.ForPort(" COM10 "));
        Assert.Equal("COM10", SafeFileNames.CanonicalPortName(@"\\.\com10"));
    }

    [Fact]
    public void PortsThatDifferOnlyInCaseOrPunctuationGetDifferentNamesEvenIgnoringCase()
    {
        string[] ports =
        {
            "/dev/ttyACM0", "/dev/ttyacm0", "ttyACM0", "/dev/tty_ACM0", "/dev/tty-ACM0", "/dev/tty:ACM0",
            "tcp://127.0.0.1:7000", "tcp://127.0.0.1:7001", "tcp-127.0.0.1-7000", "COM5", "/dev/COM5", "COM5_", "LPT1",
        };
        string[] names = ports.Select(SafeFileNames.ForPort).ToArray();
        Assert.Equal(names.Length, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void NamesAreStableAcrossRunsAndPlatforms()
    {
        // The hash is FNV-1a over UTF-8, not string.GetHashCode (randomised per process): pinned values.
        Assert.Equal("COM5_" + Fnv("COM5"), SafeFileNames.ForPort("COM5"));
        Assert.Equal("ttyACM0_" + Fnv("/dev/ttyACM0"), SafeFileNames.ForPort("/dev/ttyACM0"));
        Assert.Equal(SafeFileNames.ForPort("/dev/ttyACM0"), SafeFileNames.ForPort("/dev/ttyACM0"));
    }

    [Fact]
    public void LongNamesKeepTheirDistinctiveTail()
    {
        string name = SafeFileNames.ForPort("/dev/serial/by-path/pci-0000:00:14.0-usb-0:1.2.3.4.1:1.0-port0-very-long-description-here");
        Assert.True(name.Length <= 48 + 11);
        Assert.Contains("description-here", name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CON", true)]
    [InlineData("con", true)]
    [InlineData("Nul.txt", true)]
    [InlineData("AUX.tar.gz", true)]
    [InlineData("COM5.log", true)]
    [InlineData("COM0", true)]
    [InlineData("LPT9.txt", true)]
    [InlineData("COM\u00B9", true)]
    [InlineData("LPT\u00B2.log", true)]
    [InlineData("COM\u00B3.txt", true)]
    [InlineData("CON .log", true)]
    [InlineData("CON..", true)]
    [InlineData("CONIN$", true)]
    [InlineData("conout$.txt", true)]
    [InlineData("COM10", false)]
    [InlineData("COM10.log", false)]
    [InlineData("COM\u2074", false)]
    [InlineData("CONSOLE", false)]
    [InlineData("xCON", false)]
    [InlineData("COM5_0123456789", false)]
    [InlineData(".CON", false)]
    [InlineData("", false)]
    public void WindowsReservedNames(string fileName, bool reserved)
    {
        Assert.Equal(reserved, SafeFileNames.IsReservedOnWindows(fileName));
    }

    [Fact]
    public void AnyPortNameGivesASafeName()
    {
        Gen.String.Sample(port =>
        {
            string name = SafeFileNames.ForPort(port);
            return System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z0-9][A-Za-z0-9.-]*_[0-9a-f]{10}$")
                && !SafeFileNames.IsReservedOnWindows(name)
                && !SafeFileNames.IsReservedOnWindows(name + ".log")
                && name.Length <= 48 + 11 + "port-".Length;
        }, iter: 5000);
    }

    [Fact]
    public void DifferentCanonicalNamesGiveDifferentFileNames()
    {
        Gen.Select(Gen.String, Gen.String).Sample((a, b) =>
            SafeFileNames.CanonicalPortName(a) == SafeFileNames.CanonicalPortName(b)
                ? SafeFileNames.ForPort(a) == SafeFileNames.ForPort(b)
                : !string.Equals(SafeFileNames.ForPort(a), SafeFileNames.ForPort(b), StringComparison.OrdinalIgnoreCase), iter: 5000);
    }

    private static string Fnv(string s)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in System.Text.Encoding.UTF8.GetBytes(s))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }

        return (hash & 0xFFFFFFFFFFUL).ToString("x10", System.Globalization.CultureInfo.InvariantCulture);
    }
}
