// `x`: the `twitter` preset under X's current name (see twitter.mjs).
import { xPreset } from "./twitter.mjs";

export { generator } from "./twitter.mjs";
export const { source, cases, signer } = xPreset("x");
