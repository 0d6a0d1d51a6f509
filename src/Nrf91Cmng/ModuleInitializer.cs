using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Nrf91Cmng
{
    /// <summary>
    /// Wires dependency loading on import, registers the views in the importing runspace
    /// (Formatting.ViewRegistration: from code, so that no execution policy can refuse them) and
    /// closes every open modem session on removal.
    /// On PowerShell 7 the engine (Nrf91Cmng.Core) and its third-party dependencies load into an
    /// isolated AssemblyLoadContext; on Windows PowerShell 5.1 they load from the Dependencies
    /// folder through AssemblyResolve, as powershell.exe would load any module dependency.
    /// Before either, the host is checked (<see cref="HostCompatibility"/>): PowerShell 7.0 to 7.3
    /// and .NET Framework before 4.7.2 get a message naming what to install instead of a loader
    /// error. Nothing here may touch Nrf91Cmng.Core before the loader is wired. The virtual modem
    /// (Nrf91Cmng.Simulator) loads the same way as the engine, and only when a simulator is used:
    /// the cmdlet assembly touches its types only inside methods that run for a simulator.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string[] s_isolatedEntryAssemblies = { "Nrf91Cmng.Core", "Nrf91Cmng.Simulator" };
        private const string BouncyCastleAssemblyName = "BouncyCastle.Cryptography";
        private static readonly object s_gate = new object();
        private static readonly List<string> s_loadWarnings = new List<string>();
        private static bool s_registered;

        internal static string DependencyDirectory { get; } = Path.Combine(
            Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".",
            "Dependencies");

        /// <inheritdoc />
        public void OnImport()
        {
            WireDependenciesOnce();

            // Every import, in each runspace that imports the module: views and hidden members come
            // from code, not from a format file the execution policy could refuse (see ViewRegistration).
            string? viewProblem = Formatting.ViewRegistration.RegisterInCurrentRunspace();
            if (viewProblem is not null)
            {
                lock (s_loadWarnings)
                {
                    s_loadWarnings.Add(viewProblem);
                }
            }
        }

        // Once per process: the host check and the dependency loader.
        private static void WireDependenciesOnce()
        {
            lock (s_gate)
            {
                if (s_registered)
                {
                    return;
                }

                Type? alc = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
                HostVerdict verdict = alc is not null
                    ? HostCompatibility.CheckPowerShell7(Environment.Version, PowerShellVersion())
                    : HostCompatibility.CheckWindowsPowerShell(FrameworkRelease(), FrameworkDescription(), LoadedBouncyCastles(), OurBouncyCastleFileVersion(), OurBouncyCastlePath);
                if (verdict.Error is not null)
                {
                    throw new PlatformNotSupportedException(verdict.Error);
                }

                lock (s_loadWarnings)
                {
                    s_loadWarnings.AddRange(verdict.Warnings);
                }

                if (alc is not null)
                {
                    Assembly isolation = Assembly.LoadFrom(Path.Combine(DependencyDirectory, "Nrf91Cmng.Isolation.dll"));
                    isolation.GetType("Nrf91Cmng.Isolation.DependencyLoadContext", throwOnError: true)!
                        .GetMethod("Register", BindingFlags.Public | BindingFlags.Static)!
                        .Invoke(null, new object[] { DependencyDirectory, s_isolatedEntryAssemblies });
                }
                else
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveFromDependencies;
                }

                s_registered = true;
            }
        }

        /// <inheritdoc />
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            Sessions.SessionRegistry.CloseAllForModuleRemoval();
            Simulator.SimulatorRegistry.StopAll();
        }

        /// <summary>
        /// Warnings found while importing or loading dependencies (another module's BouncyCastle in
        /// Windows PowerShell), each returned once: a cmdlet shows them with WriteWarning.
        /// </summary>
        internal static IReadOnlyList<string> TakeLoadWarnings()
        {
            lock (s_loadWarnings)
            {
                string[] warnings = s_loadWarnings.ToArray();
                s_loadWarnings.Clear();
                return warnings;
            }
        }

        // .NET Framework only: no load contexts there, and no other module's copy can be told
        // apart anyway, so load ours by path the way powershell.exe loads module dependencies.
        // LoadFrom hands back an assembly of the same identity that is already loaded (another
        // module's BouncyCastle 2.x is 2.0.0.0 too): that is noticed and reported.
        private static Assembly? ResolveFromDependencies(object? sender, ResolveEventArgs args)
        {
            string name = new AssemblyName(args.Name).Name ?? string.Empty;
            string path = Path.Combine(DependencyDirectory, name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            Assembly loaded = Assembly.LoadFrom(path);
            if (string.Equals(name, BouncyCastleAssemblyName, StringComparison.OrdinalIgnoreCase))
            {
                string? warning = HostCompatibility.CheckBouncyCastle(new[] { Describe(loaded) }, OurBouncyCastleFileVersion(), path);
                if (warning is not null)
                {
                    lock (s_loadWarnings)
                    {
                        if (!s_loadWarnings.Contains(warning))
                        {
                            s_loadWarnings.Add(warning);
                        }
                    }
                }
            }

            return loaded;
        }

        private static LoadedAssembly Describe(Assembly assembly)
        {
            string? fileVersion = assembly.GetCustomAttributes(typeof(AssemblyFileVersionAttribute), false).OfType<AssemblyFileVersionAttribute>().FirstOrDefault()?.Version;
            string location;
            try
            {
                location = assembly.Location;
            }
            catch (NotSupportedException)
            {
                location = string.Empty;
            }

            return new LoadedAssembly(location, fileVersion);
        }

        private static IReadOnlyList<LoadedAssembly> LoadedBouncyCastles() =>
            AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => string.Equals(a.GetName().Name, BouncyCastleAssemblyName, StringComparison.OrdinalIgnoreCase))
                .Select(Describe)
                .ToList();

        private static string OurBouncyCastlePath => Path.Combine(DependencyDirectory, BouncyCastleAssemblyName + ".dll");

        private static string? OurBouncyCastleFileVersion()
        {
            string path = OurBouncyCastlePath;
            try
            {
                return File.Exists(path) ? FileVersionInfo.GetVersionInfo(path).FileVersion : null;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        // PowerShell's own version, for the message only (the decision is on the runtime).
        private static Version? PowerShellVersion()
        {
            Type? info = typeof(PSObject).Assembly.GetType("System.Management.Automation.PSVersionInfo");
            return info?.GetProperty("PSVersion", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null) as Version;
        }

        // HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full "Release", read late-bound (mscorlib).
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static int? FrameworkRelease()
        {
            try
            {
                Type? registry = Type.GetType("Microsoft.Win32.Registry, mscorlib");
                object? machine = registry?.GetField("LocalMachine", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
                object? key = machine?.GetType().GetMethod("OpenSubKey", new[] { typeof(string) })?.Invoke(machine, new object[] { @"SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full" });
                if (key is null)
                {
                    return null;
                }

                try
                {
                    return key.GetType().GetMethod("GetValue", new[] { typeof(string) })?.Invoke(key, new object[] { "Release" }) as int?;
                }
                finally
                {
                    (key as IDisposable)?.Dispose();
                }
            }
            catch (Exception ex) when (ex is TargetInvocationException || ex is System.Security.SecurityException || ex is UnauthorizedAccessException || ex is IOException)
            {
                return null;
            }
        }

        // Kept apart: System.Runtime.InteropServices.RuntimeInformation is only in-box from .NET Framework 4.7.1.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string? FrameworkDescription()
        {
            try
            {
                return DescriptionCore();
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is FileLoadException || ex is TypeLoadException)
            {
                return null;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string DescriptionCore() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
    }

    /// <summary>
    /// Takes the first-use cost of credential validation off the command that needs it: a background
    /// thread (below normal priority, started once per process by the module's first command, see
    /// ModemCmdletBase) validates a certificate and a key the way Set-ModemCredential and
    /// Invoke-ModemProvisioning do, so that loading BouncyCastle, compiling its ASN.1, X.509 and EC
    /// code and building the P-256 tables (about 150 ms of CPU on the CI machine, BENCHMARKS.md) happen
    /// while Connect-Modem waits on the serial line. It touches nothing shared, sends nothing and never
    /// fails anything; NRF91CMNG_NO_WARMUP=1 turns it off.
    /// </summary>
    internal static class FirstUseWarmup
    {
        // A throw-away self-signed P-256 certificate (its key is the scalar 0x11..11 below, not a secret).
        private const string Certificate =
            "-----BEGIN CERTIFICATE-----\n" +
            "MIIBmDCCAT6gAwIBAgIJAI/G+pEMXXbBMAoGCCqGSM49BAMCMEcxHzAdBgNVBAoT\n" +
            "Fm5vdCBhIHJlYWwgY2VydGlmaWNhdGUxJDAiBgNVBAMTG05yZjkxQ21uZyBmaXJz\n" +
            "dC11c2Ugd2FybS11cDAeFw0yNTAxMDEwMDAwMDBaFw00NTAxMDEwMDAwMDBaMEcx\n" +
            "HzAdBgNVBAoTFm5vdCBhIHJlYWwgY2VydGlmaWNhdGUxJDAiBgNVBAMTG05yZjkx\n" +
            "Q21uZyBmaXJzdC11c2Ugd2FybS11cDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IA\n" +
            "BAIX5hfwtkQ5KCePlpmeaaI6TywVK99tbN9m5bgCgtTtGUp968uXcS0t2jyoWqh2\n" +
            "Wlb0X8dYWZZS8ol8ZTBuV5SjEzARMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0E\n" +
            "AwIDSAAwRQIhANazq1jtrv3uB+HNTUvXPPTNWPJZuw9jBHgPz2SM7yfsAiA7qO+9\n" +
            "z9LDUXzP1YNZqQfj+dePSnH3qvWt+awfWC8VBA==\n" +
            "-----END CERTIFICATE-----\n";

        private static int s_started;

        /// <summary>Starts the warm-up thread, once per process.</summary>
        public static void StartOnce()
        {
            if (Interlocked.Exchange(ref s_started, 1) != 0 || Environment.GetEnvironmentVariable("NRF91CMNG_NO_WARMUP") == "1")
            {
                return;
            }

            try
            {
                new Thread(Run) { IsBackground = true, Priority = ThreadPriority.BelowNormal, Name = "Nrf91Cmng first-use warm-up" }.Start();
            }
            catch (Exception ex) when (ex is OutOfMemoryException || ex is ThreadStateException)
            {
                // Only a warm-up.
            }
        }

        private static void Run()
        {
            try
            {
                Validate();
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                // Only a warm-up: whatever fails here fails, with its real message, where it is used.
            }
        }

        // Kept apart so that Nrf91Cmng.Core is resolved on this thread, after the loader is wired.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Validate()
        {
            byte[] certificate = System.Text.Encoding.ASCII.GetBytes(Certificate);
            Core.Credentials.CredentialValidator.Validate(Core.Credentials.CredentialType.RootCA, certificate);
            Core.Credentials.CredentialValidator.Validate(Core.Credentials.CredentialType.ClientCertificate, certificate);

            // PKCS#8 of the P-256 scalar 0x11..11 (no public key: BouncyCastle derives it, as for most keys).
            var der = new List<byte>
            {
                0x30, 0x41, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
                0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07, 0x04, 0x27, 0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20,
            };
            der.AddRange(Enumerable.Repeat((byte)0x11, 32));
            string key = "-----BEGIN PRIVATE KEY-----\n" + Convert.ToBase64String(der.ToArray()) + "\n-----END PRIVATE KEY-----\n";
            Core.Credentials.CredentialValidator.Validate(Core.Credentials.CredentialType.ClientPrivateKey, System.Text.Encoding.ASCII.GetBytes(key));
        }
    }

    /// <summary>An assembly already loaded in the process: where from, and its file version.</summary>
    internal sealed class LoadedAssembly
    {
        public LoadedAssembly(string location, string? fileVersion)
        {
            Location = location ?? string.Empty;
            FileVersion = fileVersion;
        }

        /// <summary>Its path; empty when it was loaded from bytes.</summary>
        public string Location { get; }

        /// <summary>Its AssemblyFileVersion, or null.</summary>
        public string? FileVersion { get; }
    }

    /// <summary>What the host check decided: an error that stops the import, or warnings.</summary>
    internal sealed class HostVerdict
    {
        public HostVerdict(string? error, IReadOnlyList<string>? warnings = null)
        {
            Error = error;
            Warnings = warnings ?? Array.Empty<string>();
        }

        /// <summary>Why the module cannot run here, in words a user acts on; null when it can.</summary>
        public string? Error { get; }

        /// <summary>What may go wrong although the module runs.</summary>
        public IReadOnlyList<string> Warnings { get; }
    }

    /// <summary>
    /// Which PowerShell hosts the module runs on, as pure functions (versions in, message out), so
    /// that the rules for hosts this project's machines do not run are tested anyway.
    /// <list type="bullet">
    /// <item>PowerShell 7 must be 7.4 or later: the isolation assembly targets .NET 8, the runtime of
    /// 7.4; 7.0, 7.1, 7.2 and 7.3 run on .NET Core 3.1, 5, 6 and 7 and fail to load it.</item>
    /// <item>Windows PowerShell 5.1 needs .NET Framework 4.7.2 (release 461808): the module is
    /// netstandard 2.0, which earlier frameworks support only through extra facades ("Could not load
    /// file or assembly 'netstandard, Version=2.0.0.0'"). The manifest's DotNetFrameworkVersion does
    /// not stop 5.1: it lets any version above the highest it knows through unchecked.</item>
    /// <item>Windows PowerShell 5.1 has one assembly per identity per process, and every
    /// BouncyCastle.Cryptography 2.x has the identity 2.0.0.0: another module's copy, loaded first,
    /// is the one Nrf91Cmng gets.</item>
    /// </list>
    /// </summary>
    internal static class HostCompatibility
    {
        /// <summary>The .NET Framework 4.7.2 "Release" registry value (all Windows versions: 461808 or 461814).</summary>
        public const int MinimumFrameworkRelease = 461808;

        /// <summary>The minimum PowerShell 7.</summary>
        public static readonly Version MinimumPowerShell = new Version(7, 4);

        private static readonly (int Release, string Name)[] s_releases =
        {
            (533320, "4.8.1"), (528040, "4.8"), (461808, "4.7.2"), (461308, "4.7.1"), (460798, "4.7"),
            (394802, "4.6.2"), (394254, "4.6.1"), (393295, "4.6"), (379893, "4.5.2"), (378675, "4.5.1"), (378389, "4.5"),
        };

        /// <summary>
        /// PowerShell 7 (.NET Core): an error unless the runtime is .NET 8 or later.
        /// <paramref name="powerShellVersion"/> only words the message (null: told from the runtime).
        /// </summary>
        public static HostVerdict CheckPowerShell7(Version runtimeVersion, Version? powerShellVersion)
        {
            if (runtimeVersion is null)
            {
                throw new ArgumentNullException(nameof(runtimeVersion));
            }

            if (runtimeVersion.Major >= 8)
            {
                return new HostVerdict(null);
            }

            string runtime = (runtimeVersion.Major >= 5 ? ".NET " : ".NET Core ") + runtimeVersion.Major.ToString(CultureInfo.InvariantCulture) + "." + runtimeVersion.Minor.ToString(CultureInfo.InvariantCulture);
            string powerShell = powerShellVersion is not null
                ? "PowerShell " + powerShellVersion.ToString(3 <= FieldCount(powerShellVersion) ? 3 : 2)
                : PowerShellForRuntime(runtimeVersion);
            return new HostVerdict(
                "Nrf91Cmng needs PowerShell " + MinimumPowerShell.ToString(2) + " or later (it runs on .NET 8); this is " + powerShell + " on " + runtime + ". "
                + "Install PowerShell 7.4 or later (winget install Microsoft.PowerShell, or https://aka.ms/powershell) and import the module there, or use Windows PowerShell 5.1 (powershell.exe) on Windows.");
        }

        /// <summary>
        /// Windows PowerShell 5.1 (.NET Framework): an error below .NET Framework 4.7.2, from the
        /// registry's Release value or, when that is unreadable, the runtime's description (whose
        /// build number tells 4.7.2, 4.7.3xxx, from 4.7.1, 4.7.2xxx); plus a warning when another
        /// BouncyCastle.Cryptography is already loaded.
        /// </summary>
        public static HostVerdict CheckWindowsPowerShell(int? frameworkRelease, string? frameworkDescription, IEnumerable<LoadedAssembly> loadedBouncyCastles, string? ourBouncyCastleFileVersion, string? ourBouncyCastlePath = null)
        {
            string? installed = null;
            bool tooOld = false;
            if (frameworkRelease is int release)
            {
                tooOld = release < MinimumFrameworkRelease;
                installed = ".NET Framework " + FrameworkName(release) + " (release " + release.ToString(CultureInfo.InvariantCulture) + ")";
            }
            else if (TryParseDescription(frameworkDescription, out Version? described))
            {
                tooOld = described! < new Version(4, 7, 3000);
                installed = frameworkDescription!.Trim();
            }

            if (tooOld)
            {
                return new HostVerdict(
                    "Nrf91Cmng needs .NET Framework 4.7.2 or later to run in Windows PowerShell 5.1; this machine has " + installed + ", "
                    + "which cannot load .NET Standard 2.0 libraries without extra files (the error would read \"Could not load file or assembly 'netstandard, Version=2.0.0.0'\"). "
                    + "Install .NET Framework 4.8 (https://dotnet.microsoft.com/download/dotnet-framework, or Windows Update), restart, and open a new PowerShell window; or use PowerShell 7.4 or later.");
            }

            string? warning = CheckBouncyCastle(loadedBouncyCastles ?? Array.Empty<LoadedAssembly>(), ourBouncyCastleFileVersion, ourBouncyCastlePath);
            return new HostVerdict(null, warning is null ? null : new[] { warning });
        }

        /// <summary>
        /// A warning when a BouncyCastle.Cryptography other than ours (another file version, from
        /// another path) is loaded, naming its path and the module it seems to belong to; null otherwise.
        /// </summary>
        public static string? CheckBouncyCastle(IEnumerable<LoadedAssembly> loaded, string? ourFileVersion, string? ourPath)
        {
            if (loaded is null)
            {
                throw new ArgumentNullException(nameof(loaded));
            }

            foreach (LoadedAssembly other in loaded)
            {
                bool samePath = ourPath is not null && other.Location.Length > 0 && string.Equals(Path.GetFullPath(other.Location), Path.GetFullPath(ourPath), StringComparison.OrdinalIgnoreCase);
                if (samePath || string.Equals(other.FileVersion, ourFileVersion, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                string from = other.Location.Length == 0 ? "from memory" : "from " + other.Location;
                string? module = ModuleFromPath(other.Location);
                return "BouncyCastle.Cryptography " + (other.FileVersion ?? "(unknown version)") + " was loaded " + from
                    + (module is null ? string.Empty : " (module " + module + ")")
                    + " before Nrf91Cmng's own " + (ourFileVersion ?? "copy")
                    + ". Windows PowerShell 5.1 keeps one copy per process and every BouncyCastle 2.x has the assembly version 2.0.0.0, so Nrf91Cmng uses that copy. "
                    + "If a Nrf91Cmng command fails with MissingMethodException or TypeLoadException, open a new powershell.exe and import Nrf91Cmng before "
                    + (module ?? "that module") + ", or use PowerShell 7.4 or later, where each module keeps its own copy.";
            }

            return null;
        }

        /// <summary>The module folder a path lies in (the folder after a "Modules" folder), or null.</summary>
        public static string? ModuleFromPath(string? path)
        {
            if (string.IsNullOrEmpty(path))
            {
                return null;
            }

            string[] parts = path!.Split(new[] { '\\', '/' }, StringSplitOptions.RemoveEmptyEntries);
            for (int i = parts.Length - 2; i >= 0; i--)
            {
                if (string.Equals(parts[i], "Modules", StringComparison.OrdinalIgnoreCase) && i + 1 < parts.Length - 1)
                {
                    return parts[i + 1];
                }
            }

            return null;
        }

        /// <summary>The .NET Framework version a Release value stands for ("4.7.1").</summary>
        public static string FrameworkName(int release)
        {
            foreach ((int minimum, string name) in s_releases)
            {
                if (release >= minimum)
                {
                    return name;
                }
            }

            return "4.0 to 4.5";
        }

        private static bool TryParseDescription(string? description, out Version? version)
        {
            version = null;
            const string prefix = ".NET Framework ";
            if (description is null || !description.Trim().StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            return Version.TryParse(description.Trim().Substring(prefix.Length).Trim(), out version);
        }

        private static int FieldCount(Version v) => v.Revision >= 0 ? 4 : v.Build >= 0 ? 3 : 2;

        private static string PowerShellForRuntime(Version runtime) => runtime.Major switch
        {
            3 => "PowerShell 7.0",
            5 => "PowerShell 7.1",
            6 => "PowerShell 7.2",
            7 => "PowerShell 7.3",
            _ => "PowerShell",
        };
    }
}
