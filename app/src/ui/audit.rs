//! The manager's Audit page: who changed what and when, read from the documents' own
//! history (`model::audit::changes`), filtered by area, day, person and patient; an entry
//! opens to the record as it was before and after. Below it, the records opened, exports,
//! prints and emergency openings of the day, from the site's audit document, the emergencies
//! loudly. [`note`] and [`viewed`] are how views record them there.

use chrono::{NaiveDate, TimeZone};
use leptos::prelude::*;

use crate::platform::now_ms;
use crate::ui::{directory_memo, Ctx};
use model::audit::{self, Event, EventKind};
use model::board::BoardScope;
use model::{DocKind, SiteId, StaffId};

/// The documents the audit can read, by area.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Area {
    Schedule,
    Waitlist,
    Roster,
    Stock,
    Supplies,
    Tasks,
    Directory,
}

impl Area {
    const ALL: [Self; 7] = [
        Self::Schedule,
        Self::Waitlist,
        Self::Roster,
        Self::Stock,
        Self::Supplies,
        Self::Tasks,
        Self::Directory,
    ];

    fn label(self) -> &'static str {
        match self {
            Self::Schedule => "Schedule",
            Self::Waitlist => "Waitlist",
            Self::Roster => "Roster",
            Self::Stock => "Stock movements",
            Self::Supplies => "Supplies",
            Self::Tasks => "Tasks",
            Self::Directory => "People and settings",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Schedule => "schedule",
            Self::Waitlist => "waitlist",
            Self::Roster => "roster",
            Self::Stock => "stock",
            Self::Supplies => "supplies",
            Self::Tasks => "tasks",
            Self::Directory => "directory",
        }
    }

    /// The document that holds the area's records of the month of `day` at `site`.
    fn doc(self, site: &SiteId, day: NaiveDate) -> DocKind {
        use chrono::Datelike;
        let (year, month, site) = (day.year(), day.month(), site.clone());
        match self {
            Self::Schedule => DocKind::Schedule { site, year, month },
            Self::Waitlist => DocKind::Waitlist { site },
            Self::Roster => DocKind::Roster { site, year, month },
            Self::Stock => DocKind::Stock { site, year, month },
            Self::Supplies => DocKind::Inventory { site },
            Self::Tasks => DocKind::Board {
                scope: BoardScope::Site(site),
            },
            Self::Directory => DocKind::Directory,
        }
    }
}

/// Downloads a file of patient data and records the export (`what`) in the audit; a file
/// that could not be made is reported instead.
pub fn export(ctx: Ctx, file: &str, mime: &str, text: &str, what: String) {
    match crate::platform::download(file, mime, text) {
        Ok(()) => note(ctx, EventKind::Export, what),
        Err(e) => ctx.report(format!("Could not export: {e}")),
    }
}

/// Records that the signed-in person opened `appointment`'s record: once per opening, not
/// again each time the open panel is drawn anew because the appointment changed.
pub fn viewed(ctx: Ctx, appointment: &model::Appointment) {
    if ctx.last_viewed.get_value().as_ref() == Some(&appointment.id) {
        return;
    }
    ctx.last_viewed.set_value(Some(appointment.id.clone()));
    note(
        ctx,
        EventKind::View,
        format!(
            "Appointment of {}, {}",
            appointment.patient_name,
            appointment.start.format("%Y-%m-%d %H:%M")
        ),
    );
}

/// Records an export or print of patient data in the site's audit document of this month.
pub fn note(ctx: Ctx, kind: EventKind, what: String) {
    record(ctx, kind, what, String::new());
}

/// Appends an event, in the signed-in person's name, to the audit document of the site
/// and month.
pub fn record(ctx: Ctx, kind: EventKind, what: String, reason: String) {
    let Some(staff) = ctx.staff.get_untracked() else {
        return;
    };
    let event = Event {
        id: uuid::Uuid::new_v4().to_string(),
        kind,
        staff,
        device: ctx.driver.with_value(|d| d.device()),
        at_ms: now_ms(),
        what,
        reason,
    };
    let doc = DocKind::audit_for(&ctx.site.get_untracked(), ctx.now.get_untracked().date());
    ctx.edit_later(doc.doc_id(), "record it in the audit", move |am| {
        audit::append(am, &event)
    });
}

/// One listed change, made ready for the page.
#[derive(Clone, PartialEq)]
struct Row {
    hash: automerge::ChangeHash,
    deps: Vec<automerge::ChangeHash>,
    at: String,
    staff: Option<StaffId>,
    device: String,
    /// Each record touched: its map, id and what names it.
    records: Vec<(String, String, String)>,
}

fn local(secs: i64) -> Option<chrono::DateTime<chrono::Local>> {
    chrono::Local.timestamp_opt(secs, 0).single()
}

#[component]
pub fn Audit() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let area = RwSignal::new(Area::Schedule);
    let day = RwSignal::new(ctx.now.get_untracked().date());
    // The month whose records to read: a change made today may be to next month's roster
    // or schedule, so it is chosen apart from the day of the change.
    let month = RwSignal::new(model::document::first_of_month(ctx.day.get_untracked()));
    let person = RwSignal::new(String::new());
    let patient = RwSignal::new(String::new());
    let doc = Memo::new(move |_| area.get().doc(&ctx.site.get(), month.get()).doc_id());
    let rows = Memo::new(move |_| {
        let wanted = day.get();
        ctx.read(&doc.get(), |am| {
            let mut copy = am.clone();
            audit::changes(&mut copy)
                .into_iter()
                .filter(|c| local(c.at_secs).is_some_and(|t| t.date_naive() == wanted))
                .map(|c| Row {
                    at: local(c.at_secs)
                        .map(|t| t.format("%H:%M:%S").to_string())
                        .unwrap_or_default(),
                    staff: c.staff,
                    device: c.device.unwrap_or_default(),
                    records: c
                        .touched
                        .iter()
                        .map(|t| {
                            let label = audit::label_at(&copy, &t.map, &t.id, &[c.hash])
                                .or_else(|| audit::label_at(&copy, &t.map, &t.id, &c.deps))
                                .unwrap_or_else(|| t.id.clone());
                            (t.map.clone(), t.id.clone(), label)
                        })
                        .collect(),
                    hash: c.hash,
                    deps: c.deps,
                })
                .collect::<Vec<_>>()
        })
    });
    let shown = move || {
        let person = person.get();
        let patient = patient.get().to_lowercase();
        rows.get()
            .unwrap_or_default()
            .into_iter()
            .rev()
            .filter(|r| person.is_empty() || r.staff.as_ref().is_some_and(|s| s.as_str() == person))
            .filter(|r| {
                patient.is_empty()
                    || r.records
                        .iter()
                        .any(|(_, _, label)| label.to_lowercase().contains(&patient))
            })
            .collect::<Vec<_>>()
    };
    let name = move |staff: &Option<StaffId>| match staff {
        Some(id) => directory.with(|d| d.staff_name(id)),
        None => "Nobody signed in".to_string(),
    };
    view! {
        <section class="audit card" data-testid="audit">
            <h2>"Audit"</h2>
            <div class="audit-filters">
                <label class="field inline">
                    <span class="label">"Area"</span>
                    <select name="audit_area" prop:value=move || area.get().code()
                        on:change=move |ev| {
                            let code = event_target_value(&ev);
                            if let Some(a) = Area::ALL.into_iter().find(|a| a.code() == code) { area.set(a) }
                        }>
                        {Area::ALL.into_iter().map(|a| view! { <option value=a.code()>{a.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field inline">
                    <span class="label">"Records of"</span>
                    <input type="month" name="audit_month" prop:value=move || month.get().format("%Y-%m").to_string()
                        on:change=move |ev| {
                            if let Ok(d) = NaiveDate::parse_from_str(&format!("{}-01", event_target_value(&ev)), "%Y-%m-%d") { month.set(d) }
                        } />
                </label>
                <label class="field inline">
                    <span class="label">"Changed on"</span>
                    <input type="date" name="audit_day" prop:value=move || day.get().to_string()
                        on:change=move |ev| if let Ok(d) = event_target_value(&ev).parse() { day.set(d) } />
                </label>
                <label class="field inline">
                    <span class="label">"Person"</span>
                    <select name="audit_person" prop:value=move || person.get()
                        on:change=move |ev| person.set(event_target_value(&ev))>
                        <option value="">"Anyone"</option>
                        {move || directory.with(|d| d.staff.iter().map(|s| view! {
                            <option value=s.id.to_string()>{s.name.clone()}</option>
                        }).collect_view())}
                    </select>
                </label>
                <label class="field inline">
                    <span class="label">"Patient or record"</span>
                    <input name="audit_patient" prop:value=move || patient.get()
                        on:input=move |ev| patient.set(event_target_value(&ev)) />
                </label>
            </div>
            {move || match rows.get() {
                None => view! { <p class="empty">"Loading…"</p> }.into_any(),
                Some(_) => view! {
                    <ol class="audit-changes">
                        {shown().into_iter().map(|row| {
                            let who = name(&row.staff);
                            view! { <ChangeRow row=row name=who doc=doc.get_untracked() /> }
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
            <Events day=day />
        </section>
    }
}

#[component]
fn ChangeRow(row: Row, name: String, doc: protocol::DocId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let open = RwSignal::new(false);
    let labels = row
        .records
        .iter()
        .map(|(_, _, label)| label.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let (hash, deps, records) = (row.hash, row.deps.clone(), row.records.clone());
    let details = move || {
        let records = records.clone();
        let deps = deps.clone();
        ctx.read(&doc, move |am| {
            records
                .iter()
                .map(|(map, id, label)| {
                    let before = audit::record_at(am, map, id, &deps);
                    let after = audit::record_at(am, map, id, &[hash]);
                    let mut keys: Vec<String> = before.iter().chain(&after).map(|(k, _)| k.clone()).collect();
                    keys.sort();
                    keys.dedup();
                    let value = |list: &[(String, String)], key: &str| {
                        list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default()
                    };
                    let lines = keys
                        .into_iter()
                        .map(|k| {
                            let (b, a) = (value(&before, &k), value(&after, &k));
                            let changed = b != a;
                            view! {
                                <tr class:changed=changed>
                                    <th scope="row">{k}</th><td>{b}</td><td>{a}</td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        <table class="audit-record" data-testid="audit-record">
                            <caption>{label.clone()}</caption>
                            <thead><tr><th scope="col">"Field"</th><th scope="col">"Before"</th><th scope="col">"After"</th></tr></thead>
                            <tbody>{lines}</tbody>
                        </table>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <li class="audit-change" data-testid="audit-change">
            <button type="button" class="audit-summary" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                <span class="when">{row.at.clone()}</span>
                <span class="who">{name}</span>
                <span class="device">{row.device.clone()}</span>
                <span class="what">{labels}</span>
            </button>
            <Show when=move || open.get()>{details.clone()}</Show>
        </li>
    }
}

/// The day's exports, prints and emergency openings at the site.
#[component]
fn Events(day: RwSignal<NaiveDate>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let events = move || {
        let wanted = day.get();
        let doc = DocKind::audit_for(&ctx.site.get(), wanted).doc_id();
        ctx.read(&doc, audit::events)
            .and_then(|read| read.ok())
            .map(|(all, _)| {
                all.into_iter()
                    .filter(|e| {
                        local(e.at_ms.div_euclid(1000)).is_some_and(|t| t.date_naive() == wanted)
                    })
                    .rev()
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    view! {
        <h3>"Records opened, exports, prints and emergency access"</h3>
        <ol class="audit-events">
            {move || events().into_iter().map(|e| {
                let loud = e.kind == EventKind::BreakGlass;
                let kind = match e.kind {
                    EventKind::View => "Opened",
                    EventKind::Export => "Export",
                    EventKind::Print => "Print",
                    EventKind::BreakGlass => "EMERGENCY ACCESS",
                };
                let at = local(e.at_ms.div_euclid(1000)).map(|t| t.format("%H:%M:%S").to_string()).unwrap_or_default();
                view! {
                    <li class="audit-event" class:loud=loud data-testid=if loud { "audit-break-glass" } else { "audit-event" }>
                        <span class="when">{at}</span>
                        <strong>{kind}</strong>
                        <span class="who">{directory.with(|d| d.staff_name(&e.staff))}</span>
                        <span class="device">{e.device.clone()}</span>
                        <span class="what">{e.what.clone()}</span>
                        {(!e.reason.is_empty()).then(|| view! { <span class="reason">{format!("Reason: {}", e.reason)}</span> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
