//! The site's equipment register: each piece with where it stands, who services it, how
//! often, when it last was and when it is next due (flagged when due), one touch to record
//! a service done today, and the form to add or change a piece. Services due within a
//! fortnight become maintenance cards on the site's board by themselves
//! ([`crate::ui::tasks::make_recurring_cards`]). A piece no longer used is retired: off the
//! list, its open card closed, and it can be put back in service.

use leptos::prelude::*;

use crate::ui::settings::controls::SelectField;
use crate::ui::settings::fields::{place_problems, Field, TextField};
use crate::ui::stock::inventory_doc;
use crate::ui::tasks::edit_board;
use crate::ui::vendors::vendor_choice;
use crate::ui::Ctx;
use model::board::BoardScope;
use model::equipment::{
    close_service_cards, read_all, record_service, reopen_due_card, reopen_service_cards,
    save_equipment, set_retired, undo_service, Equipment, EquipmentForm, EquipmentId, Unit,
};
use model::Directory;

#[component]
pub fn EquipmentRegister(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let today = crate::ui::today_memo(ctx);
    let read = Memo::new(move |_| -> Option<(Vec<Equipment>, usize)> {
        match ctx.read(&inventory_doc(&ctx.site.get()), read_all)? {
            Ok(read) => Some(read),
            Err(e) => {
                ctx.unreadable("The equipment register", &e);
                Some((Vec::new(), 0))
            }
        }
    });
    let all = Memo::new(move |_| read.with(|r| r.as_ref().map(|(list, _)| list.clone())));
    // Said once for each new count, not again at every change of the site's supplies.
    let unreadable = Memo::new(move |_| read.with(|r| r.as_ref().map_or(0, |(_, n)| *n)));
    Effect::new(move |_| match unreadable.get() {
        0 => {}
        n => ctx.report(format!("{n} pieces of equipment could not be read.")),
    });
    let list = Memo::new(move |_| {
        all.with(|all| {
            Some(
                all.as_ref()?
                    .iter()
                    .filter(|e| !e.archived)
                    .cloned()
                    .collect::<Vec<_>>(),
            )
        })
    });
    let retired = Memo::new(move |_| {
        all.with(|all| {
            all.iter()
                .flatten()
                .filter(|e| e.archived)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let site_name = move || {
        let site = ctx.site.get();
        directory.with(|d| d.site(&site).map(|s| s.name.clone()).unwrap_or_default())
    };
    view! {
        <section class="incidents card" data-testid="equipment">
            <h2>{move || format!("Equipment at {}", site_name())}</h2>
            <Show when=move || list.with(Option::is_none)>
                <p class="empty">"Loading the register…"</p>
            </Show>
            <Show when=move || list.with(|l| l.as_ref().is_some_and(Vec::is_empty))>
                <p class="empty">"No equipment yet."</p>
            </Show>
            <ul class="call-list">
                // Keyed by what a row shows: the piece, the day (its due flag), its vendor's name.
                <For each=move || {
                    let day = today.get();
                    directory.with(|d| {
                        list.get()
                            .unwrap_or_default()
                            .into_iter()
                            .map(|e| {
                                let vendor = e.vendor.as_ref().map(|v| d.vendor_name(v));
                                (format!("{e:?}{day}{vendor:?}"), e)
                            })
                            .collect::<Vec<_>>()
                    })
                } key=|(key, _)| key.clone() let((_, piece))>
                    <Piece piece=piece directory=directory />
                </For>
            </ul>
            <details class="new-report">
                <summary>"Add equipment"</summary>
                <EquipmentEditor existing=None directory=directory />
            </details>
            <Show when=move || retired.with(|r| !r.is_empty())>
                <details class="new-report" data-testid="equipment-retired">
                    <summary>{move || format!("Retired equipment ({})", retired.with(Vec::len))}</summary>
                    <ul class="call-list">
                        <For each=move || retired.get() key=|e| format!("{e:?}") let(piece)>
                            <li class="call" data-testid="retired-piece">
                                <p class="incident-summary">{piece.name.clone()}</p>
                                <RetireButton piece=piece.clone() retire=false />
                            </li>
                        </For>
                    </ul>
                </details>
            </Show>
        </section>
    }
}

/// Retires `piece` (`retire`), closing its open service cards, or puts it back in service.
#[component]
fn RetireButton(piece: Equipment, retire: bool) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (words, label, testid) = if retire {
        (
            "Retire",
            format!("Retire {}", piece.name),
            "equipment-retire",
        )
    } else {
        (
            "Back in service",
            format!("Put {} back in service", piece.name),
            "equipment-restore",
        )
    };
    let click = move |_| {
        let site = ctx.site.get_untracked();
        let what = if retire {
            "retire the equipment"
        } else {
            "put the equipment back in service"
        };
        if ctx
            .edit(&inventory_doc(&site), what, |am| {
                set_retired(am, &piece.id, retire)
            })
            .is_none()
        {
            return;
        }
        let changed = Equipment {
            archived: retire,
            ..piece.clone()
        };
        let name = &piece.name;
        if retire {
            let closed = edit_board(
                ctx,
                &BoardScope::Site(site),
                "close the service card",
                move |am, board| close_service_cards(am, board, &changed),
            );
            ctx.said(match closed.map(|c| c.len()) {
                Some(0) | None => format!("Retired: {name}."),
                Some(_) => format!("Retired: {name}. Its open service card is closed."),
            });
        } else {
            // The service it still owes is on the board again.
            let reopened = edit_board(
                ctx,
                &BoardScope::Site(site),
                "reopen the service card",
                move |am, board| reopen_due_card(am, board, &changed),
            );
            ctx.said(match reopened.map(|c| c.len()) {
                Some(0) | None => format!("{name} is back in service."),
                Some(_) => format!("{name} is back in service; its service card is open again."),
            });
        }
    };
    view! {
        <button type="button" data-testid=testid aria-label=label on:click=click>{words}</button>
    }
}

#[component]
fn Piece(piece: Equipment, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let today = ctx.now.get_untracked().date();
    let due = piece.next_due();
    let flag = match due {
        Some(day) if day < today => " · overdue",
        Some(day) if day == today => " · due today",
        _ => "",
    };
    let vendor = piece
        .vendor
        .as_ref()
        .map(|v| {
            format!(
                " · serviced by {}",
                directory.with_untracked(|d| d.vendor_name(v))
            )
        })
        .unwrap_or_default();
    let facts = format!(
        "{}{}{vendor} · {} · last serviced {} · next due {}{flag}",
        piece.location,
        if piece.serial.is_empty() {
            String::new()
        } else {
            format!(" · serial {}", piece.serial)
        },
        piece.interval.describe(),
        piece.last_service.format("%-d %b %Y"),
        due.map_or_else(|| "–".to_string(), |d| d.format("%-d %b %Y").to_string()),
    );
    let serviced = {
        let piece = piece.clone();
        move |_| {
            let today = ctx.now.get_untracked().date();
            let site = ctx.site.get_untracked();
            let id = piece.id.clone();
            let previous = piece.last_service;
            if previous >= today {
                ctx.said(format!(
                    "{}: a service is recorded for today already.",
                    piece.name
                ));
                return;
            }
            if ctx
                .edit(&inventory_doc(&site), "record the service", |am| {
                    record_service(am, &id, today, today)
                })
                .is_none()
            {
                return;
            }
            // The cards the service answered move to done.
            let answered = Equipment {
                last_service: today,
                ..piece.clone()
            };
            let closed = edit_board(
                ctx,
                &BoardScope::Site(site.clone()),
                "close the service card",
                move |am, board| close_service_cards(am, board, &answered),
            )
            .unwrap_or_default();
            // A slip is taken back with its card: the last service and the card as they were.
            let name = piece.name.clone();
            ctx.done(format!("Service of {name} recorded."), move || {
                let undone = ctx.edit(&inventory_doc(&site), "undo the service", |am| {
                    undo_service(am, &id, previous, today)
                });
                if undone.is_none() {
                    return;
                }
                let closed = closed.clone();
                edit_board(
                    ctx,
                    &BoardScope::Site(site.clone()),
                    "reopen the service card",
                    move |am, board| reopen_service_cards(am, board, &closed),
                );
                ctx.said(format!("Service of {name} taken back."));
            });
        }
    };
    view! {
        <li class="call" data-testid="equipment-piece">
            <p class="incident-summary">{piece.name.clone()}</p>
            <p class="call-number" class:call-flag=!flag.is_empty() data-testid="equipment-facts">{facts}</p>
            <div class="call-outcomes no-print">
                <button type="button" data-testid="equipment-serviced" on:click=serviced
                    aria-label=format!("{} serviced today", piece.name)>"Serviced today"</button>
            </div>
            <details class="no-print">
                <summary aria-label=format!("Edit {}", piece.name)>"Edit"</summary>
                <EquipmentEditor existing=Some(piece.clone()) directory=directory />
                <RetireButton piece=piece.clone() retire=true />
            </details>
        </li>
    }
}

/// A piece's details: a new one, or `existing` to change; nothing is saved until all is
/// right, and each mistake is named at its field.
#[component]
fn EquipmentEditor(existing: Option<Equipment>, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let form = existing
        .as_ref()
        .map(EquipmentForm::from_equipment)
        .unwrap_or(EquipmentForm {
            every: "12".into(),
            unit: Unit::Months.code().into(),
            last_service: ctx.now.get_untracked().date().to_string(),
            ..EquipmentForm::default()
        });
    let id = existing.as_ref().map(|e| e.id.clone());
    let adding = id.is_none();
    let name = Field::new(form.name);
    let serial = Field::new(form.serial);
    let location = Field::new(form.location);
    let vendor = Field::new(form.vendor);
    let every = Field::new(form.every);
    let unit = Field::new(form.unit);
    let last_service = Field::new(form.last_service);
    let fields = [
        ("name", name),
        ("serial", serial),
        ("location", location),
        ("vendor", vendor),
        ("every", every),
        ("unit", unit),
        ("last_service", last_service),
    ];
    // The vendors in use, and the piece's own if it was archived since, marked so.
    let own = existing.as_ref().and_then(|e| e.vendor.clone());
    let vendors = Signal::derive(move || {
        directory.with(|d| {
            d.vendors
                .iter()
                .filter(|v| !v.archived || own.as_ref() == Some(&v.id))
                .map(|v| (v.id.to_string(), vendor_choice(v)))
                .collect::<Vec<_>>()
        })
    });
    let units = Signal::derive(|| {
        Unit::ALL
            .iter()
            .map(|u| (u.code().to_string(), u.label().to_string()))
            .collect::<Vec<_>>()
    });
    let prefix = if adding {
        "equipment"
    } else {
        "equipment-edit"
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        for (_, f) in fields {
            f.error.set(None);
        }
        let typed = EquipmentForm {
            name: name.text(),
            serial: serial.text(),
            location: location.text(),
            vendor: vendor.text(),
            every: every.text(),
            unit: unit.text(),
            last_service: last_service.text(),
        };
        let today = ctx.now.get_untracked().date();
        let id = id.clone().unwrap_or_else(EquipmentId::random);
        match typed.validate(id, today, &directory.get_untracked()) {
            Ok(piece) => {
                let doc = inventory_doc(&ctx.site.get_untracked());
                if ctx
                    .edit(&doc, "save the equipment", |am| {
                        save_equipment(am, piece.clone(), existing.as_ref())
                    })
                    .is_some()
                {
                    ctx.said(format!("Saved: {}.", piece.name));
                    if adding {
                        for f in [name, serial, location] {
                            f.value.set(String::new());
                        }
                    }
                }
            }
            Err(problems) => place_problems(problems, &fields),
        }
    };
    view! {
        <form class="details" on:submit=submit>
            <div class="field-row">
                <TextField label="Equipment" name=format!("{prefix}-name") field=name placeholder="Autoclave" />
                <TextField label="Serial number" name=format!("{prefix}-serial") field=serial />
            </div>
            <TextField label="Where it stands" name=format!("{prefix}-location") field=location placeholder="Treatment room" />
            <SelectField label="Serviced by" name=format!("{prefix}-vendor") field=vendor options=vendors none="No vendor" />
            <div class="field-row">
                <TextField label="Service every" name=format!("{prefix}-every") field=every kind="number" />
                <SelectField label="Unit" name=format!("{prefix}-unit") field=unit options=units />
            </div>
            <TextField label="Last serviced" name=format!("{prefix}-last-service") field=last_service kind="date" />
            <button class="primary" type="submit">{if adding { "Add the equipment" } else { "Save the equipment" }}</button>
        </form>
    }
}
