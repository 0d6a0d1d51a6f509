using System.Security;

namespace Nrf91Cmng.Core.Discovery
{
    /// <summary>
    /// Windows: the serial ports present now (<c>HARDWARE\DEVICEMAP\SERIALCOMM</c>, the volatile list
    /// <c>SerialPort.GetPortNames()</c> reads), with the USB identity of each from
    /// <c>SYSTEM\CurrentControlSet\Enum\USB</c>. The Enum tree keeps every device ever connected, so
    /// an entry only counts when its port is present. A composite board's ports
    /// (<c>VID_1366&amp;PID_1055&amp;MI_00\7&amp;2f8ac9e0&amp;0&amp;0000</c>) are tied to their parent
    /// (<c>VID_1366&amp;PID_1055\000960012345</c>, the USB serial number) through the parent's
    /// <c>ParentIdPrefix</c> value, as Nordic's nRF Connect for Desktop does (its registry code finds a
    /// J-Link's serial number from a COM port the same way). Unreadable keys become warnings.
    /// </summary>
    public static class WindowsPortDiscovery
    {
        /// <summary>The USB enumeration tree.</summary>
        public const string UsbEnumPath = @"SYSTEM\CurrentControlSet\Enum\USB";

        /// <summary>The serial ports present now: value data are port names.</summary>
        public const string SerialCommPath = @"HARDWARE\DEVICEMAP\SERIALCOMM";

        private static readonly Regex s_ids = new Regex("^VID_(?<vid>[0-9A-F]{4})&PID_(?<pid>[0-9A-F]{4})(&MI_(?<mi>[0-9A-F]{2}))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// Lists the present ports of <paramref name="registry"/>. <paramref name="presentPortNames"/>
        /// adds names known to be present from elsewhere (the live caller passes
        /// <c>SerialPort.GetPortNames()</c>); when neither source is readable, every port of the Enum
        /// tree is listed and a warning says that some may not be plugged in.
        /// </summary>
        public static PortDiscoveryResult List(IRegistrySnapshot registry, bool includeNonUsb, IEnumerable<string>? presentPortNames = null)
        {
            if (registry is null)
            {
                throw new ArgumentNullException(nameof(registry));
            }

            var result = new PortDiscoveryResult();
            var denied = new List<string>();
            Dictionary<string, string?>? present = PresentPorts(registry, presentPortNames, result, denied);
            List<UsbPort> usbPorts = UsbPorts(registry, result, denied);

            var ports = new List<SerialPortInfo>();
            var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (IGrouping<string, UsbPort> claim in usbPorts.GroupBy(p => p.PortName, StringComparer.OrdinalIgnoreCase))
            {
                if (present is not null && !present.ContainsKey(claim.Key))
                {
                    // A board that was plugged in once: its Enum keys stay behind.
                    continue;
                }

                // Two entries claiming one present name (a port number reused by hand): the one whose
                // device is started has the volatile Control subkey.
                UsbPort chosen = claim.FirstOrDefault(p => p.Started) ?? claim.First();
                ports.Add(chosen.Info);
                known.Add(claim.Key);
            }

            if (present is not null)
            {
                // Present ports without a readable USB entry: listed when asked for every port, or
                // when their driver is a USB serial driver (the USB details were unreadable).
                foreach (KeyValuePair<string, string?> port in present.Where(p => !known.Contains(p.Key)))
                {
                    if (includeNonUsb || IsUsbSerialDriver(port.Value))
                    {
                        ports.Add(new SerialPortInfo { PortName = port.Key });
                    }
                }
            }

            if (denied.Count > 0)
            {
                result.Warnings.Add("Windows refused to let this account read " + denied.Count.ToString(CultureInfo.InvariantCulture) + " registry key(s) (" + string.Join(", ", denied.Take(3).Select(d => @"HKLM\" + d)) + (denied.Count > 3 ? ", ..." : string.Empty)
                    + "): the USB details of some ports may be missing, so a board may not be recognised. Connect-Modem -PortName COMn still works; run Find-Modem as an account that can read the keys to see every board.");
            }

            result.Ports.AddRange(ports.OrderBy(p => p.PortName.Length).ThenBy(p => p.PortName, StringComparer.OrdinalIgnoreCase));
            return result;
        }

        // Port name -> the driver's device name in SERIALCOMM ("\Device\USBSER000"), or null when known from elsewhere.
        private static Dictionary<string, string?>? PresentPorts(IRegistrySnapshot registry, IEnumerable<string>? extra, PortDiscoveryResult result, List<string> denied)
        {
            Dictionary<string, string?>? present = null;
            try
            {
                IReadOnlyList<string>? names = registry.GetValueNames(SerialCommPath);
                if (names is not null)
                {
                    present = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                    foreach (string name in names)
                    {
                        if (registry.GetValue(SerialCommPath, name) is string port && port.Trim().Length > 0)
                        {
                            present[port.Trim()] = name;
                        }
                    }
                }
            }
            catch (Exception ex) when (IsAccessProblem(ex))
            {
                denied.Add(SerialCommPath);
            }

            if (extra is not null)
            {
                foreach (string name in extra)
                {
                    present ??= new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                    if (!present.ContainsKey(name))
                    {
                        present[name] = null;
                    }
                }
            }

            if (present is null)
            {
                result.Warnings.Add(@"The list of present serial ports (HKLM\" + SerialCommPath + ") could not be read: the ports below include every USB serial port this machine has ever seen, plugged in or not.");
            }

            return present;
        }

        // SERIALCOMM value names name the driver's device: usbser.sys (USB CDC ACM: J-Link OB, Thingy,
        // Zephyr), FTDI's VCP, Silicon Labs' CP210x driver.
        private static bool IsUsbSerialDriver(string? device) =>
            device is not null && (device.StartsWith(@"\Device\USBSER", StringComparison.OrdinalIgnoreCase)
                || device.StartsWith(@"\Device\VCP", StringComparison.OrdinalIgnoreCase)
                || device.StartsWith(@"\Device\Silabser", StringComparison.OrdinalIgnoreCase));

        private static List<UsbPort> UsbPorts(IRegistrySnapshot registry, PortDiscoveryResult result, List<string> denied)
        {
            var ports = new List<UsbPort>();
            IReadOnlyList<string>? hardwareIds = Read(() => registry.GetSubKeyNames(UsbEnumPath), UsbEnumPath, denied);
            if (hardwareIds is null)
            {
                return ports;
            }

            // Parent devices (the USB device itself: its instance is the serial number, or a generated
            // id with '&' when the device has none) by the prefix their interfaces' instances carry.
            var parents = new Dictionary<string, (string Hardware, string Instance)>(StringComparer.OrdinalIgnoreCase);
            var children = new List<(string Hardware, string Instance, string Key, string Port, bool Started)>();
            foreach (string hardware in hardwareIds)
            {
                string hardwareKey = UsbEnumPath + "\\" + hardware;
                IReadOnlyList<string>? instances = Read(() => registry.GetSubKeyNames(hardwareKey), hardwareKey, denied);
                foreach (string instance in instances ?? Array.Empty<string>())
                {
                    string instanceKey = hardwareKey + "\\" + instance;
                    IReadOnlyList<string>? subKeys = Read(() => registry.GetSubKeyNames(instanceKey), instanceKey, denied);
                    if (subKeys is null)
                    {
                        continue;
                    }

                    bool started = subKeys.Contains("Control", StringComparer.OrdinalIgnoreCase);
                    if (Read(() => registry.GetValue(instanceKey, "ParentIdPrefix"), instanceKey, denied) is string prefix)
                    {
                        parents[prefix] = (hardware, instance);
                    }

                    if (!subKeys.Contains("Device Parameters", StringComparer.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    string parametersKey = instanceKey + @"\Device Parameters";
                    if (Read(() => registry.GetValue(parametersKey, "PortName"), parametersKey, denied) is string port && port.Trim().Length > 0)
                    {
                        children.Add((hardware, instance, instanceKey, port.Trim(), started));
                    }
                }
            }

            foreach ((string hardware, string instance, string key, string port, bool started) in children)
            {
                Match ids = s_ids.Match(hardware);
                (string Hardware, string Instance)? parent = null;
                string? serial = null;
                if (ids.Success && ids.Groups["mi"].Success)
                {
                    int lastAmpersand = instance.LastIndexOf('&');
                    if (lastAmpersand > 0 && parents.TryGetValue(instance.Substring(0, lastAmpersand), out var p))
                    {
                        parent = p;
                        serial = IsGeneratedInstance(p.Instance) ? null : p.Instance;
                    }
                }
                else if (!IsGeneratedInstance(instance))
                {
                    // A single-interface device (CP210x, FTDI in CDC mode): its own instance is the serial number.
                    serial = instance;
                }

                ports.Add(new UsbPort(port, started, new SerialPortInfo
                {
                    PortName = port,
                    VendorId = ids.Success ? ids.Groups["vid"].Value.ToUpperInvariant() : null,
                    ProductId = ids.Success ? ids.Groups["pid"].Value.ToUpperInvariant() : null,
                    InterfaceNumber = ids.Success && ids.Groups["mi"].Success ? int.Parse(ids.Groups["mi"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) : (int?)null,
                    SerialNumber = serial,
                    Manufacturer = Describe(Read(() => registry.GetValue(key, "Mfg"), key, denied) as string),
                    Product = Describe(Read(() => registry.GetValue(key, "FriendlyName"), key, denied) as string ?? Read(() => registry.GetValue(key, "DeviceDesc"), key, denied) as string, port),
                    Location = parent is { } pp ? @"USB\" + pp.Hardware + "\\" + pp.Instance : @"USB\" + hardware + "\\" + instance,
                }));
            }

            return ports;
        }

        // Windows makes up an instance id with '&' (5&1a2b3c4d&0&3) for devices without a usable serial number.
        private static bool IsGeneratedInstance(string instance) => instance.IndexOf('&') >= 0;

        // "@oem12.inf,%jlink.cdc%;JLink CDC UART Port (COM5)" -> "JLink CDC UART Port"
        private static string? Describe(string? value, string? port = null)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            string text = value!;
            int semicolon = text.StartsWith("@", StringComparison.Ordinal) ? text.LastIndexOf(';') : -1;
            if (semicolon >= 0)
            {
                text = text.Substring(semicolon + 1);
            }

            if (port is not null)
            {
                text = text.Replace("(" + port + ")", string.Empty);
            }

            text = text.Trim();
            return text.Length == 0 ? null : text;
        }

        private static T? Read<T>(Func<T?> read, string key, List<string> denied)
            where T : class
        {
            try
            {
                return read();
            }
            catch (Exception ex) when (IsAccessProblem(ex))
            {
                if (!denied.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    denied.Add(key);
                }

                return null;
            }
        }

        private static bool IsAccessProblem(Exception ex) => ex is SecurityException || ex is UnauthorizedAccessException || ex is IOException;

        private sealed class UsbPort
        {
            public UsbPort(string portName, bool started, SerialPortInfo info)
            {
                PortName = portName;
                Started = started;
                Info = info;
            }

            public string PortName { get; }

            public bool Started { get; }

            public SerialPortInfo Info { get; }
        }
    }
}
