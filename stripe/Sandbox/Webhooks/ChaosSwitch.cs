namespace Billing.StripeSandbox.Webhooks;

/// <summary>The chaos settings in force: start from configuration, changed at run time by a test helper.</summary>
public sealed class ChaosSwitch(SandboxOptions options)
{
    volatile ChaosOptions current = options.Chaos.Copy();

    public ChaosOptions Current
    {
        get => current;
        set => current = value;
    }
}
