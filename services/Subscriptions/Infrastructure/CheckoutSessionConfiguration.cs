using Billing.Subscriptions.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Billing.Subscriptions.Infrastructure;

internal sealed class CheckoutSessionConfiguration : IEntityTypeConfiguration<CheckoutSession>
{
    public void Configure(EntityTypeBuilder<CheckoutSession> session)
    {
        session.ToTable("checkout_sessions");
        session.HasKey(s => s.Id);
        session.Property(s => s.Status).HasConversion(s => s.ToString().ToLowerInvariant(), s => Enum.Parse<CheckoutStatus>(s, true));
    }
}
