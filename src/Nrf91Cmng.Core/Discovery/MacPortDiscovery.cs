using System.Diagnostics;

namespace Nrf91Cmng.Core.Discovery
{
    /// <summary>
    /// macOS: the call-out devices in /dev (<c>cu.*</c>; the dial-in <c>tty.*</c> twins are never
    /// listed) with their USB identity from the I/O Registry, as <c>ioreg -r -c IOUSBHostDevice -l</c>
    /// prints it: each USB device's subtree holds its interfaces (<c>bInterfaceNumber</c>) and, under
    /// a CDC data interface, an <c>IOSerialBSDClient</c> whose <c>IOCalloutDevice</c> is the port. The
    /// interface number of a macOS port is therefore its CDC <i>data</i> interface (1, 3, 5 on a J-Link),
    /// which orders a board's ports the same way as Linux and Windows do. Without ioreg the serial
    /// number is read from names such as <c>cu.usbmodem0009600123451</c> (serial, then one digit).
    /// </summary>
    public static class MacPortDiscovery
    {
        /// <summary>The ioreg arguments whose output <see cref="ParseIoreg"/> reads.</summary>
        public const string IoregArguments = "-r -c IOUSBHostDevice -l";

        private static readonly Regex s_node = new Regex(@"\+-o (?<name>.*?)\s+<class (?<class>[^,>]+)", RegexOptions.CultureInvariant);
        private static readonly Regex s_property = new Regex(@"^[\s|]*""(?<key>[^""]+)"" = (?<value>.*)$", RegexOptions.CultureInvariant);

        // "cu.usbmodem" + serial + one interface digit; the serial may hold any character but '/'.
        // Location-based names (cu.usbmodem14101, newer macOS for devices it names by port) are short.
        private static readonly Regex s_usbModem = new Regex(@"^cu\.usbmodem(?<serial>[^/]+)(?<iface>[0-9])$", RegexOptions.CultureInvariant);
        private const int MinimumSerialLengthInName = 8;

        private static readonly string[] s_deviceClasses = { "IOUSBHostDevice", "IOUSBDevice", "AppleUSBDevice" };
        private static readonly string[] s_interfaceClasses = { "IOUSBHostInterface", "IOUSBInterface", "AppleUSBInterface" };

        /// <summary>
        /// Lists <paramref name="calloutDevices"/> (paths such as <c>/dev/cu.usbmodem0009600123451</c>),
        /// identified from <paramref name="ioregOutput"/> when given (null when ioreg could not run).
        /// USB CDC and common bridge names are listed; others (Bluetooth) only with <paramref name="includeNonUsb"/>.
        /// </summary>
        public static PortDiscoveryResult List(string? ioregOutput, IEnumerable<string> calloutDevices, bool includeNonUsb)
        {
            if (calloutDevices is null)
            {
                throw new ArgumentNullException(nameof(calloutDevices));
            }

            var result = new PortDiscoveryResult();
            IReadOnlyDictionary<string, SerialPortInfo> registry = ioregOutput is null
                ? new Dictionary<string, SerialPortInfo>()
                : ParseIoreg(ioregOutput);
            foreach (string path in calloutDevices.Distinct(StringComparer.Ordinal).OrderBy(p => p, StringComparer.Ordinal))
            {
                string name = Path.GetFileName(path);
                if (!name.StartsWith("cu.", StringComparison.Ordinal))
                {
                    continue;
                }

                if (registry.TryGetValue(path, out SerialPortInfo? known))
                {
                    result.Ports.Add(known);
                    continue;
                }

                Match m = s_usbModem.Match(name);
                if (m.Success)
                {
                    string serial = m.Groups["serial"].Value;
                    result.Ports.Add(new SerialPortInfo
                    {
                        PortName = path,
                        SerialNumber = serial.Length >= MinimumSerialLengthInName ? serial : null,
                        InterfaceNumber = int.Parse(m.Groups["iface"].Value, CultureInfo.InvariantCulture),
                        Location = serial.Length >= MinimumSerialLengthInName ? null : serial,
                    });
                }
                else if (includeNonUsb || name.StartsWith("cu.usbserial", StringComparison.Ordinal) || name.StartsWith("cu.SLAB", StringComparison.Ordinal) || name.StartsWith("cu.wchusbserial", StringComparison.Ordinal))
                {
                    result.Ports.Add(new SerialPortInfo { PortName = path });
                }
            }

            return result;
        }

        /// <summary>
        /// Reads <c>ioreg -r -c IOUSBHostDevice -l</c> output: every serial device below a USB device,
        /// keyed by its call-out path, with the device's ids, serial number and strings, the
        /// interface the port hangs under and the device's locationID (hex) as its location.
        /// </summary>
        public static IReadOnlyDictionary<string, SerialPortInfo> ParseIoreg(string output)
        {
            if (output is null)
            {
                throw new ArgumentNullException(nameof(output));
            }

            var ports = new Dictionary<string, SerialPortInfo>(StringComparer.Ordinal);
            var stack = new List<Node>();
            var serialClients = new List<Node>();
            Node? current = null;
            foreach (string raw in output.Replace("\r\n", "\n").Split('\n'))
            {
                Match node = s_node.Match(raw);
                if (node.Success)
                {
                    int column = raw.IndexOf("+-o ", StringComparison.Ordinal);
                    while (stack.Count > 0 && stack[stack.Count - 1].Column >= column)
                    {
                        stack.RemoveAt(stack.Count - 1);
                    }

                    current = new Node(column, node.Groups["class"].Value.Trim(), stack.Count > 0 ? stack[stack.Count - 1] : null);
                    stack.Add(current);
                    if (current.Class == "IOSerialBSDClient")
                    {
                        serialClients.Add(current);
                    }

                    continue;
                }

                Match property = s_property.Match(raw);
                if (property.Success && current is not null)
                {
                    current.Properties[property.Groups["key"].Value] = property.Groups["value"].Value.Trim();
                }
            }

            foreach (Node client in serialClients)
            {
                string? callout = Text(client, "IOCalloutDevice");
                Node? device = Ancestor(client, s_deviceClasses);
                if (callout is null || device is null || ports.ContainsKey(callout))
                {
                    continue;
                }

                Node? usbInterface = Ancestor(client, s_interfaceClasses);
                long? location = Number(device, "locationID");
                ports[callout] = new SerialPortInfo
                {
                    PortName = callout,
                    VendorId = Hex4(Number(device, "idVendor")),
                    ProductId = Hex4(Number(device, "idProduct")),
                    SerialNumber = Text(device, "USB Serial Number") ?? Text(device, "kUSBSerialNumberString"),
                    Manufacturer = Text(device, "USB Vendor Name") ?? Text(device, "kUSBVendorString"),
                    Product = Text(device, "USB Product Name") ?? Text(device, "kUSBProductString"),
                    InterfaceNumber = usbInterface is null ? null : (int?)Number(usbInterface, "bInterfaceNumber"),
                    Location = location is null ? null : "0x" + location.Value.ToString("x8", CultureInfo.InvariantCulture),
                };
            }

            return ports;
        }

        /// <summary>Runs ioreg; null (and <paramref name="error"/>) when it cannot run or does not finish within <paramref name="timeout"/>.</summary>
        public static string? RunIoreg(TimeSpan timeout, out string? error)
        {
            error = null;
            try
            {
                var start = new ProcessStartInfo("/usr/sbin/ioreg", IoregArguments)
                {
                    UseShellExecute = false,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    CreateNoWindow = true,
                };
                using Process process = Process.Start(start) ?? throw new InvalidOperationException("ioreg did not start.");
                var output = process.StandardOutput.ReadToEndAsync();
                _ = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit((int)timeout.TotalMilliseconds))
                {
                    try
                    {
                        process.Kill();
                    }
                    catch (InvalidOperationException)
                    {
                    }

                    error = "ioreg did not finish within " + timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s";
                    return null;
                }

                if (process.ExitCode != 0)
                {
                    error = "ioreg exited with code " + process.ExitCode.ToString(CultureInfo.InvariantCulture);
                    return null;
                }

                return output.Result;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException || ex is IOException)
            {
                error = ex.Message;
                return null;
            }
        }

        private static Node? Ancestor(Node node, string[] classes)
        {
            for (Node? n = node.Parent; n is not null; n = n.Parent)
            {
                if (classes.Contains(n.Class, StringComparer.Ordinal))
                {
                    return n;
                }
            }

            return null;
        }

        private static string? Text(Node node, string key)
        {
            if (!node.Properties.TryGetValue(key, out string? value))
            {
                return null;
            }

            if (value.Length >= 2 && value[0] == '"' && value[value.Length - 1] == '"')
            {
                value = value.Substring(1, value.Length - 2);
            }

            return value.Length == 0 ? null : value;
        }

        private static long? Number(Node node, string key) =>
            node.Properties.TryGetValue(key, out string? value) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : (long?)null;

        private static string? Hex4(long? value) => value is null ? null : value.Value.ToString("X4", CultureInfo.InvariantCulture);

        private sealed class Node
        {
            public Node(int column, string @class, Node? parent)
            {
                Column = column;
                Class = @class;
                Parent = parent;
            }

            public int Column { get; }

            public string Class { get; }

            public Node? Parent { get; }

            public Dictionary<string, string> Properties { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
        }
    }
}
