using Nrf91Cmng.Core.Platform;

namespace Nrf91Cmng.Core.Tests.Transport;

/// <summary>
/// Serial details that differ between operating systems: port-name spellings, the macOS dial-in
/// nodes, control lines, and a stalled write as its own error. The Windows and macOS rules are pure
/// functions tested here; the stall and the refused control lines run on real pseudo-terminals.
/// </summary>
public sealed class SerialPlatformTests
{
    [Theory]
    [InlineData(@"\\.\COM10", "COM10")]
    [InlineData(@"\\.\com3", "COM3")]
    [InlineData(@"\\?\COM12", "COM12")]
    [InlineData(" COM5 ", "COM5")]
    [InlineData("COM5", "COM5")]
    [InlineData(@"\\.\CNCA0", @"\\.\CNCA0")]
    [InlineData("/dev/ttyACM0", "/dev/ttyACM0")]
    [InlineData("/dev/serial/by-id/usb-SEGGER_J-Link_000960012345-if00", "/dev/serial/by-id/usb-SEGGER_J-Link_000960012345-if00")]
    public void Win32DevicePathsOfComPortsBecomePlainNames(string given, string expected)
    {
        Assert.Equal(expected, SerialPortNames.Normalize(given));
        Assert.Equal(expected, new SerialSettings(given).PortName);
    }

    [Fact]
    public void MacDialInNodesOpenTheirCallOutTwin()
    {
        var present = new HashSet<string> { "/dev/cu.usbmodem0009600000001" };
        Assert.Equal("/dev/cu.usbmodem0009600000001", SerialPortNames.PreferCalloutDevice("/dev/tty.usbmodem0009600000001", isMacOS: true, present.Contains));
        Assert.Equal("/dev/tty.usbmodemGONE1", SerialPortNames.PreferCalloutDevice("/dev/tty.usbmodemGONE1", isMacOS: true, present.Contains));
        Assert.Equal("/dev/cu.usbmodem0009600000001", SerialPortNames.PreferCalloutDevice("/dev/cu.usbmodem0009600000001", isMacOS: true, present.Contains));
        Assert.Equal("/dev/tty.usbmodem0009600000001", SerialPortNames.PreferCalloutDevice("/dev/tty.usbmodem0009600000001", isMacOS: false, present.Contains));
    }

    [Fact]
    public void CompletionOffersOnlyCallOutNodesOnMac()
    {
        string[] listed = { "/dev/tty.usbmodem0009600000001", "/dev/cu.usbmodem0009600000001", "/dev/tty.Bluetooth-Incoming-Port", "/dev/cu.Bluetooth-Incoming-Port", "/dev/cu.usbmodem0009600000001" };
        Assert.Equal(new[] { "/dev/cu.usbmodem0009600000001", "/dev/cu.Bluetooth-Incoming-Port" }, SerialPortNames.ForCompletion(listed, isMacOS: true));
        Assert.Equal(new[] { "COM3", "/dev/ttyACM0" }, SerialPortNames.ForCompletion(new[] { "COM3", "/dev/ttyACM0", "", "COM3" }, isMacOS: false));
    }

    [Theory]
    [InlineData(SerialHandshake.None, true, true, true)]
    [InlineData(SerialHandshake.XOnXOff, true, true, true)]
    [InlineData(SerialHandshake.RequestToSend, true, true, false)]
    [InlineData(SerialHandshake.None, false, false, false)]
    public void ControlLinesAreRaisedUnlessFlowControlOwnsThem(SerialHandshake handshake, bool raise, bool dtr, bool rts)
    {
        var settings = new SerialSettings("COM5") { Handshake = handshake, RaiseControlLines = raise };
        Assert.Equal(dtr, settings.RaiseDtr);
        Assert.Equal(rts, settings.RaiseRts);
    }

    [Theory]
    [InlineData(ErrorIds.NoAtConsole, SerialHandshake.RequestToSend, false, false)]
    [InlineData(ErrorIds.SerialWriteStalled, SerialHandshake.RequestToSend, false, true)]
    [InlineData(ErrorIds.SerialWriteStalled, SerialHandshake.RequestToSend, true, false)]
    [InlineData(ErrorIds.SerialWriteStalled, SerialHandshake.None, false, false)]
    [InlineData(ErrorIds.ConnectionLost, SerialHandshake.RequestToSend, false, false)]
    [InlineData(ErrorIds.PortBusy, SerialHandshake.RequestToSend, false, false)]
    public void TheNoFlowControlRetryCoversAStalledWrite(string errorId, SerialHandshake handshake, bool chosenByUser, bool retry)
    {
        var error = new ModemConnectionException(errorId, "m", "r");
        Assert.Equal(retry, SerialConnectRetry.ShouldRetryWithoutFlowControl(error, handshake, chosenByUser));
    }

    [Fact]
    public void TheRetryWarningSaysWhatHappened()
    {
        Assert.Contains("CTS stayed low", SerialConnectRetry.RetryWarning("COM5", SerialTransport.WriteStalled("COM5", SerialHandshake.RequestToSend, TimeSpan.FromSeconds(10), null)), StringComparison.Ordinal);
        Assert.Contains("No AT console answered on COM5", SerialConnectRetry.RetryWarning("COM5", new ModemConnectionException(ErrorIds.NoAtConsole, "m", "r")), StringComparison.Ordinal);
    }

    [Fact]
    public void AStalledWriteUnderRtsCtsNamesFlowControl()
    {
        ModemConnectionException error = SerialTransport.WriteStalled("COM5", SerialHandshake.RequestToSend, TimeSpan.FromSeconds(10), new TimeoutException());
        Assert.Equal(ErrorIds.SerialWriteStalled, error.ErrorId);
        Assert.Equal(ModemErrorCategory.ConnectionError, error.Category);
        Assert.Contains("RTS/CTS", error.Message, StringComparison.Ordinal);
        Assert.Contains("-Handshake None", error.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void APortNameTheHostRefusesIsAClearError()
    {
        // SerialPort's PortName setter throws for an empty name: it used to escape as a raw
        // TargetInvocationException (like "\\.\COM10" on Windows PowerShell 5.1).
        var error = Assert.Throws<ModemException>(() => SerialTransport.Open(new SerialSettings(string.Empty)));
        Assert.Equal(ErrorIds.PortNameInvalid, error.ErrorId);
        Assert.Equal(ModemErrorCategory.InvalidArgument, error.Category);
        Assert.IsType<ArgumentException>(error.InnerException, exactMatch: false);
        Assert.False(PortLock.IsHeld(string.Empty));
    }

    [PseudoTerminalTheory]
    [InlineData(SerialHandshake.None)]
    [InlineData(SerialHandshake.XOnXOff)]
    [InlineData(SerialHandshake.RequestToSend)]
    public void APortThatRefusesControlLinesStillOpens(SerialHandshake handshake)
    {
        // A pty refuses TIOCMSET ("Inappropriate ioctl for device"): raising DTR and RTS is optional.
        using PseudoTerminal pty = PseudoTerminal.Open();
        using SerialTransport transport = SerialTransport.Open(new SerialSettings(pty.SlavePath) { Handshake = handshake });
        Assert.True(transport.IsOpen);
        transport.Write(new byte[] { (byte)'A', (byte)'T', (byte)'\r' }, 0, 3, CancellationToken.None);
        var buffer = new byte[16];
        Assert.Equal(3, pty.Read(buffer, 0, buffer.Length, TimeSpan.FromSeconds(2), CancellationToken.None));
    }

    [PseudoTerminalFact]
    public void AWriteNobodyTakesIsAStalledWriteNotALostConnection()
    {
        // Nobody reads the master: the pty buffer fills and the port stops taking data, as a USB
        // CDC device does while its UART waits for CTS.
        using PseudoTerminal pty = PseudoTerminal.Open();
        var settings = new SerialSettings(pty.SlavePath) { Handshake = SerialHandshake.None, WriteTimeout = TimeSpan.FromMilliseconds(300) };
        SerialTransport transport = SerialTransport.Open(settings);
        var chunk = new byte[64 * 1024];
        var error = Assert.Throws<ModemConnectionException>(() =>
        {
            for (int i = 0; i < 64; i++)
            {
                transport.Write(chunk, 0, chunk.Length, CancellationToken.None);
            }
        });
        Assert.Equal(ErrorIds.SerialWriteStalled, error.ErrorId);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.False(transport.IsOpen);
        transport.Dispose();
        Assert.False(PortLock.IsHeld(pty.SlavePath));
    }

    [PseudoTerminalFact]
    public void AStallDuringConnectReachesTheCallerAsItselfAndFreesThePort()
    {
        using PseudoTerminal pty = PseudoTerminal.Open();

        // Fill the slave-to-master buffer first (nobody reads the master) so that the connect's
        // first command stalls. A raw descriptor, not a FileStream: .NET's FileStream takes a
        // shared flock on Unix, and the port's own exclusive lock would then (rightly) refuse it.
        int filler = OpenRaw(pty.SlavePath);
        Assert.True(filler >= 0, "the pseudo-terminal slave could not be opened");
        try
        {
            // Full means a write is refused (EAGAIN) and still refused after the line discipline had
            // time to move what it holds to the master's side.
            var chunk = new byte[256];
            long written = 0;
            for (int stillFull = 0; stillFull < 3 && written < 16 * 1024 * 1024;)
            {
                if (WriteRaw(filler, chunk) > 0)
                {
                    written += chunk.Length;
                    stillFull = 0;
                }
                else
                {
                    stillFull++;
                    Thread.Sleep(100);
                }
            }

            Assert.True(written < 16 * 1024 * 1024, "the pseudo-terminal buffer did not fill");

            var settings = new SerialSettings(pty.SlavePath) { Handshake = SerialHandshake.RequestToSend, WriteTimeout = TimeSpan.FromMilliseconds(300) };
            var options = new ModemClientOptions { DetectTimeout = TimeSpan.FromMilliseconds(300), DefaultTimeout = TimeSpan.FromMilliseconds(300), Identify = false };
            var error = Assert.Throws<ModemConnectionException>(() => ModemClient.Connect(SerialTransport.Open(settings), options, null, CancellationToken.None));
            Assert.Equal(ErrorIds.SerialWriteStalled, error.ErrorId);
            Assert.True(SerialConnectRetry.ShouldRetryWithoutFlowControl(error, SerialHandshake.RequestToSend, handshakeChosenByUser: false));
            Assert.False(PortLock.IsHeld(pty.SlavePath));
        }
        finally
        {
            CloseRaw(filler);
        }
    }

    private static int OpenRaw(string path) => open(path, 0x1 | (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX) ? 0x20000 | 0x4 : 0x100 | 0x800));

    private static long WriteRaw(int fd, byte[] data) => (long)write(fd, data, (UIntPtr)data.Length);

    private static void CloseRaw(int fd) => close(fd);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern IntPtr write(int fd, byte[] buffer, UIntPtr count);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
