using System.Text;

namespace Nrf91Cmng.Simulator
{
    /// <summary>The Zephyr shell options of Start-ModemSimulator and Connect-Modem -Simulator, as the cmdlets received them.</summary>
    internal sealed class ShellRequest
    {
        private readonly System.Collections.Generic.List<string> _given = new System.Collections.Generic.List<string>();

        public string[]? Commands { get; set; }

        public string? CredentialBackend { get; set; }

        public string? CredShellVariant { get; set; }

        public bool? UnescapeLf { get; set; }

        public bool? Colors { get; set; }

        public bool? Wildcards { get; set; }

        public int? BufferSize { get; set; }

        public int? RxBufferSize { get; set; }

        public int? CredentialBufferSize { get; set; }

        public string? Prompt { get; set; }

        /// <summary>The parameter names given (for messages).</summary>
        public System.Collections.Generic.IReadOnlyList<string> Given => _given;

        public bool Any => _given.Count > 0;

        /// <summary>Takes the shell parameters bound on <paramref name="bound"/> (by cmdlet parameter name).</summary>
        public void Bind(System.Collections.Generic.IDictionary<string, object> bound)
        {
            foreach (string name in new[] { "ShellCommands", "CredentialBackend", "CredShellVariant", "ShellUnescapeLf", "ShellColors", "ShellWildcards", "ShellBufferSize", "ShellRxBufferSize", "CredentialBufferSize", "ShellPrompt" })
            {
                if (!bound.TryGetValue(name, out object? value))
                {
                    continue;
                }

                _given.Add("-" + name);
                object raw = value is PSObject pso ? pso.BaseObject : value;
                switch (name)
                {
                    case "ShellCommands":
                        Commands = LanguagePrimitives.ConvertTo<string[]>(raw);
                        break;
                    case "CredentialBackend":
                        CredentialBackend = (string)raw;
                        break;
                    case "CredShellVariant":
                        CredShellVariant = (string)raw;
                        break;
                    case "ShellUnescapeLf":
                        UnescapeLf = ((SwitchParameter)raw).IsPresent;
                        break;
                    case "ShellColors":
                        Colors = ((SwitchParameter)raw).IsPresent;
                        break;
                    case "ShellWildcards":
                        Wildcards = ((SwitchParameter)raw).IsPresent;
                        break;
                    case "ShellBufferSize":
                        BufferSize = (int)raw;
                        break;
                    case "ShellRxBufferSize":
                        RxBufferSize = (int)raw;
                        break;
                    case "CredentialBufferSize":
                        CredentialBufferSize = (int)raw;
                        break;
                    case "ShellPrompt":
                        Prompt = (string)raw;
                        break;
                }
            }
        }

        public void ApplyTo(VirtualModemOptions options)
        {
            if (Commands is not null)
            {
                ShellCommandSet set = ShellCommandSet.None;
                foreach (string command in Commands)
                {
                    if (!string.Equals(command, "None", StringComparison.OrdinalIgnoreCase))
                    {
                        set |= (ShellCommandSet)Enum.Parse(typeof(ShellCommandSet), command, ignoreCase: true);
                    }
                }

                options.ShellCommands = set;
            }

            if (CredentialBackend is not null)
            {
                options.CredentialBackend = (TlsCredentialBackend)Enum.Parse(typeof(TlsCredentialBackend), CredentialBackend, ignoreCase: true);
            }

            if (CredShellVariant is not null)
            {
                options.CredShellVariant = (CredShellVariant)Enum.Parse(typeof(CredShellVariant), CredShellVariant, ignoreCase: true);
            }

            options.ShellUnescapeLf = UnescapeLf ?? options.ShellUnescapeLf;
            options.ShellColors = Colors ?? options.ShellColors;
            options.ShellWildcards = Wildcards ?? options.ShellWildcards;
            options.ShellBufferSize = BufferSize ?? options.ShellBufferSize;
            options.ShellRxBufferSize = RxBufferSize ?? options.ShellRxBufferSize;
            options.CredentialBufferSize = CredentialBufferSize ?? options.CredentialBufferSize;
            options.ShellPrompt = Prompt ?? options.ShellPrompt;
        }
    }

    /// <summary>What Start-ModemSimulator and Connect-Modem -Simulator share: options and preloading.</summary>
    internal sealed class SimulatorRequest
    {
        public string? Firmware { get; set; }

        public string? Imei { get; set; }

        public int? Seed { get; set; }

        public int BaudRate { get; set; }

        public bool Realistic { get; set; }

        /// <summary>
        /// The console to imitate. Kept in an int field: a field of the simulator's enum type would
        /// make loading this type load Nrf91Cmng.Simulator.
        /// </summary>
        public ModemFraming Framing
        {
            get => (ModemFraming)_framing;
            set => _framing = (int)value;
        }

        private int _framing;

        /// <summary>Whether -Framing was given (shell options without it choose ZephyrShell).</summary>
        public bool FramingChosen { get; set; }

        /// <summary>The shell front end's options (null = the framing's default); names, not the simulator's enums, so that this type loads without it.</summary>
        public ShellRequest Shell { get; } = new ShellRequest();

        public object[]? Preload { get; set; }

        /// <summary>Builds the modem; failures come out as ModemException with a stable id.</summary>
        public VirtualModem Create(PSCmdlet cmdlet)
        {
            if (Firmware is not null && !FirmwareProfile.TryGet(Firmware, out _))
            {
                throw new ModemException(ErrorIds.UnknownFirmwareProfile, ModemErrorCategory.InvalidArgument,
                    "There is no virtual modem firmware profile '" + Firmware + "'.",
                    "Use one of: " + string.Join(", ", FirmwareProfile.Names) + " (Tab completes -Firmware).");
            }

            VirtualModemOptions options = Realistic ? VirtualModemOptions.Realistic(Firmware) : new VirtualModemOptions { Firmware = Firmware };
            options.Framing = Framing;
            if (Shell.Any)
            {
                if (!FramingChosen)
                {
                    options.Framing = ModemFraming.ZephyrShell;
                }
                else if (Framing != ModemFraming.Shell && Framing != ModemFraming.ZephyrShell)
                {
                    throw new ModemException(ErrorIds.SimulatorOptionInvalid, ModemErrorCategory.InvalidArgument,
                        "The shell options (" + string.Join(", ", Shell.Given) + ") apply to a Zephyr shell, not to -Framing " + Framing + ".",
                        "Use -Framing ZephyrShell (or Shell), or leave the shell options out.");
                }

                Shell.ApplyTo(options);
            }

            options.Seed = Seed;
            if (BaudRate > 0 || !Realistic)
            {
                options.BaudRate = BaudRate;
            }

            if (Imei is not null)
            {
                options.Imei = Imei;
            }

            VirtualModem modem;
            try
            {
                modem = new VirtualModem(options);
            }
            catch (ArgumentException ex)
            {
                throw new ModemException(ErrorIds.SimulatorOptionInvalid, ModemErrorCategory.InvalidArgument, ex.Message, "Correct the value, or leave it out to get a generated one.", ex);
            }

            try
            {
                foreach (object item in Preload ?? Array.Empty<object>())
                {
                    PreloadOne(cmdlet, modem, item);
                }
            }
            catch
            {
                modem.Dispose();
                throw;
            }

            return modem;
        }

        /// <summary>Builds the modem and serves it over TCP (on <paramref name="port"/>, 0 for a free one) or a pseudo-terminal.</summary>
        public ModemSimulator Serve(PSCmdlet cmdlet, string transport, int port)
        {
            VirtualModem modem = Create(cmdlet);
            try
            {
                VirtualModemServer server = string.Equals(transport, "Tcp", StringComparison.OrdinalIgnoreCase)
                    ? VirtualModemServer.StartTcp(modem, port)
                    : VirtualModemServer.StartPseudoTerminal(modem);
                return new ModemSimulator(modem, server, server.Kind.ToString());
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException || ex is IOException || ex is PlatformNotSupportedException)
            {
                modem.Dispose();
                throw new ModemException(ErrorIds.SimulatorTransportUnavailable, ModemErrorCategory.ConnectionError,
                    "The virtual modem could not be served over " + transport + ": " + ex.Message,
                    transport == "Tcp" ? "Choose another -Port, or 0 for a free one." : "Use -Transport Tcp.", ex);
            }
        }

        /// <summary>Stores one {SecTag, Type, Content | Path} entry the way Set-ModemCredential would write it (LF, one trailing newline).</summary>
        private static void PreloadOne(PSCmdlet cmdlet, VirtualModem modem, object item)
        {
            object? secTagValue = Property(item, "SecTag");
            object? typeValue = Property(item, "Type");
            object? content = Property(item, "Content");
            object? path = Property(item, "Path");
            if (secTagValue is null || typeValue is null || (content is null && path is null))
            {
                throw new ModemException(ErrorIds.SimulatorPreloadInvalid, ModemErrorCategory.InvalidArgument,
                    "A -Preload entry needs SecTag, Type and Content or Path; got '" + item + "'.",
                    "Pass hashtables such as @{ SecTag = 42; Type = 'RootCA'; Path = 'ca.pem' }, or the rows of a provisioning plan.");
            }

            uint secTag;
            CredentialType type;
            try
            {
                secTag = LanguagePrimitives.ConvertTo<uint>(secTagValue);
                type = CredentialTypeTransformationAttribute.Convert(typeValue);
            }
            catch (Exception ex) when (ex is PSInvalidCastException || ex is ArgumentTransformationMetadataException)
            {
                throw new ModemException(ErrorIds.SimulatorPreloadInvalid, ModemErrorCategory.InvalidArgument,
                    "A -Preload entry has an invalid SecTag or Type: " + ex.Message, "SecTag is 0 to 4294967295; Type is a credential type name, number or alias.", ex);
            }

            string text = content is not null ? LanguagePrimitives.ConvertTo<string>(content) : ReadPath(cmdlet, LanguagePrimitives.ConvertTo<string>(path));
            string normalized = CredentialContent.Normalize(text, type.ToCore());
            modem.Preload(secTag, (int)type, Encoding.ASCII.GetBytes(normalized));
        }

        private static string ReadPath(PSCmdlet cmdlet, string path)
        {
            string resolved = cmdlet.GetUnresolvedProviderPathFromPSPath(path);
            if (!File.Exists(resolved))
            {
                throw new ModemException(ErrorIds.SimulatorPreloadInvalid, ModemErrorCategory.ObjectNotFound,
                    "The -Preload file '" + resolved + "' does not exist.", "Check the path; relative paths are resolved against the current location.");
            }

            return File.ReadAllText(resolved);
        }

        private static object? Property(object item, string name)
        {
            object baseObject = item is PSObject pso ? pso.BaseObject : item;
            if (baseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    if (string.Equals(entry.Key as string, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return Empty(entry.Value);
                    }
                }

                return null;
            }

            return Empty(PSObject.AsPSObject(item).Properties[name]?.Value);
        }

        private static object? Empty(object? value) => value is string s && s.Length == 0 ? null : value;
    }
}
