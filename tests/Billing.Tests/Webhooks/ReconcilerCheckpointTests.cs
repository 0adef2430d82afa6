using Billing.Webhooks.Model;

namespace Billing.Tests.Webhooks;

/// <summary>How the reconciler's cursor follows the newest event it listed, a wall-clock overlap behind.</summary>
public sealed class ReconcilerCheckpointTests
{
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_newest_event_becomes_the_cursor_only_after_the_overlap()
    {
        var checkpoint = new ReconcilerCheckpoint { Name = ReconcilerCheckpoint.Platform };
        checkpoint.Restart("evt_1", Start);

        checkpoint.Advance("evt_2", Start.AddMinutes(1), Overlap);
        Assert.Equal("evt_1", checkpoint.CursorEventId);
        Assert.Equal("evt_2", checkpoint.PendingEventId);

        checkpoint.Advance(null, Start.AddMinutes(6), Overlap);
        Assert.Equal("evt_2", checkpoint.CursorEventId);
        Assert.Null(checkpoint.PendingEventId);
    }

    [Fact]
    public void Under_steady_traffic_the_cursor_still_moves()
    {
        var checkpoint = new ReconcilerCheckpoint { Name = ReconcilerCheckpoint.Platform };
        checkpoint.Restart("evt_0", Start);

        for (var minute = 1; minute <= 12; minute++) checkpoint.Advance($"evt_{minute}", Start.AddMinutes(minute), Overlap);

        // evt_1 matured at minute 6 (evt_6 pending from then), evt_6 at minute 11 (evt_11 pending).
        Assert.Equal("evt_6", checkpoint.CursorEventId);
        Assert.Equal("evt_11", checkpoint.PendingEventId);
    }

    [Fact]
    public void With_nothing_new_the_cursor_stays()
    {
        var checkpoint = new ReconcilerCheckpoint { Name = ReconcilerCheckpoint.Platform };
        checkpoint.Restart("evt_1", Start);

        checkpoint.Advance(null, Start.AddHours(1), Overlap);

        Assert.Equal("evt_1", checkpoint.CursorEventId);
        Assert.Null(checkpoint.PendingEventId);
        Assert.Equal(Start.AddHours(1), checkpoint.UpdatedAt);
    }
}
