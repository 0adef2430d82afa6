namespace Billing.Hosting;

/// <summary>
/// One process of a server's start, in order: a step that runs to completion (initdb), or one that
/// keeps running and is ready when <see cref="IsReadyAsync"/> says so (epmd, the server itself).
/// The test fixtures run these as child processes; the AppHost runs the same ones as Aspire
/// executable resources, so both start a server the same way.
/// </summary>
public sealed record ServerStep(string Name, ProcessSpec Spec, bool RunsToCompletion, Func<CancellationToken, Task<bool>> IsReadyAsync)
{
    public static ServerStep Completing(string name, ProcessSpec spec) => new(name, spec, true, _ => Task.FromResult(true));

    public static ServerStep Running(string name, ProcessSpec spec, Func<CancellationToken, Task<bool>> isReady) => new(name, spec, false, isReady);
}
