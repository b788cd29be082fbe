// Coverkit with every part of the signature format overridden in the source: base64 instead
// of hex and a `sha256=` prefix. node:crypto, as in coverkit.mjs.
import { coverkitCases } from "./coverkit.mjs";

export const source = { scheme: { type: "coverkit", encoding: "base64", prefix: "sha256=" } };
export const generator = "node:crypto HMAC-SHA256, base64 with a sha256= prefix (the source's overrides)";

export function cases({ nowSecs, url }) {
  return coverkitCases({
    nowSecs, url,
    fmt: (mac) => `sha256=${mac.toString("base64")}`,
    extra: [
      { name: "hex instead of base64", value: (_s, mac) => `sha256=${mac.toString("hex")}`, expect: "signature_malformed" },
      { name: "base64 without the prefix", value: (_s, mac) => mac.toString("base64"), expect: "signature_malformed" },
      { name: "signature is not base64", value: () => `sha256=${"#".repeat(44)}`, expect: "signature_malformed" },
    ],
  });
}
