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

        public AppServiceAccount Ensure(string app, string appsRoot)
        {
            var account = Account(app, appsRoot);
            switch (accounts.Ensure(account))
            {
                case AccountOutcome.Created:
                    log.Info($"app '{app}': created the local account '{account.Name}' for its service; its password is in {account.SecretFile} (SYSTEM and Administrators only)");
                    break;
                case AccountOutcome.PasswordReset:
                    log.Info($"app '{app}': the local account '{account.Name}' had no password file; set a new password, kept in {account.SecretFile}");
                    break;
                default:
                    log.Info($"app '{app}': the local account '{account.Name}' exists");
                    break;
            }

            return account;
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
