// Points a third-party HIBP client library (the npm package "hibp", which nobody here wrote) at the service's
// /range endpoint and compares its count for each password with /v1/passwords/check. Run by HibpClientTest.
import { pwnedPassword } from "hibp";

const base = process.env.PWCHECK_URL.replace(/\/$/, "");
const passwords = JSON.parse(process.env.PASSWORDS);
let failures = 0;

for (const password of passwords) {
  const plain = await pwnedPassword(password, { baseUrl: base, timeoutMs: 5000 });
  const padded = await pwnedPassword(password, { baseUrl: base, timeoutMs: 5000, addPadding: true });
  const response = await fetch(`${base}/v1/passwords/check`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ password }),
  });
  const answer = await response.json();
  const agree = plain === answer.count && padded === answer.count && answer.verdict === (answer.count > 0 ? "breached" : "clean");
  if (!agree) failures++;
  // Counts only: the passwords are test data, but a habit of not printing them is worth keeping.
  console.log(`${agree ? "ok  " : "FAIL"} #${passwords.indexOf(password)}: hibp ${plain} (padded ${padded}), check ${answer.verdict} ${answer.count}`);
}

if (failures > 0) {
  console.error(`${failures} password(s) disagree`);
  process.exit(1);
}
console.log(`hibp and /v1/passwords/check agree on all ${passwords.length} passwords`);
