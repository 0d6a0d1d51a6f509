namespace Nrf91Cmng
{
    /// <summary>Accepts a functional mode by name or by its +CFUN number.</summary>
    internal sealed class FunctionalModeTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject pso ? pso.BaseObject : inputData;
            switch (value)
            {
                case FunctionalMode mode:
                    return mode;
                case int number:
                    return Check(number, value);
                case long number when number >= int.MinValue && number <= int.MaxValue:
                    return Check((int)number, value);
                case string text when int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int number):
                    return Check(number, value);
                case string text when Enum.TryParse(text.Trim(), ignoreCase: true, out FunctionalMode named) && !int.TryParse(text.Trim(), out _):
                    return named;
                default:
                    throw new ArgumentTransformationMetadataException(
                        "'" + value + "' is not a functional mode. Use a name (" + string.Join(", ", Enum.GetNames(typeof(FunctionalMode))) + ") or its +CFUN number.");
            }
        }

        private static FunctionalMode Check(int number, object original)
        {
            if (!Enum.IsDefined(typeof(FunctionalMode), number))
            {
                throw new ArgumentTransformationMetadataException(
                    "'" + original + "' is not a +CFUN mode of the nRF91 (0, 1, 2, 4, 20, 21, 30, 31, 40, 41, 44).");
            }

            return (FunctionalMode)number;
        }
    }
}
