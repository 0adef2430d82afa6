using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Contracts.Wallet;
using Billing.Orders.Infrastructure;
using Billing.Orders.Ledger;
using Billing.Orders.Model;
using Billing.Orders.Payments;
using Billing.ServiceDefaults.Http;
using Billing.ServiceDefaults.Messaging;
using Billing.Tests.EndToEnd;
using Billing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Billing.Tests.Orders;

/// <summary>The wallet and its double-entry ledger, against the real Orders service and Postgres (deposits applied as paid, no browser).</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class WalletLedgerTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _orders = null!;

    public async Task InitializeAsync() => _orders = await OrdersTestHost.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _orders.DisposeAsync();

    [Fact]
    public async Task A_charge_with_a_creator_keeps_the_default_20_percent_fee_and_owes_the_creator_the_rest()
    {
        var (app, customer, client) = await _orders.FundedAsync(10_000);

        var charge = await PostAsync(client, $"/v1/{app}/billing/wallet/charge",
            new { customerId = customer, amountCents = 2500, creatorId = "cr_1", description = "Sticker pack" }, HttpStatusCode.Created);

        Assert.Equal(500, charge.GetProperty("feeCents").GetInt64());
        Assert.Equal(2000, charge.GetProperty("creatorCents").GetInt64());
        Assert.Equal(7500, charge.GetProperty("balanceCents").GetInt64());
        Assert.Equal(7500, (await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/wallet?customerId={customer}")).GetProperty("balanceCents").GetInt64());
        Assert.Equal(500, await _orders.LedgerBalanceAsync(app, LedgerAccounts.PlatformRevenue));
        Assert.Equal(2000, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Creator("cr_1")));
        var published = Assert.Single(await _orders.WalletEventsAsync<WalletCharged>(app));
        Assert.Equal((charge.GetProperty("id").GetString(), 2500L, 500L, 2000L, "cr_1"),
            (published.ChargeId, published.AmountCents, published.FeeCents, published.CreatorCents, published.CreatorId));
    }

    [Fact]
    public async Task The_wallet_and_its_transactions_are_read_by_the_apps_own_customer_id_too()
    {
        var (app, customer, client) = await _orders.FundedAsync(1200);
        var externalId = await _orders.InDbAsync(db => db.Customers.Where(c => c.Id == customer).Select(c => c.ExternalId).SingleAsync());

        var wallet = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/wallet?customerExternalId={externalId}");
        var transactions = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/wallet/transactions?customerExternalId={externalId}");

        Assert.Equal((customer, 1200L), (wallet.GetProperty("customerId").GetString(), wallet.GetProperty("balanceCents").GetInt64()));
        Assert.Equal(1200, Assert.Single(transactions.GetProperty("data").EnumerateArray()).GetProperty("amountCents").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/{app}/billing/wallet?customerExternalId=nobody")).StatusCode);
    }

    [Fact]
    public async Task A_charge_without_a_creator_is_all_revenue_of_the_app()
    {
        var (app, customer, client) = await _orders.FundedAsync(1000);

        var charge = await PostAsync(client, $"/v1/{app}/billing/wallet/charge",
            new { customerId = customer, amountCents = 999, description = "Boost" }, HttpStatusCode.Created);

        Assert.Equal((999L, 0L), (charge.GetProperty("feeCents").GetInt64(), charge.GetProperty("creatorCents").GetInt64()));
        Assert.Equal(999, await _orders.LedgerBalanceAsync(app, LedgerAccounts.PlatformRevenue));
    }

    [Fact]
    public async Task A_charge_larger_than_the_balance_is_402_insufficient_funds_and_moves_nothing()
    {
        var (app, customer, client) = await _orders.FundedAsync(500);

        var problem = await PostAsync(client, $"/v1/{app}/billing/wallet/charge",
            new { customerId = customer, amountCents = 501, description = "Too much" }, HttpStatusCode.PaymentRequired);

        Assert.Equal("insufficient_funds", problem.GetProperty("code").GetString());
        Assert.Equal(500, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
        Assert.Empty(await _orders.WalletEventsAsync<WalletCharged>(app));
    }

    [Fact]
    public async Task Fifty_concurrent_charges_on_one_wallet_take_exactly_what_it_holds_and_never_overdraw()
    {
        var (app, customer, client) = await _orders.FundedAsync(1000);

        var statuses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await client.PostAsJsonAsync($"/v1/{app}/billing/wallet/charge",
                new { customerId = customer, amountCents = 30, creatorId = "cr_" + (i % 3), description = "Use " + i });
            return response.StatusCode;
        }));

        Assert.Equal(33, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(17, statuses.Count(s => s == HttpStatusCode.PaymentRequired));
        Assert.Equal(10, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
        Assert.Equal(10, await _orders.CachedBalanceAsync(app, customer));
        Assert.Equal(33, (await _orders.WalletEventsAsync<WalletCharged>(app)).Count);
    }

    [Fact]
    public async Task Fifty_concurrent_charges_on_one_wallet_through_two_replicas_with_retried_Idempotency_Keys_book_each_success_once()
    {
        // A second replica of Orders on the same database: its batches and ours lock the same wallet row.
        await using var replica = await OrdersTestHost.StartAsync(infrastructure);
        var (app, customer, client) = await _orders.FundedAsync(1000);
        var clients = new[] { client, replica.ClientFor(app) };

        // Each charge is sent twice at once with its key (the retry lands in the same batch or the next), then once more after all answered.
        async Task<(HttpStatusCode Status, string Body)> ChargeAsync(int i, int attempt)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/{app}/billing/wallet/charge")
            {
                Content = JsonContent.Create(new { customerId = customer, amountCents = 30, creatorId = "cr_" + (i % 3), description = "Use " + i }),
            };
            request.Headers.Add("Idempotency-Key", $"use-{i}");
            using var response = await clients[(i + attempt) % 2].SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i => await Task.WhenAll(ChargeAsync(i, 0), ChargeAsync(i, 1))));
        var retried = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => ChargeAsync(i, 2)));

        // A 201 is replayed as it was; a 402 is an error, which the Idempotency-Key middleware does not keep (the
        // retry is checked again, and books nothing while the wallet stays short): the same status and code.
        static string Answer((HttpStatusCode Status, string Body) a) =>
            a.Status == HttpStatusCode.Created ? a.Body : $"{(int)a.Status} {JsonDocument.Parse(a.Body).RootElement.GetProperty("code").GetString()}";
        for (var i = 0; i < 50; i++)
        {
            // Of the two sent at once, one ran; the other answered the same or was told the key was still in use.
            var ran = concurrent[i].Select(Answer).Where(a => a != "409 idempotency_key_in_use").ToList();
            Assert.NotEmpty(ran);
            Assert.All(ran, a => Assert.Equal(ran[0], a));
            Assert.Equal(ran[0], Answer(retried[i]));
            Assert.True(retried[i].Status is HttpStatusCode.Created or HttpStatusCode.PaymentRequired, retried[i].Body);
        }
        var created = retried.Where(a => a.Status == HttpStatusCode.Created)
            .Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("id").GetString()!).ToList();
        Assert.Equal(33, created.Count);
        Assert.Equal(17, retried.Count(a => a.Status == HttpStatusCode.PaymentRequired
            && JsonDocument.Parse(a.Body).RootElement.GetProperty("code").GetString() == "insufficient_funds"));
        Assert.Equal(10, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
        Assert.Equal(10, await _orders.CachedBalanceAsync(app, customer));
        var booked = await _orders.InDbAsync(db => db.LedgerTransactions.Where(t => t.AppId == app && t.Kind == LedgerKind.Charge).Select(t => t.Id).ToListAsync());
        Assert.Equal(created.Order(), booked.Order());
        Assert.Equal(created.Order(), (await _orders.WalletEventsAsync<WalletCharged>(app)).Select(e => e.ChargeId).Order());
    }

    [Fact]
    public async Task A_charge_takes_the_fee_the_app_set_through_the_api_and_other_apps_keep_the_default()
    {
        var (app, customer, client) = await _orders.FundedAsync(10_000);
        var (otherApp, _, otherClient) = await _orders.FundedAsync(500);
        var before = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/wallet/fee");

        var set = await client.PutAsync($"/v1/{app}/billing/wallet/fee", new { feeBasisPoints = 1000, feeFixedCents = 25 }, 200);
        var charge = await PostAsync(client, $"/v1/{app}/billing/wallet/charge",
            new { customerId = customer, amountCents = 1005, creatorId = "cr_fee", description = "Commission" }, HttpStatusCode.Created);
        var after = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/wallet/fee");
        var other = await otherClient.GetFromJsonAsync<JsonElement>($"/v1/{otherApp}/billing/wallet/fee");

        Assert.Equal((2000, 0L, true), (before.GetProperty("feeBasisPoints").GetInt32(), before.GetProperty("feeFixedCents").GetInt64(), before.GetProperty("isDefault").GetBoolean()));
        Assert.Equal((1000, 25L, false), (set.GetProperty("feeBasisPoints").GetInt32(), set.GetProperty("feeFixedCents").GetInt64(), set.GetProperty("isDefault").GetBoolean()));
        Assert.Equal(set.ToString(), after.ToString());
        // 10 % of 1005 rounded down (100) plus 25 fixed.
        Assert.Equal((125L, 880L, 8995L), (charge.GetProperty("feeCents").GetInt64(), charge.GetProperty("creatorCents").GetInt64(),
            charge.GetProperty("balanceCents").GetInt64()));
        Assert.Equal(125, await _orders.LedgerBalanceAsync(app, LedgerAccounts.PlatformRevenue));
        Assert.Equal(880, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Creator("cr_fee")));
        var published = Assert.Single(await _orders.WalletEventsAsync<WalletCharged>(app));
        Assert.Equal((125L, 880L), (published.FeeCents, published.CreatorCents));
        Assert.True(other.GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task A_fee_out_of_range_is_refused_naming_each_field_and_a_read_only_key_cannot_set_one()
    {
        var (app, _, client) = await _orders.FundedAsync(500);
        using var readOnly = _orders.ClientFor(app, "wallet:read");

        var problem = await client.PutAsync($"/v1/{app}/billing/wallet/fee", new { feeBasisPoints = 10_001, feeFixedCents = -1 }, 400);
        var missing = await client.PutAsync($"/v1/{app}/billing/wallet/fee", new { feeFixedCents = 5 }, 400);
        await readOnly.PutAsync($"/v1/{app}/billing/wallet/fee", new { feeBasisPoints = 0 }, 403);
        var unchanged = await readOnly.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/wallet/fee");

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("feeBasisPoints", out _) && errors.TryGetProperty("feeFixedCents", out _), errors.ToString());
        Assert.True(missing.GetProperty("errors").TryGetProperty("feeBasisPoints", out _));
        Assert.True(unchanged.GetProperty("isDefault").GetBoolean());
    }

    [Fact]
    public async Task A_charge_refunded_in_two_parts_returns_fee_and_creator_share_in_proportion_and_never_more_than_charged()
    {
        var (app, customer, client) = await _orders.FundedAsync(10_000);
        var charge = await PostAsync(client, $"/v1/{app}/billing/wallet/charge",
            new { customerId = customer, amountCents = 1001, creatorId = "cr_9", description = "Course" }, HttpStatusCode.Created);
        var chargeId = charge.GetProperty("id").GetString();

        var first = await PostAsync(client, $"/v1/{app}/billing/wallet/charges/{chargeId}/refund", new { amountCents = 500 }, HttpStatusCode.OK);
        var rest = await PostAsync(client, $"/v1/{app}/billing/wallet/charges/{chargeId}/refund", new { }, HttpStatusCode.OK);
        var again = await PostAsync(client, $"/v1/{app}/billing/wallet/charges/{chargeId}/refund", new { amountCents = 1 }, HttpStatusCode.Conflict);

        Assert.Equal((500L, 100L, 400L), (first.GetProperty("amountCents").GetInt64(), first.GetProperty("feeCents").GetInt64(), first.GetProperty("creatorCents").GetInt64()));
        Assert.Equal(501, rest.GetProperty("amountCents").GetInt64());
        Assert.Equal(1001, rest.GetProperty("refundedCents").GetInt64());
        Assert.Equal("conflict", again.GetProperty("code").GetString());
        Assert.Equal(10_000, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
        Assert.Equal(0, await _orders.LedgerBalanceAsync(app, LedgerAccounts.PlatformRevenue));
        Assert.Equal(0, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Creator("cr_9")));
        var refunds = await _orders.WalletEventsAsync<WalletChargeRefunded>(app);
        Assert.Equal(1001, refunds.Sum(r => r.RefundedCents));
        Assert.Equal(charge.GetProperty("creatorCents").GetInt64(), refunds.Sum(r => r.CreatorCents));
    }

    [Fact]
    public async Task A_paid_deposit_applied_many_times_at_once_is_credited_exactly_once()
    {
        var app = TestApps.NewAppId();
        var customer = await _orders.CustomerAsync(app);
        var orderId = await _orders.PaidDepositAsync(app, customer, 1500);
        var (session, intent) = await _orders.InScopeAsync(async s =>
        {
            var order = await s.GetRequiredService<OrdersDbContext>().Orders.SingleAsync(o => o.Id == orderId);
            return (order.StripeCheckoutSessionId!, order.StripePaymentIntentId!);
        });

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => _orders.InScopeAsync(s => i % 2 == 0
            ? s.GetRequiredService<OrderPayments>().SessionCompletedAsync(app, session, intent, "paid", 1500, CancellationToken.None)
            : s.GetRequiredService<OrderPayments>().PaymentSucceededAsync(app, intent, 1500, CancellationToken.None))));

        Assert.Equal(1500, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
        Assert.Equal(1, await _orders.InDbAsync(db => db.LedgerTransactions.CountAsync(t => t.AppId == app && t.Kind == LedgerKind.Deposit)));
    }

    [Fact]
    public async Task A_deposit_refund_takes_back_only_what_the_wallet_still_holds_and_records_the_rest()
    {
        var app = TestApps.NewAppId();
        var customer = await _orders.CustomerAsync(app);
        var orderId = await _orders.PaidDepositAsync(app, customer, 2000);
        await PostAsync(_orders.ClientFor(app), $"/v1/{app}/billing/wallet/charge",
            new { customerId = customer, amountCents = 1500, description = "Spent" }, HttpStatusCode.Created);

        var order = await _orders.InScopeAsync(async s =>
        {
            var payments = s.GetRequiredService<OrderPayments>();
            var intent = (await s.GetRequiredService<OrdersDbContext>().Orders.SingleAsync(o => o.Id == orderId)).StripePaymentIntentId!;
            return await payments.RefundedAsync(app, intent, 2000, 2000, CancellationToken.None);
        });

        Assert.Equal((OrderStatus.Refunded, 2000L, 1500L), (order!.Status, order.RefundedCents, order.RefundShortfallCents));
        Assert.Equal(0, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
    }

    [Fact]
    public async Task Hundreds_of_random_concurrent_deposits_charges_and_refunds_keep_the_ledger_balanced_and_no_wallet_negative()
    {
        var app = TestApps.NewAppId();
        var client = _orders.ClientFor(app);
        var customers = new List<string>();
        for (var i = 0; i < 4; i++) customers.Add(await _orders.CustomerAsync(app));
        var charges = new System.Collections.Concurrent.ConcurrentBag<string>();
        var random = new Random(1234);
        var operations = Enumerable.Range(0, 300).Select(_ => (Kind: random.Next(10), Customer: customers[random.Next(customers.Count)],
            Amount: (long)random.Next(1, 3000), Creator: random.Next(3) == 0 ? null : "cr_" + random.Next(4), Seed: random.Next())).ToList();

        await Parallel.ForEachAsync(operations, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (op, _) =>
        {
            if (op.Kind < 3)
                await _orders.PaidDepositAsync(app, op.Customer, op.Amount + 500);
            else if (op.Kind < 8)
            {
                using var response = await client.PostAsJsonAsync($"/v1/{app}/billing/wallet/charge",
                    new { customerId = op.Customer, amountCents = op.Amount, creatorId = op.Creator, description = "Random" });
                Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.PaymentRequired, await response.Content.ReadAsStringAsync());
                if (response.StatusCode == HttpStatusCode.Created)
                    charges.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
            }
            else if (charges.Skip(op.Seed % Math.Max(1, charges.Count)).FirstOrDefault() is { } chargeId)
            {
                using var response = await client.PostAsJsonAsync($"/v1/{app}/billing/wallet/charges/{chargeId}/refund",
                    new { amountCents = op.Seed % 2 == 0 ? (long?)null : 1 + op.Seed % 400 });
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
            }
        });

        await _orders.InDbAsync(async db =>
        {
            var unbalanced = await db.LedgerLines.Where(l => l.AppId == app).GroupBy(l => l.TransactionId)
                .Where(g => g.Sum(l => l.AmountCents) != 0 || g.Count() < 2).CountAsync();
            Assert.Equal(0, unbalanced);
            var transactions = await db.LedgerTransactions.CountAsync(t => t.AppId == app);
            Assert.True(transactions > 150, $"only {transactions} transactions were booked");
            foreach (var customer in customers)
            {
                var fromLines = await db.LedgerLines.Where(l => l.AppId == app && l.Account == LedgerAccounts.Wallet(customer)).SumAsync(l => l.AmountCents);
                var cached = await db.Wallets.Where(w => w.AppId == app && w.CustomerId == customer).Select(w => w.BalanceCents).SingleAsync();
                Assert.True(fromLines >= 0, $"{customer} is at {fromLines}");
                Assert.Equal(fromLines, cached);
            }
            // No charge was refunded beyond what it charged.
            var overRefunded = await db.LedgerTransactions.Where(c => c.AppId == app && c.Kind == LedgerKind.Charge)
                .Where(c => db.LedgerTransactions.Where(r => r.ChargeId == c.Id).Sum(r => r.AmountCents) > c.AmountCents).CountAsync();
            Assert.Equal(0, overRefunded);
            return 0;
        });
        // What the API answers (the wallet row) is the sum of the lines too.
        foreach (var customer in customers)
        {
            var wallet = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/wallet?customerId={customer}");
            Assert.Equal(await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)), wallet.GetProperty("balanceCents").GetInt64());
        }
    }

    [Fact]
    public async Task The_database_refuses_an_unbalanced_transaction_and_any_edit_of_a_line()
    {
        var app = TestApps.NewAppId();
        var customer = await _orders.CustomerAsync(app);
        await _orders.PaidDepositAsync(app, customer, 700);
        var connection = infrastructure.Database("orders");

        await using var data = NpgsqlDataSource.Create(connection);
        var unbalanced = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var conn = await data.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using var cmd = new NpgsqlCommand($"""
                insert into orders.ledger_transactions (id, app_id, kind, source, amount_cents, currency) values ('wtx_bad_{Guid.NewGuid():N}', '{app}', 'Deposit', 'bad:{Guid.NewGuid():N}', 1, 'usd');
                insert into orders.ledger_lines (transaction_id, app_id, account, amount_cents, currency)
                    select id, app_id, 'customer_wallet:{customer}', 1, 'usd' from orders.ledger_transactions where source like 'bad:%' and app_id = '{app}';
                """, conn, tx);
            await cmd.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        });
        Assert.Contains("unbalanced", unbalanced.MessageText);

        var edit = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var cmd = data.CreateCommand($"update orders.ledger_lines set amount_cents = amount_cents * 2 where app_id = '{app}'");
            await cmd.ExecuteNonQueryAsync();
        });
        Assert.Contains("append-only", edit.MessageText);
        Assert.Equal(700, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
    }

    [Fact]
    public async Task Deposits_outside_5_to_500_dollars_are_refused_with_deposit_out_of_range()
    {
        var app = TestApps.NewAppId();
        var client = _orders.ClientFor(app);
        foreach (var cents in new[] { 499, 50_001 })
        {
            var problem = await PostAsync(client, $"/v1/{app}/billing/wallet/deposit", new
            {
                customerExternalId = "u1", email = "u1@example.com", amountCents = cents,
                successUrl = "https://shop.example.com/ok", cancelUrl = "https://shop.example.com/no",
            }, HttpStatusCode.BadRequest);
            Assert.Equal("deposit_out_of_range", problem.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Another_apps_wallet_charges_and_customers_are_404()
    {
        var (app, customer, client) = await _orders.FundedAsync(1000);
        var charge = await PostAsync(client, $"/v1/{app}/billing/wallet/charge",
            new { customerId = customer, amountCents = 100, description = "Mine" }, HttpStatusCode.Created);
        var other = TestApps.NewAppId();
        var stranger = _orders.ClientFor(other);

        await PostAsync(stranger, $"/v1/{other}/billing/wallet/charge", new { customerId = customer, amountCents = 100, description = "Theirs" }, HttpStatusCode.NotFound);
        await PostAsync(stranger, $"/v1/{other}/billing/wallet/charges/{charge.GetProperty("id").GetString()}/refund", new { }, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/v1/{other}/billing/wallet?customerId={customer}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/v1/{app}/billing/wallet?customerId={customer}")).StatusCode);
        Assert.Equal(900, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
    }

    [Fact]
    public async Task A_charge_repeated_with_its_Idempotency_Key_is_charged_once_and_answered_again()
    {
        var (app, customer, client) = await _orders.FundedAsync(1000);
        var body = new { customerId = customer, amountCents = 300, description = "Once" };

        var answers = new List<(HttpStatusCode, string)>();
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/{app}/billing/wallet/charge") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", "charge-once");
            using var response = await client.SendAsync(request);
            answers.Add((response.StatusCode, await response.Content.ReadAsStringAsync()));
        }

        Assert.All(answers, a => Assert.Equal(answers[0], a));
        Assert.Equal(700, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
    }

    [Fact]
    public async Task The_wallet_transactions_list_pages_the_movements_oldest_first()
    {
        var (app, customer, client) = await _orders.FundedAsync(1000);
        for (var i = 0; i < 3; i++)
            await PostAsync(client, $"/v1/{app}/billing/wallet/charge", new { customerId = customer, amountCents = 100, description = "Use " + i }, HttpStatusCode.Created);

        var first = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/wallet/transactions?customerId={customer}&limit=2");
        var last = first.GetProperty("data")[1].GetProperty("id").GetString();
        var second = await client.GetFromJsonAsync<JsonElement>($"/v1/{app}/billing/wallet/transactions?customerId={customer}&limit=2&startingAfter={last}");

        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal(["deposit", "charge"], first.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("kind").GetString()));
        Assert.Equal([1000L, -100L], first.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("amountCents").GetInt64()));
        Assert.False(second.GetProperty("hasMore").GetBoolean());
        Assert.Equal(2, second.GetProperty("data").GetArrayLength());
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST {path}: expected {expected}, got {response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
