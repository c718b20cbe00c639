//! The printable day sheet: the downtime fallback a practice keeps at the desk. Hidden on
//! screen; the print stylesheet shows only it.

use leptos::prelude::*;

use crate::ui::Ctx;
use model::{Appointment, Directory, ProviderId};

#[component]
pub fn PrintSheet(
    directory: Memo<Directory>,
    appointments: Memo<Vec<Appointment>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let only = RwSignal::new(String::new());
    let sheets = move || {
        let site = ctx.site.get();
        let list = appointments.get();
        directory.with(|d| {
            d.providers_at(&site)
                .filter(|p| only.with(|o| o.is_empty() || *o == p.id.to_string()))
                .map(|p| {
                    let rows: Vec<Appointment> = list
                        .iter()
                        .filter(|a| a.provider == p.id && a.status.holds_slot())
                        .cloned()
                        .collect();
                    (p.id.clone(), p.name.clone(), rows)
                })
                .filter(|(_, _, rows)| !rows.is_empty() || !only.with(String::is_empty))
                .collect::<Vec<(ProviderId, String, Vec<Appointment>)>>()
        })
    };
    let heading = move || {
        let site = ctx.site.get();
        let name = directory.with(|d| d.site(&site).map(|s| s.name.clone()).unwrap_or_default());
        format!("{name} · {}", ctx.day.get().format("%A %-d %B %Y"))
    };
    view! {
        <label class="print-choice no-print">
            "Day sheet for "
            <select data-testid="print-provider" on:change=move |ev| only.set(event_target_value(&ev))>
                <option value="">"the whole site"</option>
                {move || { let site = ctx.site.get(); directory.with(|d| d.providers_at(&site).map(|p| view! {
                    <option value=p.id.to_string()>{p.name.clone()}</option>
                }).collect_view()) }}
            </select>
        </label>
        <div class="print-sheet" data-testid="print-sheet">
            <h1>{heading}</h1>
            {move || sheets().into_iter().map(|(_, name, rows)| {
                let room_name = |a: &Appointment| a.room.as_ref()
                    .and_then(|r| directory.with_untracked(|d| d.room(r).map(|r| r.name.clone())))
                    .unwrap_or_default();
                let type_name = |a: &Appointment| a.type_id.as_ref()
                    .and_then(|t| directory.with_untracked(|d| d.appointment_type(t).map(|t| t.name.clone())))
                    .unwrap_or_default();
                view! {
                    <section class="sheet">
                        <h2>{name}</h2>
                        <table>
                            <thead><tr><th>"Time"</th><th>"Min"</th><th>"Patient"</th><th>"Born"</th><th>"Phone"</th><th>"Type"</th><th>"Room"</th><th>"Status"</th><th>"Notes"</th></tr></thead>
                            <tbody>
                                {rows.iter().map(|a| view! {
                                    <tr>
                                        <td>{a.start.format("%H:%M").to_string()}</td>
                                        <td>{a.duration_minutes}</td>
                                        <td>{a.patient_name.clone()}</td>
                                        <td>{a.dob.map(|d| d.to_string()).unwrap_or_default()}</td>
                                        <td>{a.phone.clone().unwrap_or_default()}</td>
                                        <td>{type_name(a)}</td>
                                        <td>{room_name(a)}</td>
                                        <td>{a.status.label()}</td>
                                        <td class="write-in">{a.reason.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </section>
                }
            }).collect_view()}
        </div>
    }
}
