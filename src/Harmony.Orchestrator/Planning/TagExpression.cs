namespace Harmony.Orchestrator.Planning;

/// <summary>
/// A cucumber tag expression: tags (<c>@fast</c>), <c>not</c>, <c>and</c>, <c>or</c> and parentheses, with
/// the usual precedence (not &gt; and &gt; or). Tags compare case-insensitively; the leading '@' is optional.
/// </summary>
internal abstract class TagExpression
{
    public abstract bool Evaluate(IReadOnlyCollection<string> tags);

    /// <exception cref="FormatException">The expression is malformed; the message says where.</exception>
    public static TagExpression Parse(string text)
    {
        var tokens = Tokenize(text);
        var parser = new ExpressionParser(tokens, text);
        var expression = parser.ParseOr();
        parser.ExpectEnd();
        return expression;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not '(' and not ')')
                {
                    i++;
                }
                tokens.Add(text[start..i]);
            }
        }
        return tokens;
    }

    private sealed class ExpressionParser(List<string> tokens, string text)
    {
        private int _position;

        private string? Peek => _position < tokens.Count ? tokens[_position] : null;

        public TagExpression ParseOr()
        {
            var left = ParseAnd();
            while (IsKeyword(Peek, "or"))
            {
                _position++;
                left = new Or(left, ParseAnd());
            }
            return left;
        }

        public void ExpectEnd()
        {
            if (Peek is { } extra)
            {
                throw Error($"unexpected '{extra}'");
            }
        }

        private TagExpression ParseAnd()
        {
            var left = ParseNot();
            while (IsKeyword(Peek, "and"))
            {
                _position++;
                left = new And(left, ParseNot());
            }
            return left;
        }

        private TagExpression ParseNot()
        {
            if (IsKeyword(Peek, "not"))
            {
                _position++;
                return new Not(ParseNot());
            }
            return ParsePrimary();
        }

        private TagExpression ParsePrimary()
        {
            var token = Peek ?? throw Error("expected a tag or '(' but the expression ended");
            _position++;
            if (token == "(")
            {
                var inner = ParseOr();
                if (Peek != ")")
                {
                    throw Error("missing ')'");
                }
                _position++;
                return inner;
            }
            if (token == ")" || IsKeyword(token, "and") || IsKeyword(token, "or"))
            {
                throw Error($"expected a tag but found '{token}'");
            }
            return new Tag(token.StartsWith('@') ? token : "@" + token);
        }

        private static bool IsKeyword(string? token, string keyword) =>
            token is not null && token.Equals(keyword, StringComparison.OrdinalIgnoreCase);

        private FormatException Error(string message) => new($"invalid tag expression \"{text}\": {message}");
    }

    private sealed class Tag(string name) : TagExpression
    {
        public override bool Evaluate(IReadOnlyCollection<string> tags) =>
            tags.Any(t => t.Equals(name, StringComparison.OrdinalIgnoreCase));

        public override string ToString() => name;
    }

    private sealed class Not(TagExpression inner) : TagExpression
    {
        public override bool Evaluate(IReadOnlyCollection<string> tags) => !inner.Evaluate(tags);

        public override string ToString() => $"not {inner}";
    }

    private sealed class And(TagExpression left, TagExpression right) : TagExpression
    {
        public override bool Evaluate(IReadOnlyCollection<string> tags) => left.Evaluate(tags) && right.Evaluate(tags);

        public override string ToString() => $"({left} and {right})";
    }

    private sealed class Or(TagExpression left, TagExpression right) : TagExpression
    {
        public override bool Evaluate(IReadOnlyCollection<string> tags) => left.Evaluate(tags) || right.Evaluate(tags);

        public override string ToString() => $"({left} or {right})";
    }
}
