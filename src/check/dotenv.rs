//! `.dev.vars` / `.env` files: `NAME=value` lines, as wrangler reads them for local secrets.

use std::collections::BTreeMap;

/// Parses dotenv text: `#` comments, optional `export `, single or double quotes (double
/// quotes understand `\n`), whitespace around names and unquoted values trimmed.
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
    let quoted = |q: char| value.len() >= 2 && value.starts_with(q) && value.ends_with(q);
    if quoted('"') {
        value.get(1..value.len() - 1).unwrap_or_default().replace("\\n", "\n").replace("\\\"", "\"")
    } else if quoted('\'') {
        value.get(1..value.len() - 1).unwrap_or_default().to_string()
    } else {
        // An unquoted value ends at an inline comment.
        value.split(" #").next().unwrap_or_default().trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_wrangler_accepts() {
        let vars = parse("# demo\nA=1\n export B = two words \nC=\"x=y\\nz\"\nD='$raw'\nE=v # note\nnot a line\n=nameless\n");
        assert_eq!(vars["A"], "1");
        assert_eq!(vars["B"], "two words");
        assert_eq!(vars["C"], "x=y\nz");
        assert_eq!(vars["D"], "$raw");
        assert_eq!(vars["E"], "v");
        assert_eq!(vars.len(), 5);
    }
}
