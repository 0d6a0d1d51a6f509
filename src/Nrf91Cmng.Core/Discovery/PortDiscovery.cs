using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Nrf91Cmng.Core.Transport;

namespace Nrf91Cmng.Core.Discovery
{
    /// <summary>
    /// Lists serial ports with their USB identity: Linux reads sysfs, Windows the registry's USB
    /// enumeration, macOS parses the /dev/cu.usbmodem names (the serial number is in the name).
    /// Nordic boards are identified by serial-number prefix and their AT port picked by interface order.
    /// </summary>
    public static class PortDiscovery
    {
        private static readonly Regex s_macModem = new Regex(@"^cu\.usbmodem(?<serial>[0-9A-Za-z]+?)(?<iface>\d)$", RegexOptions.CultureInvariant);

        /// <summary>Lists the ports of this machine.</summary>
        public static IReadOnlyList<SerialPortInfo> List(bool includeNonUsb)
        {
            List<SerialPortInfo> ports;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                ports = ListLinux("/", includeNonUsb);
            }
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                ports = ListMac(Directory.Exists("/dev") ? Directory.GetFiles("/dev", "cu.*") : Array.Empty<string>(), includeNonUsb);
            }
            else
            {
                ports = ListWindows(includeNonUsb);
            }

            Classify(ports);
            return ports;
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

        /// <summary>macOS: /dev/cu.usbmodem&lt;serial&gt;&lt;interface digit&gt; as the CDC ACM driver names them.</summary>
        public static List<SerialPortInfo> ListMac(IEnumerable<string> devices, bool includeNonUsb)
        {
            var ports = new List<SerialPortInfo>();
            foreach (string path in devices.OrderBy(p => p, StringComparer.Ordinal))
            {
                string name = Path.GetFileName(path);
                Match m = s_macModem.Match(name);
                if (m.Success)
                {
                    ports.Add(new SerialPortInfo
                    {
                        PortName = path,
                        SerialNumber = m.Groups["serial"].Value,
                        InterfaceNumber = int.Parse(m.Groups["iface"].Value, CultureInfo.InvariantCulture),
                    });
                }
                else if (includeNonUsb || name.StartsWith("cu.usbserial", StringComparison.Ordinal) || name.StartsWith("cu.SLAB", StringComparison.Ordinal))
                {
                    ports.Add(new SerialPortInfo { PortName = path });
                }
            }

            return ports;
        }

        /// <summary>Windows: COM ports from the registry's USB enumeration, composite children mapped to their parent's serial number.</summary>
        public static List<SerialPortInfo> ListWindows(bool includeNonUsb)
        {
            var ports = new List<SerialPortInfo>();
            var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (SerialPortInfo port in WindowsUsbPorts())
            {
                if (known.Add(port.PortName))
                {
                    ports.Add(port);
                }
            }

            if (includeNonUsb)
            {
                foreach (string name in SafePortNames())
                {
                    if (known.Add(name))
                    {
                        ports.Add(new SerialPortInfo { PortName = name });
                    }
                }
            }

            return ports.OrderBy(p => p.PortName.Length).ThenBy(p => p.PortName, StringComparer.OrdinalIgnoreCase).ToList();
        }

        /// <summary>Names the board of each port and marks the AT port of each Nordic board (by interface order).</summary>
        public static void Classify(IList<SerialPortInfo> ports)
        {
            foreach (IGrouping<string, SerialPortInfo> board in ports.Where(p => p.SerialNumber is not null).GroupBy(p => p.SerialNumber!, StringComparer.OrdinalIgnoreCase))
            {
                if (!NordicBoards.TryIdentify(board.Key, out string name, out int atIndex, out bool cellular))
                {
                    continue;
                }

                List<SerialPortInfo> ordered = board.OrderBy(p => p.InterfaceNumber ?? int.MaxValue).ThenBy(p => p.PortName, StringComparer.Ordinal).ToList();
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
            catch (Exception ex) when (ex is Errors.ModemException || ex is PlatformNotSupportedException || ex is TargetInvocationException)
            {
                return Array.Empty<string>();
            }
        }

        private static IEnumerable<SerialPortInfo> WindowsUsbPorts()
        {
            // Microsoft.Win32.Registry through reflection: the core stays netstandard2.0 without a registry package.
            Type? registry = Type.GetType("Microsoft.Win32.Registry, Microsoft.Win32.Registry") ?? Type.GetType("Microsoft.Win32.Registry, mscorlib");
            object? machine = registry?.GetField("LocalMachine", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
            if (machine is null)
            {
                yield break;
            }

            object? usb = OpenSubKey(machine, @"SYSTEM\CurrentControlSet\Enum\USB");
            if (usb is null)
            {
                yield break;
            }

            var parents = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var children = new List<(string Hardware, string Instance, string Port)>();
            foreach (string hardware in SubKeyNames(usb))
            {
                object? hardwareKey = OpenSubKey(usb, hardware);
                if (hardwareKey is null)
                {
                    continue;
                }

                foreach (string instance in SubKeyNames(hardwareKey))
                {
                    object? instanceKey = OpenSubKey(hardwareKey, instance);
                    if (instanceKey is null)
                    {
                        continue;
                    }

                    if (GetValue(instanceKey, "ParentIdPrefix") is string prefix)
                    {
                        parents[prefix] = instance;
                    }

                    object? parameters = OpenSubKey(instanceKey, "Device Parameters");
                    if (parameters is not null && GetValue(parameters, "PortName") is string port && port.StartsWith("COM", StringComparison.OrdinalIgnoreCase))
                    {
                        children.Add((hardware, instance, port));
                    }
                }
            }

            var ids = new Regex("VID_(?<vid>[0-9A-F]{4})&PID_(?<pid>[0-9A-F]{4})(&MI_(?<mi>[0-9A-F]{2}))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            foreach ((string hardware, string instance, string port) in children)
            {
                Match m = ids.Match(hardware);
                string? serial = instance.Contains("&")
                    ? parents.FirstOrDefault(p => instance.StartsWith(p.Key + "&", StringComparison.OrdinalIgnoreCase)).Value
                    : instance;
                yield return new SerialPortInfo
                {
                    PortName = port,
                    VendorId = m.Success ? m.Groups["vid"].Value.ToUpperInvariant() : null,
                    ProductId = m.Success ? m.Groups["pid"].Value.ToUpperInvariant() : null,
                    InterfaceNumber = m.Success && m.Groups["mi"].Success ? int.Parse(m.Groups["mi"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : (int?)null,
                    SerialNumber = serial,
                    Location = hardware + "\\" + instance,
                };
            }
        }

        private static object? OpenSubKey(object key, string name) =>
            key.GetType().GetMethod("OpenSubKey", new[] { typeof(string) })?.Invoke(key, new object[] { name });

        private static string[] SubKeyNames(object key) =>
            key.GetType().GetMethod("GetSubKeyNames", Type.EmptyTypes)?.Invoke(key, null) as string[] ?? Array.Empty<string>();

        private static object? GetValue(object key, string name) =>
            key.GetType().GetMethod("GetValue", new[] { typeof(string) })?.Invoke(key, new object[] { name });
    }
}
