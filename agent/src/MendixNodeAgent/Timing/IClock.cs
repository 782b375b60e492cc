using System;
using System.Threading;

namespace MendixNodeAgent.Timing
{
    /// <summary>The time and the pauses of every wait the agent makes; tests hand in a clock whose pauses take no time.</summary>
    internal interface IClock
    {
        /// <summary>Now, UTC.</summary>
        DateTime UtcNow { get; }

        void Sleep(TimeSpan span);
    }

    internal sealed class SystemClock : IClock
    {
        public DateTime UtcNow => DateTime.UtcNow;

        public void Sleep(TimeSpan span)
        {
            if (span > TimeSpan.Zero)
            {
                Thread.Sleep(span);
            }
        }
    }
}
