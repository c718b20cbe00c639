//! Where the client's bytes go: reads the wasm that cargo built for the release client
//! (before wasm-bindgen and wasm-opt, which strip the names), attributes every function body
//! to the crate it comes from by its demangled name, and prints each part's bytes, its share,
//! and that share of the wasm as served (brotli) when its size is given.
//!
//! `cargo run -p tests --example size_parts -- WASM [SERVED_BYTES]`; `.ci/size-report.sh`
//! runs it after `trunk build --release`. Shares before optimisation stand for the shares
//! after it: wasm-opt shrinks every part, not all alike, so the served column is an estimate.

use std::collections::BTreeMap;
use std::process::ExitCode;

use wasmparser::{KnownCustom, Name, Parser, Payload, TypeRef};

/// Crates reported together, as one part of the client.
const FAMILIES: &[(&str, &[&str])] = &[
    (
        "Rust standard library",
        &[
            "core",
            "alloc",
            "std",
            "compiler_builtins",
            "dlmalloc",
            "hashbrown",
        ],
    ),
    (
        "Leptos (views, reactivity)",
        &[
            "leptos",
            "leptos_dom",
            "leptos_macro",
            "leptos_router",
            "reactive_graph",
            "reactive_stores",
            "tachys",
            "any_spawner",
            "throw_error",
            "or_poisoned",
            "server_fn",
            "hydration_context",
            "oco_ref",
            "send_wrapper",
            "slotmap",
            "guardian",
            "async_lock",
            "event_listener",
            "futures_util",
            "futures_channel",
            "futures_executor",
            "futures_core",
            "pin_project_lite",
        ],
    ),
    (
        "wasm-bindgen, js-sys, web-sys, gloo",
        &[
            "wasm_bindgen",
            "js_sys",
            "web_sys",
            "wasm_bindgen_futures",
            "gloo_timers",
            "gloo_utils",
            "gloo_console",
            "gloo_events",
            "console_error_panic_hook",
            "getrandom",
        ],
    ),
    (
        "IndexedDB",
        &["indexed_db_futures", "sendable", "fancy_constructor"],
    ),
    (
        "Automerge",
        &[
            "automerge",
            "autosurgeon",
            "hexane",
            "leb128",
            "fxhash",
            "rustc_hash",
            "smol_str",
            "similar",
            "itertools",
            "flate2",
            "miniz_oxide",
            "zlib_rs",
            "adler2",
            "tinyvec",
            "unicode_segmentation",
            "sha2",
            "digest",
            "block_buffer",
            "hex",
            "tracing",
            "tracing_core",
            "cfg_if",
            "rand",
            "rand_core",
            "rand_chacha",
            "chacha20",
            "ppv_lite86",
            "uuid",
        ],
    ),
    (
        "serde, postcard, JSON",
        &[
            "serde",
            "serde_core",
            "serde_json",
            "postcard",
            "cobs",
            "itoa",
            "ryu",
            "zmij",
            "memchr",
        ],
    ),
    ("chrono", &["chrono", "num_traits"]),
    ("app: views", &["app"]),
    ("model", &["model"]),
    ("sync-engine", &["sync_engine"]),
    ("demo clinic", &["demo"]),
    ("protocol", &["protocol"]),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: size_parts WASM [SERVED_BYTES]");
        return ExitCode::from(2);
    };
    let served = match args.get(1).map(|s| s.parse::<u64>()) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            eprintln!("size_parts: SERVED_BYTES must be a whole number of bytes");
            return ExitCode::from(2);
        }
    };
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("size_parts: cannot read {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match parts(&bytes) {
        Ok(parts) => {
            print(&parts, bytes.len() as u64, served);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("size_parts: {path} is not a wasm module this can read: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Bytes per part: each function body by its crate, the data segments, and the rest of the
/// module (types, tables, names and other sections) as what is left.
fn parts(wasm: &[u8]) -> Result<BTreeMap<String, u64>, wasmparser::BinaryReaderError> {
    let mut imported = 0u32;
    let mut bodies: Vec<u64> = Vec::new();
    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    let mut data = 0u64;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    if matches!(import?.ty, TypeRef::Func(_) | TypeRef::FuncExact(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(body.range().len() as u64),
            Payload::DataSection(section) => data += section.range().len() as u64,
            Payload::CustomSection(section) => {
                if let KnownCustom::Name(reader) = section.as_known() {
                    for name in reader {
                        if let Name::Function(map) = name? {
                            for naming in map {
                                let naming = naming?;
                                names.insert(naming.index, naming.name.to_string());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut parts = BTreeMap::new();
    for (i, size) in bodies.iter().enumerate() {
        let index = imported + i as u32;
        let part = names
            .get(&index)
            .map_or_else(|| "(functions without a name)".to_string(), |n| part_of(n));
        *parts.entry(part).or_insert(0) += size;
    }
    *parts
        .entry("data (strings, constants)".to_string())
        .or_insert(0) += data;
    Ok(parts)
}

/// The part a function belongs to, from its (mangled) name.
fn part_of(mangled: &str) -> String {
    let demangled = format!("{:#}", rustc_demangle::demangle(mangled));
    let krate = owning_crate(&demangled);
    FAMILIES
        .iter()
        .find(|(_, crates)| crates.contains(&krate))
        .map_or_else(|| krate.to_string(), |(family, _)| family.to_string())
}

/// The crate a demangled path belongs to: for `<T as Trait>::f` and for drop glue and other
/// generic helpers of the standard library (`core::ptr::drop_in_place<T>`), the crate of
/// `T`, since its code is there because of `T`.
fn owning_crate(path: &str) -> &str {
    let mut path = path;
    // References, pointers, slices, tuples and trait objects belong to what they hold.
    for prefix in ["<", "&", "[", "(", "*const ", "*mut ", "mut ", "dyn "] {
        while let Some(rest) = path.strip_prefix(prefix) {
            path = rest;
        }
    }
    if path.starts_with("__wbindgen") || path.starts_with("__wbg") {
        return "wasm_bindgen";
    }
    let head = path
        .split([':', '<', ' ', '>', '(', ',', ';', ']', ')'])
        .next()
        .unwrap_or_default();
    let generic =
        head == "impl" || (head.len() == 1 && head.chars().all(|c| c.is_ascii_uppercase()));
    let primitive = matches!(
        head,
        "i8" | "i16"
            | "i32"
            | "i64"
            | "i128"
            | "u8"
            | "u16"
            | "u32"
            | "u64"
            | "u128"
            | "usize"
            | "isize"
            | "f32"
            | "f64"
            | "bool"
            | "char"
            | "str"
    );
    if generic || primitive {
        return "core";
    }
    if matches!(head, "core" | "alloc" | "std") {
        if let Some(open) = path.find('<') {
            let inner = owning_crate(&path[open + 1..]);
            if !inner.is_empty() && !matches!(inner, "core" | "alloc" | "std") {
                return inner;
            }
        }
    }
    if head.is_empty() {
        "(other)"
    } else {
        head
    }
}

fn print(parts: &BTreeMap<String, u64>, module: u64, served: Option<u64>) {
    // Shares are of the code and data, which is what reaches the browser: the names and
    // other custom sections are stripped by wasm-bindgen and wasm-opt.
    let total: u64 = parts.values().sum();
    let mut rows: Vec<(String, u64)> = parts.iter().map(|(k, v)| (k.clone(), *v)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    // Parts under half a percent are summed into one row, so that the report stays short.
    let small = total / 200;
    let (mut rows, rest): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.1 >= small);
    if !rest.is_empty() {
        let bytes = rest.iter().map(|r| r.1).sum();
        rows.push((
            format!("{} other crates, each under 0.5%", rest.len()),
            bytes,
        ));
    }
    println!(
        "size by part: {total} B of code and data in the {module} B wasm cargo built{}",
        served.map_or(String::new(), |s| format!("; {s} B as served (brotli)"))
    );
    for (part, bytes) in rows {
        let share = bytes as f64 / total.max(1) as f64;
        let estimate = served.map_or(String::new(), |s| {
            format!("  ~{:>7.1} KB served", share * s as f64 / 1024.0)
        });
        println!(
            "  {part:<40} {bytes:>9} B  {:>5.1}%{estimate}",
            share * 100.0
        );
    }
}

#[cfg(test)]
mod tests {
    use super::owning_crate;

    fn check(path: &str, expected: &str) {
        assert_eq!(owning_crate(path), expected, "{path}");
    }

    #[test]
    fn functions_belong_to_the_crate_they_are_there_for() {
        check("model::schedule::Schedule::read", "model");
        check(
            "<automerge::op_set::OpSet as core::fmt::Debug>::fmt",
            "automerge",
        );
        check(
            "core::ptr::drop_in_place<model::appointment::Appointment>",
            "model",
        );
        check("alloc::vec::Vec<T>::push", "alloc");
        check(
            "<(model::SiteId, alloc::string::String) as core::cmp::Ord>::cmp",
            "model",
        );
        check(
            "<[automerge::value::Value] as core::fmt::Debug>::fmt",
            "automerge",
        );
        check(
            "<&mut dyn leptos::IntoView as core::fmt::Debug>::fmt",
            "leptos",
        );
        check("<i64 as core::fmt::Display>::fmt", "core");
        check(
            "__wbindgen_describe___wbg_new_b4cb1a3957340289",
            "wasm_bindgen",
        );
        check("", "(other)");
    }
}
