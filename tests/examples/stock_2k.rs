//! The data of the stock browser benchmark (`make bench-stock-client`,
//! `tests/e2e/bench/stock-2k.mjs`): Automerge snapshots, as `Document::save` writes them, of
//!
//! - `inventory.automerge`: the main site's `inventory/main`, 2,000 items (about a fifth
//!   tracked by lot, one to three lots each; a tenth at or below their reorder point) and
//!   six open purchase orders (`tests::stock`);
//! - `stock-YYYY-MM.automerge`: its twelve monthly logs `stock/main/YYYY-MM`, ending with
//!   the month of `day`, 50,000 movements in all;
//!
//! and `stock.json`, which names the documents, their sizes and what the item list should
//! show.
//!
//! Usage: `cargo run --release -p tests --example stock_2k -- <out-dir> <YYYY-MM-DD>`

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use model::inventory::{reorder, Inventory};
use model::{DocKind, Document, SiteId};
use tests::{bench_actor, example_main, stock, STOCK_ITEMS, STOCK_MOVEMENTS, STOCK_PER_CHANGE};

/// The item list draws this many rows before "Show all".
const FIRST_PAGE: usize = 200;

fn main() -> ExitCode {
    example_main("stock_2k", write)
}

fn write(out: &Path, day: NaiveDate) -> std::io::Result<()> {
    let started = Instant::now();
    let mut site = stock(day, STOCK_ITEMS, STOCK_MOVEMENTS, STOCK_PER_CHANGE);
    let generated = started.elapsed();
    std::fs::create_dir_all(out)?;

    let inventory_id = DocKind::Inventory {
        site: SiteId::main(),
    }
    .doc_id();
    let inventory_bytes = site.inventory.save();
    std::fs::write(out.join("inventory.automerge"), &inventory_bytes)?;
    // What the app will read: the list's rows and the reorder suggestions.
    let loaded = Document::load(&inventory_id, &bench_actor(), Some(&inventory_bytes), [])
        .map_err(std::io::Error::other)?;
    let inventory = Inventory::read(loaded.automerge()).map_err(std::io::Error::other)?;
    let rows = inventory.active().count();
    let suggestions = reorder::suggestions(&inventory).len();
    let on_order = inventory.on_order().len();

    let mut months = Vec::new();
    let mut total_bytes = inventory_bytes.len();
    for month in &mut site.months {
        let file = format!("{}.automerge", month.id.as_str().replace('/', "-"));
        let bytes = month.doc.save();
        std::fs::write(out.join(&file), &bytes)?;
        total_bytes += bytes.len();
        months.push(serde_json::json!({
            "doc": month.id.as_str(),
            "file": file,
            "bytes": bytes.len(),
            "movements": month.movements,
        }));
    }
    let summary = serde_json::json!({
        "day": day.to_string(),
        "site": SiteId::main().as_str(),
        "generated_ms": generated.as_millis() as u64,
        "adding_items_ms": site.adding_items.as_millis() as u64,
        "posting_movements_ms": site.posting_movements.as_millis() as u64,
        "inventory": {
            "doc": inventory_id.as_str(),
            "file": "inventory.automerge",
            "bytes": inventory_bytes.len(),
            "items": site.items,
            "lot_tracked": site.lot_tracked,
            "lots": site.lots,
            "low": site.low,
            "suggestions": suggestions,
            "on_order_items": on_order,
            "open_orders": site.open_orders,
            "unreadable": inventory.unreadable,
        },
        "months": months,
        "movements": site.movements,
        "total_bytes": total_bytes,
        "list_rows": rows,
        "first_page": rows.min(FIRST_PAGE),
    });
    let json = serde_json::to_string_pretty(&summary).map_err(std::io::Error::other)?;
    std::fs::write(out.join("stock.json"), json + "\n")?;
    println!(
        "{inventory_id}: {} items ({} by lot, {} lots), {} at or below reorder point, {suggestions} \
         to reorder, {} open orders: {} bytes; {} movements in {} monthly logs: {} bytes; \
         total {total_bytes} bytes; generated in {generated:.1?} (adding the items {:.1?}, \
         posting the movements {:.1?})",
        site.items,
        site.lot_tracked,
        site.lots,
        site.low,
        site.open_orders,
        inventory_bytes.len(),
        site.movements,
        site.months.len(),
        total_bytes - inventory_bytes.len(),
        site.adding_items,
        site.posting_movements,
    );
    Ok(())
}
