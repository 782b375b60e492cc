using MendixNodeAgent.Blob;

namespace MendixNodeAgent.Rollout
{
    /// <summary>What must happen around an app's stop and start on a real node; the app applier tells it each one.</summary>
    internal interface IAppLifecycle
    {
        /// <summary>Before a running app is stopped: its database is waited for, then the node drained.</summary>
        void BeforeStop(NodeSettings blob);

        /// <summary>Before Start-MxApp: its database is waited for.</summary>
        void BeforeStart(NodeSettings blob);

        /// <summary>After Start-MxApp returned: the app is one the readiness gate waits for.</summary>
        void Started(NodeSettings blob);
    }
}
