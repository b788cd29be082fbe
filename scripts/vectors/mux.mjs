// Mux: `Mux-Signature: t=<unix>,v1=<hex HMAC-SHA256(signing secret, "<t>.<body>")>`, 5 min
// tolerance, id at /id when present.
// Marked an assumption: not confirmed from Mux's documentation in this repository's research.
// Signed with node:crypto as that scheme computes it.
import { listPreset } from "./lib.mjs";

const body = JSON.stringify({ type: "video.asset.ready", id: "3a56ac3d-hookgate-mux-1", object: { type: "asset", id: "asset_1" }, data: { status: "ready" } });
export const generator = "node:crypto HMAC-SHA256, hex (an assumption: the scheme as commonly documented)";
export const { source, cases, signer } = listPreset({ type: "mux", label: "mux", tolerance: 300, header: "mux-signature", tsKey: "t", sigKey: "v1", itemSep: ",", pairSep: "=", contentSep: ".", unit: "s", body, eventId: () => "3a56ac3d-hookgate-mux-1" });
