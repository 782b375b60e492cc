using System;
using System.Collections.Generic;
using System.IO;

namespace MendixNodeAgent.Node
{
    /// <summary>The key=value lines of the node's small records (<see cref="CompletedApp"/>, <see cref="RunStateOverride"/>).</summary>
    internal static class KeyValueLines
    {
        /// <summary>Each line's key (up to its first '=') and value; a line without a key is skipped, a later key wins.</summary>
        public static Dictionary<string, string> Read(string file)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in File.ReadAllLines(file))
            {
                var equals = line.IndexOf('=');
                if (equals > 0)
                {
                    values[line.Substring(0, equals)] = line.Substring(equals + 1);
                }
            }

            return values;
        }
    }
}
