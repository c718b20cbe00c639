//! The data of the browser benchmark (`make bench-client`, `tests/e2e/bench/month-10k.mjs`):
//! Automerge snapshots, as `Document::save` writes them, of
//!
//! - `directory.automerge`: the organisation's directory, the main site and four providers
//!   who work there 07:00–19:00 every weekday, and six rooms;
//! - `schedule.automerge`: the main site's month of `day`, 10,000 appointments spread over
//!   its weekdays (`tests::month`);
//!
//! and `month.json`, which names the documents and says what the day should show.
//!
//! `day` is the day the app opens on (today), so it must carry the share of a busy day
//! (a few hundred appointments) even when it falls on a weekend: then the providers work
//! that weekday too, as a practice with a weekend surgery does.
//!
//! Usage: `cargo run --release -p tests --example month_10k -- <out-dir> <YYYY-MM-DD>`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate};
use model::directory::time;
use model::layout::columns;
use model::{DocKind, Document, SiteId, WeekHours};
use tests::{
    directory_document, example_main, month, month_document, weekdays_of_month, APPOINTMENTS,
};

fn main() -> ExitCode {
    example_main("month_10k", write)
}

fn write(out: &Path, day: NaiveDate) -> std::io::Result<()> {
    let mut hours = WeekHours::weekdays(time(7, 0), time(19, 0));
    let mut days = weekdays_of_month(day);
    if !days.contains(&day) {
        hours.0[day.weekday().num_days_from_monday() as usize] = Some((time(7, 0), time(19, 0)));
        days.push(day);
        days.sort();
    }
    let (directory, appointments) = month(hours, &days, APPOINTMENTS);
    let site = SiteId::main();
    let schedule_id = DocKind::schedule_for(&site, day).doc_id();

    let on_day: Vec<_> = appointments
        .iter()
        .filter(|a| a.start.date() == day)
        .cloned()
        .collect();
    // What the day grid draws: the appointments that hold a slot, and no-shows.
    let blocks: usize = columns(&directory, &site, day, &on_day)
        .iter()
        .map(|c| c.blocks.len())
        .sum();

    std::fs::create_dir_all(out)?;
    let directory_bytes = save(out, "directory.automerge", directory_document(&directory))?;
    let schedule_bytes = save(
        out,
        "schedule.automerge",
        month_document(&schedule_id, &appointments),
    )?;
    let summary = serde_json::json!({
        "day": day.to_string(),
        "site": site.as_str(),
        "directory": {
            "doc": DocKind::Directory.doc_id().as_str(),
            "file": "directory.automerge",
            "bytes": directory_bytes,
            "providers": directory.providers.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        },
        "schedule": {
            "doc": schedule_id.as_str(),
            "file": "schedule.automerge",
            "bytes": schedule_bytes,
            "appointments": appointments.len(),
            "days": days.len(),
        },
        "day_appointments": on_day.len(),
        "day_blocks": blocks,
    });
    let json = serde_json::to_string_pretty(&summary).map_err(std::io::Error::other)?;
    std::fs::write(out.join("month.json"), json + "\n")?;
    println!(
        "{}: {} appointments over {} days ({} KiB); {day}: {} appointments, {blocks} on the grid; \
         {}: {} bytes",
        schedule_id,
        appointments.len(),
        days.len(),
        schedule_bytes / 1024,
        on_day.len(),
        DocKind::Directory.doc_id(),
        directory_bytes,
    );
    Ok(())
}

/// Writes the snapshot of `doc` to `out/name`; returns its size.
fn save(out: &Path, name: &str, mut doc: Document) -> std::io::Result<usize> {
    let bytes = doc.save();
    let path: PathBuf = out.join(name);
    std::fs::write(&path, &bytes)?;
    Ok(bytes.len())
}
