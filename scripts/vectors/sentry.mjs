// Sentry: `Sentry-Hook-Signature: <hex HMAC-SHA256(client secret, body)>`; Request-ID and Sentry-Hook-Timestamp are not signed, so dedupe keys on the signed body and no window applies.
// Marked an assumption: not confirmed from sentry's documentation in this repository's research.
// Signed with node:crypto as that scheme computes it.
import { bodyPreset } from "./lib.mjs";

const body = JSON.stringify({ action: "created", installation: { uuid: "7a485448" }, data: { issue: { id: "1170820242", title: "Zoë hit an error" } }, actor: { type: "application" } });
export const generator = "node:crypto HMAC-SHA256, hex (an assumption: the scheme as commonly documented)";
export const { source, cases, signer } = bodyPreset({ type: "sentry", label: "sentry", header: "sentry-hook-signature", prefix: "", alg: "sha256", encoding: "hex", body });
