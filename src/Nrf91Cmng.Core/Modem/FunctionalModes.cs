namespace Nrf91Cmng.Core.Modem
{
    /// <summary>The modem's functional modes (<c>AT+CFUN</c>) as credential changes see them.</summary>
    public static class FunctionalModes
    {
        /// <summary>Offline (flight mode): credentials can be changed.</summary>
        public const int Offline = 4;

        /// <summary>True for modes in which credentials cannot be written (LTE active: 1, 2, 21).</summary>
        public static bool IsActive(int mode) => mode == 1 || mode == 2 || mode == 21;
    }
}
