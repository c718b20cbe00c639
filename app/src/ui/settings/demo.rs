//! The demo clinic: one tap fills a new organisation with a made-up practice and its week,
//! its task boards, its supplies and its staff's roster, so that a newcomer sees the
//! schedule at work before typing anything.

use std::collections::BTreeMap;

use automerge::AutoCommit;
use leptos::prelude::*;
use protocol::DocId;

use crate::platform::local_now;
use crate::ui::stock::{change_many, inventory_doc, read_inventory, stock_doc};
use crate::ui::Ctx;
use demo::{
    demo_clinic, has_no_supplies, is_empty, write_board, write_directory, write_roster,
    write_site_office, write_staff_file, write_supplies, write_vendors,
};
use model::{schedule, waitlist, Directory, DocKind, DocumentError, SiteId};

/// Puts each record into its document: all the records of one document in one edit, so
/// that a month of the demo arrives on other devices as one bundle, not hundreds.
fn write_grouped<T: 'static>(
    ctx: &Ctx,
    what: &'static str,
    records: impl IntoIterator<Item = (DocId, T)>,
    put: fn(&mut AutoCommit, &T) -> Result<(), DocumentError>,
) {
    let mut groups: BTreeMap<DocId, Vec<T>> = BTreeMap::new();
    for (doc, record) in records {
        groups.entry(doc).or_default().push(record);
    }
    for (doc, group) in groups {
        // The month may not be open on this device yet; `edit_later` loads it first.
        ctx.edit_later(doc, what, move |am| {
            group.iter().try_for_each(|record| put(am, record))
        });
    }
}

/// Fills an organisation that has nothing a person made yet; refuses otherwise, since the
/// demo renames the main site and would mix made-up patients with real ones. `added` holds
/// what was added, kept by the page so that the card may move without losing it.
#[component]
pub fn DemoCard(
    directory: Memo<Directory>,
    #[prop(optional)] added: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // Supplies may be entered before anything else: the main site's count too. `None`
    // while they load, when the button waits and says nothing.
    let no_supplies = Memo::new(move |_| {
        read_inventory(ctx, &SiteId::main()).map(|inventory| has_no_supplies(&inventory))
    });
    let empty = Memo::new(move |_| directory.with(is_empty) && no_supplies.get() == Some(true));
    let taken = Memo::new(move |_| !directory.with(is_empty) || no_supplies.get() == Some(false));
    let added = added.unwrap_or_else(|| RwSignal::new(None));
    let fill = move |_| {
        // A second tap before the button disables itself must not add a second practice.
        if added.with_untracked(Option::is_some) || !empty.get_untracked() {
            return;
        }
        let now = local_now();
        let device = ctx.driver.with_value(|d| d.device());
        // Math.random has 53 random bits; a different practice each time is all we need.
        let seed = (js_sys::Math::random() * (1u64 << 53) as f64) as u64;
        let clinic = demo_clinic(now.date(), now, &device, seed);
        let directory_doc = DocKind::Directory.doc_id();
        if ctx
            .edit(&directory_doc, "add the demo clinic", |am| {
                write_directory(am, &clinic)?;
                write_vendors(am, &clinic)
            })
            .is_none()
        {
            return;
        }
        write_grouped(
            &ctx,
            "add the demo clinic's appointments",
            clinic.appointments.iter().map(|(site, a)| {
                (
                    DocKind::schedule_for(site, a.start.date()).doc_id(),
                    a.clone(),
                )
            }),
            schedule::put,
        );
        write_grouped(
            &ctx,
            "add the demo clinic's waitlist",
            clinic
                .waitlist
                .iter()
                .map(|(site, e)| (DocKind::Waitlist { site: site.clone() }.doc_id(), e.clone())),
            waitlist::put,
        );
        for (scope, board) in &clinic.boards {
            let (board, device) = (board.clone(), device.clone());
            // One edit a board, which may not be open yet: `edit_later` loads it first.
            ctx.edit_later(
                DocKind::Board {
                    scope: scope.clone(),
                }
                .doc_id(),
                "add the demo clinic's task boards",
                move |am| write_board(am, &board, &device),
            );
        }
        for (site, supplies) in &clinic.supplies {
            let months = supplies.months().into_iter().map(|m| stock_doc(site, m));
            let docs = std::iter::once(inventory_doc(site)).chain(months).collect();
            let (supplies, device) = (supplies.clone(), device.clone());
            // One change across the site's inventory and the stock logs of its months, all
            // or none, loading them first: each movement goes into the log of its month.
            change_many(
                ctx,
                docs,
                "add the demo clinic's supplies",
                move |docs| match docs.split_first_mut() {
                    Some((inventory, logs)) => write_supplies(inventory, logs, &supplies, &device),
                    None => Err(DocumentError::Write("no inventory to write into".into())),
                },
                |()| (),
            );
        }
        for site in &clinic.sites {
            let (clinic, site_id, today) = (clinic.clone(), site.id.clone(), now.date());
            ctx.edit_later(
                inventory_doc(&site.id),
                "add the demo clinic's equipment and budget",
                move |am| write_site_office(am, &clinic, &site_id, today),
            );
        }
        {
            let clinic = clinic.clone();
            ctx.edit_later(
                DocKind::StaffFile.doc_id(),
                "add the demo clinic's staff file",
                move |am| write_staff_file(am, &clinic, now.date(), now),
            );
        }
        for (kind, part) in clinic.roster.by_document() {
            // One edit a site's month of shifts, with the swaps between them; the month may
            // not be open yet: `edit_later` loads it first.
            ctx.edit_later(kind.doc_id(), "add the demo clinic's roster", move |am| {
                write_roster(am, &part)
            });
        }
        let items: usize = clinic.supplies.iter().map(|(_, s)| s.items.len()).sum();
        added.set(Some(format!(
            "Demo clinic added: {} appointments at {} sites, {} staff with {} shifts, {} task boards and {items} supply items.",
            clinic.appointments.len(),
            clinic.sites.len(),
            clinic.staff.len(),
            clinic.roster.shifts.len(),
            clinic.boards.len()
        )));
    };
    let year = past_year(ctx, directory);
    view! {
        <section class="card" data-testid="demo-card">
            <h2>"Demo clinic"</h2>
            <p>"A made-up practice with two sites, its providers, rooms, staff, a week of appointments, a month of shifts, task boards, supplies, vendors and equipment, budgets and staff files, to try Front desk before entering your own."</p>
            <button class="primary" type="button" data-testid="demo-clinic"
                disabled=move || !empty.get() on:click=fill>
                "Fill with a demo clinic"
            </button>
            {move || match added.get() {
                Some(message) => view! { <p class="saved" data-testid="demo-added">{message}</p> }.into_any(),
                None => view! {
                    <Show when=move || taken.get()>
                        <p class="hint" data-testid="demo-why-not">
                            "Only an organisation with nothing entered yet can be filled: the demo would mix made-up patients with yours."
                        </p>
                    </Show>
                }.into_any(),
            }}
            {year}
        </section>
    }
}

/// Once the demo clinic is in, a second tap adds its past year, which the reports read
/// ([`demo::year`]): offered while last month at the main site is still empty.
fn past_year(ctx: Ctx, directory: Memo<Directory>) -> impl IntoView {
    let added = RwSignal::new(None::<String>);
    let offered = Memo::new(move |_| {
        if !directory.with(demo::is_demo) {
            return false;
        }
        let today = ctx.now.get().date();
        let last_month = model::document::first_of_month(today) - chrono::Days::new(1);
        ctx.month(&SiteId::main(), last_month)
            .is_some_and(|m| m.appointments.is_empty())
    });
    let fill = move |_| {
        if added.with_untracked(Option::is_some) || !offered.get_untracked() {
            return;
        }
        let now = local_now();
        let device = ctx.driver.with_value(|d| d.device());
        let year = demo::year::year(&directory.get_untracked(), now.date(), &device);
        let count = year.len();
        write_grouped(
            &ctx,
            "add the demo clinic's past year",
            year.into_iter()
                .map(|(site, a)| (DocKind::schedule_for(&site, a.start.date()).doc_id(), a)),
            schedule::put,
        );
        added.set(Some(format!(
            "Added {count} past appointments over the twelve months before this one."
        )));
    };
    view! {
        <Show when=move || offered.get() || added.with(Option::is_some)>
            <p>"The reports read months of history: the demo can add a past year of appointments, the same figures every month."</p>
            <button type="button" data-testid="demo-year" disabled=move || added.with(Option::is_some)
                on:click=fill>"Add the demo's past year"</button>
            {move || added.get().map(|m| view! { <p class="saved" data-testid="demo-year-added">{m}</p> })}
        </Show>
    }
}
