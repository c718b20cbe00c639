//! The Content-Security-Policy of every response.
//!
//! The client is WebAssembly loaded by one inline module script that Trunk writes into
//! `index.html`. Rather than `'unsafe-inline'`, the policy allows exactly the inline
//! scripts found in `index.html` at start-up, by their SHA-256: an injected script, whose
//! text differs, does not run. `'wasm-unsafe-eval'` lets the page compile WebAssembly and
//! allows nothing else (no `eval`, no `new Function`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The policy, with the given `'sha256-…'` sources added to `script-src`.
pub fn policy(script_hashes: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for hash in script_hashes {
        script_src.push(' ');
        script_src.push_str(hash);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The CSP source (`'sha256-…'`) of each distinct inline `<script>` in `html`, in order.
///
/// A small scanner rather than an HTML parser: `index.html` is our own build output, and
/// the worst a misread can do is leave a script out, which the browser then refuses
/// loudly. Scripts with a `src` attribute are not inline and are covered by `'self'`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    // ASCII lower-casing keeps every byte offset, so positions found in `lower` are valid
    // in `html`, whose original bytes are what the browser hashes.
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut from = 0;
    while let Some(found) = lower[from..].find("<script") {
        let start = from + found;
        let after_name = start + "<script".len();
        from = after_name;
        // `<scripts>` or `<script-x>` are other elements.
        match lower[after_name..].chars().next() {
            Some(c) if c == '>' || c == '/' || c.is_ascii_whitespace() => {}
            _ => continue,
        }
        let Some(tag_end) = end_of_tag(&lower, after_name) else {
            break;
        };
        let attributes = &lower[after_name..tag_end];
        let body_start = tag_end + 1;
        let Some(body_len) = lower[body_start..].find("</script") else {
            break;
        };
        from = body_start + body_len;
        if has_src(attributes) {
            continue;
        }
        let body = &html[body_start..body_start + body_len];
        let hash = format!(
            "'sha256-{}'",
            STANDARD.encode(Sha256::digest(body.as_bytes()))
        );
        if !hashes.contains(&hash) {
            hashes.push(hash);
        }
    }
    hashes
}

/// The position of the `>` that ends a start tag, skipping `>` inside quoted values.
fn end_of_tag(html: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in html[from..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return Some(from + i),
            _ => {}
        }
    }
    None
}

/// Whether lower-cased attribute text has a `src` attribute (not `data-src`, not a value).
fn has_src(attributes: &str) -> bool {
    let mut rest = attributes;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return false;
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        if &rest[..name_len] == "src" {
            return true;
        }
        rest = rest[name_len..].trim_start();
        let Some(value) = rest.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        rest = match value.chars().next() {
            Some(q @ ('"' | '\'')) => match value[1..].find(q) {
                Some(end) => &value[end + 2..],
                None => return false,
            },
            _ => {
                let end = value
                    .find(|c: char| c.is_ascii_whitespace())
                    .unwrap_or(value.len());
                &value[end..]
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(text: &str) -> String {
        format!(
            "'sha256-{}'",
            STANDARD.encode(Sha256::digest(text.as_bytes()))
        )
    }

    fn check(html: &str, expected_bodies: &[&str]) {
        let expected: Vec<String> = expected_bodies.iter().map(|b| sha(b)).collect();
        assert_eq!(inline_script_hashes(html), expected, "{html}");
    }

    #[test]
    fn finds_inline_scripts_only() {
        let trunk = r#"<script type="module">import init from '/app-0123456789abcdef.js';
await init('/app-0123456789abcdef_bg.wasm');</script>"#;
        check(
            &format!("<html><head>{trunk}</head></html>"),
            &["import init from '/app-0123456789abcdef.js';\nawait init('/app-0123456789abcdef_bg.wasm');"],
        );
        check("<script>a()</script><SCRIPT>b()</Script>", &["a()", "b()"]);
        check(r#"<script src="/x.js"></script>"#, &[]);
        check(
            r#"<script type="module" src='/x.js'></script><script>c</script>"#,
            &["c"],
        );
        check(r#"<script SRC = "/x.js"></script>"#, &[]);
        check(r#"<script data-src="/x.js">d</script>"#, &["d"]);
        check(r#"<script title="src=x">e</script>"#, &["e"]);
        check(r#"<script title="a>b">f</script>"#, &["f"]);
        check("<scripts>no</scripts>", &[]);
        check("<script>same</script><script>same</script>", &["same"]);
        check("<script></script>", &[""]);
        check("<p>no scripts</p>", &[]);
        // Unfinished markup yields what was complete and never panics.
        check("<script>a</script><script>b", &["a"]);
        check("<script type=\"x", &[]);
        check("<script", &[]);
    }

    #[test]
    fn policy_allows_wasm_and_the_given_hashes_and_nothing_looser() {
        let p = policy(&[sha("x")]);
        assert!(p.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' {}",
            sha("x")
        )));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(p.contains("object-src 'none'"));
        assert!(!p.contains("unsafe-inline"));
        assert!(!p.contains("'unsafe-eval'"));
        assert!(policy(&[]).contains("script-src 'self' 'wasm-unsafe-eval';"));
    }
}
