using System.IO;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MendixNodeAgent.Settings
{
    /// <summary>
    /// An app's Settings.yaml held in YamlDotNet's representation model, so every key the agent does
    /// not own (and its nesting, values and scalar styles) survives a read-modify-write unchanged.
    /// </summary>
    internal sealed class SettingsYamlDocument
    {
        private SettingsYamlDocument(YamlMappingNode root)
        {
            Root = root;
        }

        public YamlMappingNode Root { get; }

        public static SettingsYamlDocument Empty() => new SettingsYamlDocument(new YamlMappingNode());

        public static SettingsYamlDocument Parse(string text, string file)
        {
            if (text.Trim().Length == 0)
            {
                return Empty();
            }

            var stream = new YamlStream();
            try
            {
                using (var reader = new StringReader(text))
                {
                    stream.Load(reader);
                }
            }
            catch (YamlException e)
            {
                throw new AgentFailureException($"{file}: the existing Settings.yaml is not valid YAML (line {e.Start.Line}, column {e.Start.Column}); it was left untouched, fix or remove it");
            }

            if (stream.Documents.Count == 0)
            {
                return Empty();
            }

            if (stream.Documents.Count > 1 || !(stream.Documents[0].RootNode is YamlMappingNode root))
            {
                throw new AgentFailureException($"{file}: the existing Settings.yaml is not a single YAML mapping; it was left untouched, fix or remove it");
            }

            return new SettingsYamlDocument(root);
        }

        public string Render()
        {
            var builder = new StringBuilder();
            using (var writer = new StringWriter(builder))
            {
                new YamlStream(new YamlDocument(Root)).Save(writer, assignAnchors: false);
            }

            var text = builder.ToString().Replace("\r\n", "\n");

            // YamlStream always closes a document with an explicit end marker; Settings.yaml never has one.
            const string DocumentEndMarker = "...\n";
            if (text.EndsWith(DocumentEndMarker, System.StringComparison.Ordinal))
            {
                text = text.Substring(0, text.Length - DocumentEndMarker.Length);
            }

            return text;
        }
    }
}
