// Drives the Stripe sandbox with the official stripe npm SDK: customer, product, price, a
// subscription checkout completed through the sandbox test helper (raw HTTP: the SDK has no such
// call), then reads the subscription back. Prints one JSON document on stdout.
// Usage: SANDBOX_URL=http://127.0.0.1:12111 STRIPE_KEY=sk_test_x node sdk-flow.js
'use strict';
const http = require('http');
const Stripe = require('stripe');

// A local webhook receiver: every delivery is checked with the SDK's own signature verification.
function startReceiver() {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks), signature: req.headers['stripe-signature'] });
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, received })));
}

async function main() {
  const base = new URL(process.env.SANDBOX_URL || 'http://127.0.0.1:12111');
  const key = process.env.STRIPE_KEY || 'sk_test_sdk';
  const stripe = new Stripe(key, {
    host: base.hostname,
    port: base.port,
    protocol: base.protocol.replace(':', ''),
    maxNetworkRetries: 1,
  });

  const receiver = await startReceiver();
  const endpoint = await stripe.webhookEndpoints.create({
    url: `http://127.0.0.1:${receiver.server.address().port}/hook`, enabled_events: ['checkout.session.completed'],
  });

  const customer = await stripe.customers.create({ email: 'sdk@example.com', metadata: { app_id: 'app_sdk' } });
  const product = await stripe.products.create({ name: 'SDK plan' });
  const price = await stripe.prices.create({
    product: product.id, currency: 'usd', unit_amount: 1900, recurring: { interval: 'month' }, lookup_key: 'sdk_monthly_' + Date.now(),
  });
  const session = await stripe.checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    line_items: [{ price: price.id, quantity: 1 }],
    success_url: 'https://app.example/success?session_id={CHECKOUT_SESSION_ID}',
    subscription_data: { metadata: { app_id: 'app_sdk' }, trial_period_days: 3 },
  });

  const response = await fetch(`${base.origin}/v1/test_helpers/checkout/sessions/${session.id}/complete`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'card=4242424242424242',
  });
  if (!response.ok) throw new Error(`complete failed: ${response.status} ${await response.text()}`);

  const completed = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription', 'line_items'] });
  const subscription = await stripe.subscriptions.retrieve(completed.subscription.id);
  const listed = await stripe.subscriptions.list({ customer: customer.id, limit: 3 });
  const events = await stripe.events.list({ type: 'customer.subscription.*', limit: 10 });
  let notFound = null;
  try { await stripe.customers.retrieve('cus_missing'); } catch (e) { notFound = { type: e.type, code: e.code, status: e.statusCode }; }

  const deadline = Date.now() + 10000;
  while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  receiver.server.close();
  const webhook = receiver.received.map(({ body, signature }) => {
    const event = stripe.webhooks.constructEvent(body, signature, endpoint.secret); // throws when the signature is wrong
    return { type: event.type, session: event.data.object.id };
  })[0] || null;
  let forged = false;
  try { stripe.webhooks.constructEvent(receiver.received[0].body, receiver.received[0].signature, 'whsec_wrong'); } catch (e) { forged = true; }

  console.log(JSON.stringify({
    webhook,
    forged_signature_rejected: forged,
    customer: customer.id,
    session: { id: session.id, url: session.url, status: completed.status, line_items: completed.line_items.data.length },
    subscription: {
      id: subscription.id,
      status: subscription.status,
      customer: subscription.customer,
      price: subscription.items.data[0].price.id,
      metadata: subscription.metadata,
      current_period_end: subscription.items.data[0].current_period_end,
    },
    listed: listed.data.map((s) => s.id),
    event_types: events.data.map((e) => e.type),
    not_found: notFound,
  }));
}

main().catch((e) => { console.error(e && e.stack ? e.stack : e); process.exit(1); });
