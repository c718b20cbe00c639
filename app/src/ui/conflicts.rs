//! Conflicts: clashes found on the merged schedule — whether one desk made them or two
//! desks booking offline — with one-tap resolution: move, cancel, or keep both with a note.

use chrono::{Months, NaiveDate};
use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::{schedule_doc, Ctx, Tab};
use model::clash::{find_clashes, Clash, ClashKind};
use model::document::first_of_month;
use model::schedule;
use model::{Appointment, AppointmentId, Directory, ProviderId, SiteId};

/// The months whose clashes are listed: this one and the next, and the one in view.
fn months(ctx: Ctx) -> Vec<NaiveDate> {
    let this_month = first_of_month(ctx.now.get().date());
    let mut months = vec![this_month];
    months.extend(this_month.checked_add_months(Months::new(1)));
    let in_view = first_of_month(ctx.day.get());
    if !months.contains(&in_view) {
        months.push(in_view);
    }
    months
}

/// The clashes from today on at `site`: the one count of conflicts, which the badge, this
/// page and the Sites page all show.
pub fn clashes_from_today(ctx: Ctx, directory: &Directory, site: &SiteId) -> Vec<Clash> {
    let site = site.clone();
    let today = ctx.now.get().date();
    let mut clashes = Vec::new();
    // A provider who works at several sites can be booked at two of them at once.
    let shared: Vec<&ProviderId> = directory
        .providers_at(&site)
        .filter(|p| p.sites.len() > 1)
        .map(|p| &p.id)
        .collect();
    for month in months(ctx) {
        let Some(here) = ctx.month(&site, month) else {
            continue;
        };
        let elsewhere: Vec<Appointment> = directory
            .sites
            .iter()
            .filter(|s| s.id != site && !shared.is_empty())
            .filter_map(|s| ctx.month(&s.id, month))
            .flat_map(|m| {
                m.appointments
                    .iter()
                    .filter(|a| shared.contains(&&a.provider))
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .collect();
        let combined;
        let all: &[Appointment] = if elsewhere.is_empty() {
            &here.appointments
        } else {
            combined = [here.appointments.as_slice(), &elsewhere].concat();
            &combined
        };
        let by_id: HashMap<&AppointmentId, &Appointment> = all.iter().map(|a| (&a.id, a)).collect();
        let here_ids: std::collections::HashSet<&AppointmentId> = if elsewhere.is_empty() {
            Default::default()
        } else {
            here.appointments.iter().map(|a| &a.id).collect()
        };
        let at_site = |id: &AppointmentId| elsewhere.is_empty() || here_ids.contains(id);
        for clash in find_clashes(all, directory, &site) {
            if by_id
                .get(&clash.first)
                .is_none_or(|a| a.end().date() < today)
            {
                continue;
            }
            // The other sites' own clashes are theirs to list.
            let ours = match clash.kind {
                ClashKind::Provider => {
                    at_site(&clash.first) || clash.second.as_ref().is_some_and(at_site)
                }
                _ => at_site(&clash.first),
            };
            if !ours {
                continue;
            }
            clashes.push(clash);
        }
    }
    clashes
}

/// The appointments `clashes` name, looked up in the months they were found in: the
/// site's, and the other sites' for a provider who works at several.
fn named(
    ctx: Ctx,
    directory: &Directory,
    clashes: &[Clash],
) -> HashMap<AppointmentId, Appointment> {
    let wanted: HashSet<&AppointmentId> = clashes
        .iter()
        .flat_map(|c| std::iter::once(&c.first).chain(c.second.as_ref()))
        .collect();
    let mut found = HashMap::new();
    for month in months(ctx) {
        for site in directory.sites.iter() {
            if found.len() == wanted.len() {
                return found;
            }
            if let Some(schedule) = ctx.month(&site.id, month) {
                for a in schedule
                    .appointments
                    .iter()
                    .filter(|a| wanted.contains(&a.id))
                {
                    found.insert(a.id.clone(), a.clone());
                }
            }
        }
    }
    found
}

/// The clashes from today on at the site; found once `ready`. The shell makes one for the
/// badge and this page to share.
pub fn open_clashes(
    ctx: Ctx,
    directory: Memo<Directory>,
    ready: RwSignal<bool>,
) -> Memo<Vec<Clash>> {
    Memo::new(move |_| {
        if !ready.get() {
            return Default::default();
        }
        let site = ctx.site.get();
        directory.with(|d| clashes_from_today(ctx, d, &site))
    })
}

/// The shell's clashes, shared through context.
#[derive(Clone, Copy)]
pub struct OpenClashes(pub Memo<Vec<Clash>>);

#[component]
pub fn Conflicts() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = crate::ui::directory_memo(ctx);
    let open = use_context::<OpenClashes>()
        .map(|c| c.0)
        .unwrap_or_else(|| open_clashes(ctx, directory, RwSignal::new(true)));
    let items = Memo::new(move |_| {
        let clashes = open.get();
        let site = ctx.site.get();
        directory.with(|d| {
            let found = named(ctx, d, &clashes);
            clashes
                .into_iter()
                .map(|clash| {
                    let line = clash.describe(|id| found.get(id), d, &site);
                    let involved: Vec<Appointment> = std::iter::once(&clash.first)
                        .chain(clash.second.as_ref())
                        .filter_map(|id| found.get(id).cloned())
                        .collect();
                    (clash, line, involved)
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section class="conflicts card">
            <h2>"Conflicts"</h2>
            <Show when=move || open.with(Vec::is_empty)>
                <p class="empty" data-testid="no-conflicts">"No clashes from today on."</p>
            </Show>
            <ul class="conflict-list">
                // Keyed by the clash and its line, so that a note being typed under one
                // clash survives changes elsewhere in the month.
                <For each=move || items.get() key=|(clash, line, _)| (clash.first.clone(), clash.second.clone(), clash.kind, line.clone())
                    let((clash, line, involved))>
                    <ConflictItem clash=clash line=line involved=involved directory=directory />
                </For>
            </ul>
        </section>
    }
}

#[component]
fn ConflictItem(
    clash: Clash,
    line: String,
    involved: Vec<Appointment>,
    directory: Memo<Directory>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let note = RwSignal::new(String::new());
    let open = move |a: &Appointment| {
        let (day, id) = (a.start.date(), a.id.clone());
        move |_| {
            ctx.day.set(day);
            ctx.selected.set(Some(id.clone()));
            ctx.tab.set(Tab::Today);
        }
    };
    // Cancelling cannot be undone, so it takes a second touch on the same button.
    let confirming = RwSignal::new(None::<AppointmentId>);
    let cancel = move |a: &Appointment| {
        let (doc, id) = (
            schedule_doc(&ctx.site.get_untracked(), a.start.date()),
            a.id.clone(),
        );
        move |_| {
            if confirming.get_untracked().as_ref() != Some(&id) {
                confirming.set(Some(id.clone()));
                return;
            }
            confirming.set(None);
            let who = ctx.who(&directory.get_untracked());
            ctx.edit(&doc, "cancel", |am| {
                schedule::cancel(am, &id, "Booking clash", &who, local_now())
            });
        }
    };
    let keep_label = if !clash.kind.is_solo() {
        "Keep both"
    } else {
        "Keep it"
    };
    let keep = {
        let (clash, first) = (
            clash.clone(),
            involved.iter().find(|a| a.id == clash.first).cloned(),
        );
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(first) = first.clone() else { return };
            let Some(other) = clash.acceptance_for(&first.id).map(str::to_string) else {
                return;
            };
            let who = ctx.who(&directory.get_untracked());
            let doc = schedule_doc(&ctx.site.get_untracked(), first.start.date());
            let id: AppointmentId = first.id.clone();
            ctx.edit(&doc, "keep both", |am| {
                schedule::accept_clash(am, &id, &other, &note.get(), &who, local_now())
            });
        }
    };
    view! {
        <li class="conflict" data-testid="conflict">
            <p class="conflict-line">{line}</p>
            <div class="actions">
                {involved.iter().map(|a| view! {
                    <span class="conflict-party">
                        <button data-testid="conflict-move" on:click=open(a)>{format!("Move {}", a.patient_name)}</button>
                        <button class="danger" data-testid="conflict-cancel" on:click=cancel(a)>{
                            let (id, name) = (a.id.clone(), a.patient_name.clone());
                            move || if confirming.get().as_ref() == Some(&id) {
                                format!("Tap again to cancel {name}")
                            } else {
                                format!("Cancel {name}")
                            }
                        }</button>
                    </span>
                }).collect_view()}
            </div>
            <form class="keep-both" on:submit=keep>
                <input name="clash_note" placeholder="Why it stays (optional)" prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev)) />
                <button type="submit" data-testid="conflict-keep">{keep_label}</button>
            </form>
        </li>
    }
}
