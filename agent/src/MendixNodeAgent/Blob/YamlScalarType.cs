using System;
using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MendixNodeAgent.Blob
{
    internal enum YamlScalarKind
    {
        String,
        Integer,
        Float,
        Boolean,
        Null,
    }

    /// <summary>
    /// Resolves what a scalar means under the YAML 1.2 core schema, so that 'true' (quoted) is a
    /// string while true (plain) is a boolean, exactly as the stack's YAML renderer intends.
    /// </summary>
    internal static class YamlScalarType
    {
        private static readonly Regex IntegerPattern = new Regex(@"^([-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", RegexOptions.CultureInvariant);
        private static readonly Regex FloatPattern = new Regex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$", RegexOptions.CultureInvariant);
        private static readonly Regex BooleanPattern = new Regex(@"^(true|True|TRUE|false|False|FALSE)$", RegexOptions.CultureInvariant);
        private static readonly Regex NullPattern = new Regex(@"^(~|null|Null|NULL|)$", RegexOptions.CultureInvariant);

        public static YamlScalarKind KindOf(YamlScalarNode scalar)
        {
            var tag = scalar.Tag.IsEmpty ? string.Empty : scalar.Tag.Value;
            switch (tag)
            {
                case "tag:yaml.org,2002:str": return YamlScalarKind.String;
                case "tag:yaml.org,2002:int": return YamlScalarKind.Integer;
                case "tag:yaml.org,2002:float": return YamlScalarKind.Float;
                case "tag:yaml.org,2002:bool": return YamlScalarKind.Boolean;
                case "tag:yaml.org,2002:null": return YamlScalarKind.Null;
            }

            if (scalar.Style != ScalarStyle.Plain && scalar.Style != ScalarStyle.Any)
            {
                return YamlScalarKind.String;
            }

            return KindOfPlain(scalar.Value ?? string.Empty);
        }

        public static YamlScalarKind KindOfPlain(string text)
        {
            if (NullPattern.IsMatch(text)) return YamlScalarKind.Null;
            if (BooleanPattern.IsMatch(text)) return YamlScalarKind.Boolean;
            if (IntegerPattern.IsMatch(text)) return YamlScalarKind.Integer;
            if (FloatPattern.IsMatch(text)) return YamlScalarKind.Float;
            return YamlScalarKind.String;
        }

        public static bool TryGetInteger(YamlScalarNode scalar, out long value)
        {
            value = 0;
            return KindOf(scalar) == YamlScalarKind.Integer
                && long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        public static bool TryGetBoolean(YamlScalarNode scalar, out bool value)
        {
            value = false;
            if (KindOf(scalar) != YamlScalarKind.Boolean)
            {
                return false;
            }

            value = string.Equals(scalar.Value, "true", StringComparison.OrdinalIgnoreCase);
            return true;
        }

        public static string Describe(YamlScalarKind kind)
        {
            switch (kind)
            {
                case YamlScalarKind.Integer: return "an integer";
                case YamlScalarKind.Float: return "a number";
                case YamlScalarKind.Boolean: return "a boolean";
                case YamlScalarKind.Null: return "empty (null)";
                default: return "a string";
            }
        }
    }
}
