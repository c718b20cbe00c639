//! The shift panel beside the week: a new shift (from a template or typed), or one that
//! exists — change it, remove it, claim it when open, offer it to a colleague, pick one
//! value of a field two managers set differently, and see the rules it breaks. Swaps, and
//! the requests waiting for the manager below the week, are in [`swaps`].

mod swaps;

use chrono::NaiveDate;

use leptos::prelude::*;

use crate::ui::clock::ClockInput;
use swaps::OfferSwap;
pub use swaps::SwapRequests;

use super::week::WeekIssues;
use super::{change_many, place, read_roster, roster_doc, ShiftOpen};
use crate::ui::changes::RecordChanges;
use crate::ui::Ctx;
use model::document::maps;
use model::roster::rules::dispute_value;
use model::roster::{
    add_shift, change_shift, claim, put_shift, remove_shift, settle, Dispute, Shift, ShiftForm,
    ShiftId, ValidShift,
};
use model::{Directory, SiteId, StaffId};

/// The panel for whatever [`ShiftOpen`] names; rebuilt only when another shift is opened,
/// so that what is typed survives changes arriving from other devices.
#[component]
pub fn ShiftPanel(directory: Memo<Directory>) -> impl IntoView {
    let place = place();
    move || match place.shift.get() {
        None => ().into_any(),
        Some(ShiftOpen::New { site, day, staff }) => {
            let form = ShiftForm {
                day: day.to_string(),
                start: "08:00".into(),
                end: "16:00".into(),
                staff,
                ..ShiftForm::default()
            };
            view! { <Editor directory=directory site=site existing=None form=form /> }.into_any()
        }
        Some(ShiftOpen::Existing { site, day, id }) => {
            view! { <Existing directory=directory site=site day=day id=id /> }.into_any()
        }
    }
}

#[component]
fn Existing(
    directory: Memo<Directory>,
    site: SiteId,
    day: NaiveDate,
    id: ShiftId,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let place = place();
    let (site_read, id_read, site_doc) = (site.clone(), id.clone(), site.clone());
    let shift =
        Memo::new(move |_| read_roster(ctx, &site_read, day).map(|r| r.shift(&id_read).cloned()));
    // The editor starts from the shift as first read; later changes show in the disputes
    // and the rules, not by overwriting what is being typed.
    let first = Memo::new(move |previous: Option<&Option<Shift>>| match previous {
        Some(Some(shift)) => Some(shift.clone()),
        _ => shift.get().flatten(),
    });
    let exists = move || shift.with(|s| matches!(s, Some(Some(_))));
    // Depends on the first reading only, so that the form is not rebuilt under the person's
    // fingers when another device's change arrives.
    let editor = move || {
        first.get().map(|opened| {
            let form = ShiftForm::from_shift(&opened.valid());
            view! { <Editor directory=directory site=site.clone() existing=Some(opened) form=form /> }
        })
    };
    view! {
        {move || match shift.get() {
            None => Some(view! { <p class="loading">"Loading…"</p> }.into_any()),
            Some(None) => Some(view! {
                <div class="shift-panel">
                    <p data-testid="shift-gone">"This shift was removed."</p>
                    <button type="button" data-testid="close-shift"
                        on:click=move |_| place.shift.set(None)>"Close"</button>
                </div>
            }
            .into_any()),
            Some(Some(_)) => None,
        }}
        <Show when=exists>{editor.clone()}
        </Show>
        {move || shift.get().flatten().map(|current| view! { <ShiftState directory=directory shift=current /> })}
        <Show when=exists>
            <RecordChanges doc=roster_doc(&site_doc, day) map=maps::SHIFTS id=id.to_string() />
        </Show>
    }
}

/// The form, for a new shift (`existing` is `None`) or a change.
#[component]
fn Editor(
    directory: Memo<Directory>,
    site: SiteId,
    existing: Option<Shift>,
    form: ShiftForm,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let place = place();
    let adding = existing.is_none();
    let day = RwSignal::new(form.day.clone());
    let start = RwSignal::new(form.start.clone());
    let end = RwSignal::new(form.end.clone());
    let next_day = RwSignal::new(form.next_day);
    let break_text = RwSignal::new(form.break_text.clone());
    let staff = RwSignal::new(
        form.staff
            .as_ref()
            .map(|s| s.to_string())
            .unwrap_or_default(),
    );
    let position = RwSignal::new(
        form.position
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default(),
    );
    let note = RwSignal::new(form.note.clone());
    let errors = RwSignal::new(Vec::<(&'static str, String)>::new());
    let error = move |field: &'static str| {
        move || {
            errors.with(|all| {
                all.iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, e)| view! { <span class="field-error" data-testid="shift-error">{e.clone()}</span> })
            })
        }
    };
    let site_for_lists = site.clone();
    let people = move || {
        directory.with(|d| {
            d.staff_at(&site_for_lists)
                .map(|m| (m.id.to_string(), m.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let site_for_positions = site.clone();
    let positions = move || {
        directory.with(|d| {
            d.positions_at(&site_for_positions)
                .map(|p| (p.id.to_string(), p.name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let use_template = move |ev| {
        let id = event_target_value(&ev);
        let Some(template) =
            directory.with_untracked(|d| d.templates.iter().find(|t| t.id.as_str() == id).cloned())
        else {
            return;
        };
        let filled = ShiftForm::from_template(NaiveDate::MIN, &template);
        start.set(filled.start);
        end.set(filled.end);
        next_day.set(filled.next_day);
        break_text.set(filled.break_text);
        if let Some(p) = filled.position {
            position.set(p.to_string());
        }
    };
    let before = existing.as_ref().map(Shift::valid);
    let old = existing.as_ref().map(|s| (s.id.clone(), s.day()));
    let save_site = site.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = ShiftForm {
            day: day.get_untracked(),
            start: start.get_untracked(),
            end: end.get_untracked(),
            next_day: next_day.get_untracked(),
            break_text: break_text.get_untracked(),
            staff: Some(staff.get_untracked())
                .filter(|s| !s.is_empty())
                .map(StaffId::from),
            position: Some(position.get_untracked())
                .filter(|p| !p.is_empty())
                .map(Into::into),
            note: note.get_untracked(),
        };
        let after = match typed.validate() {
            Ok(valid) => valid,
            Err(problems) => {
                errors.set(problems);
                return;
            }
        };
        errors.set(Vec::new());
        save_shift(ctx, &save_site, old.clone(), before.clone(), after);
    };
    let remove_target = existing.as_ref().map(|s| (s.id.clone(), s.day()));
    let remove_site = site.clone();
    let remove = move |_| {
        if let Some((id, day)) = remove_target.clone() {
            let doc = roster_doc(&remove_site, day);
            change_many(
                ctx,
                vec![doc],
                "remove the shift",
                move |all| remove_shift(all[0], &id),
                move |()| place.shift.set(None),
            );
        }
    };
    let title = if adding { "New shift" } else { "Shift" };
    view! {
        <form class="shift-panel details" data-testid="shift-panel" on:submit=save>
            <div class="panel-head">
                <h2>{title}</h2>
                <button type="button" class="close" aria-label="Close" data-testid="close-shift"
                    on:click=move |_| place.shift.set(None)>"×"</button>
            </div>
            {move || (!directory.with(|d| d.templates.is_empty())).then(|| view! {
                <label class="field"><span class="label">"Template"</span>
                    <select data-testid="shift-template" on:change=use_template>
                        <option value="">"Choose a template…"</option>
                        {directory.with(|d| d.templates.iter().map(|t| view! {
                            <option value=t.id.to_string()>{t.label()}</option>
                        }).collect_view())}
                    </select>
                </label>
            })}
            <label class="field"><span class="label">"Person"</span>
                <select data-testid="shift-staff" prop:value=move || staff.get()
                    on:change=move |ev| staff.set(event_target_value(&ev))>
                    <option value="">"Open shift (anyone may claim)"</option>
                    {move || people().into_iter().map(|(id, name)| view! {
                        <option value=id.clone() selected=staff.get_untracked() == id>{name}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field"><span class="label">"Position"</span>
                <select data-testid="shift-position" prop:value=move || position.get()
                    on:change=move |ev| position.set(event_target_value(&ev))>
                    <option value="">"Any position"</option>
                    {move || positions().into_iter().map(|(id, name)| view! {
                        <option value=id.clone() selected=position.get_untracked() == id>{name}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field"><span class="label">"Day"</span>
                <input type="date" data-testid="shift-day" prop:value=move || day.get()
                    on:input=move |ev| day.set(event_target_value(&ev)) />
                {error("day")}
            </label>
            <div class="shift-times">
                <label class="field"><span class="label">"Start"</span>
                    <ClockInput name="shift-start" value=start set=Callback::new(move |v| start.set(v)) />
                    {error("start")}
                </label>
                <label class="field"><span class="label">"End"</span>
                    <ClockInput name="shift-end" value=end set=Callback::new(move |v| end.set(v)) />
                    {error("end")}
                </label>
            </div>
            <label class="check">
                <input type="checkbox" data-testid="shift-next-day" prop:checked=move || next_day.get()
                    on:change=move |ev| next_day.set(event_target_checked(&ev)) />
                "Ends next day"
            </label>
            <label class="field"><span class="label">"Unpaid break (minutes, or 12:00-12:30)"</span>
                <input type="text" inputmode="numeric" data-testid="shift-break" prop:value=move || break_text.get()
                    on:input=move |ev| break_text.set(event_target_value(&ev)) />
                {error("break")}
            </label>
            <label class="field"><span class="label">"Note"</span>
                <input type="text" data-testid="shift-note" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev)) />
            </label>
            <div class="actions">
                <button class="primary" type="submit" data-testid="save-shift">
                    {if adding { "Add shift" } else { "Save shift" }}
                </button>
                {(!adding).then(|| view! {
                    <button type="button" class="danger" data-testid="remove-shift" on:click=remove>"Remove"</button>
                })}
            </div>
        </form>
    }
}

/// Writes a new shift, or the fields of one that changed; a shift moved into another month
/// leaves one roster document for the other in the same change.
fn save_shift(
    ctx: Ctx,
    site: &SiteId,
    old: Option<(ShiftId, NaiveDate)>,
    before: Option<ValidShift>,
    after: ValidShift,
) {
    let place = place();
    let new_doc = roster_doc(site, after.start.date());
    match (old, before) {
        (Some((id, day)), Some(before)) => {
            let old_doc = roster_doc(site, day);
            if old_doc == new_doc {
                change_many(
                    ctx,
                    vec![new_doc],
                    "save the shift",
                    move |all| change_shift(all[0], &id, &before, &after),
                    |()| (),
                );
            } else {
                let (site, opened) = (site.clone(), id.clone());
                let day = after.start.date();
                change_many(
                    ctx,
                    vec![old_doc, new_doc],
                    "move the shift",
                    move |all| {
                        remove_shift(all[0], &id)?;
                        put_shift(all[1], &id, &after)
                    },
                    move |()| place.open_shift(ctx, site, day, opened),
                );
            }
        }
        _ => {
            let (site, day) = (site.clone(), after.start.date());
            change_many(
                ctx,
                vec![new_doc],
                "add the shift",
                move |all| add_shift(all[0], &after),
                move |id| place.open_shift(ctx, site, day, id),
            );
        }
    }
}

/// What stands about a shift now: disputes to settle, rules it breaks, claiming and
/// offering it.
#[component]
fn ShiftState(directory: Memo<Directory>, shift: Shift) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let doc = roster_doc(&shift.site, shift.day());
    let disputes = shift
        .disputes
        .iter()
        .map(|dispute| dispute_row(ctx, directory, doc.clone(), &shift.id, dispute))
        .collect_view();
    // The week's rules as the grid read them: the panel opens on its shift's week.
    let WeekIssues(issues) = expect_context::<WeekIssues>();
    let id = shift.id.clone();
    let problems = Memo::new(move |_| {
        issues.with(|list| {
            list.as_ref().map(|list| {
                list.iter()
                    .filter(|i| i.shift.as_ref() == Some(&id))
                    .map(|i| i.message.clone())
                    .collect::<Vec<_>>()
            })
        })
    });
    let me = ctx.staff.get_untracked();
    let can_claim = shift.is_open()
        && me.as_ref().is_some_and(|me| {
            directory.with_untracked(|d| {
                d.staff_member(me)
                    .is_some_and(|m| m.may_work_at(&shift.site))
            })
        });
    let claim_doc = doc.clone();
    let claim_id = shift.id.clone();
    let claim_it = move |_| {
        let (Some(me), doc, id) = (me.clone(), claim_doc.clone(), claim_id.clone()) else {
            return;
        };
        change_many(
            ctx,
            vec![doc],
            "claim the shift",
            move |all| claim(all[0], &id, &me),
            |()| (),
        );
    };
    view! {
        <section class="shift-state">
            {(!shift.disputes.is_empty()).then(|| view! {
                <div class="disputes" data-testid="shift-disputes">
                    <h3>"Changed differently on two devices"</h3>
                    {disputes}
                </div>
            })}
            {move || problems.get().filter(|p| !p.is_empty()).map(|list| view! {
                <div class="shift-problems">
                    <h3>"Rule checks"</h3>
                    <ul>{list.into_iter().map(|p| view! { <li data-testid="shift-problem">{p}</li> }).collect_view()}</ul>
                </div>
            })}
            {can_claim.then(|| view! {
                <button type="button" class="primary" data-testid="claim-shift" on:click=claim_it>
                    "Claim this shift"
                </button>
            })}
            {shift.staff.clone().map(|holder| view! {
                <OfferSwap directory=directory shift=shift.clone() holder=holder />
            })}
        </section>
    }
}

fn dispute_row(
    ctx: Ctx,
    directory: Memo<Directory>,
    doc: protocol::DocId,
    id: &ShiftId,
    dispute: &Dispute,
) -> impl IntoView {
    let field = dispute.field;
    let choices = dispute
        .values
        .iter()
        .map(|value| {
            let label = directory.with_untracked(|d| dispute_value(d, field, value));
            let (doc, id, value) = (doc.clone(), id.clone(), value.clone());
            let pick = move |_| {
                let (id, value) = (id.clone(), value.clone());
                change_many(
                    ctx,
                    vec![doc.clone()],
                    "settle the shift",
                    move |all| settle(all[0], &id, field, &value),
                    |()| (),
                );
            };
            view! { <button type="button" data-testid="settle" on:click=pick>{label}</button> }
        })
        .collect_view();
    view! {
        <p class="dispute" data-testid="dispute">
            {format!("The {}: keep ", field.label())}{choices}
        </p>
    }
}
