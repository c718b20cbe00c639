//! The `sync-server` binary as a child process, for the tests and the load generator that
//! need a real relay process (to kill it, or to read its memory).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Makes a device token for `org` in `data` and returns its secret.
pub fn create_token(bin: &Path, data: &Path, org: &str) -> String {
    create_token_with(bin, data, org, &[])
}

/// The same with more arguments (`--database …`).
pub fn create_token_with(bin: &Path, data: &Path, org: &str, extra: &[&str]) -> String {
    let out = Command::new(bin)
        .args(["token", "create", "--org", org])
        .args(extra)
        .arg("--data")
        .arg(data)
        .stderr(Stdio::null())
        .output()
        .expect("the sync-server binary runs");
    assert!(out.status.success(), "token create failed");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .expect("a token line")
        .to_string()
}

/// Starts `sync-server serve` on a free loopback port with `data`; returns the process and
/// the address it listens on.
pub fn serve(bin: &Path, data: &Path) -> (Child, String) {
    serve_with(bin, data, &[])
}

/// The same with more arguments (`--database …`).
pub fn serve_with(bin: &Path, data: &Path, extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(bin)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .arg("--data")
        .arg(data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the relay starts");
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| line.strip_prefix("listening on ").map(str::to_string))
        .expect("the relay says where it listens");
    // Keep reading, so that the relay never writes into a closed pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
}
