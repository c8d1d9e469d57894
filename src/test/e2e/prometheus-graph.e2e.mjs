// Opens Prometheus's own graph page (the classic UI Debian's package serves) with the dashboard's main expressions
// graphed over the last minutes, and saves a screenshot. Run by MonitoringIT against the Prometheus it started.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const base = env("PROMETHEUS_URL").replace(/\/$/, "");
const expressions = JSON.parse(env("EXPRESSIONS"));
const out = env("OUT_FILE");
mkdirSync(dirname(out), { recursive: true });

const query = expressions
  .map((expr, i) => `g${i}.expr=${encodeURIComponent(expr)}&g${i}.tab=0&g${i}.range_input=1m&g${i}.stacked=0`)
  .join("&");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${base}/classic/graph?${query}`, { waitUntil: "networkidle" });
  // The fixed navigation bar would be painted across the middle of a full-page screenshot.
  await page.addStyleTag({ content: ".navbar { position: static !important; } body { padding-top: 0 !important; }" });
  // Each graph draws an SVG once its query has answered.
  await page.waitForFunction((n) => document.querySelectorAll(".graph_area svg").length >= n, expressions.length, { timeout: 30000 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out} with ${expressions.length} graphs`);
} finally {
  await browser.close();
}
