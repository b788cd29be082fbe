// A local secret for the helper scripts: .dev.vars.<env> for an environment, then .dev.vars
// (what wrangler dev uses), then the demo values in dev.vars.example. Simple NAME=value lines only.
import { readFileSync } from 'node:fs';

function lookup(path, name) {
  try {
    const line = readFileSync(path, 'utf8').split('\n').find((l) => l.startsWith(`${name}=`));
    return line?.slice(name.length + 1).trim();
  } catch {
    return undefined;
  }
}

export function devVar(name, env) {
  return (env ? lookup(`.dev.vars.${env}`, name) : undefined)
    ?? lookup('.dev.vars', name)
    ?? lookup(new URL('../dev.vars.example', import.meta.url), name);
}
