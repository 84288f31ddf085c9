using System.Globalization;
using System.Reflection;

namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// Turns captured strings and multiline arguments into the step method's parameters. The order,
/// per parameter: <see cref="CancellationToken"/> (the step's token) → <see cref="StepTable"/> /
/// <see cref="StepDocString"/> (the step's multiline argument) → the next capture, converted as
/// string (verbatim), integer and floating types (invariant culture), bool (true/false/yes/no),
/// enum (member name, case-insensitive, '-' and ' ' ignored), Nullable&lt;T&gt; (empty capture → null).
/// </summary>
public static class StepArgumentConverter
{
    private static readonly Type[] IntegerTypes = [typeof(int), typeof(long), typeof(short), typeof(byte), typeof(uint), typeof(ulong), typeof(ushort)];
    private static readonly Type[] FloatTypes = [typeof(double), typeof(float), typeof(decimal)];

    /// <summary>True when a capture can be converted to <paramref name="type"/>.</summary>
    public static bool CanConvert(Type type)
    {
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        return target == typeof(string) || target == typeof(bool) || target.IsEnum
            || IntegerTypes.Contains(target) || FloatTypes.Contains(target);
    }

    /// <summary>True for parameters filled from the step itself rather than from a capture.</summary>
    public static bool IsContextParameter(Type type) =>
        type == typeof(CancellationToken) || type == typeof(StepTable) || type == typeof(StepDocString);

    /// <summary>Builds the argument array for <paramref name="method"/>.</summary>
    /// <exception cref="StepArgumentException">A capture does not convert or a multiline argument is missing/unexpected.</exception>
    public static object?[] Convert(MethodInfo method, IReadOnlyList<string> captures, StepRequest request, CancellationToken ct)
    {
        ParameterInfo[] parameters = method.GetParameters();
        var args = new object?[parameters.Length];
        int next = 0;
        bool tableUsed = false;
        bool docStringUsed = false;
        for (int i = 0; i < parameters.Length; i++)
        {
            ParameterInfo p = parameters[i];
            if (p.ParameterType == typeof(CancellationToken))
            {
                args[i] = ct;
            }
            else if (p.ParameterType == typeof(StepTable))
            {
                args[i] = request.Table ?? throw new StepArgumentException(StepErrors.MissingTable(request.Text));
                tableUsed = true;
            }
            else if (p.ParameterType == typeof(StepDocString))
            {
                args[i] = request.DocString ?? throw new StepArgumentException(StepErrors.MissingDocString(request.Text));
                docStringUsed = true;
            }
            else
            {
                args[i] = ConvertValue(captures[next++], p.ParameterType, p.Name ?? $"#{i}");
            }
        }

        if (request.Table is not null && !tableUsed)
        {
            throw new StepArgumentException(StepErrors.UnexpectedTable(request.Text));
        }

        if (request.DocString is not null && !docStringUsed)
        {
            throw new StepArgumentException(StepErrors.UnexpectedDocString(request.Text));
        }

        return args;
    }

    public static object? ConvertValue(string value, Type type, string parameterName)
    {
        Type? underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return value.Length == 0 ? null : ConvertValue(value, underlying, parameterName);
        }

        if (type == typeof(string))
        {
            return value;
        }

        if (IntegerTypes.Contains(type) || FloatTypes.Contains(type))
        {
            NumberStyles style = IntegerTypes.Contains(type) ? NumberStyles.Integer : NumberStyles.Float;
            object? parsed = type switch
            {
                _ when type == typeof(int) => int.TryParse(value, style, CultureInfo.InvariantCulture, out int v) ? v : null,
                _ when type == typeof(long) => long.TryParse(value, style, CultureInfo.InvariantCulture, out long v) ? v : null,
                _ when type == typeof(short) => short.TryParse(value, style, CultureInfo.InvariantCulture, out short v) ? v : null,
                _ when type == typeof(byte) => byte.TryParse(value, style, CultureInfo.InvariantCulture, out byte v) ? v : null,
                _ when type == typeof(uint) => uint.TryParse(value, style, CultureInfo.InvariantCulture, out uint v) ? v : null,
                _ when type == typeof(ulong) => ulong.TryParse(value, style, CultureInfo.InvariantCulture, out ulong v) ? v : null,
                _ when type == typeof(ushort) => ushort.TryParse(value, style, CultureInfo.InvariantCulture, out ushort v) ? v : null,
                _ when type == typeof(double) => double.TryParse(value, style, CultureInfo.InvariantCulture, out double v) ? v : null,
                _ when type == typeof(float) => float.TryParse(value, style, CultureInfo.InvariantCulture, out float v) ? v : null,
                _ => decimal.TryParse(value, style, CultureInfo.InvariantCulture, out decimal v) ? v : null,
            };
            return parsed ?? throw new StepArgumentException(StepErrors.BadValue(value, type, parameterName));
        }

        if (type == typeof(bool))
        {
            return value.ToLowerInvariant() switch
            {
                "true" or "yes" => true,
                "false" or "no" => false,
                _ => throw new StepArgumentException(StepErrors.BadValue(value, type, parameterName)),
            };
        }

        if (type.IsEnum)
        {
            string compact = value.Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            foreach (string name in Enum.GetNames(type))
            {
                if (string.Equals(name, compact, StringComparison.OrdinalIgnoreCase))
                {
                    return Enum.Parse(type, name);
                }
            }

            throw new StepArgumentException(StepErrors.BadEnum(value, type, parameterName));
        }

        throw new StepArgumentException(StepErrors.UnsupportedType(type, parameterName));
    }
}
