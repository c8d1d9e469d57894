// pwcheck registration-form widget: warns, while the user types, that a password has appeared in data breaches.
//
//   <input type="password" id="password" autocomplete="new-password">
//   <p id="password-breach" hidden></p>
//   <script type="module">
//     import { attach } from "https://pwcheck.example.org/widget/pwcheck.js";
//     attach(document.getElementById("password"), { output: document.getElementById("password-breach") });
//   </script>
//
// The password never leaves the browser: it is hashed here with WebCrypto SHA-1, and only the first 5 hex digits
// go to the service's HIBP-compatible /range endpoint, asking for padding so that the answer's size says nothing.
// The widget only advises: it never blocks typing or submitting, and when it cannot find out (network error,
// timeout, service unavailable, no WebCrypto) it shows nothing rather than something that could mislead.

const DEFAULTS = {
  // The /range endpoint of the service this module was loaded from.
  endpoint: new URL("../range/", import.meta.url).href,
  debounceMs: 300,
  timeoutMs: 3000,
  // Seen fewer times than this counts as not found, as pwcheck.min-count does on the server.
  minCount: 1,
  // The count is how many times the password was seen across all breaches, not a number of breaches.
  breachedMessage: (count) =>
    `This password has been seen ${count.toLocaleString("en-US")} ${count === 1 ? "time" : "times"} in data breaches. Choose another.`,
  cleanMessage: "This password was not found in known data breaches.",
};

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
 * Watches a password input and writes the verdict into an output element (made an aria-live status region).
 * Returns a function that detaches the widget. Each answer is also announced as a "pwcheck" event on the input,
 * detail {state: "breached" | "clean" | "unknown" | "empty", count}.
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

  const show = (state, count, text) => {
    output.textContent = text;
    output.hidden = text === "";
    output.dataset.pwcheckState = state;
    if (state === "breached") {
      input.setAttribute("aria-invalid", "true");
    } else {
      input.removeAttribute("aria-invalid");
    }
    input.dispatchEvent(new CustomEvent("pwcheck", { detail: { state, count } }));
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
      // No WebCrypto (a page served over plain http from a remote host): say nothing rather than guess.
      show("unknown", 0, "");
      return;
    }
    inFlight = new AbortController();
    try {
      const count = await breachCount(password, { ...settings, signal: inFlight.signal });
      if (mine !== generation) {
        return; // the user typed on; a newer check owns the message
      }
      if (count >= settings.minCount) {
        show("breached", count, settings.breachedMessage(count));
      } else {
        show("clean", 0, settings.cleanMessage);
      }
    } catch (error) {
      if (mine === generation) {
        show("unknown", 0, "");
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
