namespace Nrf91Cmng.Core.Tests.Transport;

/// <summary>
/// The virtual modem's pseudo-terminal master must be non-blocking on both Unix systems: macOS
/// refuses O_NONBLOCK at posix_openpt, so the flag is set afterwards. The macOS path is taken here
/// by not passing the flag at open.
/// </summary>
public sealed class PseudoTerminalPlatformTests
{
    [PseudoTerminalTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheMasterIsNonBlockingWhicheverWayItWasOpened(bool flagAtOpen)
    {
        using PseudoTerminal pty = PseudoTerminal.Open(requestNonBlockingAtOpen: flagAtOpen);
        Assert.True(pty.IsMasterNonBlocking);
    }

    [PseudoTerminalFact]
    public void AFullBufferNeverBlocksAWriterOpenedTheMacWay()
    {
        // Nobody reads the slave: with a blocking master this write would hang its thread forever;
        // non-blocking, it waits in slices and the token ends it.
        using PseudoTerminal pty = PseudoTerminal.Open(requestNonBlockingAtOpen: false);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var data = new byte[4 * 1024 * 1024];
        Task write = Task.Run(() => pty.Write(data, 0, data.Length, cancel.Token));
        var error = Assert.ThrowsAny<AggregateException>(() => write.Wait(TimeSpan.FromSeconds(10)));
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
    }
}
