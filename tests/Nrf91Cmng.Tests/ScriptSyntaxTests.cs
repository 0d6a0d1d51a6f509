using System.Management.Automation.Language;
using Nrf91Cmng.Tests.Infrastructure;

namespace Nrf91Cmng.Tests;

/// <summary>Every .ps1, .psm1 and .psd1 file in the repository parses with the engine's parser, so a syntax error cannot land.</summary>
public sealed class ScriptSyntaxTests
{
    public static TheoryData<string> ScriptFiles()
    {
        var data = new TheoryData<string>();
        foreach (string file in Files())
        {
            data.Add(file);
        }

        return data;
    }

    private static IEnumerable<string> Files()
    {
        string root = Paths.RepoRoot;
        foreach (string file in Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".psm1", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase))
                     .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "out" or "node_modules"))
                     .OrderBy(f => f, StringComparer.Ordinal))
        {
            yield return Path.GetRelativePath(root, file);
        }
    }

    [Theory]
    [MemberData(nameof(ScriptFiles))]
    public void ParsesWithoutErrors(string relativePath)
    {
        Parser.ParseFile(Path.Combine(Paths.RepoRoot, relativePath), out _, out ParseError[] errors);
        Assert.True(errors.Length == 0, relativePath + ": " + string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}")));
    }

    [Fact]
    public void TheRepositoryHasScriptsToCheck()
    {
        var files = Files().ToList();
        Assert.Contains("build.ps1", files);
        Assert.Contains("Nrf91Cmng.psd1", files);
    }
}
