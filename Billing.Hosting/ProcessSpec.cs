namespace Billing.Hosting;

/// <summary>What to run: program, arguments, environment, and the user to drop to when root.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public string? WorkingDirectory { get; init; }

    /// <summary>Postgres refuses to run as root: when we are root, the child drops to this user.</summary>
    public string? RunAsUser { get; init; }

    /// <summary>
    /// Runs the child in its own session (setsid), so a Ctrl+C in the terminal reaches only the
    /// parent, which then stops its children in its own order instead of all at once.
    /// </summary>
    public bool NewSession { get; init; }

    /// <summary>The signal that asks the program to stop gracefully (SIGTERM unless the program wants another).</summary>
    public int StopSignal { get; init; } = 15;

    /// <summary>
    /// The program and arguments to execute: behind <c>setpriv</c> when <see cref="RunAsUser"/> applies
    /// (setpriv execs the program in place, so the pid stays the program's).
    /// </summary>
    public (string FileName, IReadOnlyList<string> Arguments) CommandLine =>
        RunAsUser is { } user && ChildProcess.IsRoot
            ? ("setpriv", [$"--reuid={user}", $"--regid={user}", "--init-groups", "--", FileName, .. Arguments])
            : (FileName, Arguments);
}
