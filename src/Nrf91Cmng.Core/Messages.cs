namespace Nrf91Cmng.Core
{
    /// <summary>Small text helpers every message in the module shares.</summary>
    public static class Messages
    {
        /// <summary><paramref name="text"/> with its first letter in upper case ("root CA ..." → "Root CA ...").</summary>
        public static string Capital(string text) => string.IsNullOrEmpty(text) ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters with "..." where it was cut.</summary>
        public static string Shorten(string text, int max = 80) => text.Length <= max ? text : text.Substring(0, max - 3) + "...";
    }
}
