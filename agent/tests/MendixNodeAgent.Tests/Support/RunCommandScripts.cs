using System;
using System.IO;
using System.Text.Json;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>
    /// The stack's Run Command scripts as the stack renders them (components/plan/stopAppsScript.ts, runStateOverride.ts),
    /// kept by tests/unit/runCommandScripts.test.ts in Fixtures/run-command-scripts.json, which fails when they are not
    /// today's rendering.
    /// </summary>
    internal static class RunCommandScripts
    {
        /// <summary>The node's apps root (components/plan/nodeLayout.ts), which every script names once.</summary>
        public const string NodeAppsRoot = @"M:\Mendix\Apps";

        /// <summary>The script <paramref name="name"/> (stopApps, startLeader, startFollower, serving), its apps root put at <paramref name="appsRoot"/>.</summary>
        public static string Script(string name, string appsRoot)
        {
            using (var fixture = JsonDocument.Parse(Fixtures.Text("run-command-scripts.json")))
            {
                var script = fixture.RootElement.GetProperty("scripts").GetProperty(name).GetProperty("script").GetString()
                    ?? throw new InvalidOperationException($"run-command-scripts.json has no script '{name}'");
                return script.Replace(PowerShellScript.Quote(NodeAppsRoot), PowerShellScript.Quote(appsRoot));
            }
        }
    }
}
