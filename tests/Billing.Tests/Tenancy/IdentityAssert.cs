using Billing.ServiceDefaults.Security;
using Billing.Tests.Gateway;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Tenancy;

public static class IdentityAssert
{
    private static readonly System.Security.Cryptography.ECDsa PublicKey = IdentityToken.ImportPublicKey(TestIdentity.PublicKey);

    /// <summary>The identity the echo service received, verified with the gateway's public key; fails when there is none or it does not verify.</summary>
    public static CallerIdentity Verified(EchoReply echo)
    {
        Assert.NotNull(echo.Identity);
        var identity = IdentityToken.Verify(echo.Identity, PublicKey, DateTimeOffset.UtcNow);
        Assert.NotNull(identity);
        Assert.InRange(identity.ExpiresAt, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(3));
        return identity;
    }
}
