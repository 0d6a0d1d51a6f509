namespace Nrf91Cmng.Core.Transport
{
    /// <summary>The other side closed the link, or the port or socket went away.</summary>
    public sealed class LinkClosedException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public LinkClosedException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }
    }
}
