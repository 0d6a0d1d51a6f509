using Nrf91Cmng.Core.Discovery;

namespace Nrf91Cmng.Core.Tests.Discovery;

/// <summary>
/// macOS port discovery: USB ids from a recorded <c>ioreg -r -c IOUSBHostDevice -l</c> output
/// (Fixtures/macos-ioreg-usb.txt), and the name-only fallback when ioreg cannot run.
/// </summary>
public sealed class MacDiscoveryTests
{
    private static readonly string[] s_dev =
    {
        "/dev/cu.Bluetooth-Incoming-Port",
        "/dev/cu.usbmodem0009600123451", "/dev/cu.usbmodem0009600123453", "/dev/cu.usbmodem0009600123455",
        "/dev/cu.usbmodem1201", "/dev/cu.usbmodem1203",
        "/dev/cu.usbserial-a4c1d2e3f4b5e911b2a1c3d4e5f60718",
        "/dev/tty.usbmodem0009600123451",
    };

    [Fact]
    public void IoregGivesUsbIdsSerialsAndInterfaces()
    {
        IReadOnlyDictionary<string, SerialPortInfo> ports = MacPortDiscovery.ParseIoreg(File.ReadAllText(WindowsDiscoveryTests.FixturePath("macos-ioreg-usb.txt")));
        Assert.Equal(6, ports.Count);

        SerialPortInfo dk = ports["/dev/cu.usbmodem0009600123451"];
        Assert.Equal("1366", dk.VendorId);
        Assert.Equal("1055", dk.ProductId);
        Assert.Equal("000960012345", dk.SerialNumber);
        Assert.Equal("SEGGER", dk.Manufacturer);
        Assert.Equal("J-Link", dk.Product);
        Assert.Equal(1, dk.InterfaceNumber);
        Assert.Equal("0x01100000", dk.Location);
        Assert.Equal(5, ports["/dev/cu.usbmodem0009600123455"].InterfaceNumber);

        SerialPortInfo thingy = ports["/dev/cu.usbmodem1201"];
        Assert.Equal("1915", thingy.VendorId);
        Assert.Equal("910A", thingy.ProductId);
        Assert.Equal("THINGY91X_A1B2C3D4E5F6", thingy.SerialNumber);

        // Behind a hub: the nearest USB device above the port, not the hub.
        SerialPortInfo bridge = ports["/dev/cu.usbserial-a4c1d2e3f4b5e911b2a1c3d4e5f60718"];
        Assert.Equal("10C4", bridge.VendorId);
        Assert.Equal("EA60", bridge.ProductId);
        Assert.Equal(0, bridge.InterfaceNumber);
    }

    [Fact]
    public void WithIoregBoardsAreRecognisedEvenWithLocationBasedNames()
    {
        PortDiscoveryResult result = MacPortDiscovery.List(File.ReadAllText(WindowsDiscoveryTests.FixturePath("macos-ioreg-usb.txt")), s_dev, includeNonUsb: false);
        PortDiscovery.Classify(result.Ports);
        Assert.Empty(result.Warnings);
        Assert.Equal(
            new[] { "/dev/cu.usbmodem0009600123451", "/dev/cu.usbmodem0009600123453", "/dev/cu.usbmodem0009600123455", "/dev/cu.usbmodem1201", "/dev/cu.usbmodem1203", "/dev/cu.usbserial-a4c1d2e3f4b5e911b2a1c3d4e5f60718" },
            result.Ports.Select(p => p.PortName));
        Assert.Equal(new bool?[] { true, false, false, true, false, null }, result.Ports.Select(p => p.IsAtPort));
        Assert.Equal("nRF9160-DK", result.Ports[0].Board);
        Assert.Equal("Thingy:91 X", result.Ports[3].Board);
        Assert.DoesNotContain(result.Ports, p => p.PortName.StartsWith("/dev/tty.", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutIoregNamesStillGiveSerialsIncludingUnderscores()
    {
        string[] dev = { "/dev/cu.usbmodemTHINGY91X_A1B2C3D4E5F63", "/dev/cu.usbmodemTHINGY91X_A1B2C3D4E5F61", "/dev/cu.usbmodem14101", "/dev/cu.Bluetooth-Incoming-Port" };
        PortDiscoveryResult result = MacPortDiscovery.List(null, dev, includeNonUsb: false);
        PortDiscovery.Classify(result.Ports);
        Assert.Equal(3, result.Ports.Count);
        SerialPortInfo first = result.Ports.Single(p => p.PortName.EndsWith("F61", StringComparison.Ordinal));
        Assert.Equal("THINGY91X_A1B2C3D4E5F6", first.SerialNumber);
        Assert.Equal("Thingy:91 X", first.Board);
        Assert.True(first.IsAtPort);
        Assert.False(result.Ports.Single(p => p.PortName.EndsWith("F63", StringComparison.Ordinal)).IsAtPort);

        // A location-based name carries no serial number: not mistaken for one.
        SerialPortInfo located = result.Ports.Single(p => p.PortName == "/dev/cu.usbmodem14101");
        Assert.Null(located.SerialNumber);
        Assert.Null(located.Board);
    }

    [Fact]
    public void DialInNodesAreNeverListed()
    {
        PortDiscoveryResult result = MacPortDiscovery.List(null, new[] { "/dev/tty.usbmodem0009600123451", "/dev/cu.usbmodem0009600123451" }, includeNonUsb: true);
        Assert.Equal("/dev/cu.usbmodem0009600123451", Assert.Single(result.Ports).PortName);
    }

    [Fact]
    public void NonUsbCallOutDevicesOnlyWhenAskedFor()
    {
        Assert.DoesNotContain(MacPortDiscovery.List(null, s_dev, includeNonUsb: false).Ports, p => p.PortName.Contains("Bluetooth", StringComparison.Ordinal));
        Assert.Contains(MacPortDiscovery.List(null, s_dev, includeNonUsb: true).Ports, p => p.PortName.Contains("Bluetooth", StringComparison.Ordinal));
    }

    [Fact]
    public void GarbageIoregOutputGivesNothingRatherThanAnError()
    {
        Assert.Empty(MacPortDiscovery.ParseIoreg("not ioreg at all\n+-o broken\n  \"IOCalloutDevice\" = \"/dev/cu.x\"\n"));
        Assert.Empty(MacPortDiscovery.ParseIoreg(string.Empty));
    }
}
