// The developer's billing dashboard. No framework and no build step: the data comes from the gateway's
// /dashboard/* routes with the account token kept in sessionStorage; every value is set with textContent.
(() => {
  "use strict";
  const TOKEN = "billing.accountToken";
  const COLORS = ["#0969da", "#1f883d", "#9a6700", "#8250df", "#cf222e", "#1b7c83"];
  const $ = (id) => document.getElementById(id);
  const svgNs = "http://www.w3.org/2000/svg";

  async function call(method, path, body) {
    const response = await fetch(path, {
      method,
      headers: { Authorization: "Bearer " + sessionStorage.getItem(TOKEN), "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(json.detail || json.title || "HTTP " + response.status);
    return json;
  }

  function showError(error) { $("error").textContent = error ? String(error.message || error) : ""; }

  function number(value) { return Number(value).toLocaleString("en-US"); }

  function renderBilling(billing) {
    $("tier").textContent = billing.tier;
    $("status").textContent = billing.status;
    $("period").textContent = billing.period.startDate + " – " + billing.period.endDate;
    const limits = $("limits");
    limits.replaceChildren();
    const meter = $("meter");
    for (const usage of billing.usage) {
      if (![...meter.options].some((o) => o.value === usage.meter)) meter.add(new Option(usage.meter, usage.meter));
      const row = document.createElement("div");
      row.className = "row";
      row.dataset.meter = usage.meter;
      const name = document.createElement("span");
      name.textContent = usage.meter;
      const bar = document.createElement("div");
      bar.className = "bar";
      const fill = document.createElement("div");
      const percent = usage.limit ? Math.min(100, (usage.quantity * 100) / usage.limit) : 0;
      fill.style.width = percent + "%";
      if (usage.limit && usage.quantity >= usage.limit) bar.classList.add("over");
      bar.append(fill);
      const text = document.createElement("span");
      text.className = "figures";
      text.textContent = number(usage.quantity) + " / " + (usage.limit == null ? "no limit" : number(usage.limit)) + " " + usage.unit;
      row.append(name, bar, text);
      limits.append(row);
    }
  }

  // One bar per (day, meter): days along x, meters side by side within a day, each meter scaled to its own maximum.
  function renderChart(points, start, end) {
    const chart = $("chart");
    chart.replaceChildren();
    const days = [];
    for (let d = new Date(start + "T00:00:00Z"); d <= new Date(end + "T00:00:00Z"); d.setUTCDate(d.getUTCDate() + 1))
      days.push(d.toISOString().slice(0, 10));
    const meters = [...new Set(points.map((p) => p.meter))].sort();
    const max = Object.fromEntries(meters.map((m) => [m, Math.max(...points.filter((p) => p.meter === m).map((p) => p.quantity), 1)]));
    const width = 900, height = 240, left = 10, bottom = 20;
    const slot = (width - left) / Math.max(days.length, 1);
    const barWidth = Math.max(1, (slot * 0.8) / Math.max(meters.length, 1));
    const svg = document.createElementNS(svgNs, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", "100%");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "Daily usage per meter");
    for (const point of points) {
      const x = left + days.indexOf(point.date) * slot + meters.indexOf(point.meter) * barWidth;
      const h = ((height - bottom - 10) * point.quantity) / max[point.meter];
      const rect = document.createElementNS(svgNs, "rect");
      rect.setAttribute("x", x);
      rect.setAttribute("y", height - bottom - h);
      rect.setAttribute("width", barWidth);
      rect.setAttribute("height", h);
      rect.setAttribute("fill", COLORS[meters.indexOf(point.meter) % COLORS.length]);
      rect.dataset.date = point.date;
      rect.dataset.meter = point.meter;
      rect.dataset.quantity = point.quantity;
      const title = document.createElementNS(svgNs, "title");
      title.textContent = `${point.date} ${point.meter}: ${number(point.quantity)}`;
      rect.append(title);
      svg.append(rect);
    }
    const first = document.createElementNS(svgNs, "text");
    first.setAttribute("x", left);
    first.setAttribute("y", height - 4);
    first.textContent = start;
    const last = document.createElementNS(svgNs, "text");
    last.setAttribute("x", width - 80);
    last.setAttribute("y", height - 4);
    last.textContent = end;
    svg.append(first, last);
    const legend = document.createElement("p");
    legend.id = "legend";
    legend.textContent = meters.length ? "Meters: " + meters.join(", ") : "No usage in this range.";
    chart.append(svg, legend);
  }

  async function loadUsage() {
    const start = $("start").value, end = $("end").value, meter = $("meter").value;
    const query = new URLSearchParams({ startDate: start, endDate: end });
    if (meter) query.set("meterType", meter);
    const history = await call("GET", "/dashboard/usage?" + query);
    renderChart(history.data, start, end);
    $("chart").dataset.loaded = query.toString();
  }

  async function load() {
    showError();
    try {
      renderBilling(await call("GET", "/dashboard/billing"));
      $("signin").hidden = true;
      $("account").hidden = false;
      $("signout").hidden = false;
      await loadUsage();
    } catch (error) {
      showError(error);
    }
  }

  async function redirect(path, body) {
    showError();
    try {
      const answer = await call("POST", path, body);
      window.location.assign(answer.url);
    } catch (error) {
      showError(error);
    }
  }

  const today = new Date();
  $("end").value = today.toISOString().slice(0, 10);
  $("start").value = new Date(today.getTime() - 29 * 86400000).toISOString().slice(0, 10);
  $("signin-button").addEventListener("click", () => {
    sessionStorage.setItem(TOKEN, $("token").value.trim());
    $("token").value = "";
    load();
  });
  $("signout").addEventListener("click", () => { sessionStorage.removeItem(TOKEN); window.location.reload(); });
  $("apply").addEventListener("click", () => loadUsage().catch(showError));
  const here = window.location.origin + "/dashboard";
  $("upgrade").addEventListener("click", () => redirect("/dashboard/billing/checkout", {
    tier: $("upgrade-tier").value, billingInterval: $("upgrade-interval").value, successUrl: here + "?upgraded=1", cancelUrl: here,
  }));
  $("manage").addEventListener("click", () => redirect("/dashboard/billing/portal", { returnUrl: here }));
  if (sessionStorage.getItem(TOKEN)) load();
})();
