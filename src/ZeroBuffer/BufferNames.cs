namespace ZeroBuffer;

/// <summary>
/// The buffer-name rule (PROTOCOL.md §1): 1-200 characters of [A-Za-z0-9._-], not starting with '.'.
/// Names are checked before any OS call, so a name can never reach the file system as a path.
/// </summary>
public static class BufferNames
{
    public const int MaxLength = 200;

    public const string Rule = "1-200 characters of [A-Za-z0-9._-], not starting with '.'";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || name[0] == '.')
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <exception cref="InvalidBufferNameException">The name breaks the rule; the message quotes it.</exception>
    public static void Validate(string? name)
    {
        if (!IsValid(name))
        {
            string shown = name is null ? "(null)" : $"'{name}'";
            throw new InvalidBufferNameException($"Invalid buffer name {shown}: a name must be {Rule}.", name);
        }
    }
}
