namespace Billing.Tests.Redis;

/// <summary>Keys no other test uses, so tests never see each other's data on the shared server.</summary>
internal static class RedisTestKeys
{
    public static string New(string purpose) => $"test:{purpose}:{Guid.NewGuid():N}";
}
