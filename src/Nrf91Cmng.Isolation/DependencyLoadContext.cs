using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace Nrf91Cmng.Isolation;

/// <summary>
/// Loads Nrf91Cmng.Core, Nrf91Cmng.Simulator and the third-party assemblies they depend on from
/// the module's Dependencies folder into a context of their own, so that another module's copy of
/// BouncyCastle or System.Formats.Cbor can neither replace ours nor be replaced by it.
/// </summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly object s_gate = new();
    private static DependencyLoadContext? s_instance;

    private readonly string _directory;
    private readonly HashSet<string> _owned;

    private DependencyLoadContext(string directory)
        : base("Nrf91Cmng", isCollectible: false)
    {
        _directory = directory;
        _owned = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        HashSet<string> platform = PlatformAssemblyNames();
        foreach (string file in Directory.EnumerateFiles(directory, "*.dll"))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            if (!platform.Contains(name) && !name.Equals("Nrf91Cmng.Isolation", StringComparison.OrdinalIgnoreCase))
            {
                _owned.Add(name);
            }
        }
    }

    /// <summary>Names of the assemblies this context loads itself.</summary>
    public IReadOnlyCollection<string> OwnedAssemblies => _owned;

    /// <summary>
    /// Creates the context once per process and hooks the default context so that requests for
    /// the <paramref name="entryAssemblyNames"/> (the engine, and the virtual modem whenever the
    /// cmdlet assembly first needs it) are answered from the isolated context. Called through
    /// reflection by the module initializer (the cmdlet assembly targets netstandard2.0 and
    /// cannot name this type).
    /// </summary>
    public static void Register(string dependencyDirectory, string[] entryAssemblyNames)
    {
        var entries = new HashSet<string>(entryAssemblyNames, StringComparer.OrdinalIgnoreCase);
        lock (s_gate)
        {
            if (s_instance is not null)
            {
                return;
            }

            var context = new DependencyLoadContext(dependencyDirectory);
            Default.Resolving += (_, name) =>
                name.Name is not null && entries.Contains(name.Name)
                    ? context.LoadFromAssemblyName(name)
                    : null;
            s_instance = context;
        }
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || !_owned.Contains(assemblyName.Name))
        {
            // Framework assemblies come from the runtime that hosts PowerShell.
            return null;
        }

        return LoadFromAssemblyPath(Path.Combine(_directory, assemblyName.Name + ".dll"));
    }

    // The netstandard2.0 builds of our dependencies carry System.Memory, System.Buffers and the
    // like for .NET Framework. Where the host already has an assembly of that name (the runtime
    // and PowerShell's own, its trusted platform assemblies), it must come from the host, or
    // Span<T> and friends would exist twice.
    private static HashSet<string> PlatformAssemblyNames()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (string path in list.Split(Path.PathSeparator))
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }
        }

        return names;
    }
}
