//! Recording a movement of the open item: use, receive, adjust, waste or expired. What is
//! typed is checked here, with a sentence next to the form and nothing posted; what the
//! model refuses comes back through [`crate::ui::stock::post`]'s report.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::day_text;
use crate::platform::local_now;
use crate::ui::stock::post;
use crate::ui::Ctx;
use model::inventory::form::parse_count;
use model::inventory::lots::first_expiring;
use model::inventory::movement::{self, LotChoice, NewMovement, MAX_REASON_CHARS};
use model::inventory::{Item, LotId, MovementKind};
use model::{Directory, SiteId};

/// The kinds a person records here; transfers have their own form.
const KINDS: [MovementKind; 5] = [
    MovementKind::Use,
    MovementKind::Receive,
    MovementKind::Adjust,
    MovementKind::Waste,
    MovementKind::Expired,
];

fn kind_name(kind: MovementKind) -> &'static str {
    match kind {
        MovementKind::Use => "Use",
        MovementKind::Receive => "Receive",
        MovementKind::Adjust => "Adjust (correct the count)",
        MovementKind::Waste => "Waste (damaged, spoiled)",
        MovementKind::Expired => "Expired, thrown away",
        MovementKind::TransferIn | MovementKind::TransferOut => "Transfer",
    }
}

/// What the confirmation says was done, and what a failure says could not be.
fn verbs(kind: MovementKind) -> (&'static str, &'static str) {
    match kind {
        MovementKind::Receive => ("Received", "receive stock"),
        MovementKind::Adjust => ("Adjusted by", "adjust stock"),
        MovementKind::Waste => ("Wasted", "record waste"),
        MovementKind::Expired => ("Thrown away (expired)", "record expired stock"),
        _ => ("Used", "use stock"),
    }
}

/// The lot the form offers first: for expired stock the first expired lot that still has
/// some, otherwise the first-expiring lot in date.
fn suggested_lot(item: &Item, kind: MovementKind, today: NaiveDate) -> Option<LotId> {
    let expired = (kind == MovementKind::Expired)
        .then(|| item.lots.iter().find(|l| l.on_hand > 0 && l.expiry < today))
        .flatten();
    expired
        .or_else(|| first_expiring(item, today))
        .map(|l| l.id.clone())
}

/// An adjustment as typed: signed, not 0 ("3", "+3", "-3").
fn parse_adjustment(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (sign, digits) = match text.strip_prefix('-').or_else(|| text.strip_prefix('−')) {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let digits = digits.trim();
    if digits.is_empty() {
        return Err("Give how many more (3) or fewer (-3) there are.".into());
    }
    if digits.starts_with(['-', '+', '−']) {
        return Err(format!(
            "The adjustment must be a number, like 3 or -3; not \"{text}\"."
        ));
    }
    match parse_count(digits, "The adjustment", 0)? {
        0 => {
            Err("An adjustment of 0 changes nothing: give how many more (3) or fewer (-3).".into())
        }
        n => Ok(sign * n),
    }
}

/// The quantity as typed for `kind`, or the sentence that says what is wrong.
fn read_quantity(kind: MovementKind, text: &str) -> Result<i64, String> {
    if kind == MovementKind::Adjust {
        return parse_adjustment(text);
    }
    if text.trim().is_empty() {
        return Err("Give the quantity.".into());
    }
    parse_count(text, "The quantity", 1)
}

/// The lot a movement takes, from what the form holds.
fn read_lot(
    item: &Item,
    kind: MovementKind,
    lot: &str,
    number: &str,
    expiry: &str,
    today: NaiveDate,
) -> Result<LotChoice, String> {
    if !item.lot_tracked {
        return Ok(LotChoice::None);
    }
    if kind == MovementKind::Receive {
        let number = number.trim();
        if number.is_empty() {
            return Err("Give the lot number printed on the box.".into());
        }
        let Ok(expiry) = NaiveDate::parse_from_str(expiry.trim(), "%Y-%m-%d") else {
            return Err("Give the expiry date printed on the box.".into());
        };
        if expiry < today {
            return Err(format!(
                "The expiry date {} has passed: check the label; expired stock is not received.",
                day_text(expiry)
            ));
        }
        return Ok(LotChoice::New {
            number: number.to_string(),
            expiry,
        });
    }
    Ok(match (lot.is_empty(), kind) {
        (false, _) => LotChoice::Lot(LotId::from(lot)),
        (true, MovementKind::Adjust) => LotChoice::None,
        (true, _) => LotChoice::FirstExpiring,
    })
}

#[component]
pub(super) fn Record(site: SiteId, item: Memo<Item>, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let kind = RwSignal::new(MovementKind::Use);
    let quantity = RwSignal::new(String::new());
    // The lot chosen by the person; `None` follows the suggestion as stock moves.
    let lot = RwSignal::new(None::<String>);
    let lot_number = RwSignal::new(String::new());
    let lot_expiry = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let today = Memo::new(move |_| ctx.now.get().date());
    let shown_lot = move || {
        lot.get().unwrap_or_else(|| {
            item.with(|i| suggested_lot(i, kind.get(), today.get()))
                .map(|l| l.to_string())
                .unwrap_or_default()
        })
    };
    let lot_tracked = move || item.with(|i| i.lot_tracked);
    let receiving = move || kind.get() == MovementKind::Receive;
    let lots = move || {
        item.with(|i| {
            i.lots
                .iter()
                .filter(|l| l.on_hand != 0)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let typed = move || {
        done.set(None);
        error.set(None);
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let it = item.get_untracked();
        let k = kind.get_untracked();
        let now = local_now();
        let checked = read_quantity(k, &quantity.get_untracked()).and_then(|q| {
            let chosen = read_lot(
                &it,
                k,
                &untrack(shown_lot),
                &lot_number.get_untracked(),
                &lot_expiry.get_untracked(),
                now.date(),
            )?;
            let why = reason.get_untracked();
            if why.chars().count() > MAX_REASON_CHARS {
                return Err(format!(
                    "Keep the reason under {MAX_REASON_CHARS} characters."
                ));
            }
            Ok((q, chosen, why))
        });
        let (q, chosen, why) = match checked {
            Ok(all) => all,
            Err(sentence) => {
                error.set(Some(sentence));
                return;
            }
        };
        error.set(None);
        let who = ctx.who(&directory.get_untracked());
        let mut new = NewMovement::new(&it.id, k, q, now, &who);
        new.lot = chosen;
        new.reason = why;
        let (verb, what) = verbs(k);
        let said = format!("{verb} {q} {}.", it.unit);
        post(
            ctx,
            &site,
            what,
            move |inv, log| movement::post(inv, log, &new),
            move |_| {
                quantity.set(String::new());
                lot.set(None);
                lot_number.set(String::new());
                lot_expiry.set(String::new());
                reason.set(String::new());
                done.set(Some(said));
            },
        );
    };

    view! {
        <form class="item-record" data-testid="stock-record" on:submit=submit>
            <h3>"Record"</h3>
            <div class="item-record-main">
                <label class="field">
                    <span class="label">"What happened"</span>
                    <select data-testid="stock-kind"
                        on:change=move |ev| {
                            typed();
                            lot.set(None);
                            if let Some(k) = MovementKind::parse(&event_target_value(&ev)) {
                                kind.set(k);
                            }
                        }>
                        {KINDS.map(|k| view! {
                            <option value=k.code() prop:selected=move || kind.get() == k>{kind_name(k)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field item-quantity">
                    <span class="label">{move || if kind.get() == MovementKind::Adjust { "More (3) or fewer (-3)" } else { "Quantity" }}</span>
                    // A phone's number pad has no minus sign: an adjustment gets the keyboard.
                    <input type="text" data-testid="stock-quantity" autocomplete="off"
                        inputmode=move || if kind.get() == MovementKind::Adjust { "text" } else { "numeric" }
                        prop:value=move || quantity.get()
                        on:input=move |ev| { typed(); quantity.set(event_target_value(&ev)); } />
                </label>
            </div>
            <Show when=move || lot_tracked() && !receiving() && !lots().is_empty()>
                <label class="field">
                    <span class="label">"Lot"</span>
                    <select data-testid="stock-lot"
                        on:change=move |ev| { typed(); lot.set(Some(event_target_value(&ev))); }>
                        <option value="" prop:selected=move || shown_lot().is_empty()>
                            {move || if kind.get() == MovementKind::Adjust { "No lot: the total only" } else { "First-expiring first" }}
                        </option>
                        <For each=lots key=|l| (l.id.clone(), l.on_hand, l.number.clone(), l.expiry, l.received) let(l)>
                            {
                                let id = l.id.to_string();
                                let expired = l.expiry < today.get_untracked();
                                let label = format!(
                                    "{} · exp {}{} · {} on hand",
                                    l.number,
                                    day_text(l.expiry),
                                    if expired { " (expired)" } else { "" },
                                    l.on_hand
                                );
                                view! {
                                    <option value=id.clone() prop:selected=move || shown_lot() == id>{label}</option>
                                }
                            }
                        </For>
                    </select>
                </label>
            </Show>
            <Show when=move || lot_tracked() && receiving()>
                <div class="item-new-lot">
                    <label class="field">
                        <span class="label">"Lot number"</span>
                        <input type="text" data-testid="stock-lot-number" autocomplete="off" maxlength="60"
                            prop:value=move || lot_number.get()
                            on:input=move |ev| { typed(); lot_number.set(event_target_value(&ev)); } />
                    </label>
                    <label class="field">
                        <span class="label">"Expiry date"</span>
                        <input type="date" data-testid="stock-lot-expiry"
                            prop:value=move || lot_expiry.get()
                            on:input=move |ev| { typed(); lot_expiry.set(event_target_value(&ev)); } />
                    </label>
                </div>
            </Show>
            <label class="field">
                <span class="label">"Reason (optional)"</span>
                <input type="text" data-testid="stock-reason" maxlength="200" autocomplete="off"
                    prop:value=move || reason.get()
                    on:input=move |ev| { typed(); reason.set(event_target_value(&ev)); } />
            </label>
            <p class="field-error" data-testid="stock-error" role="alert">{move || error.get()}</p>
            <div class="item-record-go">
                <button type="submit" class="primary" data-testid="stock-post">
                    {move || match kind.get() {
                        MovementKind::Receive => "Receive",
                        MovementKind::Adjust => "Adjust",
                        MovementKind::Waste => "Record waste",
                        MovementKind::Expired => "Record expired",
                        _ => "Use",
                    }}
                </button>
                <span class="saved" data-testid="stock-done" aria-live="polite">{move || done.get()}</span>
            </div>
        </form>
    }
}
