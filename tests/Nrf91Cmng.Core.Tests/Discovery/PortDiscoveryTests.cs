using Nrf91Cmng.Core.Discovery;

namespace Nrf91Cmng.Core.Tests.Discovery;

/// <summary>Port discovery over a fake sysfs tree and macOS device names; board identification by serial prefix.</summary>
public sealed class PortDiscoveryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nrf91-sysfs-" + Guid.NewGuid().ToString("N"));

    public PortDiscoveryTests()
    {
        // nRF9160 DK: SEGGER J-Link OB with CDC ACM interfaces 0 and 2 (and 4 on newer OB firmware).
        UsbDevice("usb1/1-1", "1366", "1055", "000960012345", "SEGGER", "J-Link");
        Tty("ttyACM0", "usb1/1-1/1-1:1.0", "00");
        Tty("ttyACM1", "usb1/1-1/1-1:1.2", "02");
        Tty("ttyACM2", "usb1/1-1/1-1:1.4", "04");
        // nRF5340 DK: its AT-capable port is the second one, and it has no modem.
        UsbDevice("usb1/1-2", "1366", "1051", "001050012345", "SEGGER", "J-Link");
        Tty("ttyACM3", "usb1/1-2/1-2:1.0", "00");
        Tty("ttyACM4", "usb1/1-2/1-2:1.2", "02");
        // Thingy:91: Nordic vendor id, two CDC ports.
        UsbDevice("usb2/2-1", "1915", "9100", "THINGY91_DEADBEEF", "Nordic Semiconductor", "Thingy:91 UART");
        Tty("ttyACM5", "usb2/2-1/2-1:1.1", "01");
        Tty("ttyACM6", "usb2/2-1/2-1:1.3", "03");
        // A CP210x bridge (nRF9160 Feather): usb-serial puts the tty one level below the interface.
        UsbDevice("usb2/2-2", "10c4", "ea60", "0001", "Silicon Labs", "CP2102N");
        Tty("ttyUSB0", "usb2/2-2/2-2:1.0/ttyUSB0", "00", interfaceLevelUp: true);
        // A legacy on-board UART without USB.
        Directory.CreateDirectory(Path.Combine(_root, "sys/devices/platform/serial8250/tty/ttyS0"));
        Directory.CreateDirectory(Path.Combine(_root, "sys/class/tty"));
        File.CreateSymbolicLink(Path.Combine(_root, "sys/class/tty/ttyS0"), Path.Combine(_root, "sys/devices/platform/serial8250/tty/ttyS0"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void LinuxSysfsGivesUsbIdentityAndPicksTheDkAtPort()
    {
        List<SerialPortInfo> ports = PortDiscovery.ListLinux(_root, includeNonUsb: false);
        PortDiscovery.Classify(ports);
        Assert.Equal(new[] { "ttyACM0", "ttyACM1", "ttyACM2", "ttyACM3", "ttyACM4", "ttyACM5", "ttyACM6", "ttyUSB0" }, ports.Select(p => Path.GetFileName(p.PortName)));

        SerialPortInfo dk = ports[0];
        Assert.Equal("1366", dk.VendorId);
        Assert.Equal("1055", dk.ProductId);
        Assert.Equal("000960012345", dk.SerialNumber);
        Assert.Equal("SEGGER", dk.Manufacturer);
        Assert.Equal(0, dk.InterfaceNumber);
        Assert.Equal("nRF9160-DK", dk.Board);
        Assert.True(dk.IsAtPort);
        Assert.False(ports[1].IsAtPort);
        Assert.False(ports[2].IsAtPort);

        Assert.Equal("nRF5340-DK", ports[3].Board);
        Assert.False(ports[3].IsAtPort);
        Assert.False(ports[4].IsAtPort);
        Assert.False(ports[3].IsCellularBoard);

        Assert.Equal("Thingy:91", ports[5].Board);
        Assert.True(ports[5].IsAtPort);
        Assert.False(ports[6].IsAtPort);

        SerialPortInfo feather = ports[7];
        Assert.Equal("10C4", feather.VendorId);
        Assert.Null(feather.Board);
        Assert.Null(feather.IsAtPort);
    }

    [Fact]
    public void NonUsbPortsAreListedOnlyWhenAskedFor()
    {
        Assert.DoesNotContain(PortDiscovery.ListLinux(_root, includeNonUsb: false), p => p.PortName.EndsWith("ttyS0", StringComparison.Ordinal));
    }

    [Fact]
    public void MacNamesCarryTheSerialNumberAndInterface()
    {
        List<SerialPortInfo> ports = PortDiscovery.ListMac(new[] { "/dev/cu.usbmodem0010509123451", "/dev/cu.usbmodem0010509123453", "/dev/cu.Bluetooth-Incoming-Port" }, includeNonUsb: false);
        PortDiscovery.Classify(ports);
        Assert.Equal(2, ports.Count);
        Assert.Equal("001050912345", ports[0].SerialNumber);
        Assert.Equal("nRF9161-DK", ports[0].Board);
        Assert.True(ports[0].IsAtPort);
        Assert.False(ports[1].IsAtPort);
    }

    [Theory]
    [InlineData("000960012345", "nRF9160-DK", true)]
    [InlineData("001050912345", "nRF9161-DK", true)]
    [InlineData("001051212345", "nRF9151-DK", true)]
    [InlineData("001051012345", "nRF9131-EK", true)]
    [InlineData("THINGY91X_1234", "Thingy:91 X", true)]
    [InlineData("000960112345", "nRF5340-DK", false)]
    public void BoardsAreIdentifiedBySerialPrefix(string serial, string board, bool cellular)
    {
        Assert.True(NordicBoards.TryIdentify(serial, out string name, out _, out bool isCellular));
        Assert.Equal(board, name);
        Assert.Equal(cellular, isCellular);
    }

    private void UsbDevice(string path, string vid, string pid, string serial, string manufacturer, string product)
    {
        string dir = Path.Combine(_root, "sys/devices/pci0000:00", path);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "idVendor"), vid + "\n");
        File.WriteAllText(Path.Combine(dir, "idProduct"), pid + "\n");
        File.WriteAllText(Path.Combine(dir, "serial"), serial + "\n");
        File.WriteAllText(Path.Combine(dir, "manufacturer"), manufacturer + "\n");
        File.WriteAllText(Path.Combine(dir, "product"), product + "\n");
    }

    private void Tty(string name, string devicePath, string interfaceNumber, bool interfaceLevelUp = false)
    {
        string device = Path.Combine(_root, "sys/devices/pci0000:00", devicePath);
        Directory.CreateDirectory(device);
        string interfaceDir = interfaceLevelUp ? Path.GetDirectoryName(device)! : device;
        File.WriteAllText(Path.Combine(interfaceDir, "bInterfaceNumber"), interfaceNumber + "\n");
        string classEntry = Path.Combine(_root, "sys/class/tty", name);
        Directory.CreateDirectory(classEntry);
        File.CreateSymbolicLink(Path.Combine(classEntry, "device"), device);
    }
}
