// pwcheck registration-form widget: says, while the user types, what is wrong with a password: too short or too
// long for the flow's rule, the user's own username (or e-mail, name, or the site's name) in disguise, or seen in
// data breaches; and, in green, that nothing is, only when nothing is.
//
//   <input id="username" autocomplete="username">
//   <input type="password" id="password" autocomplete="new-password">
//   <p id="password-breach" hidden></p>
//   <script type="module">
//     import { attach } from "https://pwcheck.example.org/widget/pwcheck.js";
//     attach(document.getElementById("password"), {
//       output: document.getElementById("password-breach"),
//       flow: "registration",                                 // whose rule: GET /widget/rules?flow=registration
//       context: { username: document.getElementById("username") },  // fields whose values must not be the password
//     });
//   </script>
//
// The password never leaves the browser: the rule is applied here (the same rule the check endpoint applies, read
// from /widget/rules), and for the corpus it is hashed with WebCrypto SHA-1 and only the first 5 hex digits go to the
// service's HIBP-compatible /range endpoint, asking for padding so that the answer's size says nothing.
// The widget only advises: it never blocks typing or submitting, and when it cannot find out (network error,
// timeout, service unavailable, no WebCrypto) it says nothing about the corpus rather than something that could
// mislead. The server-side check of the flow is what enforces the rule.

const DEFAULTS = {
  // The /range endpoint of the service this module was loaded from.
  endpoint: new URL("../range/", import.meta.url).href,
  // Where the flow's rule is read from (null: apply no rule but the corpus).
  rulesEndpoint: new URL("./rules", import.meta.url).href,
  flow: "registration",
  // A person creating a password on a form has no second factor yet: the single-factor length applies (NIST 15).
  mfa: false,
  // Inputs (or functions returning a string) whose values must not be the password: username, email, name.
  context: {},
  debounceMs: 300,
  timeoutMs: 3000,
  // Seen fewer times than this counts as not found, as pwcheck.min-count does on the server.
  minCount: 1,
  // The count is how many times the password was seen across all breaches, not a number of breaches.
  breachedMessage: (count) =>
    `This password has been seen ${count.toLocaleString("en-US")} ${count === 1 ? "time" : "times"} in data breaches. Choose another.`,
  cleanMessage: "This password was not found in known data breaches.",
  reasonMessages: {
    "too-short": (reason) => `Use at least ${reason.min} characters.`,
    "too-long": (reason) => `Use a shorter password (at most ${reason.max} bytes).`,
    "context-word": (reason) => ({
      service: "Don't use the name of this site.",
      username: "Don't use your username.",
      email: "Don't use your e-mail address.",
      name: "Don't use your name.",
    })[reason.field],
  },
};

// The context-word rule, as the service applies it (dev.pwcheck.check.ContextWords): case-folded, letters for the
// usual symbols, digits and punctuation around it ignored, and within one edit of a word of 4 or more characters.
const UNLEET = { "0": "o", "1": "l", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s", "7": "t" };
const strip = (s) => s.replace(/^\P{L}+/u, "").replace(/\P{L}+$/u, "");
const unleet = (s) => Array.from(s, (c) => UNLEET[c] || c).join("");

export function forms(value) {
  const folded = value.normalize("NFKC").toLowerCase();
  return [...new Set([unleet(strip(folded)), strip(unleet(folded))])];
}

export function wordsOf(value) {
  const words = [...forms(value)];
  for (const part of value.split(/[^\p{L}\p{N}@$]+/u)) {
    if (part !== value) {
      words.push(...forms(part));
    }
  }
  return [...new Set(words)].filter((w) => Array.from(w).length >= 4);
}

function withinOneEdit(a, b) {
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length > b.length) [a, b] = [b, a];
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (i === a.length) return true;
  return a.length === b.length ? a.slice(i + 1) === b.slice(i + 1) : a.slice(i) === b.slice(i + 1);
}

const matches = (passwordForms, words) => passwordForms.some((f) => words.some((w) => withinOneEdit(f, w)));

/** The reasons a password breaks a flow's rule, as the check endpoint would list them (without the corpus). */
export function ruleReasons(password, rules, context = {}, mfa) {
  if (!rules) return [];
  const reasons = [];
  const least = mfa === false && rules.minLengthSingleFactor > 0 ? rules.minLengthSingleFactor : rules.minLength;
  if (least > 0 && Array.from(password.normalize("NFC")).length < least) {
    reasons.push({ code: "too-short", min: least });
  }
  if (rules.maxBytes > 0 && new TextEncoder().encode(password).length > rules.maxBytes) {
    reasons.push({ code: "too-long", max: rules.maxBytes });
  }
  if (rules.refuseContextWords) {
    const f = forms(password);
    const at = context.email ? context.email.lastIndexOf("@") : -1;
    const email = context.email ? (at > 0 ? context.email.slice(0, at) : context.email) : null;
    const fields = [["service", null], ["username", context.username], ["email", email], ["name", context.name]];
    for (const [field, value] of fields) {
      const words = field === "service" ? rules.serviceWords : value ? wordsOf(value) : [];
      if (matches(f, words)) {
        reasons.push({ code: "context-word", field });
        break;
      }
    }
  }
  return reasons;
}

/** The flow's rule from the service, or null when it cannot be had (then only the corpus is checked). */
export async function loadRules(options = {}) {
  const { rulesEndpoint, flow, timeoutMs } = { ...DEFAULTS, ...options };
  if (!rulesEndpoint) return null;
  try {
    const url = new URL(rulesEndpoint);
    url.searchParams.set("flow", flow);
    const response = await fetch(url, { credentials: "omit", signal: AbortSignal.timeout(timeoutMs) });
    return response.ok ? await response.json() : null;
  } catch (error) {
    return null;
  }
}

/** SHA-1 of the UTF-8 bytes, uppercase hex, as the corpus was hashed. */
async function sha1Hex(text) {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
}

/**
 * How many times the password appears in the corpus, by k-anonymity through /range/{prefix}.
 * Resolves to a count (0 when absent), or rejects when the answer cannot be had.
 */
export async function breachCount(password, options = {}) {
  const { endpoint, timeoutMs, signal } = { ...DEFAULTS, ...options };
  const hash = await sha1Hex(password);
  const prefix = hash.slice(0, 5);
  const suffix = hash.slice(5);
  const timeout = AbortSignal.timeout(timeoutMs);
  const response = await fetch(new URL(prefix, endpoint), {
    headers: { "Add-Padding": "true" },
    credentials: "omit",
    signal: signal && AbortSignal.any ? AbortSignal.any([signal, timeout]) : signal || timeout,
  });
  if (!response.ok) {
    throw new Error(`range lookup failed: HTTP ${response.status}`);
  }
  for (const line of (await response.text()).split("\n")) {
    const [lineSuffix, count] = line.trim().split(":");
    if (lineSuffix === suffix) {
      return Number.parseInt(count, 10) || 0;
    }
  }
  return 0;
}

/**
 * Watches a password input and writes what is wrong with it (or, in green, that nothing is) into an output element
 * (made an aria-live status region). Returns a function that detaches the widget. Each answer is also announced as a
 * "pwcheck" event on the input, detail {state: "breached" | "refused" | "clean" | "unknown" | "empty", count,
 * reasons} (reasons as the check endpoint names them: code and min, max, field or count).
 */
export function attach(input, options = {}) {
  const settings = { ...DEFAULTS, ...options };
  const output = settings.output || createOutput(input);
  output.setAttribute("role", "status");
  output.setAttribute("aria-live", "polite");
  if (!output.id) {
    output.id = `pwcheck-${Math.random().toString(36).slice(2)}`;
  }
  const describedBy = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  if (!describedBy.includes(output.id)) {
    input.setAttribute("aria-describedby", [...describedBy, output.id].join(" "));
  }

  let timer = null;
  let inFlight = null;
  let generation = 0;
  const rules = loadRules(settings);
  const contextValue = (source) =>
    typeof source === "function" ? source() : source && "value" in source ? source.value : typeof source === "string" ? source : null;
  const context = () => Object.fromEntries(Object.entries(settings.context || {}).map(([k, v]) => [k, contextValue(v) || null]));
  const sentence = (reason) => (settings.reasonMessages[reason.code] || (() => ""))(reason) || "";

  const show = (state, count, text, reasons = []) => {
    output.textContent = text;
    output.hidden = text === "";
    output.dataset.pwcheckState = state;
    if (state === "breached" || state === "refused") {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
    input.dispatchEvent(new CustomEvent("pwcheck", { detail: { state, count, reasons } }));
  };

  const check = async () => {
    const password = input.value;
    const mine = ++generation;
    inFlight?.abort();
    if (password === "") {
      show("empty", 0, "");
      return;
    }
    if (!(globalThis.crypto && crypto.subtle)) {
      // No WebCrypto (a page served over plain http from a remote host): the rule alone, nothing about the corpus.
      const reasons = ruleReasons(password, await rules, context(), settings.mfa);
      if (mine === generation) {
        show(reasons.length > 0 ? "refused" : "unknown", 0, reasons.map(sentence).filter(Boolean).join(" "), reasons);
      }
      return;
    }
    inFlight = new AbortController();
    const reasons = ruleReasons(password, await rules, context(), settings.mfa);
    const said = reasons.map(sentence).filter(Boolean);
    try {
      const count = await breachCount(password, { ...settings, signal: inFlight.signal });
      if (mine !== generation) {
        return; // the user typed on; a newer check owns the message
      }
      if (count >= settings.minCount) {
        show("breached", count, [settings.breachedMessage(count), ...said].join(" "), [{ code: "breached", count }, ...reasons]);
      } else if (reasons.length > 0) {
        show("refused", 0, said.join(" "), reasons);
      } else {
        show("clean", 0, settings.cleanMessage, []);
      }
    } catch (error) {
      if (mine === generation) {
        // The corpus could not be asked: the rule's own reasons still stand, and nothing is said to be fine.
        show(reasons.length > 0 ? "refused" : "unknown", 0, said.join(" "), reasons);
      }
    }
  };

  const onInput = () => {
    clearTimeout(timer);
    // Clear at once: an old verdict must not stand next to a password it was not about.
    if (output.dataset.pwcheckState !== "empty") {
      output.textContent = "";
      output.hidden = true;
      output.dataset.pwcheckState = "pending";
      input.removeAttribute("aria-invalid");
    }
    timer = setTimeout(check, settings.debounceMs);
  };

  input.addEventListener("input", onInput);
  return () => {
    input.removeEventListener("input", onInput);
    clearTimeout(timer);
    inFlight?.abort();
  };
}

function createOutput(input) {
  const output = document.createElement("p");
  output.className = "pwcheck-message";
  output.hidden = true;
  input.insertAdjacentElement("afterend", output);
  return output;
}
