//! Money at the desk, in an appointment's side panel: the co-pay its type expects, what
//! was paid and is still due, each payment and refund with its receipt, and one form to
//! take a payment or give a refund ([`model::payment`]). The day's takings per desk are
//! on [`crate::ui::takings`].

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::settings::controls::SelectField;
use crate::ui::settings::fields::{Field, TextField};
use crate::ui::{schedule_doc, Ctx};
use model::payment::{due, expected, format_cents, paid, parse_amount, take, Kind, Method};
use model::{Appointment, Directory};

#[component]
pub fn Payments(appointment: Appointment, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let a = appointment;
    let (expected_cents, still_due) = directory.with_untracked(|d| (expected(&a, d), due(&a, d)));
    let paid_cents = paid(&a);
    if expected_cents.is_none() && a.payments.is_empty() && !a.status.holds_slot() {
        return ().into_any();
    }
    let amount = Field::new(
        still_due
            .filter(|c| *c > 0)
            .map(format_cents)
            .unwrap_or_default(),
    );
    let method = Field::new(Method::Card.code());
    let methods = Signal::derive(|| {
        Method::ALL
            .iter()
            .map(|m| (m.code().to_string(), m.label().to_string()))
            .collect::<Vec<_>>()
    });
    let doc = schedule_doc(&ctx.site.get_untracked(), a.start.date());
    let id = a.id.clone();
    let run = move |kind: Kind| {
        let Some(cents) = amount.check(parse_amount(&amount.text())) else {
            return;
        };
        let Some(chosen) = Method::parse(&method.text()) else {
            method
                .error
                .set(Some("Choose cash, card or cheque.".into()));
            return;
        };
        let who = ctx.who(&directory.get_untracked());
        let what = match kind {
            Kind::Payment => "take the payment",
            Kind::Refund => "give the refund",
        };
        let id = id.clone();
        if let Some(p) = ctx.edit(&doc, what, |am| {
            take(am, &id, kind, cents, chosen, &who, local_now())
        }) {
            let verb = if kind == Kind::Payment {
                "Took"
            } else {
                "Refunded"
            };
            // The panel is drawn anew with the payment; the bar says what was done.
            ctx.said(format!(
                "{verb} {} by {}. Receipt {}.",
                format_cents(p.cents),
                p.method.label().to_lowercase(),
                p.receipt
            ));
        }
    };
    let take_payment = {
        let run = run.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            run(Kind::Payment)
        }
    };
    let summary = match (expected_cents, still_due) {
        (Some(e), Some(0)) => format!("Co-pay {}: paid.", format_cents(e)),
        (Some(e), Some(d)) => format!("Co-pay {}: {} due.", format_cents(e), format_cents(d)),
        _ => format!("No co-pay expected. Paid {}.", format_cents(paid_cents)),
    };
    view! {
        <section class="payments" data-testid="payments" aria-label="Payments">
            <h3>"Payment"</h3>
            <p class:due=still_due.is_some_and(|d| d > 0) data-testid="copay-due">{summary}</p>
            {(!a.payments.is_empty()).then(|| view! {
                <ul class="payment-list">
                    {a.payments.iter().map(|p| view! {
                        <li data-testid="payment">
                            {format!(
                                "{} {} {} by {} · receipt {} · {}",
                                p.at.get(11..16).unwrap_or_default(),
                                if p.kind == Kind::Refund { "Refund" } else { "Paid" },
                                format_cents(p.cents),
                                p.method.label().to_lowercase(),
                                p.receipt,
                                p.staff.clone().unwrap_or_else(|| p.device.clone()),
                            )}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            <form class="payment-form" on:submit=take_payment>
                <TextField label="Amount" name="payment-amount" field=amount placeholder="25.00" />
                <SelectField label="Method" name="payment-method" field=method options=methods />
                <div class="form-end">
                    <button class="primary" type="submit" data-testid="take-payment">"Take payment"</button>
                    {(paid_cents > 0).then(|| view! {
                        <button type="button" data-testid="refund" on:click=move |_| run(Kind::Refund)>"Refund"</button>
                    })}
                </div>
            </form>
        </section>
    }
    .into_any()
}
