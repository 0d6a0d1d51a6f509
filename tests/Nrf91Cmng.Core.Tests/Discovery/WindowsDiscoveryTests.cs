using System.Runtime.CompilerServices;
using System.Security;
using Nrf91Cmng.Core.Discovery;

namespace Nrf91Cmng.Core.Tests.Discovery;

/// <summary>
/// Windows port discovery over recorded registry snapshots (Fixtures/*.reg): only the ports present
/// are listed, each board's AT port is its first interface whatever COM numbers Windows handed out,
/// and unreadable keys become a warning instead of an exception.
/// </summary>
public sealed class WindowsDiscoveryTests
{
    [Fact]
    public void ABoardThatIsNoLongerPluggedInIsNotListed()
    {
        PortDiscoveryResult result = Discover("windows-old-dk-unplugged.reg", includeNonUsb: false);
        Assert.Empty(result.Ports);
        Assert.Empty(result.Warnings);

        PortDiscoveryResult all = Discover("windows-old-dk-unplugged.reg", includeNonUsb: true);
        SerialPortInfo com1 = Assert.Single(all.Ports);
        Assert.Equal("COM1", com1.PortName);
        Assert.Null(com1.VendorId);
    }

    [Fact]
    public void TwoDksPresentAreListedWithTheirAtPortByInterfaceNotByComNumber()
    {
        PortDiscoveryResult result = Discover("windows-two-dks.reg", includeNonUsb: false);
        Assert.Empty(result.Warnings);
        Assert.Equal(new[] { "COM3", "COM4", "COM5", "COM7", "COM12" }, result.Ports.Select(p => p.PortName));

        SerialPortInfo dk9160 = Port(result, "COM5");
        Assert.Equal("nRF9160-DK", dk9160.Board);
        Assert.True(dk9160.IsAtPort);
        Assert.True(dk9160.IsCellularBoard);
        Assert.Equal("1366", dk9160.VendorId);
        Assert.Equal("1055", dk9160.ProductId);
        Assert.Equal(0, dk9160.InterfaceNumber);
        // COM5 was also the old DK's number: the started device (Control subkey) wins.
        Assert.Equal("000960098765", dk9160.SerialNumber);
        Assert.Equal(@"USB\VID_1366&PID_1055\000960098765", dk9160.Location);
        Assert.Equal("SEGGER", dk9160.Manufacturer);
        Assert.Equal("JLink CDC UART Port", dk9160.Product);
        Assert.False(Port(result, "COM3").IsAtPort);
        Assert.Equal(2, Port(result, "COM3").InterfaceNumber);
        Assert.False(Port(result, "COM4").IsAtPort);

        SerialPortInfo dk9151 = Port(result, "COM12");
        Assert.Equal("nRF9151-DK", dk9151.Board);
        Assert.Equal("1059", dk9151.ProductId);
        Assert.True(dk9151.IsAtPort);
        Assert.False(Port(result, "COM7").IsAtPort);

        Assert.DoesNotContain(result.Ports, p => p.SerialNumber == "000960012345");
    }

    [Fact]
    public void NonUsbPortsArePresentOnesOnly()
    {
        PortDiscoveryResult result = Discover("windows-two-dks.reg", includeNonUsb: true);
        Assert.Equal(new[] { "COM1", "COM3", "COM4", "COM5", "COM7", "COM12" }, result.Ports.Select(p => p.PortName));
        Assert.DoesNotContain(result.Ports, p => p.PortName is "COM9" or "COM10" or "COM11");
    }

    [Fact]
    public void ThingiesAreRecognisedBySerialAndByUsbIds()
    {
        PortDiscoveryResult result = Discover("windows-thingy91x.reg", includeNonUsb: false);
        Assert.Empty(result.Warnings);

        SerialPortInfo x = Port(result, "COM20");
        Assert.Equal("Thingy:91 X", x.Board);
        Assert.Equal("THINGY91X_A1B2C3D4E5F6", x.SerialNumber);
        Assert.Equal("1915", x.VendorId);
        Assert.Equal("910A", x.ProductId);
        Assert.True(x.IsAtPort);
        Assert.False(Port(result, "COM19").IsAtPort);

        SerialPortInfo thingy = Port(result, "COM8");
        Assert.Equal("Thingy:91", thingy.Board);
        Assert.Equal("Thingy:91 Terminal", thingy.Product);
        Assert.True(thingy.IsAtPort);
        Assert.Equal(3, Port(result, "COM6").InterfaceNumber);
        Assert.False(Port(result, "COM6").IsAtPort);
    }

    [Fact]
    public void AThingyWithoutAUsableSerialIsStillRecognisedByItsUsbIds()
    {
        // Windows generates an instance id (with '&') for a device without a unique serial number.
        string text = Fixture("windows-thingy91x.reg").Replace("THINGY91X_A1B2C3D4E5F6", "6&1f2e3d4c&0&2", StringComparison.Ordinal);
        PortDiscoveryResult result = WindowsPortDiscovery.List(RecordedRegistry.Parse(text), includeNonUsb: false);
        PortDiscovery.Classify(result.Ports);
        SerialPortInfo x = Port(result, "COM20");
        Assert.Null(x.SerialNumber);
        Assert.Equal("Thingy:91 X", x.Board);
        Assert.True(x.IsAtPort);
        Assert.False(Port(result, "COM19").IsAtPort);
    }

    [Fact]
    public void ALockedKeyIsAWarningAndTheRestIsStillListed()
    {
        PortDiscoveryResult result = Discover("windows-locked-key.reg", includeNonUsb: false);
        string warning = Assert.Single(result.Warnings);
        Assert.Contains(@"HKLM\SYSTEM\CurrentControlSet\Enum\USB\VID_1366&PID_1059&MI_02\8&3a91c0de&0&0002", warning, StringComparison.Ordinal);
        Assert.Contains("Connect-Modem -PortName", warning, StringComparison.Ordinal);

        Assert.Equal(new[] { "COM3", "COM4", "COM5", "COM7", "COM12", "COM15" }, result.Ports.Select(p => p.PortName));
        Assert.True(Port(result, "COM5").IsAtPort);
        Assert.True(Port(result, "COM12").IsAtPort);
        // COM7's USB details are unreadable, but its driver (USBSER) says it is a USB port.
        Assert.Null(Port(result, "COM7").VendorId);
        Assert.Null(Port(result, "COM7").IsAtPort);
        SerialPortInfo bridge = Port(result, "COM15");
        Assert.Equal("10C4", bridge.VendorId);
        Assert.Equal("Silicon Labs", bridge.Manufacturer);
        Assert.Equal("Silicon Labs CP210x USB to UART Bridge", bridge.Product);
        Assert.Null(bridge.Board);
        Assert.DoesNotContain(result.Ports, p => p.PortName == "COM1");
    }

    [Fact]
    public void AnUnreadableUsbTreeStillListsThePresentUsbPorts()
    {
        string text = Fixture("windows-two-dks.reg").Replace(
            "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Enum\\USB\\VID_1366&PID_1055]\n",
            "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Enum\\USB]\n" + RecordedRegistry.AccessDeniedMarker + "\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Enum\\USB\\VID_1366&PID_1055]\n",
            StringComparison.Ordinal);
        PortDiscoveryResult result = WindowsPortDiscovery.List(RecordedRegistry.Parse(text), includeNonUsb: false);
        Assert.Contains(@"HKLM\SYSTEM\CurrentControlSet\Enum\USB", Assert.Single(result.Warnings), StringComparison.Ordinal);
        Assert.Equal(new[] { "COM3", "COM4", "COM5", "COM7", "COM12" }, result.Ports.Select(p => p.PortName));
        Assert.All(result.Ports, p => Assert.Null(p.VendorId));
    }

    [Fact]
    public void WithoutThePresentPortListEveryKnownPortIsListedAndTheWarningSaysSo()
    {
        string text = Fixture("windows-old-dk-unplugged.reg").Replace("[HKEY_LOCAL_MACHINE\\HARDWARE\\DEVICEMAP\\SERIALCOMM]", "[HKEY_LOCAL_MACHINE\\HARDWARE\\DEVICEMAP\\OTHER]", StringComparison.Ordinal);
        PortDiscoveryResult result = WindowsPortDiscovery.List(RecordedRegistry.Parse(text), includeNonUsb: false);
        Assert.Contains("plugged in or not", Assert.Single(result.Warnings), StringComparison.Ordinal);
        Assert.Equal(new[] { "COM9", "COM10", "COM11" }, result.Ports.Select(p => p.PortName));
    }

    [Fact]
    public void PortNamesFromSerialPortCountAsPresent()
    {
        string text = Fixture("windows-old-dk-unplugged.reg").Replace("[HKEY_LOCAL_MACHINE\\HARDWARE\\DEVICEMAP\\SERIALCOMM]", "[HKEY_LOCAL_MACHINE\\HARDWARE\\DEVICEMAP\\OTHER]", StringComparison.Ordinal);
        PortDiscoveryResult result = WindowsPortDiscovery.List(RecordedRegistry.Parse(text), includeNonUsb: false, presentPortNames: new[] { "COM10" });
        Assert.Empty(result.Warnings);
        Assert.Equal("COM10", Assert.Single(result.Ports).PortName);
    }

    [Fact]
    public void RecordedRegistryReadsRegExportText()
    {
        RecordedRegistry registry = RecordedRegistry.Load(FixturePath("windows-locked-key.reg"));
        Assert.Contains("VID_1366&PID_1055", registry.GetSubKeyNames(WindowsPortDiscovery.UsbEnumPath)!);
        Assert.Equal("COM15", registry.GetValue(@"HARDWARE\DEVICEMAP\SERIALCOMM", @"\Device\Silabser0"));
        Assert.Equal(0x94, registry.GetValue(@"system\currentcontrolset\enum\usb\VID_1366&PID_1055\000960098765", "Capabilities"));
        Assert.Null(registry.GetSubKeyNames(@"SYSTEM\Nope"));
        Assert.Null(registry.GetValue(@"SYSTEM\Nope", "x"));
        // A locked key is listed by its parent but cannot be opened, as with RegistryKey.OpenSubKey.
        Assert.Contains("8&3a91c0de&0&0002", registry.GetSubKeyNames(WindowsPortDiscovery.UsbEnumPath + @"\VID_1366&PID_1059&MI_02")!);
        Assert.Throws<SecurityException>(() => registry.GetValue(WindowsPortDiscovery.UsbEnumPath + @"\VID_1366&PID_1059&MI_02\8&3a91c0de&0&0002", "Service"));
        Assert.Throws<SecurityException>(() => registry.GetSubKeyNames(WindowsPortDiscovery.UsbEnumPath + @"\VID_1366&PID_1059&MI_02\8&3a91c0de&0&0002\Device Parameters"));
    }

    [Fact]
    public void RecordedRegistryTakesUtf16ExportsWithCrLfAndAllValueKinds()
    {
        string text = "Windows Registry Editor Version 5.00\r\n\r\n"
            + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Test]\r\n"
            + "@=\"default\"\r\n"
            + "\"Quoted \\\"name\\\"\"=\"C:\\\\path\\\\\"\r\n"
            + "\"Number\"=dword:ffffffff\r\n"
            + "\"Multi\"=hex(7):41,00,00,00,42,00,43,00,00,00,00,00\r\n"
            + "\"Bytes\"=hex:01,02,\\\r\n  03,04\r\n"
            + "\"Other\"=hex(2):41,00,00,00\r\n\r\n"
            + "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Gone]\r\n"
            + "[HKEY_CURRENT_USER\\Software\\Ignored]\r\n\"x\"=\"y\"\r\n";
        string path = Path.Combine(Path.GetTempPath(), "nrf91-reg-" + Guid.NewGuid().ToString("N") + ".reg");
        File.WriteAllText(path, text, System.Text.Encoding.Unicode);
        try
        {
            RecordedRegistry registry = RecordedRegistry.Load(path);
            Assert.Equal("default", registry.GetValue(@"SOFTWARE\Test", string.Empty));
            Assert.Equal(@"C:\path\", registry.GetValue(@"SOFTWARE\Test", "Quoted \"name\""));
            Assert.Equal(-1, registry.GetValue(@"SOFTWARE\Test", "Number"));
            Assert.Equal(new[] { "A", "BC" }, (string[])registry.GetValue(@"SOFTWARE\Test", "Multi")!);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, (byte[])registry.GetValue(@"SOFTWARE\Test", "Bytes")!);
            Assert.Equal("hex(2):41,00,00,00", registry.GetValue(@"SOFTWARE\Test", "Other"));
            Assert.Null(registry.GetSubKeyNames(@"SOFTWARE\Gone"));
            Assert.Equal(new[] { "Test" }, registry.GetSubKeyNames("SOFTWARE"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheLiveRegistryIsOnlyOpenedOnWindows()
    {
        if (!OperatingSystem.IsWindows())
        {
            Assert.Null(LiveRegistry.TryOpen());
        }
    }

    private static PortDiscoveryResult Discover(string fixture, bool includeNonUsb)
    {
        PortDiscoveryResult result = WindowsPortDiscovery.List(RecordedRegistry.Load(FixturePath(fixture)), includeNonUsb);
        PortDiscovery.Classify(result.Ports);
        return result;
    }

    private static SerialPortInfo Port(PortDiscoveryResult result, string name) => Assert.Single(result.Ports, p => p.PortName == name);

    private static string Fixture(string name) => File.ReadAllText(FixturePath(name));

    /// <summary>
    /// A file of Discovery/Fixtures, found next to this source file or, where the compiler mapped
    /// source paths away (ContinuousIntegrationBuild, PathMap), above the test binaries.
    /// </summary>
    internal static string FixturePath(string name, [CallerFilePath] string source = "")
    {
        string beside = Path.Combine(Path.GetDirectoryName(source) ?? string.Empty, "Fixtures", name);
        if (File.Exists(beside))
        {
            return beside;
        }

        for (DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Nrf91Cmng.Core.Tests", "Discovery", "Fixtures", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("Discovery fixture not found next to " + source + " nor above " + AppContext.BaseDirectory, name);
    }
}
