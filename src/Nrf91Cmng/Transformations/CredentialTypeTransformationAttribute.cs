namespace Nrf91Cmng
{
    /// <summary>
    /// Accepts a credential type by name (RootCA), by number (0, '0'), by short alias (CA, Cert,
    /// Key, PskId, ...) or as a <see cref="CredentialType"/> (piped by property name), for single
    /// values and arrays alike, and hands the parameter the type's name: the one table in the
    /// engine's <see cref="CredentialRules"/>, which plans and completion use too. -Type parameters
    /// are declared as strings because PowerShell offers only an enum's own names for an
    /// enum-typed parameter and never asks the module's completer (aliases, the writable types).
    /// </summary>
    public sealed class CredentialTypeTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <summary>The accepted short aliases.</summary>
        public static IReadOnlyCollection<string> Aliases => CredentialRules.Aliases.Select(a => a.Key).ToArray();

        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value is Array array && value is not string)
            {
                var result = new string[array.Length];
                for (int i = 0; i < array.Length; i++)
                {
                    result[i] = Convert(array.GetValue(i)).ToString();
                }

                return result;
            }

            return Convert(value).ToString();
        }

        /// <summary>The type a -Type parameter's value (the name this transformation gave it) stands for.</summary>
        public static CredentialType Parse(string name) => Convert(name);

        /// <summary>Converts one value or throws a transformation error that lists the valid names.</summary>
        public static CredentialType Convert(object? input)
        {
            object? value = input is PSObject pso ? pso.BaseObject : input;
            switch (value)
            {
                case CredentialType type:
                    return type;
                case Core.Credentials.CredentialType core:
                    return core.ToPublic();
                case int n when n >= 0 && n < CredentialRules.All.Count:
                    return (CredentialType)n;
                case long n when n >= 0 && n < CredentialRules.All.Count:
                    return (CredentialType)n;
                case uint n when n < CredentialRules.All.Count:
                    return (CredentialType)n;
                case int _:
                case long _:
                case uint _:
                    throw new ArgumentTransformationMetadataException("'" + value + "' is not a credential type number: the nRF91 types are 0 to 11.");
                case string text when CredentialRules.TryParse(text, out Core.Credentials.CredentialType parsed):
                    return parsed.ToPublic();
            }

            throw new ArgumentTransformationMetadataException(CredentialRules.NotATypeMessage(value));
        }
    }
}
