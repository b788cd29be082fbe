//! `.dev.vars` / `.env` files: `NAME=value` lines, as wrangler reads them for local secrets.

use std::collections::BTreeMap;

/// Parses dotenv text: `#` comments, optional `export `, single or double quotes (double
/// quotes understand `\n`), whitespace around names and unquoted values trimmed. Values
/// spanning several lines are not read.
#[must_use]
pub fn parse(text: &str) -> BTreeMap<String, String> {
    let mut vars = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let Some((name, value)) = line.split_once('=') else { continue };
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        vars.insert(name.to_string(), unquote(value.trim()));
    }
    vars
}

fn unquote(value: &str) -> String {
    let mut chars = value.chars();
    match chars.next() {
        Some(q @ ('"' | '\'')) => {
            // Up to the closing quote; anything after it (a comment) is ignored.
            let mut out = String::new();
            let mut escaped = false;
            for c in chars {
                match c {
                    '\\' if q == '"' && !escaped => escaped = true,
                    c if c == q && !escaped => return out,
                    'n' if escaped => {
                        out.push('\n');
                        escaped = false;
                    }
                    c => {
                        if escaped && c != q {
                            out.push('\\');
                        }
                        out.push(c);
                        escaped = false;
                    }
                }
            }
            // No closing quote: the value as written.
            value.to_string()
        }
        // An unquoted value ends at `#`, as in the dotenv package wrangler uses (so a
        // secret with `#` in it must be quoted there too).
        _ => value.split('#').next().unwrap_or_default().trim_end().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_wrangler_accepts() {
        let vars = parse("# demo\nA=1\n export B = two words \nC=\"x=y\\nz\"\nD='$raw'\nE=v # note\nF=a#b\nG=\"a#b\" # c\nH='it\\'s'\nnot a line\n=nameless\n");
        assert_eq!(vars["A"], "1");
        assert_eq!(vars["B"], "two words");
        assert_eq!(vars["C"], "x=y\nz");
        assert_eq!(vars["D"], "$raw");
        assert_eq!(vars["E"], "v");
        assert_eq!(vars["F"], "a");
        assert_eq!(vars["G"], "a#b");
        assert_eq!(vars["H"], "it\\");
        assert_eq!(vars.len(), 8);
    }
}
