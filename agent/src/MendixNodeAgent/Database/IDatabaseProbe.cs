using System;

namespace MendixNodeAgent.Database
{
    /// <summary>Tries one sign-in to an app's database.</summary>
    internal interface IDatabaseProbe
    {
        /// <exception cref="DatabaseUnavailableException">the database did not accept the sign-in; the reason holds no password.</exception>
        void SignIn(DatabaseTarget target, TimeSpan timeout);
    }

    internal sealed class DatabaseUnavailableException : Exception
    {
        public DatabaseUnavailableException(string reason) : base(reason) { }
    }
}
