//! One open count: a line for every item at the location (one per lot with stock for a
//! lot-tracked item), each with what was counted, what the counter said then and the
//! difference; then Post or Cancel.

use std::sync::Arc;

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::stock::orders::typed_number;
use crate::ui::stock::{edit_inventory, post};
use crate::ui::{directory_memo, Ctx};
use model::inventory::count::{self, CountLine};
use model::inventory::{Count, CountId, Inventory, ItemId, LotId};

/// A line of the sheet: an item, or one lot of it.
type LineKey = (ItemId, Option<LotId>);

/// A difference as people read it: "−2", "+1", "0".
pub(crate) fn signed(n: i64) -> String {
    match n.cmp(&0) {
        std::cmp::Ordering::Less => format!("\u{2212}{}", n.unsigned_abs()),
        std::cmp::Ordering::Greater => format!("+{n}"),
        std::cmp::Ordering::Equal => "0".into(),
    }
}

/// The lines to count at `count`'s location, by item name, lots first-expiring-first:
/// every active item there, each lot of a lot-tracked item that holds (or owes) stock, the
/// item as a whole when it has no such lot, and whatever was counted already.
fn sheet_lines(inventory: &Inventory, count: &Count) -> Vec<LineKey> {
    let mut keys: Vec<LineKey> = Vec::new();
    for item in inventory.items.iter() {
        let here = !item.archived && item.location.eq_ignore_ascii_case(&count.location);
        let counted: Vec<&CountLine> = count.lines.iter().filter(|l| l.item == item.id).collect();
        if !here && counted.is_empty() {
            continue;
        }
        let mut lots: Vec<LineKey> = Vec::new();
        if item.lot_tracked || !item.lots.is_empty() {
            for lot in &item.lots {
                let recorded = counted.iter().any(|l| l.lot.as_ref() == Some(&lot.id));
                if lot.on_hand != 0 || recorded {
                    lots.push((item.id.clone(), Some(lot.id.clone())));
                }
            }
        }
        let whole = counted.iter().any(|l| l.lot.is_none());
        if lots.is_empty() || whole {
            keys.push((item.id.clone(), None));
        }
        keys.extend(lots);
    }
    keys
}

/// What a line shows, read from the inventory and the count.
#[derive(Clone, PartialEq)]
struct LineView {
    name: String,
    lot: Option<String>,
    unit: String,
    recorded: Option<CountLine>,
}

fn line_view(inventory: &Inventory, count: &Count, key: &LineKey) -> Option<LineView> {
    let item = inventory.item(&key.0)?;
    let lot = match &key.1 {
        Some(id) => {
            let lot = item.lots.iter().find(|l| &l.id == id)?;
            Some(format!(
                "Lot {} · expires {}",
                lot.number,
                lot.expiry.format("%-d %b %Y")
            ))
        }
        None => None,
    };
    Some(LineView {
        name: item.name.clone(),
        lot,
        unit: item.unit.clone(),
        recorded: count.line(&key.0, key.1.as_ref()).cloned(),
    })
}

#[component]
pub(super) fn CountSheet(
    inventory: Memo<Arc<Inventory>>,
    id: CountId,
    /// Where the page says what posting or cancelling did.
    message: RwSignal<Option<String>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let count = {
        let id = id.clone();
        Memo::new(move |_| inventory.with(|i| i.counts.iter().find(|c| c.id == id).cloned()))
    };
    let lines = Memo::new(move |_| {
        count.with(|c| {
            c.as_ref()
                .map(|c| inventory.with(|i| sheet_lines(i, c)))
                .unwrap_or_default()
        })
    });
    let progress = move || {
        let total = lines.with(Vec::len);
        let done = count.with(|c| c.as_ref().map_or(0, |c| c.lines.len()));
        format!("{done} of {total} lines counted")
    };
    let asking = RwSignal::new(false);
    let id = StoredValue::new(id);
    let post_count = move |_| {
        message.set(None);
        let who = directory.with_untracked(|d| ctx.who(d));
        let id = id.get_value();
        post(
            ctx,
            &ctx.site.get_untracked(),
            "post the count",
            move |inv, log| count::post_count(inv, log, &id, local_now(), &who),
            move |n| {
                message.set(Some(format!(
                    "Posted {n} {}.",
                    if n == 1 { "adjustment" } else { "adjustments" }
                )))
            },
        );
    };
    let cancel = move |_| {
        asking.set(false);
        message.set(None);
        let id = id.get_value();
        edit_inventory(
            ctx,
            &ctx.site.get_untracked(),
            "cancel the count",
            move |doc| count::cancel(doc, &id),
            move |()| {
                message.set(Some(
                    "The count was cancelled; nothing was adjusted.".into(),
                ))
            },
        );
    };
    view! {
        <section class="card ops-section count-sheet" data-testid="count-sheet">
            <h2>{move || count.with(|c| c.as_ref().map(|c| format!("Counting {}", c.location)))}</h2>
            <p class="ops-meta">{progress}</p>
            <Show when=move || lines.with(|l| !l.is_empty())
                fallback=|| view! { <p class="empty">"No item is kept at this location now."</p> }>
                <ul class="ops-rows">
                    <For each=move || lines.get() key=|k| k.clone()
                        children=move |key| count_line(ctx, inventory, count, id.get_value(), key) />
                </ul>
            </Show>
            <p class="hint">"Posting adds each difference between what you counted and what the list expected at that moment as an adjustment, so anything used while you count still counts."</p>
            <div class="ops-actions">
                <button type="button" class="primary" data-testid="count-post" on:click=post_count>"Post count"</button>
                <Show when=move || asking.get()
                    fallback=move || view! {
                        <button type="button" class="ops-danger" data-testid="count-cancel"
                            on:click=move |_| asking.set(true)>"Cancel count"</button>
                    }>
                    <span class="ops-confirm" role="group" aria-label="Cancel the count?">
                        <span>"Cancel this count? Nothing is adjusted."</span>
                        <button type="button" class="ops-danger" data-testid="count-cancel-confirm" on:click=cancel>"Yes, cancel it"</button>
                        <button type="button" on:click=move |_| asking.set(false)>"Keep counting"</button>
                    </span>
                </Show>
            </div>
        </section>
    }
}

/// One line: what to count, what was recorded, and the field to record it (Enter works).
fn count_line(
    ctx: Ctx,
    inventory: Memo<Arc<Inventory>>,
    count: Memo<Option<Count>>,
    id: CountId,
    key: LineKey,
) -> impl IntoView {
    let shown = {
        let key = key.clone();
        Memo::new(move |_| {
            count.with(|c| {
                c.as_ref()
                    .and_then(|c| inventory.with(|i| line_view(i, c, &key)))
            })
        })
    };
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let record = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let counted = match typed_number(&typed.get_untracked(), "The count", 0) {
            Ok(n) => n,
            Err(e) => {
                problem.set(Some(e));
                return;
            }
        };
        problem.set(None);
        let (id, (item, lot)) = (id.clone(), key.clone());
        edit_inventory(
            ctx,
            &ctx.site.get_untracked(),
            "record the count",
            move |doc| count::record(doc, &id, &item, lot.as_ref(), counted, local_now()),
            move |()| typed.set(String::new()),
        );
    };
    let name = move || shown.with(|s| s.as_ref().map(|s| s.name.clone()).unwrap_or_default());
    let recorded = move || shown.with(|s| s.as_ref().and_then(|s| s.recorded.clone()));
    let label = move || {
        shown.with(|s| match s {
            Some(s) => match &s.lot {
                Some(lot) => format!("How many {} ({}) of {lot}", s.name, s.unit),
                None => format!("How many {} ({})", s.name, s.unit),
            },
            None => String::new(),
        })
    };
    view! {
        <li class="ops-row count-line" class:uncounted=move || recorded().is_none() data-testid="count-line">
            <div class="ops-head">
                <span class="ops-name">{name}</span>
                <span class="ops-meta">{move || shown.with(|s| s.as_ref().and_then(|s| s.lot.clone()))}</span>
            </div>
            {move || match recorded() {
                None => view! { <p class="ops-mark" data-testid="count-uncounted">"Not counted yet"</p> }.into_any(),
                Some(line) => {
                    let class = match line.difference() {
                        d if d < 0 => "short",
                        d if d > 0 => "over",
                        _ => "even",
                    };
                    view! {
                        <dl class="ops-figures">
                            <div><dt>"Counted"</dt><dd data-testid="count-counted">{line.counted}</dd></div>
                            <div><dt>"Expected"</dt><dd data-testid="count-expected">{line.expected}</dd></div>
                            <div class=format!("difference {class}")><dt>"Difference"</dt><dd data-testid="count-difference">{signed(line.difference())}</dd></div>
                        </dl>
                    }.into_any()
                }
            }}
            <form class="ops-inline-form" on:submit=record>
                <label class="field ops-quantity">
                    <span class="label">"How many"</span>
                    <input type="text" inputmode="numeric" autocomplete="off" data-testid="count-input"
                        aria-label=label
                        aria-invalid=move || problem.with(Option::is_some).then_some("true")
                        placeholder=move || recorded().map(|l| l.counted.to_string())
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev)) />
                </label>
                <button type="submit" data-testid="count-record"
                    aria-label=move || format!("Record the count of {}", name())>"Counted"</button>
                <span class="field-error" role="alert" data-testid="count-error">{move || problem.get()}</span>
            </form>
        </li>
    }
}
