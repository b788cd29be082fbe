#!/usr/bin/env node
// `npm run send -- <source> [options]`: sends a signed, realistic sample event to any
// configured source, signed exactly as its preset's vectors are (scripts/signers.mjs), and
// says what the answer means (docs/reasons.json, shared with the README).
//
//   npm run send -- demo                     a new event (expect 200 accepted)
//   npm run send -- demo --id evt_1          twice: the second is 200 duplicate, not forwarded
//   npm run send -- stripe --skew=-600       signed 10 minutes ago: 401 timestamp_too_old
//   npm run send -- stripe --wrong-secret    401 signature_mismatch
//   npm run send -- github --body push.json  your own body, signed
//   npm run send -- slack --handshake        the provider's URL check (presets with one)
//   --env production   read [env.production.vars.HOOKGATE] (and .dev.vars.production)
//   --url http://127.0.0.1:8787   where hookgate listens (default; or HOOKGATE_URL)
//   --config wrangler.toml        another wrangler file
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { devVar } from "./dev-vars.mjs";
import { UNSIGNABLE, signerFiles, signerFor } from "./signers.mjs";

export const REASONS = JSON.parse(readFileSync(new URL("../docs/reasons.json", import.meta.url), "utf8")).codes;

const SUCCESS = {
  accepted: "handed on: the origin answered 2xx (npm run origin prints it)",
  duplicate: "already handed on within the dedupe window: not forwarded again (send without --id for a new event)",
  queued: "sent to the Queue: the consumer delivers it to the origin",
};

/** The HOOKGATE variable of the wrangler file (`env`: one environment's), as wrangler reads it. */
export async function readHookgate({ config, env } = {}) {
  const { unstable_readConfig } = await import("wrangler");
  const read = unstable_readConfig({ config, env }, { hideWarnings: true });
  if (env && Array.isArray(read.definedEnvironments) && !read.definedEnvironments.includes(env)) {
    throw new Error(`no environment "${env}" in ${read.configPath ?? "the wrangler file"} (defined: ${read.definedEnvironments.join(", ") || "none"})`);
  }
  const value = read.vars?.HOOKGATE;
  if (value === undefined) throw new Error(`no [${env ? `env.${env}.` : ""}vars.HOOKGATE] in ${read.configPath ?? "the wrangler file"}`);
  return typeof value === "string" ? JSON.parse(value) : value;
}

/** A secret of the same shape that is certainly not `value` (for --wrong-secret). */
export function wrongSecret(value) {
  const m = /^(whsec_|whpk_)(.+)$/.exec(value);
  if (m) return `${m[1]}${randomBytes(Buffer.from(m[2], "base64").length || 24).toString("base64")}`;
  const at = /^[a-z]+_/.exec(value)?.[0].length ?? 0;
  const c = value[at] ?? "a";
  const swap = /[0-9a-f]/.test(c) ? (c === "0" ? "1" : "0") : c === "A" ? "B" : "A";
  return `${value.slice(0, at)}${swap}${value.slice(at + 1)}`;
}

/**
 * Sends one sample event. `hookgate`: the HOOKGATE configuration; `secret(name)`: a secret
 * binding's value. Returns { status, text, json, code, says, fix, request }.
 */
export async function sendEvent({ hookgate, source: name, secret, base = "http://127.0.0.1:8787", id, skewSecs = 0, wrong = false, body: bodyText, handshake = false }) {
  const src = hookgate.sources?.[name];
  if (!src) throw new Error(`no source "${name}" (configured: ${Object.keys(hookgate.sources ?? {}).join(", ") || "none"})`);
  const scheme = src.scheme ?? {};
  const signer = await signerFor(scheme);
  if (UNSIGNABLE[scheme.type]) throw new Error(`source "${name}": no sample for preset "${scheme.type}": ${UNSIGNABLE[scheme.type]}`);
  if (!signer) throw new Error(`source "${name}": preset "${scheme.type}" has no sample signer yet (scripts/vectors/${scheme.type}.mjs exports none)`);
  const nowSecs = Math.floor(Date.now() / 1000);
  const keyRef = (src.secrets ?? []).find((s) => s.not_after === undefined || (typeof s.not_after === "number" ? s.not_after : Date.parse(s.not_after) / 1000) >= nowSecs) ?? src.secrets?.[0];
  if (!keyRef) throw new Error(`source "${name}" has no secrets`);
  const value = secret(keyRef.env);
  if (value === undefined) throw new Error(`secret ${keyRef.env} (sources.${name}.secrets) is not set: add it to .dev.vars`);
  const key = wrong ? wrongSecret(value) : value;
  const url = base.includes("/hooks/") ? base : `${base.replace(/\/$/, "")}/hooks/${name}`;
  const at = nowSecs + skewSecs;
  const eventId = id ?? `evt_${randomUUID().replaceAll("-", "")}`;
  let request;
  if (handshake) {
    if (!signer.handshake) throw new Error(`preset "${scheme.type}" has no handshake sample`);
    const verifyToken = src.verify_token ? secret(src.verify_token) : undefined;
    request = signer.handshake({ key, url, nowSecs: at, verifyToken: wrong ? `${verifyToken}x` : verifyToken });
  } else {
    const body = bodyText ?? signer.sample({ id: eventId, nowSecs: at });
    const signed = signer.sign({ key, body, nowSecs: at, url, id: eventId, scheme });
    // A scheme that signs inside the body (Mailgun) returns the body it signed.
    request = { method: "POST", url: signed.url ?? url, headers: signed.headers, body: signed.body ?? body };
  }
  let res;
  try {
    res = await fetch(request.url, { method: request.method, headers: request.headers, body: request.method === "GET" ? undefined : request.body, redirect: "manual" });
  } catch (e) {
    throw new Error(`could not reach hookgate at ${new URL(request.url).origin} (${e.cause?.code ?? e.message}): is \`npm start\` running? (--url for another address)`);
  }
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const code = json?.error ?? json?.status ?? null;
  const reason = json?.error ? REASONS[json.error] : undefined;
  return {
    status: res.status,
    text,
    json,
    code,
    says: reason?.says ?? SUCCESS[json?.status] ?? (res.ok ? "answered at the edge" : undefined),
    fix: reason?.fix,
    eventId,
    request,
    timestamped: signer.timestamped,
    bodyTimestamp: signer.bodyTimestamp,
  };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      env: { type: "string" },
      config: { type: "string" },
      url: { type: "string", default: process.env.HOOKGATE_URL || "http://127.0.0.1:8787" },
      id: { type: "string" },
      skew: { type: "string" },
      "wrong-secret": { type: "boolean", default: false },
      body: { type: "string" },
      handshake: { type: "boolean", default: false },
      list: { type: "boolean", default: false },
    },
  });
  if (values.list) {
    console.log(Object.keys(await signerFiles()).sort().join(" "));
    return;
  }
  const name = positionals[0] ?? "demo";
  const hookgate = await readHookgate({ config: values.config, env: values.env });
  const skewSecs = values.skew === undefined ? 0 : Number(values.skew);
  if (!Number.isInteger(skewSecs)) throw new Error(`--skew ${values.skew}: seconds, such as -600 (ten minutes ago) or 600`);
  const r = await sendEvent({
    hookgate,
    source: name,
    secret: (n) => devVar(n, values.env),
    base: values.url,
    id: values.id,
    skewSecs,
    wrong: values["wrong-secret"],
    body: values.body === undefined ? undefined : readFileSync(values.body, "utf8"),
    handshake: values.handshake,
  });
  const applied = new Set(["type", "token_header", "token_query", "basic_user", "handshake"]);
  const ignored = Object.keys(hookgate.sources[name].scheme ?? {}).filter((k) => !applied.has(k));
  if (hookgate.sources[name].scheme?.type !== "hmac" && ignored.length) console.log(`note: the sample is signed with the preset's defaults; these overrides are not applied: ${ignored.join(", ")}`);
  if (skewSecs && !r.timestamped) console.log(`note: preset "${hookgate.sources[name].scheme.type}" signs no timestamp: --skew cannot be refused (dedupe stops replays there)`);
  if (skewSecs && r.bodyTimestamp && values.body !== undefined) console.log("note: the timestamp is inside your --body: --skew did not change it");
  console.log(`${r.request.method} ${r.request.url}${r.request.method === "POST" ? ` (event ${r.eventId})` : ""}`);
  console.log(`${r.status} ${r.text}`);
  if (r.says) console.log(`${r.code ?? r.status}: ${r.says}`);
  if (r.fix) console.log(`what to do: ${r.fix}`);
  process.exitCode = r.status >= 200 && r.status < 300 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e) => {
    console.error(`send: ${e.message}`);
    process.exitCode = 2;
  });
}
