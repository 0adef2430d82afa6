namespace Billing.Orders.Ledger;

/// <summary>
/// The ledger's accounts. A line's amount adds to its account's balance (negative: takes from it).
/// <list type="bullet">
/// <item><c>customer_wallet:&lt;cus&gt;</c>: what the customer may spend; never below zero.</item>
/// <item><c>stripe_clearing</c>: money that came in (or went back) through Stripe; deposits take from it, so it runs negative by what Stripe holds for us.</item>
/// <item><c>platform_revenue</c>: the app's marketplace fees (and whole charges without a creator).</item>
/// <item><c>creator_payable:&lt;cr&gt;</c>: what the app owes a creator (Connect pays it out).</item>
/// </list>
/// </summary>
public static class LedgerAccounts
{
    public const string WalletPrefix = "customer_wallet:";
    public const string StripeClearing = "stripe_clearing";
    public const string PlatformRevenue = "platform_revenue";
    public const string CreatorPrefix = "creator_payable:";

    public static string Wallet(string customerId) => WalletPrefix + customerId;

    public static string Creator(string creatorId) => CreatorPrefix + creatorId;
}
