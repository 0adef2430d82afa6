using System.ComponentModel.DataAnnotations;

namespace Billing.Orders;

/// <summary>Settings of the Orders service (section <c>Orders</c>).</summary>
public sealed class OrdersOptions
{
    public const string Section = "Orders";

    /// <summary>Marketplace fee on wallet charges, in basis points (2000 = 20 %), for apps with no setting of their own.</summary>
    [Range(0, 10_000)]
    public int DefaultFeeBasisPoints { get; set; } = 2000;

    /// <summary>Fixed part of that fee, in cents.</summary>
    [Range(0, 1_000_000)]
    public long DefaultFeeFixedCents { get; set; }

    /// <summary>The platform's application fee on destination charges (sales of an app with a connected account), in basis points.</summary>
    [Range(0, 10_000)]
    public int PlatformFeeBasisPoints { get; set; } = 500;
}
