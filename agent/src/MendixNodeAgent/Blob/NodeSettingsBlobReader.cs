using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using MendixNodeAgent.KeyVault;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MendixNodeAgent.Blob
{
    /// <summary>Reads and validates one node settings blob against schema version 3 (docs/node-settings-blob.md).</summary>
    internal static class NodeSettingsBlobReader
    {
        public const int SupportedSchemaVersion = 3;
        public const string RequiredDatabaseType = "SQLSERVER";
        public const string ClusterSlaveSetting = "com.mendix.core.isClusterSlave";

        public static readonly string[] RuntimeSettingKeys =
        {
            "DatabaseType",
            "DatabaseHost",
            "DatabaseName",
            "DatabaseUserName",
            "DatabasePassword",
        };

        /// <summary>An app that signs in with its identity has no database user and no password: the first three keys alone.</summary>
        public static readonly string[] IdentityRuntimeSettingKeys = RuntimeSettingKeys.Take(3).ToArray();

        public static readonly string[] TopLevelKeys = { "schemaVersion", "node", "app", "runtimeSettings", "customSettings", "prerequisites", "site", "rollout" };

        /// <summary>On a standby region's node only.</summary>
        public static readonly string[] OptionalTopLevelKeys = { "standby" };

        private static readonly Regex NodeNamePattern = new Regex(@"^node-(0|[1-9][0-9]?)$", RegexOptions.CultureInvariant);
        private static readonly Regex AppNamePattern = new Regex(@"^[a-z0-9]{1,20}$", RegexOptions.CultureInvariant);
        private static readonly Regex ComputerNamePattern = new Regex(@"^[A-Za-z0-9-]{1,15}$", RegexOptions.CultureInvariant);
        private static readonly Regex DriveLetterPattern = new Regex(@"^[D-Z]$", RegexOptions.CultureInvariant);
        public static readonly Regex GuidPattern = new Regex(@"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$", RegexOptions.CultureInvariant);
        private static readonly Regex WindowsAbsolutePathPattern = new Regex(@"^[A-Za-z]:\\", RegexOptions.CultureInvariant);

        public static NodeSettings Read(string file)
        {
            var root = LoadRootMapping(file);
            var top = new BlobMapping(file, string.Empty, root);
            top.RequireKeys(TopLevelKeys, OptionalTopLevelKeys);

            var schemaVersion = top.Integer("schemaVersion");
            if (schemaVersion != SupportedSchemaVersion)
            {
                throw top.Fail("schemaVersion", $"has value {schemaVersion}; this agent supports only schemaVersion {SupportedSchemaVersion}");
            }

            var node = ReadNode(top.Mapping("node"));
            var app = DeliverySectionsReader.ReadApp(top.Mapping("app"), AppNamePattern);
            var runtimeSettings = ReadRuntimeSettings(top.Mapping("runtimeSettings"), app.IdentityClientId == null ? RuntimeSettingKeys : IdentityRuntimeSettingKeys);
            var customMapping = top.Mapping("customSettings");
            var customSettings = ReadCustomSettings(customMapping, node.Leader);
            if (app.IdentityClientId != null)
            {
                IdentitySignIn.Check(customMapping, customSettings, app.IdentityClientId);
            }

            var prerequisites = DeliverySectionsReader.ReadPrerequisites(top.Mapping("prerequisites"));
            var site = DeliverySectionsReader.ReadSite(top.Mapping("site"));
            var rollout = RolloutSpec.Read(top.Mapping("rollout"));

            var standby = top.Contains("standby") ? StandbySpec.Read(top.Mapping("standby")) : null;

            return new NodeSettings(file, node, app, runtimeSettings, customSettings, prerequisites, site, rollout, standby);
        }

        private static YamlMappingNode LoadRootMapping(string file)
        {
            if (!File.Exists(file))
            {
                throw new BadInputException($"{file}: the settings file does not exist; --settings must name a node settings blob (YAML)");
            }

            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new BadInputException($"{file}: the settings file cannot be read ({e.Message})");
            }

            if (text.Trim().Length == 0)
            {
                throw new BadInputException($"{file}: the settings file is empty; it must be a YAML mapping with the keys " + string.Join(", ", TopLevelKeys));
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
                throw new BadInputException($"{file}: the settings file is not valid YAML (line {e.Start.Line}, column {e.Start.Column}: {ParserProblem(e)}); it must be a YAML mapping");
            }

            if (stream.Documents.Count != 1)
            {
                throw new BadInputException($"{file}: the settings file holds {stream.Documents.Count} YAML documents; exactly one is allowed");
            }

            if (stream.Documents[0].RootNode is YamlMappingNode mapping)
            {
                return mapping;
            }

            var root = stream.Documents[0].RootNode;
            var what = root is YamlScalarNode scalar && YamlScalarType.KindOf(scalar) == YamlScalarKind.Null
                ? "empty"
                : root is YamlSequenceNode ? "a list" : "a single value";
            throw new BadInputException($"{file}: the settings file is {what}, not a YAML mapping; it must be a mapping with the keys " + string.Join(", ", TopLevelKeys));
        }

        /// <summary>The parser's description of the problem ("Duplicate key", "did not find expected key"), without the position prefix.</summary>
        private static string ParserProblem(YamlException e)
        {
            var message = e.Message;
            var afterPosition = message.LastIndexOf("): ", StringComparison.Ordinal);
            var problem = (afterPosition >= 0 ? message.Substring(afterPosition + 3) : message).Trim().TrimEnd('.');
            return problem.Length == 0 ? "syntax error" : problem;
        }

        private static NodeIdentity ReadNode(BlobMapping node)
        {
            node.RequireExactlyKeys("name", "index", "computerName", "leader", "dataDisk", "appsRoot", "identityClientId");

            var name = node.String("name");
            var match = NodeNamePattern.Match(name);
            if (!match.Success)
            {
                throw node.Fail("name", $"has value '{name}'; allowed: node-0 to node-99 (pattern ^node-(0|[1-9][0-9]?)$)");
            }

            var index = node.Integer("index");
            if (index < 0 || index > 49)
            {
                throw node.Fail("index", $"has value {index}; allowed: an integer from 0 to 49");
            }

            if (index.ToString(System.Globalization.CultureInfo.InvariantCulture) != match.Groups[1].Value)
            {
                throw node.Fail("index", $"has value {index}; it must equal the number in node.name '{name}'");
            }

            var computerName = node.String("computerName");
            if (!ComputerNamePattern.IsMatch(computerName))
            {
                throw node.Fail("computerName", $"has value '{computerName}'; allowed: a Windows computer name of 1-15 letters, digits or hyphens");
            }

            var leader = node.Boolean("leader");
            if (leader != (index == 0))
            {
                throw node.Fail("leader", $"has value {(leader ? "true" : "false")} for node index {index}; leader must be true exactly on node-0 (index 0) and false on every other node");
            }

            var dataDisk = node.Mapping("dataDisk");
            dataDisk.RequireExactlyKeys("lun", "driveLetter");
            var lun = dataDisk.Integer("lun");
            if (lun < 0 || lun > 63)
            {
                throw dataDisk.Fail("lun", $"has value {lun}; allowed: an integer from 0 to 63");
            }

            var driveLetter = dataDisk.String("driveLetter");
            if (!DriveLetterPattern.IsMatch(driveLetter))
            {
                throw dataDisk.Fail("driveLetter", $"has value '{driveLetter}'; allowed: one upper-case letter from D to Z");
            }

            var appsRoot = node.String("appsRoot");
            if (!WindowsAbsolutePathPattern.IsMatch(appsRoot))
            {
                throw node.Fail("appsRoot", $"has value '{appsRoot}'; allowed: an absolute Windows path such as 'M:\\Mendix'");
            }

            var identityClientId = node.String("identityClientId");
            if (!GuidPattern.IsMatch(identityClientId))
            {
                throw node.Fail("identityClientId", $"has value '{identityClientId}'; allowed: the client id (a GUID such as 6f1c2a9e-0000-4000-8000-000000000001) of the node's user-assigned managed identity");
            }

            return new NodeIdentity(name, (int)index, computerName, leader, (int)lun, driveLetter[0], appsRoot, identityClientId.ToLowerInvariant());
        }

        private static IReadOnlyList<KeyValuePair<string, string>> ReadRuntimeSettings(BlobMapping runtime, string[] keys)
        {
            foreach (var credential in RuntimeSettingKeys.Except(keys).Where(runtime.Contains))
            {
                throw runtime.Fail(credential, "is set, but app.identityClientId is too: an app that signs in as its managed identity has no database user and no password; remove it");
            }

            runtime.RequireExactlyKeys(keys);
            var settings = new List<KeyValuePair<string, string>>();
            foreach (var key in keys)
            {
                var value = runtime.String(key);
                if (value.Trim().Length == 0)
                {
                    throw runtime.Fail(key, "is empty; allowed: a non-empty string");
                }

                RequireWellFormedReference(runtime, key, value);
                settings.Add(new KeyValuePair<string, string>(key, value));
            }

            var databaseType = settings[0].Value;
            if (databaseType != RequiredDatabaseType)
            {
                throw runtime.Fail("DatabaseType", $"has value '{databaseType}'; allowed: {RequiredDatabaseType}");
            }

            return settings;
        }

        private static IReadOnlyList<KeyValuePair<string, string>> ReadCustomSettings(BlobMapping custom, bool leader)
        {
            var settings = new List<KeyValuePair<string, string>>();
            foreach (var entry in custom.Entries())
            {
                if (entry.Key.Trim().Length == 0)
                {
                    throw custom.Fail(entry.Key, "is an empty key; custom setting names must be non-empty");
                }

                if (!(entry.Value is YamlScalarNode scalar) || YamlScalarType.KindOf(scalar) != YamlScalarKind.String)
                {
                    throw custom.Fail(entry.Key, $"must be a string (quote values such as 'true' or '600000'), but is {BlobMapping.Describe(entry.Key, entry.Value)}");
                }

                var value = scalar.Value ?? string.Empty;
                RequireWellFormedReference(custom, entry.Key, value);
                settings.Add(new KeyValuePair<string, string>(entry.Key, value));
            }

            string? clusterSlave = null;
            foreach (var setting in settings)
            {
                if (setting.Key == ClusterSlaveSetting)
                {
                    clusterSlave = setting.Value;
                }
            }

            if (leader && clusterSlave != null)
            {
                throw custom.Fail(ClusterSlaveSetting, $"has value '{clusterSlave}' on the leader; the leader must not carry this setting (allowed only on followers, as 'true')");
            }

            if (!leader && clusterSlave != "true")
            {
                throw custom.Fail(ClusterSlaveSetting, clusterSlave == null
                    ? "is missing on a follower; every follower must carry it as 'true'"
                    : $"has value '{clusterSlave}' on a follower; allowed: 'true'");
            }

            return settings;
        }

        /// <summary>A value meant as a Key Vault reference must be one exactly; the message never repeats the value.</summary>
        private static void RequireWellFormedReference(BlobMapping mapping, string key, string value)
        {
            if (KeyVaultReference.LooksLikeReference(value) && KeyVaultReference.Parse(value, out var problem) == null)
            {
                throw mapping.Fail(key, $"starts like a Key Vault reference but is not a valid one: {problem}; allowed: exactly {KeyVaultReference.Syntax} ({KeyVaultReference.AllowedParts})");
            }
        }
    }
}
