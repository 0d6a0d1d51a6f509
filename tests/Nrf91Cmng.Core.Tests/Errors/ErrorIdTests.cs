using System.Reflection;
using System.Text.RegularExpressions;

namespace Nrf91Cmng.Core.Tests.Errors;

/// <summary>
/// Every error the module writes carries a stable id, a category and a recommended action: the
/// engine cannot make a ModemException without a remedy, every id in <see cref="ErrorIds"/> is
/// distinct and used by a code path, and the cmdlets never report a failure without an id of this
/// catalogue. (The cmdlet layer maps every category to a PowerShell one; tests/Pester/Module.Tests.ps1
/// checks that no category maps to NotSpecified.)
/// </summary>
public sealed class ErrorIdTests
{
    private static readonly string s_repoRoot = FindRepoRoot();

    public static TheoryData<string, string> Ids()
    {
        var data = new TheoryData<string, string>();
        foreach (FieldInfo field in typeof(ErrorIds).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral))
        {
            data.Add(field.Name, (string)field.GetValue(null)!);
        }

        return data;
    }

    [Fact]
    public void EveryIdIsDistinct()
    {
        string[] values = Ids().Select(row => (string)row[1]).ToArray();
        Assert.True(values.Length > 50, "the catalogue has only " + values.Length + " ids");
        Assert.Empty(values.GroupBy(v => v).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryIdIsRaisedByACodePath(string name, string value)
    {
        Assert.Matches("^[A-Z][A-Za-z0-9]+$", value);
        Regex use = new Regex(@"ErrorIds\." + name + @"\b", RegexOptions.CultureInvariant);
        bool used = Directory.EnumerateFiles(Path.Combine(s_repoRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !f.EndsWith(Path.Combine("Errors", "ErrorIds." + Path.GetFileName(f).Split('.')[1] + ".cs"), StringComparison.Ordinal))
            .Any(f => use.IsMatch(File.ReadAllText(f)));
        Assert.True(used, "ErrorIds." + name + " (" + value + ") is not used by any code path: remove it or use it.");
    }

    [Fact]
    public void AFailureWithoutARemedyCannotBeMade()
    {
        Assert.Throws<ArgumentException>(() => new ModemException(ErrorIds.PlanInvalid, ModemErrorCategory.InvalidData, "m", " "));
        Assert.Throws<ArgumentException>(() => new ModemException(string.Empty, ModemErrorCategory.InvalidData, "m", "r"));
        Assert.False(string.IsNullOrWhiteSpace(new ModemProtocolException(ErrorIds.UnexpectedResponse, "m").Remedy));
    }

    [Fact]
    public void TheCmdletsWriteOnlyIdsOfTheCatalogue()
    {
        // Every id the module layer passes to ThrowError / WriteError is an ErrorIds constant, never a literal.
        var literal = new Regex(@"(ThrowError|WriteError)\(\s*""", RegexOptions.CultureInvariant);
        string[] offenders = Directory.EnumerateFiles(Path.Combine(s_repoRoot, "src", "Nrf91Cmng"), "*.cs", SearchOption.AllDirectories)
            .Where(f => literal.IsMatch(File.ReadAllText(f))).ToArray();
        Assert.Empty(offenders);
    }

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Nrf91Cmng.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Nrf91Cmng.sln) was not found above " + AppContext.BaseDirectory);
    }
}
