//! The week at the site: seven days side by side, each a compact list, and the week's
//! figures.

use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::Ctx;
use model::{Appointment, Directory, Status};

/// One day of the week in view.
#[derive(Clone, PartialEq)]
pub struct WeekDay {
    pub day: NaiveDate,
    /// Its appointments that hold a slot or were missed.
    pub list: Vec<Appointment>,
    /// The site's hours shut it and nothing is booked.
    pub closed: bool,
}

/// The week (Monday to Sunday) around the day in view at the site, each day from its
/// month's shared reading; `None` while a month loads. The week's figures and the week's
/// lists read the same days. Read only while `shown`, else no days: the day view does not
/// pay for the week.
pub fn week_memo(
    ctx: Ctx,
    directory: Memo<Directory>,
    shown: Signal<bool>,
) -> Memo<Option<Vec<WeekDay>>> {
    Memo::new(move |_| {
        if !shown.get() {
            return Some(Vec::new());
        }
        let day = ctx.day.get();
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let site = ctx.site.get();
        let hours = directory.with(|d| d.site(&site).map(|s| s.hours));
        (0..7)
            .map(|i| {
                let d = monday + Duration::days(i);
                let month = ctx.month(&site, d)?;
                let list: Vec<Appointment> = month
                    .on_day(d)
                    .filter(|a| a.status.holds_slot() || a.status == Status::NoShow)
                    .cloned()
                    .collect();
                let closed = list.is_empty() && hours.as_ref().is_some_and(|h| h.on(d).is_none());
                Some(WeekDay {
                    day: d,
                    list,
                    closed,
                })
            })
            .collect::<Option<Vec<_>>>()
    })
}

#[component]
pub fn Week(
    directory: Memo<Directory>,
    days: Memo<Option<Vec<WeekDay>>>,
    on_pick: Callback<NaiveDate>,
) -> impl IntoView {
    view! {
        <div class="week" data-testid="week">
            <Show when=move || days.with(Option::is_none)>
                <p class="empty">"Loading this week…"</p>
            </Show>
            {move || days.get().unwrap_or_default().into_iter().map(|WeekDay { day: d, list, closed }| {
                let count = list.len();
                // Starts with what is shown ("Wed 4"), so that a person can say what they see.
                let label = format!(
                    "{}: {}",
                    d.format("%a %-d"),
                    match (closed, count) {
                        (true, _) => "closed".to_string(),
                        (false, 1) => "1 appointment".to_string(),
                        (false, n) => format!("{n} appointments"),
                    }
                );
                view! {
                    <section class="week-day" class:today=d == local_now().date() class:closed=closed>
                        <button class="week-day-head" data-testid="week-day" aria-label=label on:click=move |_| on_pick.run(d)>
                            <span>{d.format("%a %-d").to_string()}</span>
                            <span class="count">{if closed { "Closed".to_string() } else { count.to_string() }}</span>
                        </button>
                        <ul>
                            {list.into_iter().map(|a| {
                                let provider = directory.with_untracked(|dir| dir.provider_name(&a.provider));
                                view! {
                                    <li class=format!("status-{}", a.status.key())>
                                        <span class="time">{a.start.format("%H:%M").to_string()}</span>" "
                                        <span class="patient">{a.patient_name.clone()}</span>
                                        <span class="meta">{provider}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }
            }).collect_view()}
        </div>
    }
}
