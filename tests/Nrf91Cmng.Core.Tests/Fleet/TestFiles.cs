using System.Runtime.CompilerServices;

namespace Nrf91Cmng.Core.Tests.Fleet
{
    /// <summary>Committed fixtures next to the test source (no project-file change needed to copy them).</summary>
    internal static class TestFiles
    {
        /// <summary>The path of <c>Fixtures/&lt;name&gt;</c> beside the calling test file.</summary>
        public static string Fixture(string name, [CallerFilePath] string caller = "") =>
            Path.Combine(Path.GetDirectoryName(caller)!, "Fixtures", name);

        /// <summary>The exact text of a fixture.</summary>
        public static string ReadFixture(string name, [CallerFilePath] string caller = "") =>
            File.ReadAllText(Fixture(name, caller));

        /// <summary>A fresh empty folder under the system temp folder.</summary>
        public static string NewTempDirectory()
        {
            string dir = Path.Combine(Path.GetTempPath(), "nrf91cmng-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return dir;
        }
    }
}
