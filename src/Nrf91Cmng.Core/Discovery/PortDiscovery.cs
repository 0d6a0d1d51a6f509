using System.Reflection;
using System.Runtime.InteropServices;

namespace Nrf91Cmng.Core.Discovery
{
    /// <summary>
    /// Lists serial ports with their USB identity: Linux reads sysfs, Windows the registry (the ports
    /// present now, identified through the USB enumeration), macOS the I/O Registry through ioreg
    /// (falling back to the /dev/cu.usbmodem names). Nordic boards are identified by serial-number
    /// prefix or USB ids and their AT port picked by interface order (<see cref="NordicBoards"/>).
    /// </summary>
    public static class PortDiscovery
    {
        private static readonly TimeSpan s_ioregTimeout = TimeSpan.FromSeconds(5);

        /// <summary>Lists the ports of this machine (warnings dropped: see <see cref="Discover"/>).</summary>
        public static IReadOnlyList<SerialPortInfo> List(bool includeNonUsb) => Discover(includeNonUsb).Ports;

        /// <summary>Lists the ports of this machine, with warnings about what could not be read.</summary>
        public static PortDiscoveryResult Discover(bool includeNonUsb)
        {
            PortDiscoveryResult result;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                result = new PortDiscoveryResult();
                result.Ports.AddRange(ListLinux("/", includeNonUsb));
            }
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                string? ioreg = MacPortDiscovery.RunIoreg(s_ioregTimeout, out string? error);
                result = MacPortDiscovery.List(ioreg, Directory.Exists("/dev") ? Directory.GetFiles("/dev", "cu.*") : Array.Empty<string>(), includeNonUsb);
                if (ioreg is null)
                {
                    result.Warnings.Add("The USB details of the ports could not be read (" + error + "): boards are recognised by their port names only.");
                }
            }
            else
            {
                LiveRegistry? registry = LiveRegistry.TryOpen();
                if (registry is null)
                {
                    result = new PortDiscoveryResult();
                    result.Warnings.Add("This PowerShell cannot read the Windows registry: ports are listed by name only.");
                    result.Ports.AddRange(SafePortNames().Select(n => new SerialPortInfo { PortName = n }));
                }
                else
                {
                    result = WindowsPortDiscovery.List(registry, includeNonUsb, SafePortNames());
                }
            }

            Classify(result.Ports);
            return result;
        }

        /// <summary>Linux: every /sys/class/tty entry backed by a USB interface (and, if asked, the rest that have a device).</summary>
        public static List<SerialPortInfo> ListLinux(string root, bool includeNonUsb)
        {
            var ports = new List<SerialPortInfo>();
            string classDir = Path.Combine(root, "sys/class/tty");
            if (!Directory.Exists(classDir))
            {
                return ports;
            }

            foreach (string entry in Directory.GetFileSystemEntries(classDir).OrderBy(e => e, StringComparer.Ordinal))
            {
                string name = Path.GetFileName(entry);
                string deviceLink = Path.Combine(entry, "device");
                if (!Directory.Exists(deviceLink))
                {
                    continue;
                }

                string device = Resolve(deviceLink);
                string interfaceFile = Path.Combine(device, "bInterfaceNumber");
                if (!File.Exists(interfaceFile))
                {
                    // usb-serial bridges (ttyUSB): the tty device sits one level below the interface.
                    string parent = Path.GetDirectoryName(device) ?? device;
                    if (File.Exists(Path.Combine(parent, "bInterfaceNumber")))
                    {
                        device = parent;
                        interfaceFile = Path.Combine(device, "bInterfaceNumber");
                    }
                }

                var port = new SerialPortInfo { PortName = Path.Combine(root, "dev", name).Replace('\\', '/') };
                if (root == "/")
                {
                    port.PortName = "/dev/" + name;
                }

                if (File.Exists(interfaceFile))
                {
                    string usbDevice = Path.GetDirectoryName(device) ?? device;
                    port.InterfaceNumber = int.TryParse(ReadTrim(interfaceFile), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int n) ? n : (int?)null;
                    port.VendorId = ReadTrim(Path.Combine(usbDevice, "idVendor"))?.ToUpperInvariant();
                    port.ProductId = ReadTrim(Path.Combine(usbDevice, "idProduct"))?.ToUpperInvariant();
                    port.SerialNumber = ReadTrim(Path.Combine(usbDevice, "serial"));
                    port.Manufacturer = ReadTrim(Path.Combine(usbDevice, "manufacturer"));
                    port.Product = ReadTrim(Path.Combine(usbDevice, "product"));
                    port.Location = Path.GetFileName(usbDevice);
                    ports.Add(port);
                }
                else if (includeNonUsb && !name.StartsWith("ttyS", StringComparison.Ordinal) || includeNonUsb && HasRealUart(device))
                {
                    ports.Add(port);
                }
            }

            return ports;
        }

        /// <summary>macOS without ioreg: /dev/cu.usbmodem&lt;serial&gt;&lt;interface digit&gt; as the CDC ACM driver names them.</summary>
        public static List<SerialPortInfo> ListMac(IEnumerable<string> devices, bool includeNonUsb) =>
            MacPortDiscovery.List(null, devices, includeNonUsb).Ports;

        /// <summary>Windows: the ports present now with their USB identity, from this machine's registry.</summary>
        public static List<SerialPortInfo> ListWindows(bool includeNonUsb)
        {
            LiveRegistry? registry = LiveRegistry.TryOpen();
            return registry is null
                ? SafePortNames().Select(n => new SerialPortInfo { PortName = n }).ToList()
                : WindowsPortDiscovery.List(registry, includeNonUsb, SafePortNames()).Ports;
        }

        /// <summary>
        /// Names the board of each port and marks the AT port of each Nordic board: the ports of one
        /// USB device (same serial number, else same location) in interface order, the board's VCOM
        /// index counted in that order (never in port-name order: COM numbers are handed out as
        /// Windows sees the interfaces).
        /// </summary>
        public static void Classify(IList<SerialPortInfo> ports)
        {
            if (ports is null)
            {
                throw new ArgumentNullException(nameof(ports));
            }

            foreach (IGrouping<string, SerialPortInfo> board in ports.Where(p => (p.SerialNumber ?? p.Location) is not null).GroupBy(p => p.SerialNumber ?? "@" + p.Location, StringComparer.OrdinalIgnoreCase))
            {
                SerialPortInfo first = board.First();
                if (!NordicBoards.TryIdentify(first.VendorId, first.ProductId, first.SerialNumber, out string name, out int atIndex, out bool cellular))
                {
                    continue;
                }

                List<SerialPortInfo> ordered = board.OrderBy(p => p.InterfaceNumber ?? int.MaxValue).ThenBy(p => p.PortName.Length).ThenBy(p => p.PortName, StringComparer.Ordinal).ToList();
                for (int i = 0; i < ordered.Count; i++)
                {
                    ordered[i].Board = name;
                    ordered[i].IsCellularBoard = cellular;
                    ordered[i].IsAtPort = cellular && i == atIndex;
                }
            }
        }

        private static bool HasRealUart(string device) => File.Exists(Path.Combine(device, "resources")) || Directory.Exists(Path.Combine(device, "driver")) && !device.Contains("serial8250");

        private static string? ReadTrim(string path)
        {
            try
            {
                return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static string Resolve(string link) => UnixNative.RealPath(link) ?? link;

        private static IEnumerable<string> SafePortNames()
        {
            try
            {
                return SerialTransport.GetPortNames();
            }
            catch (Exception ex) when (ex is Errors.ModemException || ex is PlatformNotSupportedException || ex is TargetInvocationException || ex is System.Security.SecurityException || ex is UnauthorizedAccessException || ex is IOException)
            {
                return Array.Empty<string>();
            }
        }
    }

    /// <summary>What port discovery found, and what it could not read (for Write-Warning).</summary>
    public sealed class PortDiscoveryResult
    {
        /// <summary>The ports, in the order to show them.</summary>
        public List<SerialPortInfo> Ports { get; } = new List<SerialPortInfo>();

        /// <summary>Plain-language warnings: unreadable registry keys, no ioreg, presence unknown.</summary>
        public List<string> Warnings { get; } = new List<string>();
    }
}
