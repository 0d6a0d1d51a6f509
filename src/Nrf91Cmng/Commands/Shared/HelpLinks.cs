namespace Nrf91Cmng.Commands
{
    /// <summary>Where each cmdlet's help page lives (its HelpUri, which Get-Help -Online opens): docs/help in the project's public repository.</summary>
    internal static class HelpLinks
    {
        /// <summary>The folder of the pages; a cmdlet's page is &lt;Verb-Noun&gt;.md.</summary>
        public const string Base = "https://github.com/nrf91cmng/Nrf91Cmng/blob/main/docs/help/";
    }
}
