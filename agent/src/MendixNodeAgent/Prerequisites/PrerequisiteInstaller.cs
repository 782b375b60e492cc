using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using MendixNodeAgent.Blob;
using MendixNodeAgent.Logging;
using MendixNodeAgent.Model;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent.Prerequisites
{
    /// <summary>
    /// Brings the node to what Mendix on IIS needs (mendix/docs,
    /// content/en/docs/deployment/on-premises-design/ms-windows/_index.md, "Prerequisites" and "Configuring the
    /// Microsoft Internet Information Services Server"): IIS with its features, URL Rewrite, ARR, the Java each
    /// app needs and the Service Console; then the server-level IIS settings and the console's location.
    /// In install mode whatever is missing is downloaded, its SHA-256 checked before it runs, and installed;
    /// in verify mode nothing is installed and anything missing fails the run, naming all of it.
    /// </summary>
    internal sealed class PrerequisiteInstaller
    {
        private readonly IWindowsPrerequisites windows;
        private readonly IDownloader downloader;
        private readonly AgentLog log;

        public PrerequisiteInstaller(IWindowsPrerequisites windows, IDownloader downloader, AgentLog log)
        {
            this.windows = windows;
            this.downloader = downloader;
            this.log = log;
        }

        /// <param name="javaMajors">the Java major version of every app's model, with where the need comes from.</param>
        /// <returns>the number of changes made, and where each Java is.</returns>
        public PrerequisiteOutcome Ensure(PrerequisitesSpec spec, IReadOnlyDictionary<int, string> javaMajors, string appsRoot)
        {
            var inspection = windows.Inspect(IisFeatures.Required);
            var changes = 0;
            if (spec is InstallPrerequisites install)
            {
                changes = Install(inspection, install.Installers, javaMajors, appsRoot);
                if (changes > 0)
                {
                    inspection = windows.Inspect(IisFeatures.Required);
                }
            }
            else
            {
                Verify(inspection, javaMajors);
            }

            var consoleVersion = ServiceConsoleVersion.Check(inspection.ServiceConsoleVersions);
            log.Info($"prerequisites: Service Console {consoleVersion} (needs {ServiceConsoleVersion.Oldest} or newer)");

            if (windows.ConfigureIisServer())
            {
                log.Info($"prerequisites: IIS server settings applied (ARR proxy enabled, preserveHostHeader true, server variable {PowerShellScript.ForwardedProtoVariable} allowed)");
                changes++;
            }
            else
            {
                log.Info("prerequisites: IIS server settings already right (ARR proxy enabled, preserveHostHeader true, server variable allowed)");
            }

            var location = AppFolders.ServiceConsoleFilesLocation(appsRoot);
            var console = windows.ConfigureServiceConsoleLocation(location);
            if (!SamePath(console.AppsPath, appsRoot))
            {
                throw new AgentFailureException(
                    $"prerequisites: the Service Console keeps its apps in '{console.AppsPath}', not in the apps root '{appsRoot}'; node.appsRoot must be the Apps folder of the console's location ({location}\\Apps)");
            }

            if (console.Changed)
            {
                log.Info($"prerequisites: Service Console's location of apps and server files set to {location}");
                changes++;
            }
            else
            {
                log.Info($"prerequisites: Service Console's location of apps and server files is already {location}");
            }

            return new PrerequisiteOutcome(changes, inspection.Java);
        }

        private int Verify(PrerequisiteInspection inspection, IReadOnlyDictionary<int, string> javaMajors)
        {
            var missing = Missing(inspection, javaMajors).Select(m => m.What).ToList();
            if (missing.Count > 0)
            {
                throw new AgentFailureException(
                    $"prerequisites (mode verify): missing on this node: {string.Join("; ", missing)}; install them in the image, or use prerequisites.mode install");
            }

            log.Info($"prerequisites (mode verify): all present ({Present(javaMajors)})");
            return 0;
        }

        private int Install(PrerequisiteInspection inspection, InstallerSet installers, IReadOnlyDictionary<int, string> javaMajors, string appsRoot)
        {
            var missing = Missing(inspection, javaMajors);
            if (missing.Count == 0)
            {
                log.Info($"prerequisites: all present, nothing to install ({Present(javaMajors)})");
                return 0;
            }

            // Every installer is known before anything is installed, so a Java without one stops the run first.
            foreach (var component in missing.Where(m => m.JavaMajor != null))
            {
                if (!installers.Java.ContainsKey(component.JavaMajor!.Value))
                {
                    throw new AgentFailureException(
                        $"prerequisites: {component.What} is missing and prerequisites.installers.java has no \"{component.JavaMajor}\" installer; add one, or install Java {component.JavaMajor} in the image");
                }
            }

            var downloads = AppFolders.DownloadFolder(appsRoot);
            foreach (var component in missing)
            {
                if (component.Features != null)
                {
                    log.Info($"prerequisites: installing Windows features {string.Join(", ", component.Features)} (Install-WindowsFeature)");
                    var restart = windows.InstallWindowsFeatures(component.Features);
                    log.Info("prerequisites: Windows features installed" + (restart ? "; Windows asks for a restart, which the agent does not do" : string.Empty));
                    continue;
                }

                var installer = component.JavaMajor != null ? installers.Java[component.JavaMajor.Value] : component.Installer(installers);
                InstallPackage(component, installer, downloads);
            }

            var after = windows.Inspect(IisFeatures.Required);
            var still = Missing(after, javaMajors);
            if (still.Count > 0)
            {
                throw new AgentFailureException(
                    $"prerequisites: installed, but still not found on this node: {string.Join("; ", still.Select(m => m.What))}; check the installers' logs in {downloads}");
            }

            log.Info($"prerequisites: installed {missing.Count} component(s); all present now");
            return missing.Count;
        }

        private void InstallPackage(Component component, InstallerSpec installer, string downloads)
        {
            var file = Path.Combine(downloads, component.Key + ".msi");
            log.Info($"prerequisites: {component.What} is missing; downloading installer '{component.Key}' from {UrlForLog.Of(installer.Url)}");
            downloader.Download(installer.Url, file);
            var actual = Sha256File.Of(file);
            if (actual != installer.Sha256)
            {
                File.Delete(file);
                throw new AgentFailureException(
                    $"prerequisites: installer '{component.Key}' ({component.What}) downloaded from {UrlForLog.Of(installer.Url)} has SHA-256 {actual}, but prerequisites.installers.{component.BlobKey}.sha256 expects {installer.Sha256}; it was deleted and not run. "
                    + StackConfigHint(component.BlobKey));
            }

            log.Info($"prerequisites: installer '{component.Key}' matches its SHA-256 {actual}; installing (msiexec /qn)");
            RunMsi(component, file);
            File.Delete(file);
            log.Info($"prerequisites: {component.What} installed");
        }

        /// <summary>msiexec, tried again with a growing wait while another installation is in progress (1618).</summary>
        private void RunMsi(Component component, string file)
        {
            var waited = 0;
            for (var attempt = 0; ; attempt++)
            {
                var code = windows.InstallMsi(file, file + ".log", component.What);
                var outcome = MsiExitCode.Of(code);
                if (outcome == MsiOutcome.Installed)
                {
                    return;
                }

                if (outcome == MsiOutcome.InstalledRestartWanted)
                {
                    log.Info($"prerequisites: {component.What} installed; msiexec answered {code}: Windows wants a restart, which the agent does not do");
                    return;
                }

                if (outcome != MsiOutcome.AnotherInstallRunning)
                {
                    throw new AgentFailureException($"prerequisites: msiexec answered {code} while installing {component.What}; its log is {file}.log");
                }

                if (attempt >= MsiExitCode.RetryWaitSeconds.Count)
                {
                    throw new AgentFailureException(
                        $"prerequisites: msiexec answered {MsiExitCode.AnotherInstallRunning} (another installation is in progress) {attempt + 1} times over {waited} s while installing {component.What}; "
                        + "find what else installs on the node (Windows Update, another VM extension) and run the agent again");
                }

                var wait = MsiExitCode.RetryWaitSeconds[attempt];
                log.Info($"prerequisites: another installation is in progress (msiexec {MsiExitCode.AnotherInstallRunning}) while installing {component.What}; trying again in {wait} s");
                windows.WaitBeforeRetry(TimeSpan.FromSeconds(wait));
                waited += wait;
            }
        }

        /// <summary>
        /// The stack's config key behind a blob's installer: the stack writes prerequisites.installers.&lt;name&gt;
        /// from its config installers.&lt;name&gt;, so a file the vendor replaced is put right there.
        /// </summary>
        private static string StackConfigHint(string blobKey)
        {
            var key = blobKey.StartsWith("java.", StringComparison.Ordinal)
                ? $"installers.java[\"{blobKey.Substring("java.".Length)}\"].sha256"
                : $"installers.{blobKey}.sha256";
            var hint = $"If the vendor replaced the file and you have vetted the new one, set the stack's config key {key} to its SHA-256 (pulumi config set --path '{key}' <SHA-256>) and run pulumi up again";
            return blobKey == "serviceConsole"
                ? hint + "; a Service Console given as installers.serviceConsole.file is hashed by the stack, so this one changed after its upload: run pulumi up again to upload it anew"
                : hint;
        }

        private static List<Component> Missing(PrerequisiteInspection inspection, IReadOnlyDictionary<int, string> javaMajors)
        {
            var missing = new List<Component>();
            if (inspection.MissingFeatures.Count > 0)
            {
                missing.Add(Component.WindowsFeatures(inspection.MissingFeatures));
            }

            if (!inspection.UrlRewrite)
            {
                missing.Add(new Component("urlRewrite", "urlRewrite", "IIS URL Rewrite", null, set => set.UrlRewrite));
            }

            if (!inspection.ApplicationRequestRouting)
            {
                missing.Add(new Component("applicationRequestRouting", "applicationRequestRouting", "IIS Application Request Routing (ARR)", null, set => set.ApplicationRequestRouting));
            }

            foreach (var java in javaMajors.OrderBy(j => j.Key))
            {
                if (!inspection.Java.ContainsKey(java.Key))
                {
                    var major = java.Key.ToString(CultureInfo.InvariantCulture);
                    missing.Add(new Component("java-" + major, "java." + major, $"Java {major} (needed by {java.Value})", java.Key, null));
                }
            }

            if (!inspection.ServiceConsole)
            {
                missing.Add(new Component("serviceConsole", "serviceConsole", "Mendix Service Console", null, set => set.ServiceConsole));
            }

            return missing;
        }

        private static string Present(IReadOnlyDictionary<int, string> javaMajors) =>
            $"IIS features {string.Join(", ", IisFeatures.Required)}, URL Rewrite, ARR, "
            + (javaMajors.Count == 0 ? string.Empty : $"Java {string.Join(", ", javaMajors.Keys.OrderBy(k => k))}, ")
            + "Service Console";

        private static bool SamePath(string a, string b) =>
            string.Equals(a.Trim().TrimEnd('\\', '/'), b.Trim().TrimEnd('\\', '/'), StringComparison.OrdinalIgnoreCase);

        private sealed class Component
        {
            private readonly Func<InstallerSet, InstallerSpec>? installer;

            public Component(string key, string blobKey, string what, int? javaMajor, Func<InstallerSet, InstallerSpec>? installer)
            {
                Key = key;
                BlobKey = blobKey;
                What = what;
                JavaMajor = javaMajor;
                this.installer = installer;
            }

            /// <summary>A file-name-safe name for the installer.</summary>
            public string Key { get; }

            /// <summary>Its key under prerequisites.installers.</summary>
            public string BlobKey { get; }

            public string What { get; }

            public int? JavaMajor { get; }

            public IReadOnlyList<string>? Features { get; private set; }

            public static Component WindowsFeatures(IReadOnlyList<string> features) =>
                new Component("windowsFeatures", "(none)", "Windows features " + string.Join(", ", features), null, null) { Features = features };

            public InstallerSpec Installer(InstallerSet set) => installer!(set);
        }
    }
}
