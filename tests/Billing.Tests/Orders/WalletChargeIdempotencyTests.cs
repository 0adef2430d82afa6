using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.Contracts.Wallet;
using Billing.Orders.Charges;
using Billing.Orders.Infrastructure;
using Billing.Orders.Ledger;
using Billing.Orders.Model;
using Billing.ServiceDefaults.Http;
using Billing.ServiceDefaults.Messaging;
using Billing.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Billing.Tests.Orders;

/// <summary>
/// A wallet charge is booked once per Idempotency-Key, also when the middleware's record of the first
/// answer is gone: a crash (or a broken connection) between the charge's commit and storing its answer
/// leaves the key free, so the retry runs the charge again and must find the first booking.
/// The record is deleted here to make that case, exactly as such a crash leaves the table.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class WalletChargeIdempotencyTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _orders = null!;

    public async Task InitializeAsync() => _orders = await OrdersTestHost.StartAsync(infrastructure);

    public async Task DisposeAsync() => await _orders.DisposeAsync();

    [Fact]
    public async Task A_charge_whose_answer_was_lost_after_its_commit_is_answered_again_with_the_same_charge_and_not_booked_twice()
    {
        var (app, customer, client) = await _orders.FundedAsync(1000);
        var body = new { customerId = customer, amountCents = 300, creatorId = "cr_1", description = "Sticker pack" };

        var (status, first) = await ChargeAsync(client, app, "lost-answer", body);
        Assert.Equal(HttpStatusCode.Created, status);
        // The rest of the wallet is spent meanwhile: the retry must answer the first charge, not 402.
        var (spentStatus, _) = await ChargeAsync(client, app, null, new { customerId = customer, amountCents = 700, description = "The rest" });
        Assert.Equal(HttpStatusCode.Created, spentStatus);
        await ForgetKeyAsync(app, "lost-answer");

        var (retryStatus, retry) = await ChargeAsync(client, app, "lost-answer", body);

        Assert.Equal(HttpStatusCode.Created, retryStatus);
        Assert.Equal(Charge(first) with { BalanceCents = 0 }, Charge(retry));
        Assert.Equal(0, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
        Assert.Equal(0, await _orders.CachedBalanceAsync(app, customer));
        Assert.Equal(240, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Creator("cr_1")));
        var charges = await ChargeIdsAsync(app);
        Assert.Equal(2, charges.Count);
        Assert.Contains(Charge(first).Id, charges);
        Assert.Equal(charges.Order(), (await _orders.WalletEventsAsync<WalletCharged>(app)).Select(e => e.ChargeId).Order());

        // The retry's answer is kept as the first one was: the next retry is the middleware's replay.
        var (againStatus, again) = await ChargeAsync(client, app, "lost-answer", body);
        Assert.Equal((HttpStatusCode.Created, Charge(retry)), (againStatus, Charge(again)));
    }

    [Fact]
    public async Task The_same_key_with_another_amount_or_creator_after_its_record_is_gone_is_422_idempotency_key_mismatch()
    {
        var (app, customer, client) = await _orders.FundedAsync(1000);
        var (status, first) = await ChargeAsync(client, app, "changed", new { customerId = customer, amountCents = 300, description = "Once" });
        Assert.Equal(HttpStatusCode.Created, status);

        foreach (var changed in new object[]
        {
            new { customerId = customer, amountCents = 301, description = "Once" },
            new { customerId = customer, amountCents = 300, creatorId = "cr_other", description = "Once" },
        })
        {
            await ForgetKeyAsync(app, "changed");
            var (mismatchStatus, problem) = await ChargeAsync(client, app, "changed", changed);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatchStatus);
            Assert.Equal("idempotency_key_mismatch", problem.GetProperty("code").GetString());
        }

        Assert.Equal([Charge(first).Id], await ChargeIdsAsync(app));
        Assert.Equal(700, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
        Assert.Single(await _orders.WalletEventsAsync<WalletCharged>(app));
    }

    [Fact]
    public async Task Twenty_concurrent_requests_with_one_key_through_two_replicas_book_one_charge_even_while_its_record_is_deleted()
    {
        await using var replica = await OrdersTestHost.StartAsync(infrastructure);
        var (app, customer, client) = await _orders.FundedAsync(1000);
        var clients = new[] { client, replica.ClientFor(app) };
        var body = new { customerId = customer, amountCents = 300, description = "Once" };

        // Each sender deletes the key's record before each attempt, as a crash would, so most attempts run the
        // charge again (on either replica, some at the same time, also while another still runs it); one told
        // the key is in use (409) tries again. The wallet holds three such charges: a second booking shows.
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            for (var attempt = 0; ; attempt++)
            {
                await ForgetKeyAsync(app, "raced");
                var answer = await ChargeAsync(clients[(i + attempt) % 2], app, "raced", body);
                if (answer.Status != HttpStatusCode.Conflict || attempt == 50) return answer;
            }
        }));

        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created, $"{a.Status}: {a.Body}"));
        var created = answers.Select(a => Charge(a.Body)).ToList();
        Assert.All(created, c => Assert.Equal(created[0], c));
        Assert.Equal(700, created[0].BalanceCents);
        Assert.Equal([created[0].Id], await ChargeIdsAsync(app));
        Assert.Equal(700, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
        Assert.Equal(700, await _orders.CachedBalanceAsync(app, customer));
        Assert.Equal([created[0].Id], (await _orders.WalletEventsAsync<WalletCharged>(app)).Select(e => e.ChargeId));
    }

    [Fact]
    public async Task Twenty_charges_with_one_key_queued_at_once_on_two_replicas_book_once_inside_a_batch_and_across_batches()
    {
        // Without the middleware: the same keyed charge many times in one wallet's batch (same transaction) and
        // in the other replica's batches (other transactions on the same row), as retries of a lost answer can be.
        await using var replica = await OrdersTestHost.StartAsync(infrastructure);
        var (app, customer, _) = await _orders.FundedAsync(1200);
        // Each replica charges once first (its connections open, its code warm), so the keyed ones below overlap more.
        var warmUp = new[] { (await ChargeInServiceAsync(_orders, app, customer, null, 100)).Charge.Id, (await ChargeInServiceAsync(replica, app, customer, null, 100)).Charge.Id };
        var key = new ChargeKey("test", "queued");

        var charged = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => ChargeInServiceAsync(i % 2 == 0 ? _orders : replica, app, customer, key)));

        Assert.All(charged, c => Assert.Equal((charged[0].Charge.Id, 300L, 60L, 240L, 700L),
            (c.Charge.Id, c.Charge.AmountCents, c.Charge.FeeCents, c.Charge.CreatorCents, c.BalanceCents)));
        Assert.Equal(warmUp.Append(charged[0].Charge.Id).Order(), (await ChargeIdsAsync(app)).Order());
        Assert.Equal(700, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
        Assert.Equal(700, await _orders.CachedBalanceAsync(app, customer));
        Assert.Equal(warmUp.Append(charged[0].Charge.Id).Order(), (await _orders.WalletEventsAsync<WalletCharged>(app)).Select(e => e.ChargeId).Order());
    }

    [Fact]
    public async Task A_retry_that_runs_while_the_first_attempt_waits_for_the_wallet_on_another_replica_answers_the_first_attempts_charge()
    {
        // The retry of a lost answer can reach another replica while the first attempt's transaction still runs:
        // both statements start before either has booked, and one finds the other's booking only when it commits.
        // A transaction holding the wallet row (as a deposit does while it books) makes that overlap certain.
        await using var replica = await OrdersTestHost.StartAsync(infrastructure);
        var (app, customer, _) = await _orders.FundedAsync(1000);
        await using var data = NpgsqlDataSource.Create(infrastructure.Database("orders"));
        await using var holder = await data.OpenConnectionAsync();
        await using var holding = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("select 1 from orders.wallets where app_id = $1 and customer_id = $2 for update", holder, holding))
        {
            lockRow.Parameters.Add(new NpgsqlParameter { Value = app });
            lockRow.Parameters.Add(new NpgsqlParameter { Value = customer });
            await lockRow.ExecuteNonQueryAsync();
        }
        var key = new ChargeKey("test", "overlapping");

        var first = ChargeInServiceAsync(_orders, app, customer, key);
        var retry = ChargeInServiceAsync(replica, app, customer, key);
        await WaitForChargesWaitingOnALockAsync(data, 2);
        await holding.RollbackAsync();
        var answers = await Task.WhenAll(first, retry);

        Assert.Equal((answers[0].Charge.Id, 700L), (answers[1].Charge.Id, answers[1].BalanceCents));
        Assert.Equal([answers[0].Charge.Id], await ChargeIdsAsync(app));
        Assert.Equal(700, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
        Assert.Equal(700, await _orders.CachedBalanceAsync(app, customer));
        Assert.Equal([answers[0].Charge.Id], (await _orders.WalletEventsAsync<WalletCharged>(app)).Select(e => e.ChargeId));
    }

    [Fact]
    public async Task Different_keys_modes_and_apps_and_charges_without_a_key_book_separately()
    {
        var (app, customer, client) = await _orders.FundedAsync(1000);
        var live = _orders.ClientAs(TestIdentity.SecretKey(app) with { Mode = "live" });
        var body = new { customerId = customer, amountCents = 100, description = "Each" };

        var answers = new[]
        {
            await ChargeAsync(client, app, "key-1", body),
            await ChargeAsync(client, app, "key-2", body),
            await ChargeAsync(live, app, "key-1", body),
            await ChargeAsync(client, app, null, body),
            await ChargeAsync(client, app, null, body),
        };
        // Another app using the same key charges its own customer.
        var (otherApp, otherCustomer, otherClient) = await _orders.FundedAsync(1000);
        var other = await ChargeAsync(otherClient, otherApp, "key-1", new { customerId = otherCustomer, amountCents = 100, description = "Each" });

        Assert.All(answers.Append(other), a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.Equal(5, answers.Select(a => Charge(a.Body).Id).Distinct().Count());
        Assert.Equal(5, (await ChargeIdsAsync(app)).Count);
        Assert.Equal(500, await _orders.LedgerBalanceAsync(app, LedgerAccounts.Wallet(customer)));
        Assert.Equal(900, await _orders.LedgerBalanceAsync(otherApp, LedgerAccounts.Wallet(otherCustomer)));
        Assert.DoesNotContain(Charge(other.Body).Id, answers.Select(a => Charge(a.Body).Id));
    }

    /// <summary>The service's charge path below the middleware (the queue and its statement), as a retry without the key's record reaches it.</summary>
    private static Task<(LedgerTransaction Charge, long BalanceCents)> ChargeInServiceAsync(TestService orders, string app, string customer, ChargeKey? key,
        long cents = 300) => orders.InScopeAsync(s =>
            s.GetRequiredService<WalletCharges>().ChargeAsync(app, customer, cents, "cr_q", "Queued", key, CancellationToken.None));

    /// <summary>Waits (no time limit of its own: the test run's) until that many charge statements wait for a row lock.</summary>
    private static async Task WaitForChargesWaitingOnALockAsync(NpgsqlDataSource data, int count)
    {
        await using var waiting = data.CreateCommand("""
            select count(*) from pg_stat_activity
            where wait_event_type = 'Lock' and query like '%update orders.wallets set balance_cents = balance_cents -%'
            """);
        while ((long)(await waiting.ExecuteScalarAsync())! < count) await Task.Delay(10);
    }

    private sealed record ChargeAnswer(string Id, string CustomerId, string? CreatorId, long AmountCents, long FeeCents, long CreatorCents,
        string Description, long BalanceCents, DateTimeOffset CreatedAt);

    private static ChargeAnswer Charge(JsonElement body) => body.Deserialize<ChargeAnswer>(JsonDefaults.Options)!;

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ChargeAsync(HttpClient client, string app, string? key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/{app}/billing/wallet/charge") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>What a crash between the charge's commit and storing its answer leaves: no record of the key.</summary>
    private Task ForgetKeyAsync(string app, string key) => _orders.InDbAsync(db =>
        db.Database.ExecuteSqlInterpolatedAsync($"delete from orders.idempotency_keys where owner like {app + ":%"} and key = {key}"));

    private Task<List<string>> ChargeIdsAsync(string app) =>
        _orders.InDbAsync(db => db.LedgerTransactions.Where(t => t.AppId == app && t.Kind == LedgerKind.Charge).Select(t => t.Id).ToListAsync());
}
