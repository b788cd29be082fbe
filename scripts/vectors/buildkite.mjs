// Buildkite: `X-Buildkite-Signature: timestamp=<unix>,signature=<hex HMAC-SHA256(token, "<t>.<body>")>`;
// 5 min tolerance (Buildkite documents none). No delivery id: dedupe keys on the signed body.
// Signed with node:crypto as Buildkite's docs describe.
import { listPreset } from "./lib.mjs";

const body = JSON.stringify({ event: "build.finished", build: { id: "0190-hookgate", number: 42, state: "passed" }, pipeline: { slug: "hookgate" } });
export const generator = "node:crypto HMAC-SHA256, hex, per Buildkite's docs";
export const { source, cases, signer } = listPreset({ type: "buildkite", label: "buildkite", tolerance: 300, header: "x-buildkite-signature", tsKey: "timestamp", sigKey: "signature", itemSep: ",", pairSep: "=", contentSep: ".", unit: "s", body });
