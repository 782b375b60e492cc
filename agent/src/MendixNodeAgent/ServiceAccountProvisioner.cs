using MendixNodeAgent.Logging;
using MendixNodeAgent.Settings;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent
{
    /// <summary>
    /// A local account per app for its Windows service (the Mendix guide asks for a separate service account per app:
    /// mendix/docs, deployment/on-premises-design/ms-windows/_index.md), and the rights on its folders that the console's
    /// cmdlets never grant.
    /// </summary>
    internal sealed class ServiceAccountProvisioner
    {
        private readonly IServiceAccounts accounts;
        private readonly AgentLog log;

        public ServiceAccountProvisioner(IServiceAccounts accounts, AgentLog log)
        {
            this.accounts = accounts;
            this.log = log;
        }

        /// <param name="passwordNeeded">the app is about to be created: New-MxApp takes the account's password.</param>
        public AppServiceAccount Ensure(string app, string appsRoot, bool passwordNeeded)
        {
            var account = Account(app, appsRoot);
            switch (accounts.Ensure(account, passwordNeeded))
            {
                case AccountOutcome.Created:
                    log.Info($"app '{app}': created the local account '{account.Name}' for its service; its password is in {account.SecretFile} (SYSTEM and Administrators only) until the app's service has it");
                    break;
                case AccountOutcome.PasswordReset:
                    log.Info($"app '{app}': the local account '{account.Name}' has no password file and the app is to be created with it; set a new password, kept in {account.SecretFile} until the app's service has it");
                    break;
                default:
                    log.Info($"app '{app}': the local account '{account.Name}' exists");
                    break;
            }

            return account;
        }

        /// <summary>
        /// Once the app's Windows service is installed, the service manager holds the account's password and nothing else
        /// needs it (the agent never changes the service's logon; an app created again gets a password set anew): the file
        /// goes.
        /// </summary>
        public void ForgetPassword(string app, string appsRoot)
        {
            var account = Account(app, appsRoot);
            if (accounts.ForgetPassword(account))
            {
                log.Info($"app '{app}': deleted {account.SecretFile}: the app's service holds the password of '{account.Name}', and nothing else needs it");
            }
        }

        /// <returns>the number of folders whose rights changed.</returns>
        public int GrantFolderRights(string app, string appsRoot)
        {
            var account = Account(app, appsRoot);
            var changed = accounts.Grant(account, AppFolders.ServiceAccountFolders(appsRoot, app));
            foreach (var folder in changed)
            {
                log.Info($"app '{app}': granted '{account.Name}' its right on {folder}");
            }

            var iis = accounts.GrantIisWorkers(AppFolders.IisReadFolders(appsRoot, app));
            foreach (var folder in iis)
            {
                log.Info($"app '{app}': granted IIS's worker processes ({WindowsServiceAccounts.IisWorkers}) read access on {folder}");
            }

            return changed.Count + iis.Count;
        }

        private static AppServiceAccount Account(string app, string appsRoot) =>
            new AppServiceAccount(AppServiceAccount.NameFor(app), AppFolders.ServiceAccountSecretFile(appsRoot, app));
    }
}
