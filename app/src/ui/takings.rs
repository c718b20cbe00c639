//! The end of the day at the site: what the patients seen were expected to pay, what each
//! desk's drawer should hold by method, every payment and refund of the day with its
//! receipt, and each desk's closing count with who closed it and the difference
//! ([`model::payment::drawer`]). This desk closes its own drawer here. Printable.

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;

use crate::platform::{local_now, print};
use crate::ui::settings::fields::{Field, TextField};
use crate::ui::{audit, directory_memo, schedule_doc, Ctx};
use model::audit::EventKind;
use model::money::plain;
use model::payment::drawer::{close_drawer, closes, day_takings, CloseForm, Day, PerMethod};
use model::payment::{on_day, Kind, Method};

#[component]
pub fn Takings() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let day = RwSignal::new(ctx.now.get_untracked().date());
    // The day's money: the payments and closes kept in the month's document, and the
    // co-pays of the day's patients seen.
    let takings = Memo::new(move |_| -> Option<(Day, Vec<String>)> {
        let (site, d) = (ctx.site.get(), day.get());
        let seen = ctx.day_of(&site, d)?;
        let doc = schedule_doc(&site, d);
        let (payments, recorded) = ctx.read(&doc, |am| (on_day(am, d), closes(am)))?;
        let lines = payments
            .iter()
            .map(|p| {
                let sign = if p.kind == Kind::Refund { "-" } else { "" };
                format!(
                    "{} {} · {sign}{} {} · receipt {} · {}",
                    p.at.get(11..16).unwrap_or_default(),
                    p.patient,
                    plain(p.cents),
                    p.method.label().to_lowercase(),
                    p.receipt,
                    p.device
                )
            })
            .collect();
        // The co-pays patients' plans set, once the register has loaded.
        let register = crate::ui::register::register(ctx);
        let plans = |a: &model::Appointment| -> Option<i64> {
            let r = register.as_ref()?;
            r.resolve(a.patient.as_ref()?)
                .and_then(model::patient::coverage::plan_copay)
        };
        let figures =
            directory.with(|dir| day_takings(&seen, &payments, d, dir, &plans, &recorded));
        Some((figures, lines))
    });
    let title = move || format!("Takings for {}", day.get().format("%A %-d %B %Y"));
    let per_method = |m: PerMethod| {
        Method::ALL
            .iter()
            .map(|&method| view! { <td>{plain(m.get(method))}</td> })
            .collect_view()
    };
    view! {
        <section class="takings card" data-testid="takings">
            <div class="calls-nav">
                <button type="button" class="no-print" aria-label="Previous day" on:click=move |_| day.update(|d| *d -= Duration::days(1))>"‹"</button>
                <h2 data-testid="takings-title">{title}</h2>
                <button type="button" class="no-print" aria-label="Next day" on:click=move |_| day.update(|d| *d += Duration::days(1))>"›"</button>
                <button type="button" class="no-print" on:click=move |_| day.set(local_now().date())>"Today"</button>
                <button type="button" class="no-print" data-testid="print-takings" on:click=move |_| {
                    audit::note(ctx, EventKind::Print, format!("Takings {}", day.get_untracked()));
                    print()
                }>"Print"</button>
            </div>
            {move || match takings.get() {
                None => view! { <p class="empty">"Loading the day's payments…"</p> }.into_any(),
                Some((figures, lines)) => view! {
                    <dl class="site-figures">
                        <div><dt>"Expected co-pays"</dt><dd data-testid="takings-expected">{plain(figures.expected)}</dd></div>
                        <div><dt>"Collected"</dt><dd data-testid="takings-collected">{plain(figures.collected.total())}</dd></div>
                        <div class:alert=figures.difference() != 0><dt>"Difference"</dt><dd data-testid="takings-difference">{plain(figures.difference())}</dd></div>
                    </dl>
                    // Focusable, so that a keyboard can scroll it sideways on a phone.
                    <div class="table-scroll" role="region" tabindex="0" aria-label="Each desk's drawer">
                    <table class="takings-table">
                        <thead><tr>
                            <th scope="col">"Desk"</th>
                            {Method::ALL.iter().map(|m| view! { <th scope="col">{m.label()}</th> }).collect_view()}
                            <th scope="col">"Refunds"</th>
                            <th scope="col">"In the drawer"</th>
                            <th scope="col">"Closed"</th>
                        </tr></thead>
                        <tbody>
                            {figures.desks.iter().map(|desk| {
                                let closed = match (&desk.close, desk.difference()) {
                                    (Some(c), Some(diff)) => format!(
                                        "by {} at {} · counted {} · difference {}",
                                        c.closed_by,
                                        c.at.get(11..16).unwrap_or_default(),
                                        plain(c.counted.total()),
                                        plain(diff.total())
                                    ),
                                    _ => "Open".to_string(),
                                };
                                view! {
                                    <tr data-testid="takings-desk">
                                        <th scope="row">{desk.desk.clone()}</th>
                                        {per_method(desk.drawer)}
                                        <td>{plain(desk.refunded.total())}</td>
                                        <td>{plain(desk.drawer.total())}</td>
                                        <td>{closed}</td>
                                    </tr>
                                }
                            }).collect_view()}
                            <tr class="total" data-testid="takings-site">
                                <th scope="row">"All desks"</th>
                                {per_method(figures.collected)}
                                <td>{plain(figures.desks.iter().map(|d| d.refunded.total()).sum())}</td>
                                <td>{plain(figures.collected.total())}</td>
                                <td></td>
                            </tr>
                        </tbody>
                    </table>
                    </div>
                    <h3>"Payments and refunds"</h3>
                    <ul class="call-list" data-testid="takings-payments">
                        {if lines.is_empty() {
                            view! { <li class="empty">"None this day."</li> }.into_any()
                        } else {
                            lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view().into_any()
                        }}
                    </ul>
                }.into_any(),
            }}
            <CloseDrawer day=day />
        </section>
    }
}

/// This desk's closing count: one amount per method, and who closes.
#[component]
fn CloseDrawer(day: RwSignal<NaiveDate>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let fields = [Field::new(""), Field::new(""), Field::new("")];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        for f in fields {
            f.error.set(None);
        }
        let form = CloseForm {
            counted: fields.map(|f| f.text()),
        };
        let counted = match form.validate() {
            Ok(counted) => counted,
            Err(errors) => {
                for (method, message) in errors {
                    fields[method.index()].error.set(Some(message));
                }
                return;
            }
        };
        let who = ctx.who(&directory.get_untracked());
        let by = who.staff.clone().unwrap_or_else(|| who.device.clone());
        let d = day.get_untracked();
        let doc = schedule_doc(&ctx.site.get_untracked(), d);
        let closed = ctx.edit(&doc, "close the drawer", |am| {
            close_drawer(am, d, &who.device, counted, &by, local_now())
        });
        if closed.is_some() {
            ctx.said(format!(
                "Drawer closed: {} counted.",
                plain(counted.total())
            ));
        }
    };
    view! {
        <form class="details close-drawer no-print" on:submit=submit>
            <h3>"Close this desk's drawer"</h3>
            <div class="field-row">
                <TextField label="Cash counted" name="count-cash" field=fields[0] placeholder="0.00" />
                <TextField label="Card slips" name="count-card" field=fields[1] placeholder="0.00" />
                <TextField label="Cheques" name="count-cheque" field=fields[2] placeholder="0.00" />
            </div>
            <button class="primary" type="submit" data-testid="close-drawer">"Close the drawer"</button>
        </form>
    }
}
