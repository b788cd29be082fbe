// Go1: `go1-signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, tolerance 60 s
// (the defaults of @go1/webhook-verifier-js, read in its source). No event id in the headers:
// dedupe keys on the signed body. Signed with node:crypto as that library computes it.
import { listPreset } from "./lib.mjs";

const body = JSON.stringify({ type: "enrolment.create", data: { id: 9001, lo_id: 42, user_id: 7, status: "in-progress" } });
export const generator = "node:crypto HMAC-SHA256, hex, as @go1/webhook-verifier-js computes it";
export const { source, cases, signer } = listPreset({ type: "go1", label: "go1", tolerance: 60, header: "go1-signature", tsKey: "t", sigKey: "v1", itemSep: ",", pairSep: "=", contentSep: ".", unit: "s", body });
