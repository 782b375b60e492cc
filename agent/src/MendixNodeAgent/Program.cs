using System;
using MendixNodeAgent.Windows;

namespace MendixNodeAgent
{
    internal static class Program
    {
        private static int Main(string[] args) =>
            AgentProgram.Run(args, Console.Out, Console.Error, NodeSystem.ThisMachine, () => DateTime.UtcNow);
    }
}
