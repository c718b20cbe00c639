//! Changes to an appointment, or to it and the rest of its series, across the month
//! documents the occurrences live in.

use chrono::{Datelike, Months};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::model::appointment::ValidBooking;
use crate::model::document::first_of_month;
use crate::model::schedule::{self, Schedule, Who};
use crate::model::{Appointment, Directory, DocumentError, SiteId, Status};
use crate::platform::driver::Driver;
use crate::platform::local_now;
use crate::ui::{schedule_doc, Ctx};
use sync_server::protocol::DocId;

/// How far ahead a series is followed: a monthly series of the longest kind.
const MAX_SERIES_MONTHS: u32 = 60;
/// How long a change to a series waits for a month to arrive from the relay.
const SYNC_WAIT_MS: u32 = 3_000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scope {
    ThisOne,
    ThisAndFollowing,
}

/// What to do with one occurrence: `Some` is the changed appointment to write (into the
/// month of its new start).
type Step = dyn Fn(Appointment) -> Result<Option<Appointment>, DocumentError>;

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
    let (valid, directory, who, original) =
        (valid.clone(), directory.clone(), who.clone(), old.clone());
    let delta = valid.start - old.start;
    let step = move |a: Appointment| {
        let mut booking = valid.clone();
        if a.id != original.id {
            // Later visits that are over or called off stay as they are.
            if !a.status.holds_slot() || a.status == Status::Fulfilled {
                return Ok(None);
            }
            // Later occurrences move by as much as this one, keeping their own day.
            booking.start = a.start + delta;
        }
        schedule::edited(a, &original, &booking, &directory, &who, local_now()).map(Some)
    };
    apply(ctx, old, scope, "save the change", Box::new(step))
}

/// Cancels `old`, or it and the rest of its series.
pub fn cancel(ctx: Ctx, old: &Appointment, reason: &str, scope: Scope, who: &Who) -> bool {
    let doc = schedule_doc(&ctx.site.get_untracked(), old.start.date());
    if scope == Scope::ThisOne {
        let (id, reason, who) = (old.id.clone(), reason.to_string(), who.clone());
        return ctx
            .edit(&doc, "cancel", move |am| {
                schedule::cancel(am, &id, &reason, &who, local_now())
            })
            .is_some();
    }
    let (reason, who) = (reason.to_string(), who.clone());
    let step = move |a: Appointment| {
        if !a.status.can_become(Status::Cancelled) {
            return Ok(None);
        }
        schedule::cancelled(a, &reason, &who, local_now()).map(Some)
    };
    apply(ctx, old, scope, "cancel the series", Box::new(step))
}

/// Moves a changed appointment into the month document of its new start: written there
/// first and only then taken out of `from`, so that closing the app between the two leaves
/// it in both months for a moment (the same id, never a clash with itself), never in none.
async fn relocate(
    driver: &Driver,
    site: &SiteId,
    from: &DocId,
    changed: Appointment,
) -> Result<(), DocumentError> {
    let to = schedule_doc(site, changed.start.date());
    driver
        .edit_loaded(&to, |am| schedule::put(am, &changed))
        .await?;
    driver
        .edit_loaded(from, |am| schedule::take(am, &changed.id).map(|_| ()))
        .await
}

/// Runs `step` on `old` alone, or on every occurrence of its series from `old` on, and
/// writes what it returns, moving appointments whose new start is in another month.
fn apply(ctx: Ctx, old: &Appointment, scope: Scope, what: &'static str, step: Box<Step>) -> bool {
    let site = ctx.site.get_untracked();
    let old_doc = schedule_doc(&site, old.start.date());
    let driver = ctx.driver.get_value();
    if scope == Scope::ThisOne || old.series.is_none() {
        let id = old.id.clone();
        // Changed from the document as it is now, not from the copy on screen, so that a
        // check-in that arrived meanwhile is kept.
        let result = ctx.edit(&old_doc, what, |am| {
            let Some(changed) = step(schedule::get(am, &id)?)? else {
                return Ok(None);
            };
            if schedule_doc(&site, changed.start.date()) == old_doc {
                schedule::put(am, &changed)?;
                Ok(None)
            } else {
                Ok(Some(changed))
            }
        });
        let done = result.is_some();
        if let Some(Some(moved)) = result {
            spawn_local(async move {
                if let Err(e) = relocate(&driver, &site, &old_doc, moved).await {
                    ctx.report(format!("Could not {what}: {e}"));
                }
            });
        }
        return done;
    }
    let series = old.series.clone().expect("checked above");
    let first = first_of_month(old.start.date());
    // The months to visit: up to the series' last visit; for a series written before
    // the last visit was recorded, until a month without one.
    let months = series
        .last
        .map(|last| {
            (last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32 + 1
        })
        .map_or(MAX_SERIES_MONTHS, |n| {
            n.clamp(1, MAX_SERIES_MONTHS as i32) as u32
        });
    spawn_local(async move {
        let mut moved = Vec::new();
        let mut unsure = Vec::new();
        for offset in 0..months {
            let Some(month) = first.checked_add_months(Months::new(offset)) else {
                break;
            };
            let doc = schedule_doc(&site, month);
            // A month this device never showed may still be on its way from the relay.
            if !driver.until_synced(&doc, SYNC_WAIT_MS).await {
                unsure.push(month.format("%B %Y").to_string());
            }
            let result = driver
                .edit_loaded(&doc, |am| {
                    let schedule = Schedule::read(am)?;
                    let mut found = 0;
                    for a in schedule.appointments.into_iter().filter(|a| {
                        a.series
                            .as_ref()
                            .is_some_and(|s| s.id == series.id && s.index >= series.index)
                    }) {
                        found += 1;
                        if let Some(changed) = step(a)? {
                            if schedule_doc(&site, changed.start.date()) == doc {
                                schedule::put(am, &changed)?;
                            } else {
                                moved.push((doc.clone(), changed));
                            }
                        }
                    }
                    Ok(found)
                })
                .await;
            match result {
                Ok(0) if offset > 0 && series.last.is_none() => break,
                Ok(_) => {}
                Err(e) => {
                    ctx.report(format!("Could not {what}: {e}"));
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
        for (from, changed) in moved {
            if let Err(e) = relocate(&driver, &site, &from, changed).await {
                ctx.report(format!("Could not {what}: {e}"));
            }
        }
    });
    true
}
