using System.Collections.Generic;
using System.IO;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace MendixNodeAgent.Tests.Support
{
    public static class YamlCompare
    {
        public static YamlMappingNode LoadMapping(string path)
        {
            var stream = new YamlStream();
            using (var reader = new StringReader(File.ReadAllText(path)))
            {
                stream.Load(reader);
            }

            return (YamlMappingNode)stream.Documents.Single().RootNode;
        }

        public static List<string> TopLevelKeys(YamlMappingNode mapping) =>
            mapping.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!).ToList();

        public static YamlNode Get(YamlMappingNode mapping, string key) => mapping.Children[new YamlScalarNode(key)];

        public static Dictionary<string, string> StringMap(YamlMappingNode mapping, string key) =>
            ((YamlMappingNode)Get(mapping, key)).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);

        /// <summary>Deep equality: same structure, same key order, same scalar text and tags.</summary>
        public static bool SameTree(YamlNode a, YamlNode b)
        {
            switch (a)
            {
                case YamlScalarNode sa when b is YamlScalarNode sb:
                    return sa.Value == sb.Value && sa.Tag == sb.Tag && QuotedKind(sa) == QuotedKind(sb);
                case YamlSequenceNode qa when b is YamlSequenceNode qb:
                    return qa.Children.Count == qb.Children.Count && qa.Children.Zip(qb.Children, SameTree).All(x => x);
                case YamlMappingNode ma when b is YamlMappingNode mb:
                    return ma.Children.Count == mb.Children.Count
                        && ma.Children.Zip(mb.Children, (x, y) => SameTree(x.Key, y.Key) && SameTree(x.Value, y.Value)).All(x => x);
                default:
                    return false;
            }
        }

        // Plain versus quoted decides what a scalar means (3 versus '3'); which quote is used does not.
        private static bool QuotedKind(YamlScalarNode scalar) =>
            scalar.Style == YamlDotNet.Core.ScalarStyle.SingleQuoted || scalar.Style == YamlDotNet.Core.ScalarStyle.DoubleQuoted;
    }
}
