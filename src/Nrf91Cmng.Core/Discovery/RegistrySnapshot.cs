using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Security;

namespace Nrf91Cmng.Core.Discovery
{
    /// <summary>
    /// A read-only view of HKEY_LOCAL_MACHINE, the seam between Windows port discovery and the
    /// registry: <see cref="LiveRegistry"/> reads the machine's registry, <see cref="RecordedRegistry"/>
    /// replays a <c>reg export</c> file (test fixtures, or a snapshot a user sends with a bug report).
    /// Paths are relative to HKLM with backslashes (<c>SYSTEM\CurrentControlSet\Enum\USB</c>) and
    /// case-insensitive. A key the caller may not read throws <see cref="SecurityException"/> (or
    /// <see cref="UnauthorizedAccessException"/>), as <c>RegistryKey.OpenSubKey</c> does.
    /// </summary>
    public interface IRegistrySnapshot
    {
        /// <summary>Names of the subkeys of <paramref name="path"/>, or null when the key does not exist.</summary>
        IReadOnlyList<string>? GetSubKeyNames(string path);

        /// <summary>Names of the values of <paramref name="path"/>, or null when the key does not exist.</summary>
        IReadOnlyList<string>? GetValueNames(string path);

        /// <summary>The value <paramref name="name"/> of <paramref name="path"/> (string, int, string[] or byte[]), or null.</summary>
        object? GetValue(string path, string name);
    }

    /// <summary>
    /// HKLM of this machine through <c>Microsoft.Win32.Registry</c>, bound late: the engine stays
    /// netstandard2.0 without a registry package (the type is in mscorlib on .NET Framework and in
    /// the shared framework of every PowerShell 7). Each call opens its key read-only and closes it.
    /// </summary>
    public sealed class LiveRegistry : IRegistrySnapshot
    {
        private readonly object _localMachine;

        private LiveRegistry(object localMachine)
        {
            _localMachine = localMachine;
        }

        /// <summary>The machine's registry, or null where there is none (not Windows, or no Registry type in this runtime).</summary>
        public static LiveRegistry? TryOpen()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows))
            {
                return null;
            }

            Type? registry = Type.GetType("Microsoft.Win32.Registry, Microsoft.Win32.Registry")
                ?? Type.GetType("Microsoft.Win32.Registry, mscorlib")
                ?? Type.GetType("Microsoft.Win32.Registry, System.Private.CoreLib");
            object? machine = registry?.GetField("LocalMachine", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
            return machine is null ? null : new LiveRegistry(machine);
        }

        /// <inheritdoc />
        public IReadOnlyList<string>? GetSubKeyNames(string path) => WithKey(path, key => (IReadOnlyList<string>?)(Call(key, "GetSubKeyNames") as string[] ?? Array.Empty<string>()));

        /// <inheritdoc />
        public IReadOnlyList<string>? GetValueNames(string path) => WithKey(path, key => (IReadOnlyList<string>?)(Call(key, "GetValueNames") as string[] ?? Array.Empty<string>()));

        /// <inheritdoc />
        public object? GetValue(string path, string name) => WithKey(path, key => Call(key, "GetValue", name));

        private T? WithKey<T>(string path, Func<object, T?> read)
            where T : class
        {
            object? key = Call(_localMachine, "OpenSubKey", path);
            if (key is null)
            {
                return null;
            }

            try
            {
                return read(key);
            }
            finally
            {
                (key as IDisposable)?.Dispose();
            }
        }

        private static object? Call(object target, string method, params string[] arguments)
        {
            Type[] signature = arguments.Select(_ => typeof(string)).ToArray();
            MethodInfo m = target.GetType().GetMethod(method, signature)
                ?? throw new MissingMethodException(target.GetType().FullName, method);
            try
            {
                return m.Invoke(target, arguments);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                // SecurityException, UnauthorizedAccessException, IOException: the caller decides.
                ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }
    }

    /// <summary>
    /// A registry snapshot read from <c>reg export</c> text ("Windows Registry Editor Version 5.00",
    /// UTF-16 as Windows writes it or UTF-8). String (<c>"..."</c>), <c>dword:</c>, <c>hex(7):</c>
    /// (multi-string) and <c>hex:</c> values are understood; other value kinds come back as their
    /// text. A comment line <c>; nrf91cmng: access-denied</c> inside a key marks that key (and what
    /// is below it) as unreadable, to replay a locked key. Keys that are only implied by deeper
    /// keys exist, empty.
    /// </summary>
    public sealed class RecordedRegistry : IRegistrySnapshot
    {
        /// <summary>The comment that marks a key as unreadable in a recorded snapshot.</summary>
        public const string AccessDeniedMarker = "; nrf91cmng: access-denied";

        private readonly Dictionary<string, Key> _keys = new Dictionary<string, Key>(StringComparer.OrdinalIgnoreCase);

        private RecordedRegistry()
        {
            _keys[string.Empty] = new Key(string.Empty);
        }

        /// <summary>Reads a <c>reg export</c> file (its byte-order mark decides UTF-16 or UTF-8).</summary>
        public static RecordedRegistry Load(string path) => Parse(File.ReadAllText(path));

        /// <summary>Parses <c>reg export</c> text. Only keys under HKEY_LOCAL_MACHINE are kept.</summary>
        public static RecordedRegistry Parse(string text)
        {
            if (text is null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var registry = new RecordedRegistry();
            Key? current = null;
            string[] lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                // hex data continues on the next line after a trailing backslash (a string value
                // always ends with its closing quote, a key header with ']').
                while (line.EndsWith("\\", StringComparison.Ordinal) && !line.StartsWith("[", StringComparison.Ordinal) && i + 1 < lines.Length)
                {
                    line = line.Substring(0, line.Length - 1) + lines[++i].Trim();
                }

                if (line.Length == 0)
                {
                    continue;
                }

                if (line.StartsWith(";", StringComparison.Ordinal))
                {
                    if (current is not null && line.StartsWith(AccessDeniedMarker, StringComparison.OrdinalIgnoreCase))
                    {
                        current.Denied = true;
                    }

                    continue;
                }

                if (line.StartsWith("[", StringComparison.Ordinal) && line.EndsWith("]", StringComparison.Ordinal))
                {
                    string full = line.Substring(1, line.Length - 2);
                    current = full.StartsWith("-", StringComparison.Ordinal) ? null : registry.KeyFor(full);
                    continue;
                }

                if (current is null)
                {
                    continue;
                }

                int equals = ValueNameEnd(line);
                if (equals < 0)
                {
                    continue;
                }

                string name = line.Substring(0, equals) == "@" ? string.Empty : Unquote(line.Substring(0, equals));
                current.Values[name] = ParseData(line.Substring(equals + 1));
            }

            return registry;
        }

        /// <inheritdoc />
        public IReadOnlyList<string>? GetSubKeyNames(string path)
        {
            Key? key = Open(path);
            return key?.Children.ToList();
        }

        /// <inheritdoc />
        public IReadOnlyList<string>? GetValueNames(string path)
        {
            Key? key = Open(path);
            return key?.Values.Keys.ToList();
        }

        /// <inheritdoc />
        public object? GetValue(string path, string name)
        {
            Key? key = Open(path);
            return key is not null && key.Values.TryGetValue(name ?? string.Empty, out object? value) ? value : null;
        }

        private Key? Open(string path)
        {
            string normalized = Normalize(path);
            if (!_keys.TryGetValue(normalized, out Key? key))
            {
                return null;
            }

            // A locked key (or one below it) cannot be opened, as with RegistryKey.OpenSubKey.
            for (string p = normalized; ; p = Parent(p))
            {
                if (_keys.TryGetValue(p, out Key? k) && k.Denied)
                {
                    throw new SecurityException("Requested registry access is not allowed.");
                }

                if (p.Length == 0)
                {
                    break;
                }
            }

            return key;
        }

        private Key? KeyFor(string fullPath)
        {
            string path = fullPath;
            foreach (string root in new[] { "HKEY_LOCAL_MACHINE", "HKLM" })
            {
                if (path.Equals(root, StringComparison.OrdinalIgnoreCase))
                {
                    return _keys[string.Empty];
                }

                if (path.StartsWith(root + "\\", StringComparison.OrdinalIgnoreCase))
                {
                    path = Normalize(path.Substring(root.Length + 1));
                    return Ensure(path);
                }
            }

            return null;
        }

        private Key Ensure(string path)
        {
            if (_keys.TryGetValue(path, out Key? key))
            {
                return key;
            }

            key = new Key(path);
            _keys[path] = key;
            if (path.Length > 0)
            {
                Key parent = Ensure(Parent(path));
                string leaf = path.Substring(path.LastIndexOf('\\') + 1);
                if (!parent.Children.Contains(leaf, StringComparer.OrdinalIgnoreCase))
                {
                    parent.Children.Add(leaf);
                }
            }

            return key;
        }

        private static string Normalize(string path) => (path ?? string.Empty).Trim().Trim('\\');

        private static string Parent(string path)
        {
            int slash = path.LastIndexOf('\\');
            return slash < 0 ? string.Empty : path.Substring(0, slash);
        }

        // The '=' that ends a quoted value name ("a=b"="c" has its '=' after the closing quote).
        private static int ValueNameEnd(string line)
        {
            if (line.StartsWith("@=", StringComparison.Ordinal))
            {
                return 1;
            }

            if (!line.StartsWith("\"", StringComparison.Ordinal))
            {
                return -1;
            }

            for (int i = 1; i < line.Length; i++)
            {
                if (line[i] == '\\')
                {
                    i++;
                    continue;
                }

                if (line[i] == '"')
                {
                    return i + 1 < line.Length && line[i + 1] == '=' ? i + 1 : -1;
                }
            }

            return -1;
        }

        private static string Unquote(string quoted)
        {
            string inner = quoted.Length >= 2 && quoted[0] == '"' && quoted[quoted.Length - 1] == '"' ? quoted.Substring(1, quoted.Length - 2) : quoted;
            var builder = new StringBuilder(inner.Length);
            for (int i = 0; i < inner.Length; i++)
            {
                if (inner[i] == '\\' && i + 1 < inner.Length)
                {
                    i++;
                }

                builder.Append(inner[i]);
            }

            return builder.ToString();
        }

        private static object ParseData(string data)
        {
            if (data.StartsWith("\"", StringComparison.Ordinal))
            {
                return Unquote(data);
            }

            if (data.StartsWith("dword:", StringComparison.OrdinalIgnoreCase))
            {
                return unchecked((int)uint.Parse(data.Substring(6), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }

            if (data.StartsWith("hex(7):", StringComparison.OrdinalIgnoreCase))
            {
                string joined = Encoding.Unicode.GetString(HexBytes(data.Substring(7)));
                return joined.Split(new[] { '\0' }, StringSplitOptions.RemoveEmptyEntries);
            }

            if (data.StartsWith("hex:", StringComparison.OrdinalIgnoreCase))
            {
                return HexBytes(data.Substring(4));
            }

            return data;
        }

        private static byte[] HexBytes(string list) =>
            list.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(b => byte.Parse(b.Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture))
                .ToArray();

        private sealed class Key
        {
            public Key(string path)
            {
                Path = path;
            }

            public string Path { get; }

            public bool Denied { get; set; }

            public List<string> Children { get; } = new List<string>();

            public Dictionary<string, object> Values { get; } = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        }
    }
}
