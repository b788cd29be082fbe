// Frame.io: `X-Frameio-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:<timestamp>:<body>")>` with
// X-Frameio-Request-Timestamp in unix seconds, 5 minutes. No event id: dedupe keys on the signed body.
// Marked an assumption: Frame.io's page on it was not read here, only consistent third-party
// verifiers. Signed with node:crypto as that scheme computes it (https://developer.frame.io/platform/docs/guides/webhooks).
import { headerTsPreset } from "./lib.mjs";

const body = JSON.stringify({ type: "asset.created", resource: { type: "asset", id: "9c1a6e6c-hookgate" }, account: { id: "acc-1" }, project: { id: "prj-1" }, user: { id: "usr-zoë" } });
export const generator = "node:crypto HMAC-SHA256, hex (an assumption: the scheme as commonly documented)";
export const { source, cases, signer } = headerTsPreset({ type: "frameio", label: "frameio", tolerance: 300, header: "x-frameio-signature", tsHeader: "x-frameio-request-timestamp", prefix: "v0=", before: "v0:", between: ":", unit: "s", body });
