using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Runtime.Serialization.Json;
using System.Xml;
using System.Xml.Linq;
using MendixNodeAgent.Blob;

namespace MendixNodeAgent.Model
{
    /// <summary>
    /// A verified Mendix Deployment Archive: the file named by a blob's app.model, its SHA-256 checked,
    /// and the Mendix and Java versions it needs read from its model/metadata.json.
    ///
    /// An MDA is a zip archive whose model/metadata.json names the runtime version as "RuntimeVersion"
    /// (mendix/docs, content/en/docs/deployment/on-premises-design/ms-windows/automate-mendix-deployment-on-microsoft-windows.md,
    /// "Sample Script - Determine the Mendix Runtime Version"; mendix/cf-mendix-buildpack, buildpack/core/runtime.py,
    /// get_runtime_version) and, for apps that chose one, the Java version as "JavaVersion"
    /// (mendix/cf-mendix-buildpack, buildpack/core/java.py).
    /// </summary>
    internal sealed class MdaPackage
    {
        public const string MetadataEntry = "model/metadata.json";

        private MdaPackage(string path, string sha256, MendixVersion runtimeVersion, int javaMajor)
        {
            Path = path;
            Sha256 = sha256;
            RuntimeVersion = runtimeVersion;
            JavaMajor = javaMajor;
        }

        public string Path { get; }

        public string Sha256 { get; }

        public MendixVersion RuntimeVersion { get; }

        public int JavaMajor { get; }

        /// <summary>
        /// Where the blob's MDA is: its relative path resolved against the agent's working directory, the Custom Script
        /// Extension's download folder, where the extension keeps each blob's path after the container
        /// (MicrosoftDocs/azure-compute-docs, articles/virtual-machines/extensions/custom-script-windows.md, "Troubleshoot and support").
        /// </summary>
        public static string PathFor(ModelSpec model, string workingDirectory) =>
            System.IO.Path.GetFullPath(System.IO.Path.Combine(workingDirectory, model.File.Replace('/', System.IO.Path.DirectorySeparatorChar)));

        /// <summary>Checks the blob's MDA; any problem is bad input (exit 2), found before anything on the node changes.</summary>
        public static MdaPackage Verify(NodeSettings blob, ModelSpec model, string workingDirectory)
        {
            var path = PathFor(model, workingDirectory);
            string Where() => $"{blob.SourceFile}: key 'app.model.file' names {path}";
            if (!File.Exists(path))
            {
                throw new BadInputException($"{Where()}, which does not exist; the MDA must be downloaded to that path, relative to the agent's working directory {workingDirectory} (the extension's download folder)");
            }

            string actual;
            try
            {
                actual = Sha256File.Of(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new BadInputException($"{Where()}, which cannot be read ({e.Message})");
            }

            if (actual != model.Sha256)
            {
                throw new BadInputException(
                    $"{Where()}, whose SHA-256 is {actual}, but key 'app.model.sha256' expects {model.Sha256}; the file is not the model the blob was made for, so nothing was deployed");
            }

            var metadata = ReadMetadata(path, Where);
            var runtimeText = Text(metadata, "RuntimeVersion");
            if (runtimeText == null)
            {
                throw new BadInputException($"{Where()}, whose {MetadataEntry} has no RuntimeVersion; it is not a Mendix deployment archive this agent can deploy");
            }

            var version = MendixVersion.Parse(runtimeText);
            if (version == null)
            {
                throw new BadInputException($"{Where()}, whose {MetadataEntry} has RuntimeVersion '{runtimeText}'; allowed: a version such as 10.12.4.41735");
            }

            int? declaredJava = null;
            var javaText = Text(metadata, "JavaVersion");
            if (javaText != null)
            {
                if (!int.TryParse(javaText, NumberStyles.None, CultureInfo.InvariantCulture, out var java))
                {
                    throw new BadInputException($"{Where()}, whose {MetadataEntry} has JavaVersion '{javaText}'; allowed: a Java major version such as 21");
                }

                declaredJava = java;
            }

            var javaMajor = JavaRequirement.JavaMajorFor(version, declaredJava, out var problem);
            if (javaMajor == null)
            {
                throw new BadInputException($"{Where()} (Mendix {version}): {problem}");
            }

            return new MdaPackage(path, actual, version, javaMajor.Value);
        }

        private static XElement ReadMetadata(string path, Func<string> where)
        {
            byte[] json;
            try
            {
                using (var archive = ZipFile.OpenRead(path))
                {
                    var entry = archive.GetEntry(MetadataEntry);
                    if (entry == null)
                    {
                        throw new BadInputException($"{where()}, which holds no {MetadataEntry}; it is not a Mendix deployment archive");
                    }

                    using (var stream = entry.Open())
                    using (var copy = new MemoryStream())
                    {
                        stream.CopyTo(copy);
                        json = copy.ToArray();
                    }
                }
            }
            catch (InvalidDataException)
            {
                throw new BadInputException($"{where()}, which is not a zip archive; a Mendix deployment archive (.mda) is one");
            }

            try
            {
                using (var reader = JsonReaderWriterFactory.CreateJsonReader(json, XmlDictionaryReaderQuotas.Max))
                {
                    return XElement.Load(reader);
                }
            }
            catch (XmlException)
            {
                throw new BadInputException($"{where()}, whose {MetadataEntry} is not valid JSON");
            }
        }

        /// <summary>A top-level member of the JSON object as text (a string or a number), or null.</summary>
        private static string? Text(XElement root, string name)
        {
            if ((string?)root.Attribute("type") != "object")
            {
                return null;
            }

            var member = root.Element(name);
            if (member == null)
            {
                return null;
            }

            var type = (string?)member.Attribute("type");
            if (type != "string" && type != "number")
            {
                return null;
            }

            var value = member.Value.Trim();
            return value.Length == 0 ? null : value;
        }
    }
}
