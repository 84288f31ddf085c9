using System.Runtime.CompilerServices;
using Harmony.Protocol.Messages;

namespace ZeroBuffer.Serve.Steps;

/// <summary>
/// Marks a method as the definition of every step whose text fully matches <see cref="Pattern"/>
/// (anchored, culture-invariant), whatever keyword the step was written with. Each capture group
/// becomes one parameter, in order.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public abstract class StepDefinitionAttribute : Attribute
{
    protected StepDefinitionAttribute(string pattern, string stepType, string sourceFile, int sourceLine)
    {
        Pattern = pattern;
        StepType = stepType;
        SourceFile = sourceFile;
        SourceLine = sourceLine;
    }

    /// <summary>The regular expression, without anchors.</summary>
    public string Pattern { get; }

    /// <summary>given, when, then or step: informational, reported by discover.</summary>
    public string StepType { get; }

    public string SourceFile { get; }

    public int SourceLine { get; }
}

public sealed class GivenAttribute(string pattern, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    : StepDefinitionAttribute(pattern, StepTypes.Given, file, line);

public sealed class WhenAttribute(string pattern, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    : StepDefinitionAttribute(pattern, StepTypes.When, file, line);

public sealed class ThenAttribute(string pattern, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    : StepDefinitionAttribute(pattern, StepTypes.Then, file, line);

/// <summary>A definition meant for any keyword.</summary>
public sealed class StepAttribute(string pattern, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    : StepDefinitionAttribute(pattern, StepTypes.Step, file, line);
