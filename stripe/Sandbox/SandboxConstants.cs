namespace Billing.StripeSandbox;

public static class SandboxConstants
{
    /// <summary>The API version events are rendered in (the current shape, see API-SUBSET.md section 8).</summary>
    public const string ApiVersion = "2026-10-28.endive";
}
