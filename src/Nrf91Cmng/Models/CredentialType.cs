using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace Nrf91Cmng
{
    /// <summary>The <c>AT%CMNG</c> credential types.</summary>
    public enum CredentialType
    {
        /// <summary>0: root CA certificate (PEM; a chain is allowed).</summary>
        RootCA = 0,

        /// <summary>1: client certificate (PEM).</summary>
        ClientCertificate = 1,

        /// <summary>2: client private key (PEM; never readable).</summary>
        ClientPrivateKey = 2,

        /// <summary>3: pre-shared key (hex; never readable).</summary>
        Psk = 3,

        /// <summary>4: PSK identity (printable ASCII).</summary>
        PskIdentity = 4,

        /// <summary>5: public key for authenticated AT commands (written with %XPMNG).</summary>
        PublicKey = 5,

        /// <summary>6: device identity public key (modem-owned).</summary>
        DeviceIdentityPublicKey = 6,

        /// <summary>7: reserved.</summary>
        Reserved7 = 7,

        /// <summary>8: endorsement private key (created by %KEYGEN).</summary>
        EndorsementKey = 8,

        /// <summary>9: ownership key (used by %CLAIMTOKEN).</summary>
        OwnershipKey = 9,

        /// <summary>10: Nordic identity root CA (modem-owned).</summary>
        NordicIdentityRootCA = 10,

        /// <summary>11: Nordic base public key (modem-owned).</summary>
        NordicBasePublicKey = 11,
    }

    /// <summary>
    /// Accepts a credential type by name (RootCA), by number (0, '0') or by short alias
    /// (CA, Cert, Key, PSKId, ...), for single values and arrays alike.
    /// </summary>
    public sealed class CredentialTypeTransformationAttribute : ArgumentTransformationAttribute
    {
        private static readonly Dictionary<string, CredentialType> s_aliases = new Dictionary<string, CredentialType>(StringComparer.OrdinalIgnoreCase)
        {
            ["CA"] = CredentialType.RootCA,
            ["Root"] = CredentialType.RootCA,
            ["RootCertificate"] = CredentialType.RootCA,
            ["Cert"] = CredentialType.ClientCertificate,
            ["Certificate"] = CredentialType.ClientCertificate,
            ["ClientCert"] = CredentialType.ClientCertificate,
            ["Key"] = CredentialType.ClientPrivateKey,
            ["PrivateKey"] = CredentialType.ClientPrivateKey,
            ["ClientKey"] = CredentialType.ClientPrivateKey,
            ["Identity"] = CredentialType.PskIdentity,
            ["PskId"] = CredentialType.PskIdentity,
        };

        /// <summary>The accepted short aliases.</summary>
        public static IReadOnlyCollection<string> Aliases => s_aliases.Keys;

        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value is Array array && value is not string)
            {
                var result = new CredentialType[array.Length];
                for (int i = 0; i < array.Length; i++)
                {
                    result[i] = Convert(array.GetValue(i));
                }

                return result;
            }

            return Convert(value);
        }

        /// <summary>Converts one value or throws a transformation error that lists the valid names.</summary>
        public static CredentialType Convert(object? input)
        {
            object? value = input is PSObject pso ? pso.BaseObject : input;
            switch (value)
            {
                case CredentialType type:
                    return type;
                case int n:
                    return FromNumber(n, value);
                case long n when n >= 0 && n <= int.MaxValue:
                    return FromNumber((int)n, value);
                case uint n when n <= int.MaxValue:
                    return FromNumber((int)n, value);
                case string text:
                    string t = text.Trim();
                    if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                    {
                        return FromNumber(number, value);
                    }

                    if (s_aliases.TryGetValue(t, out CredentialType alias))
                    {
                        return alias;
                    }

                    if (Enum.TryParse(t, ignoreCase: true, out CredentialType named) && Enum.IsDefined(typeof(CredentialType), named))
                    {
                        return named;
                    }

                    break;
            }

            throw new ArgumentTransformationMetadataException(
                "'" + value + "' is not a credential type. Use a name (" + string.Join(", ", Enum.GetNames(typeof(CredentialType)))
                + "), its number (0-11) or a short alias (CA, Cert, Key, PskId).");
        }

        private static CredentialType FromNumber(int number, object original)
        {
            if (!Enum.IsDefined(typeof(CredentialType), number))
            {
                throw new ArgumentTransformationMetadataException("'" + original + "' is not a credential type number: the nRF91 types are 0 to 11.");
            }

            return (CredentialType)number;
        }
    }
}
