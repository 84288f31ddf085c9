using System.Reflection;
using System.Text.RegularExpressions;

namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// Finds step definitions by reflection. Problems (bad regex, parameters that do not fit, an
/// unsupported return type) become invalid bindings, never exceptions.
/// </summary>
public static class StepRegistryBuilder
{
    /// <summary>Regex options of every step pattern.</summary>
    public const RegexOptions PatternOptions = RegexOptions.CultureInvariant;

    /// <summary>A pathological pattern must not hang a worker.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private const BindingFlags Methods =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Type[] ReturnTypes =
        [typeof(void), typeof(Task), typeof(ValueTask), typeof(StepData), typeof(Task<StepData>), typeof(ValueTask<StepData>)];

    public static StepRegistry FromAssembly(Assembly assembly) => FromTypes(assembly.GetTypes());

    public static StepRegistry FromTypes(IEnumerable<Type> types)
    {
        var bindings = new List<StepBinding>();
        foreach (Type type in types.Where(t => t.IsClass && !t.IsGenericTypeDefinition).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            foreach (MethodInfo method in type.GetMethods(Methods).OrderBy(m => m.MetadataToken))
            {
                foreach (StepDefinitionAttribute attribute in method.GetCustomAttributes<StepDefinitionAttribute>())
                {
                    bindings.Add(Bind(method, attribute));
                }
            }
        }

        return new StepRegistry(bindings);
    }

    /// <summary>Compiles a pattern the way every binding is compiled: anchored, full match.</summary>
    public static Regex Compile(string pattern) => new($"^(?:{pattern})$", PatternOptions, MatchTimeout);

    private static StepBinding Bind(MethodInfo method, StepDefinitionAttribute attribute)
    {
        string source = Source(attribute);
        Regex regex;
        try
        {
            regex = Compile(attribute.Pattern);
        }
        catch (ArgumentException ex)
        {
            return StepBinding.CreateInvalid(attribute.StepType, attribute.Pattern, source, method, StepErrors.InvalidRegex(attribute.Pattern, ex.Message));
        }

        string? problem = CheckSignature(method, attribute.Pattern, regex);
        return problem is null
            ? StepBinding.Create(attribute.StepType, attribute.Pattern, source, method, regex)
            : StepBinding.CreateInvalid(attribute.StepType, attribute.Pattern, source, method, problem, regex);
    }

    private static string? CheckSignature(MethodInfo method, string pattern, Regex regex)
    {
        if (!ReturnTypes.Contains(method.ReturnType))
        {
            return StepErrors.UnsupportedReturnType(method.ReturnType);
        }

        ParameterInfo[] values = method.GetParameters().Where(p => !StepArgumentConverter.IsContextParameter(p.ParameterType)).ToArray();
        int groups = regex.GetGroupNumbers().Length - 1;
        if (groups != values.Length)
        {
            return StepErrors.ParameterCountMismatch(pattern, groups, values.Length);
        }

        ParameterInfo? unsupported = values.FirstOrDefault(p => !StepArgumentConverter.CanConvert(p.ParameterType));
        return unsupported is null ? null : StepErrors.UnsupportedParameter(unsupported.Name ?? "?", unsupported.ParameterType);
    }

    /// <summary>"StepDefinitions/WriterSteps.cs:42": the path below the project folder when known.</summary>
    private static string Source(StepDefinitionAttribute attribute)
    {
        string file = attribute.SourceFile.Replace('\\', '/');
        int project = file.LastIndexOf("/ZeroBuffer.Serve/", StringComparison.Ordinal);
        string shown = project >= 0 ? file[(project + "/ZeroBuffer.Serve/".Length)..] : Path.GetFileName(file);
        return $"{(shown.Length == 0 ? "?" : shown)}:{attribute.SourceLine}";
    }
}
