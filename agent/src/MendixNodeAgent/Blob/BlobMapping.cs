using System.Collections.Generic;
using System.Linq;
using MendixNodeAgent.Logging;
using YamlDotNet.RepresentationModel;

namespace MendixNodeAgent.Blob
{
    /// <summary>Typed, strict access to one mapping of a blob; every failure names file, key, value and what is allowed.</summary>
    internal sealed class BlobMapping
    {
        private readonly YamlMappingNode mapping;

        public BlobMapping(string file, string path, YamlMappingNode mapping)
        {
            File = file;
            Path = path;
            this.mapping = mapping;
        }

        public string File { get; }

        public string Path { get; }

        public IEnumerable<KeyValuePair<string, YamlNode>> Entries()
        {
            foreach (var entry in mapping.Children)
            {
                yield return new KeyValuePair<string, YamlNode>(KeyText(entry.Key), entry.Value);
            }
        }

        public void RequireExactlyKeys(params string[] allowed)
        {
            foreach (var entry in mapping.Children)
            {
                var key = KeyText(entry.Key);
                if (!allowed.Contains(key))
                {
                    throw Fail(key, $"is not a known key; allowed keys{Where()}: {string.Join(", ", allowed)}");
                }
            }

            foreach (var key in allowed)
            {
                if (!Has(key))
                {
                    throw Fail(key, $"is missing; required keys{Where()}: {string.Join(", ", allowed)}");
                }
            }
        }

        /// <summary>Like <see cref="RequireExactlyKeys"/>, with keys that may also be left out.</summary>
        public void RequireKeys(string[] required, string[] optional)
        {
            var allowed = required.Concat(optional).ToArray();
            foreach (var entry in mapping.Children)
            {
                var key = KeyText(entry.Key);
                if (!allowed.Contains(key))
                {
                    throw Fail(key, $"is not a known key; allowed keys{Where()}: {string.Join(", ", allowed)}");
                }
            }

            foreach (var key in required)
            {
                if (!Has(key))
                {
                    throw Fail(key, $"is missing; required keys{Where()}: {string.Join(", ", required)}"
                        + (optional.Length == 0 ? string.Empty : $" (optional: {string.Join(", ", optional)})"));
                }
            }
        }

        public bool Contains(string key) => Has(key);

        public BlobMapping Mapping(string key)
        {
            var node = Node(key);
            if (node is YamlMappingNode child)
            {
                return new BlobMapping(File, Qualified(key), child);
            }

            throw Fail(key, $"must be a mapping (nested keys), but is {Describe(key, node)}");
        }

        public string String(string key)
        {
            var node = Node(key);
            if (node is YamlScalarNode scalar && YamlScalarType.KindOf(scalar) == YamlScalarKind.String)
            {
                return scalar.Value ?? string.Empty;
            }

            throw Fail(key, $"must be a string (quote it if it looks like a number or boolean), but is {Describe(key, node)}");
        }

        public long Integer(string key)
        {
            var node = Node(key);
            if (node is YamlScalarNode scalar && YamlScalarType.TryGetInteger(scalar, out var value))
            {
                return value;
            }

            throw Fail(key, $"must be an integer, but is {Describe(key, node)}");
        }

        public bool Boolean(string key)
        {
            var node = Node(key);
            if (node is YamlScalarNode scalar && YamlScalarType.TryGetBoolean(scalar, out var value))
            {
                return value;
            }

            throw Fail(key, $"must be a boolean (true or false), but is {Describe(key, node)}");
        }

        public BadInputException Fail(string key, string problem) =>
            new BadInputException($"{File}: key '{Qualified(key)}' {problem}");

        public static string Describe(string key, YamlNode node)
        {
            switch (node)
            {
                case YamlScalarNode scalar:
                    return $"{YamlScalarType.Describe(YamlScalarType.KindOf(scalar))} {SecretPolicy.Shown(key, scalar.Value)}";
                case YamlSequenceNode _:
                    return "a list";
                case YamlMappingNode _:
                    return "a mapping";
                default:
                    return "an unsupported YAML node";
            }
        }

        private YamlNode Node(string key)
        {
            foreach (var entry in mapping.Children)
            {
                if (KeyText(entry.Key) == key)
                {
                    return entry.Value;
                }
            }

            throw Fail(key, $"is missing{Where()}");
        }

        private bool Has(string key) => mapping.Children.Any(entry => KeyText(entry.Key) == key);

        private string Qualified(string key) => Path.Length == 0 ? key : Path + "." + key;

        private string Where() => Path.Length == 0 ? " at the top level" : $" under '{Path}'";

        private string KeyText(YamlNode key)
        {
            if (key is YamlScalarNode scalar && scalar.Value != null)
            {
                return scalar.Value;
            }

            throw new BadInputException($"{File}: a key{Where()} is not a plain text key ({key.NodeType}); keys must be strings");
        }
    }
}
