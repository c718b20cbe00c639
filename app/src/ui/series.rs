//! Changes to an appointment, or to it and the rest of its series, carried out on this
//! device: the months are loaded (and waited for from the relay) here, while what a change
//! makes of each occurrence, and the move of one into another month as one change across
//! both month documents, are the model's (`model::schedule::series`).

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::platform::driver::Driver;
use crate::platform::local_now;
use crate::ui::{schedule_doc, Ctx};
use model::appointment::ValidBooking;
use model::document::first_of_month;
use model::schedule::series::{self, Outcome, Step};
use model::schedule::{self, Who};
use model::{Appointment, Directory, SiteId};
use protocol::DocId;

pub use model::schedule::series::Scope;

/// How long a change to a series waits for a month to arrive from the relay.
const SYNC_WAIT_MS: u32 = 3_000;

/// Saves the form's changes to `old`. Returns whether the change was made at once (a
/// series is changed in the background, month by month).
pub fn change(
    ctx: Ctx,
    old: &Appointment,
    valid: &ValidBooking,
    scope: Scope,
    directory: &Directory,
    who: &Who,
) -> bool {
    let step = series::change_step(
        old.clone(),
        valid.clone(),
        directory.clone(),
        who.clone(),
        local_now(),
    );
    apply(ctx, old, scope, "save the change", Rc::new(step))
}

/// Cancels `old`, or it and the rest of its series.
pub fn cancel(ctx: Ctx, old: &Appointment, reason: &str, scope: Scope, who: &Who) -> bool {
    if scope == Scope::ThisOne {
        let doc = schedule_doc(&ctx.site.get_untracked(), old.start.date());
        let (id, reason, who) = (old.id.clone(), reason.to_string(), who.clone());
        return ctx
            .edit(&doc, "cancel", move |am| {
                schedule::cancel(am, &id, &reason, &who, local_now())
            })
            .is_some();
    }
    let step = series::cancel_step(reason.to_string(), who.clone(), local_now());
    apply(ctx, old, scope, "cancel the series", Rc::new(step))
}

/// Moves each appointment that `outcome` leaves to move out of the month document `from`,
/// each in one change across both months (read from storage first where needed).
async fn relocate(
    driver: &Driver,
    site: &SiteId,
    from: &DocId,
    outcome: Outcome,
    step: &Step,
) -> Result<(), model::DocumentError> {
    for (id, month) in outcome.to_move {
        let to = schedule_doc(site, month);
        let moved = driver
            .edit_many_loaded(&[to.clone(), from.clone()], |docs| {
                series::relocate(docs, month, &id, step)
            })
            .await?;
        // Where it is now, on its patient's record, so the patient's appointments are found.
        let patient = driver
            .read(&to, |am| {
                schedule::get(am, &id).ok().and_then(|a| a.patient)
            })
            .ok()
            .flatten();
        if let (true, Some(patient)) = (moved, patient) {
            let visit = model::patient::Visit {
                appointment: id.clone(),
                site: site.clone(),
                month,
            };
            // The move stands whatever happens to the note; the patient's page still finds
            // the appointment around the day in view.
            let _ = driver
                .edit_loaded(&crate::ui::register::doc_of(&patient), |am| {
                    model::patient::note_visit(am, &patient, &visit)
                })
                .await;
        }
    }
    Ok(())
}

/// Runs `step` on `old` alone, or on every occurrence of its series from `old` on, and
/// writes what it returns, moving appointments whose new start is in another month.
fn apply(ctx: Ctx, old: &Appointment, scope: Scope, what: &'static str, step: Rc<Step>) -> bool {
    let site = ctx.site.get_untracked();
    let driver = ctx.driver.get_value();
    let Some(series_ref) = old
        .series
        .clone()
        .filter(|_| scope == Scope::ThisAndFollowing)
    else {
        let (id, month) = (old.id.clone(), first_of_month(old.start.date()));
        let from = schedule_doc(&site, month);
        // Changed from the document as it is now, not from the copy on screen, so that a
        // check-in that arrived meanwhile is kept.
        let result = ctx.edit(&from, what, |am| series::change_one(am, month, &id, &*step));
        let done = result.is_some();
        if let Some(outcome) = result.filter(|o| !o.to_move.is_empty()) {
            spawn_local(async move {
                if let Err(e) = relocate(&driver, &site, &from, outcome, &*step).await {
                    ctx.could_not(what, &e);
                }
            });
        }
        return done;
    };
    let months = series::series_months(old);
    let follows_to_the_end = series_ref.last.is_some();
    spawn_local(async move {
        let mut moves = Vec::new();
        let mut unsure = Vec::new();
        for (offset, month) in months.into_iter().enumerate() {
            let doc = schedule_doc(&site, month);
            // A month this device never showed may still be on its way from the relay.
            if !driver.until_synced(&doc, SYNC_WAIT_MS).await {
                unsure.push(month.format("%B %Y").to_string());
            }
            let result = driver
                .edit_loaded(&doc, |am| {
                    series::change_in_month(am, month, &series_ref, &*step)
                })
                .await;
            match result {
                Ok(outcome) if outcome.found == 0 && offset > 0 && !follows_to_the_end => break,
                Ok(outcome) => moves.push((doc, outcome)),
                Err(e) => {
                    ctx.could_not(what, &e);
                    return;
                }
            }
        }
        if !unsure.is_empty() {
            ctx.report(format!(
                "This device may not have every visit of the series yet ({}); check those months once online.",
                unsure.join(", ")
            ));
        }
        for (from, outcome) in moves {
            if let Err(e) = relocate(&driver, &site, &from, outcome, &*step).await {
                ctx.could_not(what, &e);
            }
        }
    });
    true
}
