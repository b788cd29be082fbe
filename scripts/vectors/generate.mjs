// Writes tests/vectors/<name>.json from scripts/vectors/<name>.mjs at a fixed clock and URL,
// after checking every vector against the provider's own verifier where one exists.
//   node scripts/vectors/generate.mjs [name ...]   (all files when no name is given)
// Exits non-zero, writing nothing, when a library disagrees with an accept or signature case.
import { mkdirSync, writeFileSync } from "node:fs";
import { crossCheck } from "./lib.mjs";

const ALL = [
  "stripe", "standard_webhooks", "svix", "github", "github_sha1", "shopify", "slack", "twilio",
  "bindpilot", "sendpilot", "coverkit", "coverkit_override",
  "cowbell", "cowbell_header", "cowbell_basic", "cowbell_ip",
  // The catalogue (src/schemes/catalogue.rs).
  "aftership", "airwallex", "alchemy", "autodesk", "bitbucket", "bolt", "buildkite", "coinbase_commerce", "linear", "pinwheel", "pleo",
  "gocardless", "intercom", "mux", "razorpay", "sentry", "typeform",
  "chargebee", "gitlab", "modern_treasury", "pagerduty", "persona", "postmark", "pusher", "tailscale", "woocommerce",
  "easypost", "lithic", "square",
  "circleci", "hubspot", "terraform", "zendesk", "nango", "port", "docusign", "orb", "box_v2", "conformity", "frameio", "nexus",
  "brex", "chargify", "heroku", "jira", "launchdarkly", "webex",
  "calendly", "castle", "clearbit", "clerk", "go1", "openai", "paddle", "replicate", "resend", "vercel", "workos",
  "incident_io", "mongodb_atlas", "rutter", "segment", "stytch", "telnyx", "tiktok", "veriff",
  "hostedhooks", "microsoft_teams", "signal_sciences",
  // Coded schemes the recipe engine cannot express (src/schemes/<name>.rs).
  "mailgun", "hygraph", "contentful", "checkbook", "plivo", "adyen",
  "beehiiv", "bigcommerce", "guesty", "nash", "openclaw", "orbit", "pandadoc", "psi_fi", "render", "safebase", "sardine", "vapi", "vmware_workspace_one",
  // Public-key signatures verified with WebCrypto in the Worker.
  "sendgrid", "amazon_sns", "paypal", "orum",
  // Providers that check the URL (handshakes, src/handshake.rs).
  "adobe_sign", "discord", "dropbox", "facebook", "facebook_messenger", "instagram", "mailchimp", "okta", "twitter", "whatsapp", "worldline", "x", "xero", "zoom",
];
const NOW_SECS = 1767225600; // 2026-01-01T00:00:00Z
const urlFor = (name) => `https://hooks.example.com/hooks/${name}`;

const NAMES = process.argv.length > 2 ? process.argv.slice(2) : ALL;
const outDir = new URL("../../tests/vectors/", import.meta.url);
const files = [];
const failures = [];
const notes = [];
for (const name of NAMES) {
  const mod = await import(`./${name}.mjs`);
  const cases = mod.cases({ nowSecs: NOW_SECS, url: urlFor(name) });
  const seen = new Set();
  for (const c of cases) {
    if (seen.has(c.name)) failures.push(`${name}: duplicate case name "${c.name}"`);
    seen.add(c.name);
  }
  if (mod.verify) {
    const r = await crossCheck(name, cases, mod.verify);
    failures.push(...r.failures);
    notes.push(...r.notes);
  }
  files.push({ name, doc: { provider: name, generator: mod.generator, source: mod.source, cases } });
}

for (const n of notes) console.error(`note: ${n}`);
if (failures.length) {
  for (const f of failures) console.error(`FAIL: ${f}`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
for (const { name, doc } of files) {
  writeFileSync(new URL(`${name}.json`, outDir), JSON.stringify(doc, null, 2) + "\n");
  console.log(`tests/vectors/${name}.json: ${doc.cases.length} cases`);
}
