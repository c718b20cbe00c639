//! What an operator does with the `sync-server` binary: serve only where it is safe to,
//! and back the database up while the relay runs.

#[path = "support/relay_process.rs"]
mod relay_process;

use std::path::Path;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_sync-server");

#[test]
fn plain_http_on_a_reachable_address_is_refused_unless_asked_for() {
    let data = tempfile::tempdir().expect("temp dir");
    let refused = Command::new(BIN)
        .args(["serve", "--addr", "0.0.0.0:0", "--data"])
        .arg(data.path())
        .stdout(Stdio::null())
        .output()
        .expect("the binary runs");
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("refusing to serve plain HTTP on 0.0.0.0:0"),
        "{said}"
    );
    assert!(said.contains("--insecure-http"), "{said}");

    // Asked for, it serves, and the log warns.
    let mut child = Command::new(BIN)
        .args(["serve", "--addr", "0.0.0.0:0", "--insecure-http", "--data"])
        .arg(data.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the relay starts");
    let stdout = child.stdout.take().expect("piped");
    let listening = std::io::BufRead::lines(std::io::BufReader::new(stdout))
        .map_while(Result::ok)
        .any(|line| line.starts_with("listening on 0.0.0.0:"));
    child.kill().expect("stops");
    let out = child.wait_with_output().expect("ends");
    assert!(listening, "the relay listened");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("insecure-http"), "{log}");
}

#[test]
fn a_backup_taken_while_the_relay_runs_holds_its_tokens_and_refuses_to_overwrite() {
    let data = tempfile::tempdir().expect("temp dir");
    let token = relay_process::create_token(Path::new(BIN), data.path(), "clinic");
    assert!(!token.is_empty());
    let (mut relay, _addr) = relay_process::serve(Path::new(BIN), data.path());

    let copy = tempfile::tempdir().expect("temp dir");
    let file = copy.path().join("relay.sqlite3");
    let backup = |to: &Path| {
        Command::new(BIN)
            .args(["backup", "--to"])
            .arg(to)
            .arg("--data")
            .arg(data.path())
            .output()
            .expect("the binary runs")
    };
    let done = backup(&file);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .expect("written")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
    }
    // A second backup to the same file is refused, and the first is left as it was.
    let size = std::fs::metadata(&file).expect("written").len();
    let again = backup(&file);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    assert_eq!(std::fs::metadata(&file).expect("kept").len(), size);
    relay.kill().expect("stops");
    relay.wait().expect("ends");

    // A wrong --data is said, and nothing is made there or at the target.
    let nowhere = tempfile::tempdir().expect("temp dir");
    let other = copy.path().join("other.sqlite3");
    let missing = Command::new(BIN)
        .args(["backup", "--to"])
        .arg(&other)
        .arg("--data")
        .arg(nowhere.path())
        .output()
        .expect("the binary runs");
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("there is no relay database"));
    assert!(!other.exists() && !nowhere.path().join("relay.sqlite3").exists());

    // The copy is a relay database of its own: it lists the organisation's token.
    let listed = Command::new(BIN)
        .args(["token", "list", "--data"])
        .arg(copy.path())
        .output()
        .expect("the binary runs");
    assert!(listed.status.success());
    let list = String::from_utf8_lossy(&listed.stdout);
    assert!(list.contains("clinic"), "{list}");
}

/// An operator gives an organisation a quota of its own, sees what it stores, and gives it
/// the relay's again; an organisation that does not exist is said so.
#[test]
fn an_organisation_gets_a_quota_of_its_own_and_back() {
    let data = tempfile::tempdir().expect("temp dir");
    relay_process::create_token(Path::new(BIN), data.path(), "clinic");
    let quota = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(["org", "quota"])
            .args(args)
            .arg("--data")
            .arg(data.path())
            .output()
            .expect("the binary runs");
        let said = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.success(), said)
    };
    let (ok, said) = quota(&["clinic", "--mib", "512"]);
    assert!(ok, "{said}");
    assert!(
        said.contains("clinic stores 0.0 MiB, under its own quota of 512 MiB"),
        "{said}"
    );
    let (ok, said) = quota(&["clinic"]);
    assert!(ok && said.contains("its own quota of 512 MiB"), "{said}");
    let (ok, said) = quota(&["clinic", "--relay-default"]);
    assert!(ok && said.contains("under the relay's quota"), "{said}");
    let (ok, said) = quota(&["nobody", "--mib", "1"]);
    assert!(
        !ok && said.contains("there is no organisation nobody"),
        "{said}"
    );
}
