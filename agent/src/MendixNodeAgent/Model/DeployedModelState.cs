using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace MendixNodeAgent.Model
{
    /// <summary>
    /// What the agent last deployed to an app, kept on the data disk as a few key=value lines
    /// (<c>&lt;appsRoot&gt;\node-agent\models\&lt;app&gt;.deployed</c>), so that an unchanged model is not
    /// deployed again and a later run without a model still knows which Java the app needs.
    /// </summary>
    internal sealed class DeployedModelState
    {
        public DeployedModelState(string sha256, string runtimeVersion, int javaMajor, string file, DateTime deployedAt)
        {
            Sha256 = sha256;
            RuntimeVersion = runtimeVersion;
            JavaMajor = javaMajor;
            File = file;
            DeployedAt = deployedAt;
        }

        public string Sha256 { get; }

        public string RuntimeVersion { get; }

        public int JavaMajor { get; }

        public string File { get; }

        public DateTime DeployedAt { get; }

        /// <summary>The state, or null when there is none or it cannot be understood (then the model is deployed again).</summary>
        public static DeployedModelState? Read(string path)
        {
            if (!System.IO.File.Exists(path))
            {
                return null;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var line in System.IO.File.ReadAllLines(path))
            {
                var equals = line.IndexOf('=');
                if (equals > 0)
                {
                    values[line.Substring(0, equals).Trim()] = line.Substring(equals + 1).Trim();
                }
            }

            if (!values.TryGetValue("sha256", out var sha)
                || !values.TryGetValue("runtimeVersion", out var version)
                || !values.TryGetValue("javaMajor", out var javaText)
                || !int.TryParse(javaText, NumberStyles.None, CultureInfo.InvariantCulture, out var java))
            {
                return null;
            }

            values.TryGetValue("file", out var file);
            values.TryGetValue("deployedAt", out var at);
            DateTime.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var deployedAt);
            return new DeployedModelState(sha, version, java, file ?? string.Empty, deployedAt);
        }

        public void Write(string path)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            Directory.CreateDirectory(folder);
            var text = new StringBuilder()
                .Append("sha256=").Append(Sha256).Append('\n')
                .Append("runtimeVersion=").Append(RuntimeVersion).Append('\n')
                .Append("javaMajor=").Append(JavaMajor.ToString(CultureInfo.InvariantCulture)).Append('\n')
                .Append("file=").Append(File).Append('\n')
                .Append("deployedAt=").Append(DeployedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)).Append('\n')
                .ToString();
            AtomicFile.WriteAllText(path, text);
        }
    }
}
