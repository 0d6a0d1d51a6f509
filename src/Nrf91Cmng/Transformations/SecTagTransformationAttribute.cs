namespace Nrf91Cmng
{
    /// <summary>
    /// Turns numbers and CSV strings into sec_tags, and anything else (negative, too large,
    /// fractional, not a number) into one clear message with the valid range.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecTagTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object? value = inputData is PSObject pso ? pso.BaseObject : inputData;
            if (value is IEnumerable list && !(value is string))
            {
                var tags = new List<uint>();
                foreach (object? item in list)
                {
                    tags.Add(Convert(item));
                }

                return tags.ToArray();
            }

            return Convert(value);
        }

        /// <summary>Converts one value or throws a transformation error that gives the range.</summary>
        public static uint Convert(object? input)
        {
            object? value = input is PSObject pso ? pso.BaseObject : input;
            switch (value)
            {
                case uint u:
                    return u;
                case int i when i >= 0:
                    return (uint)i;
                case long l when l >= 0 && l <= uint.MaxValue:
                    return (uint)l;
                case ulong ul when ul <= uint.MaxValue:
                    return (uint)ul;
                case short s when s >= 0:
                    return (uint)s;
                case ushort us:
                    return us;
                case byte b:
                    return b;
                case double d when d >= 0 && d <= uint.MaxValue && Math.Floor(d) == d:
                    return (uint)d;
                case decimal m when m >= 0 && m <= uint.MaxValue && decimal.Floor(m) == m:
                    return (uint)m;
                case string text when uint.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out uint parsed):
                    return parsed;
            }

            throw new ArgumentTransformationMetadataException(
                "'" + value + "' is not a sec_tag. A sec_tag is a whole number from 0 to 4294967295; your own credentials use 0 to 2147483647 (the tags above belong to the modem).");
        }
    }
}
