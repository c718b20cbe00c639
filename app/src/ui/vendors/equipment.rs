//! The site's equipment register: each piece with where it stands, who services it, how
//! often, when it last was and when it is next due (flagged when due), one touch to record
//! a service done today, and the form to add or change a piece. Services due within a
//! fortnight become maintenance cards on the site's board by themselves
//! ([`crate::ui::tasks::make_recurring_cards`]). A piece no longer used is retired: off the
//! list, its open card closed, and it can be put back in service.

use chrono::NaiveDate;
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
                // Keyed by the piece alone: a row follows its piece, its vendor's name and the
                // day itself, so a change arriving while its form is open leaves what is typed.
                <For each=move || list.with(|l| l.iter().flatten().map(|e| e.id.clone()).collect::<Vec<_>>())
                    key=|id| id.clone() let(id)>
                    <Piece id=id list=list directory=directory />
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
        // Retired, its open card closes; back in service, the service it owes is on the
        // board again.
        let moved = edit_board(
            ctx,
            &BoardScope::Site(site),
            "move the service card",
            move |am, board| {
                Ok(if retire {
                    close_service_cards(am, board, &changed)?.len()
                } else {
                    reopen_due_card(am, board, &changed)?.len()
                })
            },
        )
        .unwrap_or(0);
        let name = &piece.name;
        ctx.said(match (retire, moved) {
            (true, 0) => format!("Retired: {name}."),
            (true, _) => format!("Retired: {name}. Its open service card is closed."),
            (false, 0) => format!("{name} is back in service."),
            (false, _) => format!("{name} is back in service; its service card is open again."),
        });
    };
    view! {
        <button type="button" data-testid=testid aria-label=label on:click=click>{words}</button>
    }
}

/// What a piece's row says under its name, flagged when the service is due or overdue.
fn facts(piece: &Equipment, directory: &Directory, today: NaiveDate) -> (String, bool) {
    let due = piece.next_due();
    let flag = match due {
        Some(day) if day < today => " · overdue",
        Some(day) if day == today => " · due today",
        _ => "",
    };
    let vendor = piece
        .vendor
        .as_ref()
        .map(|v| format!(" · serviced by {}", directory.vendor_name(v)))
        .unwrap_or_default();
    let text = format!(
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
    (text, !flag.is_empty())
}

/// One piece in service, as the register holds it now. Its form is made when "Edit"
/// opens, from the piece as it stands then, and stays while open.
#[component]
fn Piece(
    id: EquipmentId,
    list: Memo<Option<Vec<Equipment>>>,
    directory: Memo<Directory>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let today = crate::ui::today_memo(ctx);
    let current =
        Memo::new(move |_| list.with(|l| l.as_ref()?.iter().find(|e| e.id == id).cloned()));
    let about = Memo::new(move |_| {
        let today = today.get();
        current.with(|p| directory.with(|d| p.as_ref().map(|p| facts(p, d, today))))
    });
    let name = move || current.with(|p| p.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let editing = RwSignal::new(false);
    let serviced = move |_| {
        let Some(piece) = current.get_untracked() else {
            return;
        };
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
    };
    view! {
        <li class="call" data-testid="equipment-piece">
            <p class="incident-summary">{name}</p>
            <p class="call-number" class:call-flag=move || about.with(|a| a.as_ref().is_some_and(|a| a.1))
                data-testid="equipment-facts">{move || about.with(|a| a.as_ref().map(|a| a.0.clone()).unwrap_or_default())}</p>
            <div class="call-outcomes no-print">
                <button type="button" data-testid="equipment-serviced" on:click=serviced
                    aria-label=move || format!("{} serviced today", name())>"Serviced today"</button>
            </div>
            <details class="no-print">
                <summary aria-label=move || format!("Edit {}", name())
                    on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</summary>
                <Show when=move || editing.get()>
                    {move || current.get_untracked().map(|piece| view! {
                        <EquipmentEditor existing=Some(piece.clone()) directory=directory />
                        <RetireButton piece=piece retire=true />
                    })}
                </Show>
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
            d.vendors_offered(own.as_ref())
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
