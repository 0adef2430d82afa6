using System.Collections.Concurrent;
using Billing.Hosting;

namespace Billing.Tests.Hosting;

public sealed class ChildProcessTests
{
    [Fact]
    public async Task Every_line_of_a_short_lived_process_has_reached_the_callback_once_its_exit_is_reported()
    {
        // Ten rounds: the exit is often reported while the last lines are still being read.
        for (var round = 0; round < 10; round++)
        {
            var lines = new ConcurrentQueue<string>();
            await using var child = ChildProcess.Start(
                new ProcessSpec("sh", ["-c", "i=0; while [ $i -lt 500 ]; do echo out$i; echo err$i >&2; i=$((i+1)); done; echo last"]),
                lines.Enqueue);

            Assert.Equal(0, await child.Exited.WaitAsync(TimeSpan.FromSeconds(30)));

            Assert.Equal(1001, lines.Count);
            Assert.Contains("last", lines);
        }
    }
}
