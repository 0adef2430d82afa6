namespace Billing.Webhooks.Model;

/// <summary>
/// Where the reconciler resumes in one Stripe event list (the platform's or a connected account's):
/// a position in Stripe's creation order, held as an event id, never a <c>created</c> time, which
/// test clocks set days away from the wall clock.
/// </summary>
public sealed class ReconcilerCheckpoint
{
    public const string Platform = "platform";

    /// <summary>Each connected account's events are listed (and bookmarked) on their own.</summary>
    public static string Connect(string account) => "connect:" + account;

    public required string Name { get; init; }

    /// <summary>
    /// The next pass lists the events created after this one (Stripe's <c>ending_before</c>). Null
    /// when the list was empty at the first pass: everything listed since is new.
    /// </summary>
    public string? CursorEventId { get; set; }

    /// <summary>
    /// The newest event a pass saw, not yet the cursor: it becomes the cursor once the events up to it
    /// have been listed again for the overlap, so an event that turns up in the list late, behind
    /// newer ones already listed, is still found.
    /// </summary>
    public string? PendingEventId { get; set; }

    /// <summary>When <see cref="PendingEventId"/> was seen (the wall clock: ours, not Stripe's <c>created</c>).</summary>
    public DateTimeOffset? PendingSince { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Starts over at <paramref name="newest"/>: the first pass, or after Stripe lost the cursor.</summary>
    public void Restart(string? newest, DateTimeOffset now)
    {
        CursorEventId = newest;
        PendingEventId = null;
        PendingSince = null;
        UpdatedAt = now;
    }

    /// <summary>
    /// After a pass that listed everything after the cursor up to <paramref name="newest"/> (null: nothing
    /// new): the cursor trails the newest event by <paramref name="overlap"/> of wall-clock time.
    /// </summary>
    public void Advance(string? newest, DateTimeOffset now, TimeSpan overlap)
    {
        if (PendingEventId is not null && now - PendingSince >= overlap)
        {
            CursorEventId = PendingEventId;
            PendingEventId = null;
            PendingSince = null;
        }
        // A pending event is kept until it matures, even when newer ones arrive: replaced on every
        // pass, it never would under steady traffic and the cursor would never move.
        if (PendingEventId is null && newest is not null && newest != CursorEventId)
        {
            PendingEventId = newest;
            PendingSince = now;
        }
        UpdatedAt = now;
    }
}
