// `node scripts/short_names.mjs <wasm> <glue.js>`, run by scripts/build.sh after wasm-opt:
// gives the names that link the wasm to its wasm-bindgen glue short ones, in both files.
//
// wasm-bindgen names each import `__wbg_<name>_<16 hex digits>` and its internal exports
// `__wbindgen_…`; each name is written twice (the wasm's import or export section, and the
// glue), and the hex digits do not compress: 4 KB of the gzipped upload. Only those
// linkage names change (the runtime never sees them: it calls the glue's exports, which keep
// theirs), and only names that the glue spells as whole tokens are renamed. Every renamed
// name must then be gone from the glue, or the build fails.
import { readFileSync, writeFileSync } from 'node:fs';

const [wasmPath, jsPath] = process.argv.slice(2);
if (!wasmPath || !jsPath) {
  console.error('usage: node scripts/short_names.mjs <wasm> <glue.js>');
  process.exit(2);
}
const wasm = readFileSync(wasmPath);
let js = readFileSync(jsPath, 'utf8');

function uleb(buf, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}
function encodeUleb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}
function readName(buf, at) {
  const [len, start] = uleb(buf, at);
  return [buf.subarray(start, start + len).toString('utf8'), start + len];
}
const nameBytes = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([encodeUleb(b.length), b]); };
/** The end of an import's description, from its kind byte (function, table, memory, global, tag). */
function importDescEnd(buf, at) {
  const kind = buf[at++];
  const limits = (p) => { const [flags, q] = uleb(buf, p); let [, r] = uleb(buf, q); if (flags & 1) [, r] = uleb(buf, r); return r; };
  switch (kind) {
    case 0: return uleb(buf, at)[1];
    case 1: return limits(at + 1); // reference type, then limits (funcref and externref are one byte)
    case 2: return limits(at);
    case 3: return at + 2; // value type (one byte for the types this module uses), mutability
    case 4: return uleb(buf, at + 1)[1]; // attribute, then type index
    default: throw new Error(`import kind ${kind} not understood`);
  }
}

/** A whole-token match of `name` in the glue (not part of a longer identifier). */
const token = (name) => new RegExp(`(?<![A-Za-z0-9_$])${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![A-Za-z0-9_$])`, 'g');
/** How many times the glue holds `text` as it is. */
const occurrences = (text) => js.split(text).length - 1;
const quoted = (name) => `"${name}"`;
const count = (text, re) => (text.match(re) ?? []).length;

// wasm-bindgen's own linkage names: its imports and internal exports (`__…`), the closure
// invoker and the Durable Object's methods it exports. `fetch`, `queue` and `memory` keep
// theirs: those words also stand for other things in the glue.
const renamable = (name) => /^(__|wasm_bindgen_|dedupeobject_)/.test(name) || /_[0-9a-f]{16}$/.test(name);
let next = 0;
const fresh = () => `$${(next++).toString(36)}`;
const renamed = new Map();
const modules = new Map();
/** The name an import or export gets: a short one, the same for each use of `old`. */
const linkName = (old) => {
  if (!renamable(old) || count(js, token(old)) === 0) return old;
  if (!renamed.has(old)) renamed.set(old, fresh());
  return renamed.get(old);
};

const sections = [];
let at = 8;
while (at < wasm.length) {
  const id = wasm[at];
  const [size, start] = uleb(wasm, at + 1);
  sections.push({ id, body: wasm.subarray(start, start + size) });
  at = start + size;
}
const out = [wasm.subarray(0, 8)];
for (const { id, body } of sections) {
  let rewritten = body;
  if (id === 2) {
    let [n, p] = uleb(body, 0);
    const parts = [encodeUleb(n)];
    while (n--) {
      let mod, field;
      [mod, p] = readName(body, p);
      [field, p] = readName(body, p);
      const end = importDescEnd(body, p);
      // A module path the glue names once, as its import object's key.
      if (!modules.has(mod)) modules.set(mod, occurrences(quoted(mod)) === 1 ? `${modules.size}` : mod);
      parts.push(nameBytes(modules.get(mod)), nameBytes(linkName(field)), body.subarray(p, end));
      p = end;
    }
    rewritten = Buffer.concat(parts);
  } else if (id === 7) {
    let [n, p] = uleb(body, 0);
    const parts = [encodeUleb(n)];
    while (n--) {
      let field;
      [field, p] = readName(body, p);
      const [, end] = uleb(body, p + 1); // its kind byte, then its index
      parts.push(nameBytes(linkName(field)), body.subarray(p, end));
      p = end;
    }
    rewritten = Buffer.concat(parts);
  }
  out.push(Buffer.from([id]), encodeUleb(rewritten.length), rewritten);
}

// Replaced by a function: a `$` in a replacement string would read as a group reference.
for (const [old, name] of renamed) js = js.replace(token(old), () => name);
for (const [old, name] of modules) if (old !== name) js = js.replace(quoted(old), () => quoted(name));
const left = [...renamed.keys()].filter((old) => count(js, token(old)) > 0);
if (left.length) {
  console.error(`[short_names] still in ${jsPath} after renaming: ${left.join(', ')}`);
  process.exit(1);
}
writeFileSync(wasmPath, Buffer.concat(out));
writeFileSync(jsPath, js);
console.log(`[short_names] ${renamed.size} linkage names and ${[...modules].filter(([a, b]) => a !== b).length} module names shortened`);
