using Billing.Hosting;

namespace Billing.AppHost.Startup;

/// <summary>Free ports for the children, never the same one twice in a run, nor one the user chose.</summary>
public sealed class PortAllocator(params int[] reserved)
{
    private readonly HashSet<int> _taken = [.. reserved];

    public int Next()
    {
        lock (_taken)
        {
            while (true)
            {
                var port = FreePort.Next();
                if (_taken.Add(port)) return port;
            }
        }
    }
}
