//! The day at a site as a time grid: one column per provider, a current-time line, and one
//! touch to check a patient in, send them to a room or check them out.

use chrono::{NaiveDate, NaiveTime, Timelike};
use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::booking::BookingPlace;
use crate::ui::{schedule_doc, Ctx};
use crate::words;
use model::directory::time;
use model::layout::{columns_drawn, span, Block};
use model::schedule::{self, undo, undo::Step};
use model::staff::credential::expired_licence;
use model::{Appointment, Directory, RoomId, Status};
use protocol::DocId;

/// How tall the desk wants the day: remembered on each device ("density").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Density {
    /// 5 px a minute: a 10-minute booking is a 50 px block, name and action side by side.
    #[default]
    Roomy,
    /// 3 px a minute: more of the day at once; a block is never shorter than a touch.
    Compact,
}

impl Density {
    /// Height of one minute on the grid, in pixels.
    fn px_per_minute(self) -> f64 {
        match self {
            Self::Roomy => 5.0,
            Self::Compact => 3.0,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Roomy => "roomy",
            Self::Compact => "compact",
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "compact" => Self::Compact,
            _ => Self::Roomy,
        }
    }
}

/// The smallest block, in pixels: a touch target, whatever its length.
const MIN_BLOCK_PX: f64 = 44.0;

/// Everything a block shows: a block whose key is unchanged is not drawn again.
fn block_key(open: NaiveTime, block: &Block) -> String {
    let a = &block.appointment;
    format!(
        "{open}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
        a.id,
        a.status.key(),
        a.start,
        a.duration_minutes,
        a.patient_name,
        a.history.len(),
        a.room.as_ref().map(|r| r.as_str()).unwrap_or_default(),
        block.lane,
        block.lanes,
        block.colour,
        block.type_name
    )
}

fn minutes_between(from: NaiveTime, to: NaiveTime) -> f64 {
    (to - from).num_minutes() as f64
}

#[component]
pub fn DayGrid(
    directory: Memo<Directory>,
    /// The appointments of the day in view.
    appointments: Memo<Vec<Appointment>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // Today's booking form, when the grid is on Today: a touch on an empty slot opens it.
    let place = use_context::<BookingPlace>();
    let day = ctx.day;
    let min_minutes = move || (MIN_BLOCK_PX / ctx.density.get().px_per_minute()).ceil() as i64;
    let layout = Memo::new(move |_| {
        let list = appointments.get();
        directory.with(|d| {
            let site = ctx.site.get();
            (
                span(d, &site, day.get(), &list),
                // Blocks drawn taller than they last (a touch target) get lanes of their own.
                columns_drawn(d, &site, day.get(), &list, min_minutes()),
            )
        })
    });
    let px = move || ctx.density.get().px_per_minute();
    let hours = move || {
        let ((open, close), _) = layout.get();
        let px = px();
        (open.hour()..=close.hour().min(23))
            .filter(|h| time(*h, 0) <= close)
            .map(|h| {
                let top = minutes_between(open, time(h, 0)) * px;
                view! { <div class="hour" style:top=format!("{top}px")>{format!("{h:02}:00")}</div> }
            })
            .collect_view()
    };
    // Sizes and places go through the style properties, not a style attribute: the
    // relay's content security policy allows no inline style.
    let height = move || {
        let ((open, close), _) = layout.get();
        format!("{}px", minutes_between(open, close) * px())
    };
    let now_line = move || {
        let now = ctx.now.get();
        let ((open, close), _) = layout.get();
        (now.date() == day.get() && now.time() >= open && now.time() <= close).then(|| {
            let top = minutes_between(open, now.time()) * px();
            view! { <div class="now-line" data-testid="now-line" style:top=format!("{top}px")></div> }
        })
    };
    // Where the grid would be empty, it says why and what to do.
    let empty = move || {
        let site = ctx.site.get();
        let day = day.get();
        let no_columns = layout.with(|(_, columns)| columns.is_empty());
        directory.with(|d| {
            let name = d
                .site(&site)
                .map_or("This site", |s| s.name.as_str())
                .to_string();
            if d.providers_at(&site).next().is_none() {
                Some(EmptyDay::NoProviders(name))
            } else if no_columns {
                let closed = d.site(&site).is_some_and(|s| s.hours.on(day).is_none());
                Some(EmptyDay::Closed {
                    site: name,
                    weekday: day.format("%A").to_string(),
                    closed,
                })
            } else {
                None
            }
        })
    };
    view! {
        {move || empty().map(|why| why.view(ctx))}
        <div class="day-grid" data-testid="day-grid">
            <div class="grid-head">
                <div class="axis-head"></div>
                {move || layout.get().1.into_iter().map(|column| {
                    // A provider whose licence has expired is flagged wherever they are
                    // scheduled; the roster's rules list it too.
                    let lapsed = directory.with(|d| {
                        d.staff_for_provider(&column.provider).and_then(|s| {
                            expired_licence(&d.credentials, &s.id, day.get()).and_then(|c| c.expires)
                        })
                    });
                    view! {
                        <div class="column-head" style:border-top-color=column.colour>
                            {column.name}
                            {lapsed.map(|expired| view! {
                                <span class="licence-flag" data-testid="licence-expired"
                                    title=format!("Licence expired on {}", expired.format("%-d %b %Y"))>
                                    "Licence expired"
                                </span>
                            })}
                        </div>
                    }
                }).collect_view()}
            </div>
            <div class="grid-body" style:height=height>
                <div class="axis">{hours}</div>
                // Keyed, so that a change redraws the blocks it touched, not the day.
                <For each=move || layout.with(|(_, columns)| columns.iter().map(|c| (c.provider.clone(), c.name.clone())).collect::<Vec<_>>())
                    key=|column| column.clone() let((provider, name))>
                    <div class="column" data-testid="provider-column" data-provider=name
                        style:background-size=move || format!("100% {}px", 60.0 * px())
                        on:click={
                            let provider = provider.clone();
                            move |ev| {
                                let open = layout.with_untracked(|((open, _), _)| *open);
                                tap_empty(ev, ctx, place, &provider, open, px())
                            }
                        }>
                        <For each={
                            let provider = provider.clone();
                            move || layout.with(|((open, _), columns)| {
                                columns.iter().find(|c| c.provider == provider)
                                    .map(|c| c.blocks.iter().map(|b| (*open, b.clone())).collect::<Vec<_>>())
                                    .unwrap_or_default()
                            })
                        } key=|(open, block)| block_key(*open, block) let((open, block))>
                            <AppointmentBlock block=block open=open directory=directory />
                        </For>
                    </div>
                </For>
                {now_line}
            </div>
        </div>
    }
}

/// Why a day has no columns.
enum EmptyDay {
    /// The site has no providers at all: a new organisation, most often.
    NoProviders(String),
    /// Nobody works that day; `closed` when the site's own hours say it is shut.
    Closed {
        site: String,
        weekday: String,
        closed: bool,
    },
}

impl EmptyDay {
    fn view(self, ctx: Ctx) -> impl IntoView {
        match self {
            Self::NoProviders(site) => {
                let may = ctx.may(model::access::Action::ChangeSettings);
                view! {
                    <div class="empty-day card" data-testid="empty-day" role="status">
                        <p><strong>{format!("{site} has no providers yet.")}</strong></p>
                        <p>{if may {
                            "Add the practice's sites, rooms and providers in Settings."
                        } else {
                            "A manager adds the providers in Settings; the schedule shows them here."
                        }}</p>
                        {may.then(|| view! {
                            <button on:click=move |_| ctx.tab.set(crate::ui::Tab::Settings)>"Open Settings"</button>
                        })}
                    </div>
                    // A new organisation can try the app from here; outside the status, which
                    // a screen reader reads out whole.
                    {may.then(|| {
                        let directory = crate::ui::directory_memo(ctx);
                        view! {
                            <Show when=move || directory.with(::demo::is_empty)>
                                <crate::ui::settings::demo::DemoCard directory=directory />
                            </Show>
                        }
                    })}
                }
                .into_any()
            }
            Self::Closed {
                site,
                weekday,
                closed,
            } => {
                let text = if closed {
                    format!("{site} is closed on {weekday}s.")
                } else {
                    format!("Closed: no provider works at {site} on {weekday}s.")
                };
                view! { <p class="empty-day card" data-testid="empty-day" role="status">{text}</p> }
                    .into_any()
            }
        }
    }
}

/// A touch on the empty part of a provider's column books there: the form opens with the
/// provider and the time touched, to the 5 minutes before.
fn tap_empty(
    ev: leptos::ev::MouseEvent,
    ctx: Ctx,
    place: Option<BookingPlace>,
    provider: &model::ProviderId,
    open: NaiveTime,
    px: f64,
) {
    let on_column = ev.target().is_some_and(|t| Some(t) == ev.current_target());
    let (Some(place), true) = (place, on_column) else {
        return;
    };
    let minutes = (f64::from(ev.offset_y()) / px).max(0.0) as i64 / 5 * 5;
    let start = ctx.day.get_untracked().and_time(open) + chrono::Duration::minutes(minutes);
    ctx.deselect();
    place.book_at(provider.clone(), start);
}

#[component]
fn AppointmentBlock(block: Block, open: NaiveTime, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let a = block.appointment.clone();
    let px = move || ctx.density.get().px_per_minute();
    let start = a.start.time();
    let minutes = f64::from(a.duration_minutes);
    let top = move || format!("{}px", minutes_between(open, start) * px());
    let height = move || format!("{}px", (minutes * px()).max(MIN_BLOCK_PX));
    let width = 100.0 / block.lanes as f64;
    let left = format!("{}%", width * block.lane as f64);
    let id = a.id.clone();
    let selected = {
        let id = id.clone();
        move || ctx.selected.get().as_ref() == Some(&id)
    };
    let waiting = {
        let a = a.clone();
        move || a.waiting_minutes(ctx.now.get())
    };
    let long_wait = {
        let waiting = waiting.clone();
        move || waiting().is_some_and(|m| m > ctx.wait_threshold.get())
    };
    let open_detail = {
        let id = id.clone();
        move |_| ctx.selected.set(Some(id.clone()))
    };
    view! {
        <div class=format!("block status-{}", a.status.key()) class:selected=selected class:long-wait=long_wait.clone()
            style:top=top style:height=height style:left=left style:width=format!("{width}%")
            data-testid="appointment" data-patient=a.patient_name.clone() data-status=a.status.key()>
            <button class="block-main" style:background-color=block.colour.clone() on:click=open_detail aria-label=format!("{} at {}", a.patient_name, a.start.format("%H:%M"))>
                <span class="time">{a.start.format("%H:%M").to_string()}</span>
                <span class="patient">{a.patient_name.clone()}</span>
                <span class="meta">{block.type_name.clone()}" · "{a.status.label()}</span>
                {move || waiting().map(|m| view! {
                    <span class="waiting" data-testid="waiting">{format!("waiting {m} min")}</span>
                })}
            </button>
            // Side by side with the name, never over it; a double booking's narrow blocks
            // leave the step to the panel the block opens.
            {(block.lanes == 1).then(|| view! { <QuickAction appointment=a.clone() directory=directory /> })}
        </div>
    }
}

/// The one touch the desk makes next for this patient.
#[component]
pub fn QuickAction(appointment: Appointment, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let a = appointment;
    let set = status_setter(ctx, directory, &a);
    match a.status {
        Status::Booked | Status::Confirmed => {
            let set = set.clone();
            view! {
                <button class="quick" data-testid="check-in" aria-label="Check in" title="Check in" on:click=move |_| set(Status::Arrived, None)>"In"</button>
            }.into_any()
        }
        Status::Arrived => {
            room_select(ctx, directory, "quick", "to-room", "Room", set.clone()).into_any()
        }
        Status::InRoom => {
            let set = set.clone();
            view! {
                <button class="quick" data-testid="check-out" aria-label="Check out" title="Check out" on:click=move |_| set(Status::Fulfilled, None)>"Out"</button>
            }.into_any()
        }
        _ => ().into_any(),
    }
}

/// Moves `a` along its status flow from this desk, with the room it is sent to, and offers
/// to undo it; a step on a patient of another day is asked about first. A refusal is shown
/// as a problem.
pub fn status_setter(
    ctx: Ctx,
    directory: Memo<Directory>,
    a: &Appointment,
) -> impl Fn(Status, Option<(RoomId, String)>) + Clone + Send + Sync + 'static {
    let before = a.clone();
    move |to: Status, room: Option<(RoomId, String)>| {
        let day = before.start.date();
        let question = slip_likely(to, day, local_now().date())
            .then(|| words::steps::other_day(&before.patient_name, to, day));
        let before = before.clone();
        let go = move || take_step(ctx, directory, &before, to, room.clone());
        match question {
            Some(question) => ctx.ask_first(question, words::steps::anyway(to), go),
            None => go(),
        }
    }
}

/// Whether a step of the desk's flow on a patient of `day` is most likely a slip: any step
/// on another day's patient, except a no-show marked after the day (the usual next-morning
/// tidy-up).
fn slip_likely(to: Status, day: NaiveDate, today: NaiveDate) -> bool {
    match to {
        Status::Arrived | Status::InRoom | Status::Fulfilled => day != today,
        Status::NoShow => day > today,
        _ => false,
    }
}

/// Takes one step, and offers to take it back.
fn take_step(
    ctx: Ctx,
    directory: Memo<Directory>,
    before: &Appointment,
    to: Status,
    room: Option<(RoomId, String)>,
) {
    let doc = schedule_doc(&ctx.site.get_untracked(), before.start.date());
    let who = ctx.who(&directory.get_untracked());
    let id = before.id.clone();
    // The step to undo is taken from the document as the change finds it, not from the
    // view's reading: another desk may have moved the patient on meanwhile.
    let step = ctx.edit(&doc, "change the status", |am| {
        let now = schedule::get(am, &id)?;
        let room = room.as_ref().map(|(id, name)| (id, name.as_str()));
        schedule::set_status(am, &id, to, room, &who, local_now())?;
        Ok(Step::new(&now, to))
    });
    if let Some(step) = step {
        let room = room.map(|(_, name)| name);
        let text = words::steps::done(&before.patient_name, to, room.as_deref());
        offer_undo(ctx, directory, doc, step, text, &before.patient_name);
    }
}

/// Says what was done to an appointment, with "Undo" that takes `step` back.
pub fn offer_undo(
    ctx: Ctx,
    directory: Memo<Directory>,
    doc: DocId,
    step: Step,
    text: String,
    patient: &str,
) {
    let patient = patient.to_string();
    ctx.done(text, move || {
        let who = ctx.who(&directory.get_untracked());
        let undone = ctx.edit(&doc, "undo", |am| {
            undo::take_back(am, &step, &who, local_now())
        });
        if undone.is_some() {
            ctx.said(words::steps::undone(&patient, step.before()));
        }
    });
}

/// The site's rooms to pick from; picking one sends the patient there.
pub fn room_select(
    ctx: Ctx,
    directory: Memo<Directory>,
    class: &'static str,
    test_id: &'static str,
    prompt: &'static str,
    set: impl Fn(Status, Option<(RoomId, String)>) + Clone + 'static,
) -> impl IntoView {
    let rooms = move || {
        let site = ctx.site.get();
        directory.with(|d| d.rooms_at(&site).cloned().collect::<Vec<_>>())
    };
    view! {
        <select class=class data-testid=test_id aria-label="Send to a room"
            on:change=move |ev| {
                let value = event_target_value(&ev);
                // The picker goes back to its prompt: the room chosen shows on the block once
                // the patient is there (not if the desk answers "Not now" to a question).
                event_target::<web_sys::HtmlSelectElement>(&ev).set_value("");
                if let Some(room) = rooms().into_iter().find(|r| r.id.as_str() == value) {
                    set(Status::InRoom, Some((room.id, room.name)));
                }
            }>
            <option value="">{prompt}</option>
            {move || rooms().into_iter().map(|r| view! { <option value=r.id.to_string()>{r.name}</option> }).collect_view()}
        </select>
    }
}
