//! The architecture's boundaries, as Cargo sees them: the pure crates never reach a browser
//! API, a socket, a server or a clock, on the browser's target or any other. A dependency
//! that breaks this fails here, whichever file brought it in.

use std::process::Command;

/// Crates that run only in a browser or only on a server.
const BROWSER: &[&str] = &[
    "leptos",
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "wasm-bindgen-futures",
    "gloo",
    "indexed_db_futures",
];
const SERVER: &[&str] = &["tokio", "axum", "tower", "tower-http", "rusqlite", "hyper"];

/// The packages (and `package feature "name"` lines) that `cargo tree` lists for `package`'s
/// normal dependencies on the browser's target.
fn tree(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            package,
            "--target",
            "wasm32-unknown-unknown",
            "-e",
            "normal,features",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs the tests, so it can be started");
    assert!(
        output.status.success(),
        "cargo tree -p {package} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Asserts that `package` depends on none of `forbidden` (crate names) and enables none of
/// `forbidden_features` (`crate feature "name"`).
fn check(package: &str, forbidden: &[&str], forbidden_features: &[(&str, &str)]) {
    let lines = tree(package);
    assert!(
        lines.iter().any(|l| l.starts_with(&format!("{package} v"))),
        "cargo tree did not list {package} itself: {lines:?}"
    );
    for name in forbidden {
        let found = lines.iter().find(|l| l.starts_with(&format!("{name} v")));
        assert!(found.is_none(), "{package} depends on {name}: {found:?}");
    }
    for (name, feature) in forbidden_features {
        let line = format!("{name} feature \"{feature}\"");
        let found = lines.iter().find(|l| l.starts_with(&line));
        assert!(found.is_none(), "{package} enables {line}");
    }
}

const CLOCK: &[(&str, &str)] = &[("chrono", "clock"), ("chrono", "wasmbind"), ("uuid", "js")];

#[test]
fn the_model_is_pure() {
    check("model", &[BROWSER, SERVER].concat(), CLOCK);
}

#[test]
fn the_sync_engine_is_pure() {
    check("sync-engine", &[BROWSER, SERVER].concat(), CLOCK);
}

#[test]
fn the_demo_clinic_is_pure() {
    check("demo", &[BROWSER, SERVER].concat(), CLOCK);
}

#[test]
fn the_protocol_needs_neither_side() {
    check(
        "protocol",
        &[BROWSER, SERVER, &["automerge", "chrono"]].concat(),
        &[],
    );
}

/// The check itself can fail: the client does reach the browser.
#[test]
fn the_client_is_seen_reaching_the_browser() {
    let lines = tree("app");
    assert!(lines.iter().any(|l| l.starts_with("web-sys v")));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("chrono feature \"clock\"")));
}
