using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>
    /// docs/secret-settings.json's examples: the cases the stack's plan and policy pack are tested on
    /// too, copied beside the tests at build time.
    /// </summary>
    internal static class SecretSettingCases
    {
        internal sealed class Example
        {
            public Example(string name, bool secret)
            {
                Name = name;
                Secret = secret;
            }

            public string Name { get; }

            public bool Secret { get; }
        }

        public static IReadOnlyList<Example> Load()
        {
            var file = Path.Combine(AppContext.BaseDirectory, "Contract", "secret-settings.json");
            using (var document = JsonDocument.Parse(File.ReadAllText(file)))
            {
                var examples = document.RootElement.GetProperty("examples");
                IEnumerable<Example> Read(string kind, bool secret) =>
                    examples.GetProperty(kind).EnumerateArray().Select(name => new Example(name.GetString() ?? throw new InvalidDataException($"{file}: examples.{kind} holds a non-string"), secret));
                var all = Read("secret", true).Concat(Read("plain", false)).ToList();
                if (all.Count == 0)
                {
                    throw new InvalidDataException($"{file}: no examples");
                }

                return all;
            }
        }
    }
}
