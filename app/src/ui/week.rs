//! The week at the site: seven days side by side, each a compact list.

use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::Ctx;
use model::{Appointment, Directory, Status};

#[component]
pub fn Week(directory: Memo<Directory>, on_pick: Callback<NaiveDate>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // Each day from its month's shared reading; `None` while a month loads.
    let days = Memo::new(move |_| {
        let day = ctx.day.get();
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let site = ctx.site.get();
        (0..7)
            .map(|i| {
                let d = monday + Duration::days(i);
                let month = ctx.month(&site, d)?;
                let list: Vec<Appointment> = month
                    .on_day(d)
                    .filter(|a| a.status.holds_slot() || a.status == Status::NoShow)
                    .cloned()
                    .collect();
                Some((d, list))
            })
            .collect::<Option<Vec<_>>>()
    });
    view! {
        <div class="week" data-testid="week">
            <Show when=move || days.with(Option::is_none)>
                <p class="empty">"Loading this week…"</p>
            </Show>
            {move || days.get().unwrap_or_default().into_iter().map(|(d, list)| view! {
                <section class="week-day" class:today=d == local_now().date()>
                    <button class="week-day-head" data-testid="week-day" on:click=move |_| on_pick.run(d)>
                        <span>{d.format("%a %-d").to_string()}</span><span class="count">{list.len()}</span>
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
            }).collect_view()}
        </div>
    }
}
