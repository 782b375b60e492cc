using System;
using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;

namespace MendixNodeAgent.Tests.Support
{
    /// <summary>The accept loop the loopback stand-ins share: each connection answered on its own task until the listener closes.</summary>
    internal static class LoopbackServer
    {
        public static async Task Serve<T>(Func<Task<T>> accept, Func<T, Task> answer, CancellationToken stopping)
        {
            while (!stopping.IsCancellationRequested)
            {
                T connection;
                try
                {
                    connection = await accept();
                }
                // A closed listener: HttpListenerException and SocketException are both Win32Exceptions.
                catch (Exception e) when (e is Win32Exception || e is ObjectDisposedException || e is InvalidOperationException)
                {
                    return;
                }

                _ = Task.Run(() => answer(connection));
            }
        }
    }
}
