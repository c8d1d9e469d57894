// Drives the demo registration page in headless Chromium as a new user would: types a password that is too short,
// one that is the username in disguise, a breached one, a good one, and one whose range the upstream cannot give,
// and checks what the widget says each time (and that it is green only for the good one).
// Run by BrowserTest against the service under test; settings come from the environment.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const base = env("PWCHECK_URL").replace(/\/$/, "");
const outDir = env("OUT_DIR");
const breached = env("BREACHED_PASSWORD");
const breachedMessage = env("BREACHED_MESSAGE");
const clean = env("CLEAN_PASSWORD");
const unavailable = env("UNAVAILABLE_PASSWORD");
const short = env("SHORT_PASSWORD");
const shortMessage = env("SHORT_MESSAGE");
const username = env("USERNAME");
const usernamePassword = env("USERNAME_PASSWORD");
const cleanMessage = "This password was not found in known data breaches.";

mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  // This machine's network is closed: without these, Chromium keeps trying to reach Google's hosts.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const failures = [];
const check = (condition, what) => {
  if (!condition) failures.push(what);
  console.log(`${condition ? "ok  " : "FAIL"} ${what}`);
};

try {
  const page = await browser.newPage({ viewport: { width: 720, height: 640 } });
  const requests = [];
  page.on("request", (request) => requests.push(request));
  const response = await page.goto(`${base}/demo/register.html`);
  check(response.ok(), "the demo page loads");

  const password = page.locator("#password");
  const message = page.locator("#password-breach");
  check((await message.getAttribute("aria-live")) === "polite", "the message is an aria-live region");
  check((await password.getAttribute("aria-describedby"))?.includes("password-breach"), "the input is described by the message");

  const state = () => page.evaluate(() => document.querySelector("#password-breach").dataset.pwcheckState);
  const settle = (wanted) => page.waitForFunction((w) => document.querySelector("#password-breach").dataset.pwcheckState === w,
    wanted, { timeout: 10000 });

  // Too short for the registration rule: said why, not green, whatever the corpus says.
  await password.pressSequentially(short, { delay: 40 });
  await settle("refused");
  check((await message.textContent()) === shortMessage, `too short: "${await message.textContent()}"`);
  check((await password.getAttribute("aria-invalid")) === "true", "a refused password marks the input invalid");
  await page.screenshot({ path: join(outDir, "too-short.png") });

  // The username, in leetspeak with punctuation around it: refused for being the username.
  await page.locator("#username").fill(username);
  await password.fill("");
  await password.pressSequentially(usernamePassword, { delay: 40 });
  await settle("refused");
  check((await message.textContent()) === "Don't use your username.", `username: "${await message.textContent()}"`);
  await page.screenshot({ path: join(outDir, "username.png") });

  // A breached password, typed key by key.
  await password.fill("");
  await password.pressSequentially(breached, { delay: 40 });
  await page.waitForFunction(() => document.querySelector("#password-breach").dataset.pwcheckState === "breached", null, { timeout: 10000 });
  check((await message.textContent()) === breachedMessage, `breached: "${await message.textContent()}"`);
  check((await password.getAttribute("aria-invalid")) === "true", "a breached password marks the input invalid");
  await page.screenshot({ path: join(outDir, "breached.png") });

  // A clean one.
  await password.fill("");
  await password.pressSequentially(clean, { delay: 40 });
  await page.waitForFunction(() => document.querySelector("#password-breach").dataset.pwcheckState === "clean", null, { timeout: 10000 });
  check((await message.textContent()) === cleanMessage, `clean: "${await message.textContent()}"`);
  check((await password.getAttribute("aria-invalid")) === null, "a clean password leaves the input valid");
  await page.screenshot({ path: join(outDir, "clean.png") });

  // The upstream cannot give this range: the service answers 503, and the widget must say nothing misleading.
  await password.fill("");
  const failed = page.waitForResponse((r) => r.url().includes("/range/"), { timeout: 15000 });
  await password.pressSequentially(unavailable, { delay: 40 });
  const rangeAnswer = await failed;
  await page.waitForFunction(() => document.querySelector("#password-breach").dataset.pwcheckState === "unknown", null, { timeout: 15000 });
  check(rangeAnswer.status() === 503, `the range is unavailable (HTTP ${rangeAnswer.status()})`);
  check((await message.textContent()) === "" && (await message.isHidden()), "unknown shows no message");
  await page.locator("button[type=submit]").click();
  await page.waitForFunction(() => document.querySelector("#submitted").textContent === "Submitted.", null, { timeout: 5000 });
  check(true, "submitting is not blocked while the answer is unknown");
  await page.screenshot({ path: join(outDir, "unavailable.png") });

  // Nothing but 5-hex prefixes ever left the page.
  const ranges = requests.filter((r) => r.url().includes("/range/"));
  check(ranges.length >= 3, `range requests made: ${ranges.length}`);
  check(ranges.every((r) => /\/range\/[0-9A-F]{5}$/.test(new URL(r.url()).pathname)), "each range request carries only a 5-hex prefix");
  check(ranges.every((r) => r.headers()["add-padding"] === "true"), "each range request asks for padding");
  const leaked = requests.filter((r) => [breached, clean, unavailable, short, usernamePassword].some((p) => r.url().includes(encodeURIComponent(p)) || (r.postData() || "").includes(p)));
  check(leaked.length === 0, "no request carries a typed password");
  check(!requests.some((r) => r.url().includes("/v1/")), "the page never calls the check endpoint");
  check(!requests.some((r) => r.url().includes(encodeURIComponent(username))), "no request carries the username");
  check((await state()) !== "clean", "the last state is not green");
} finally {
  await browser.close();
}

if (failures.length > 0) {
  console.error(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log("all browser checks passed");
