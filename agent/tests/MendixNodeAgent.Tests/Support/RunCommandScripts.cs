using System;
using System.Collections.Generic;
using System.Linq;
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

        /// <summary>The parameters the stack gives the database users' Run Command (agent/scripts/database-users.ps1), in order.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> DatabaseUsersParameters()
        {
            using (var fixture = JsonDocument.Parse(Fixtures.Text("run-command-scripts.json")))
            {
                return fixture.RootElement.GetProperty("databaseUsersParameters").EnumerateArray()
                    .Select(p => new KeyValuePair<string, string>(p.GetProperty("name").GetString()!, p.GetProperty("value").GetString()!))
                    .ToList();
            }
        }

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
