using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using MendixNodeAgent.Settings;

namespace MendixNodeAgent.Windows
{
    /// <summary>
    /// The local Windows account an app's service runs as. Its password is in <see cref="SecretFile"/> only from the account's
    /// creation until New-MxApp has installed the app's service with it: then the service manager holds it (and the console
    /// its own encrypted copy in Settings.yaml), and the file is deleted.
    /// </summary>
    internal sealed class AppServiceAccount
    {
        public AppServiceAccount(string name, string secretFile)
        {
            Name = name;
            SecretFile = secretFile;
        }

        /// <summary>The local account's name, without the machine.</summary>
        public string Name { get; }

        /// <summary>The account as a service logon name: .\name (the local machine).</summary>
        public string LogonName => ".\\" + Name;

        public string SecretFile { get; }

        /// <summary>
        /// mx-&lt;app&gt;. A local account's name has at most 20 characters (Microsoft Learn, New-LocalUser, -Name), so an app
        /// name longer than 17 is cut to 12 and given 4 hexadecimal characters of its SHA-256, which keeps names distinct.
        /// </summary>
        public static string NameFor(string appName)
        {
            const int MaxLength = 20;
            var name = "mx-" + appName;
            if (name.Length <= MaxLength)
            {
                return name;
            }

            using (var sha = SHA256.Create())
            {
                var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(appName));
                var suffix = string.Concat(hash.Take(2).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
                return "mx-" + appName.Substring(0, 12) + "-" + suffix;
            }
        }
    }

    internal enum AccountOutcome
    {
        Found,
        Created,

        /// <summary>The account existed, an app was about to be created with it, and its password file did not: a new password was set.</summary>
        PasswordReset,
    }

    /// <summary>Local Windows accounts for the apps' services, and their rights on the apps' folders.</summary>
    internal interface IServiceAccounts
    {
        /// <param name="passwordNeeded">the app is about to be created (New-MxApp takes the password).</param>
        AccountOutcome Ensure(AppServiceAccount account, bool passwordNeeded);

        /// <summary>Deletes the account's password file; returns whether there was one.</summary>
        bool ForgetPassword(AppServiceAccount account);

        /// <returns>the folders whose access list changed.</returns>
        IReadOnlyList<string> Grant(AppServiceAccount account, IReadOnlyList<FolderGrant> grants);

        /// <summary>The rights IIS's worker processes need (the built-in group <see cref="WindowsServiceAccounts.IisWorkers"/>).</summary>
        /// <returns>the folders whose access list changed.</returns>
        IReadOnlyList<string> GrantIisWorkers(IReadOnlyList<FolderGrant> grants);
    }

    /// <summary>Through Windows PowerShell: Microsoft.PowerShell.LocalAccounts (Get-LocalUser, New-LocalUser) and Get-Acl/Set-Acl.</summary>
    internal sealed class WindowsServiceAccounts : IServiceAccounts
    {
        private readonly IPowerShellRunner powerShell;

        public WindowsServiceAccounts(IPowerShellRunner powerShell)
        {
            this.powerShell = powerShell;
        }

        public AccountOutcome Ensure(AppServiceAccount account, bool passwordNeeded)
        {
            var result = ScriptOutput.RunChecked(powerShell, PowerShellScript.EnsureServiceAccount(account.Name, account.SecretFile, passwordNeeded), $"create or find the local account '{account.Name}'");
            switch (ScriptOutput.Value(ScriptOutput.Lines(result.Output), "account"))
            {
                case "found": return AccountOutcome.Found;
                case "created": return AccountOutcome.Created;
                case "passwordReset": return AccountOutcome.PasswordReset;
                default: throw new AgentFailureException($"service account: unexpected answer for the local account '{account.Name}': '{result.Output.Trim()}'");
            }
        }

        public bool ForgetPassword(AppServiceAccount account)
        {
            if (!System.IO.File.Exists(account.SecretFile))
            {
                return false;
            }

            System.IO.File.Delete(account.SecretFile);
            return true;
        }

        /// <summary>The built-in group of IIS's application pool identities (IIS_IUSRS, S-1-5-32-568).</summary>
        public const string IisWorkers = "IIS_IUSRS";

        public IReadOnlyList<string> Grant(AppServiceAccount account, IReadOnlyList<FolderGrant> grants) =>
            GrantTo(account.Name, grants, $"the local account '{account.Name}'");

        public IReadOnlyList<string> GrantIisWorkers(IReadOnlyList<FolderGrant> grants) => GrantTo(IisWorkers, grants, $"IIS's worker processes ({IisWorkers})");

        private IReadOnlyList<string> GrantTo(string identity, IReadOnlyList<FolderGrant> grants, string who)
        {
            var result = ScriptOutput.RunChecked(powerShell, PowerShellScript.GrantFolderRights(identity, grants), $"grant {who} its rights on the app's folders");
            var lines = ScriptOutput.Lines(result.Output);
            if (ScriptOutput.Value(lines, "grants") != "done")
            {
                throw new AgentFailureException($"folder rights: unexpected answer while granting {who} its rights: '{result.Output.Trim()}'");
            }

            return lines.Where(l => l.Key == "granted").Select(l => l.Value).ToList();
        }
    }
}
