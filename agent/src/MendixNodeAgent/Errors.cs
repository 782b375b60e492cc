using System;

namespace MendixNodeAgent
{
    /// <summary>Input the user can fix: bad arguments or a bad settings blob. Exit code 2.</summary>
    internal sealed class BadInputException : Exception
    {
        public BadInputException(string message) : base(message) { }
    }

    /// <summary>The node could not be brought to the wanted state. Exit code 1.</summary>
    internal class AgentFailureException : Exception
    {
        public AgentFailureException(string message) : base(message) { }

        public AgentFailureException(string message, Exception inner) : base(message, inner) { }
    }

    internal static class ExitCodes
    {
        public const int Applied = 0;
        public const int Failure = 1;
        public const int BadInput = 2;
    }
}
