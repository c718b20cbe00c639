//! Money at the desk, in an appointment's side panel: the co-pay its type expects, what
//! was paid and is still due, each payment and refund with its receipt, and one form to
//! take a payment or give a refund ([`model::payment`]). A payment goes into the schedule
//! document of the month it is taken in; the panel reads the appointment's month and
//! today's. The day's takings per desk are on [`crate::ui::takings`].

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::register::register_memo;
use crate::ui::settings::controls::SelectField;
use crate::ui::settings::fields::{Field, TextField};
use crate::ui::{schedule_doc, Ctx};
use model::money::plain;
use model::patient::coverage::plan_copay;
use model::payment::{
    due, expected, of_appointment, paid, parse_amount, take, Kind, Method, Money, Payment,
};
use model::{Appointment, Directory};

#[component]
pub fn Payments(appointment: Appointment, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let a = appointment;
    let site = ctx.site.get_untracked();
    let today_doc = schedule_doc(&site, ctx.now.get_untracked().date());
    let mut docs = vec![schedule_doc(&site, a.start.date())];
    if !docs.contains(&today_doc) {
        docs.push(today_doc.clone());
    }
    let payments = {
        let id = a.id.clone();
        Memo::new(move |_| {
            let mut all: Vec<Payment> = docs
                .iter()
                .filter_map(|doc| ctx.read(doc, |am| of_appointment(am, &id)))
                .flatten()
                .collect();
            all.sort_by(|x, y| (&x.at, &x.id).cmp(&(&y.at, &y.id)));
            all
        })
    };
    let paid_cents = Memo::new(move |_| payments.with(|p| paid(p)));
    // The co-pay the patient's plan sets, once the register has loaded.
    let register = register_memo(ctx);
    let plan = {
        let patient = a.patient.clone();
        Memo::new(move |_| {
            let id = patient.as_ref()?;
            register.with(|r| r.as_ref()?.resolve(id).and_then(plan_copay))
        })
    };
    let expected_cents = directory.with_untracked(|d| expected(&a, d, plan.get_untracked()));
    if expected_cents.is_none() && !a.status.holds_slot() && payments.with_untracked(Vec::is_empty)
    {
        return ().into_any();
    }
    let still_due = {
        let a = a.clone();
        Memo::new(move |_| directory.with(|d| due(&a, d, plan.get(), paid_cents.get())))
    };
    let amount = Field::new(
        still_due
            .get_untracked()
            .filter(|c| *c > 0)
            .map(plain)
            .unwrap_or_default(),
    );
    // The amount follows what is due (the plan's co-pay once the register has loaded, a
    // payment from another desk) until the desk types another.
    Effect::new(move |shown: Option<String>| {
        let due = still_due
            .get()
            .filter(|c| *c > 0)
            .map(plain)
            .unwrap_or_default();
        if shown.is_some_and(|was| amount.text() == was) {
            amount.value.set(due.clone());
        }
        due
    });
    let method = Field::new(Method::Card.code());
    let methods = Signal::derive(|| {
        Method::ALL
            .iter()
            .map(|m| (m.code().to_string(), m.label().to_string()))
            .collect::<Vec<_>>()
    });
    let run = {
        let a = a.clone();
        move |kind: Kind| {
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
            let so_far = paid_cents.get_untracked();
            let a = a.clone();
            let taken = ctx.edit(&today_doc, what, |am| {
                let money = Money {
                    kind,
                    cents,
                    method: chosen,
                };
                take(am, &a, so_far, money, &who, local_now())
            });
            if let Some(p) = taken {
                let verb = if kind == Kind::Payment {
                    "Took"
                } else {
                    "Refunded"
                };
                ctx.said(format!(
                    "{verb} {} by {}. Receipt {}.",
                    plain(p.cents),
                    p.method.label().to_lowercase(),
                    p.receipt
                ));
                amount.value.set(String::new());
            }
        }
    };
    let take_payment = {
        let run = run.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            run(Kind::Payment)
        }
    };
    let expected_now = {
        let a = a.clone();
        Memo::new(move |_| directory.with(|d| expected(&a, d, plan.get())))
    };
    let summary = move || match (expected_now.get(), still_due.get()) {
        (Some(e), Some(0)) => format!("Co-pay {}: paid.", plain(e)),
        (Some(e), Some(d)) => format!("Co-pay {}: {} due.", plain(e), plain(d)),
        _ => format!("No co-pay expected. Paid {}.", plain(paid_cents.get())),
    };
    view! {
        <section class="payments" data-testid="payments" aria-label="Payments">
            <h3>"Payment"</h3>
            <p class:due=move || still_due.get().is_some_and(|d| d > 0) data-testid="copay-due">{summary}</p>
            <Show when=move || !payments.with(Vec::is_empty)>
                <ul class="payment-list">
                    <For each=move || payments.get() key=|p| p.id.clone() let(p)>
                        <li data-testid="payment">
                            {format!(
                                "{} {} {} by {} · receipt {} · {}",
                                p.at.get(11..16).unwrap_or_default(),
                                if p.kind == Kind::Refund { "Refund" } else { "Paid" },
                                plain(p.cents),
                                p.method.label().to_lowercase(),
                                p.receipt,
                                p.staff.clone().unwrap_or_else(|| p.device.clone()),
                            )}
                        </li>
                    </For>
                </ul>
            </Show>
            <form class="payment-form" on:submit=take_payment>
                <TextField label="Amount" name="payment-amount" field=amount placeholder="25.00" />
                <SelectField label="Method" name="payment-method" field=method options=methods />
                <div class="form-end">
                    <button class="primary" type="submit" data-testid="take-payment">"Take payment"</button>
                    <Show when=move || { paid_cents.get() > 0 }>
                        <button type="button" data-testid="refund" on:click={
                            let run = run.clone();
                            move |_| run(Kind::Refund)
                        }>"Refund"</button>
                    </Show>
                </div>
            </form>
        </section>
    }
    .into_any()
}
