//! The rooms of the site in view. A removed room stays named in the appointments that used
//! it (they show it as removed), so removing one never rewrites a schedule.

use leptos::prelude::*;

use crate::ui::Ctx;
use model::directory::{put_room, remove};
use model::{Directory, Room, RoomId};

use super::fields::{edit_directory, saved, site_in_view, update, Entry, NameForm};

#[component]
pub fn RoomsCard(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let ids = move || {
        let site = ctx.site.get();
        directory.with(|d| d.rooms_at(&site).map(|r| r.id.clone()).collect::<Vec<_>>())
    };
    let site_name = site_in_view(ctx, directory);
    let add = Callback::new(move |name: String| {
        let room = Room {
            id: RoomId::random(),
            name,
            site: ctx.site.get_untracked(),
        };
        saved(edit_directory(&ctx, "add the room", |am| {
            put_room(am, &room)
        }))
    });
    view! {
        <section class="card" data-testid="rooms-card">
            <h2>"Rooms at " {site_name}</h2>
            <ul class="entries">
                <For each=ids key=|id| id.clone() let(id)>
                    <RoomEntry directory=directory id=id />
                </For>
            </ul>
            <Show when=move || ids().is_empty()>
                <p class="hint">"No rooms yet. Appointments can be booked without one."</p>
            </Show>
            <NameForm label="New room" what="room's name" name="room-name"
                button=("Add room", "add-room") placeholder="Room 1" on_save=add />
        </section>
    }
}

/// One room: its name; opened, a rename; and a Remove button.
#[component]
fn RoomEntry(directory: Memo<Directory>, id: RoomId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let room = Memo::new({
        let id = id.clone();
        move |_| directory.with(|d| d.room(&id).cloned())
    });
    let open = RwSignal::new(false);
    let rename = Callback::new(move |name: String| {
        let result = saved(update(&ctx, room, "rename the room", put_room, |r| {
            r.name = name
        }));
        // A room has nothing else to edit, so the editor has done its work.
        open.set(result.is_err());
        result
    });
    let remove_room = move |_| {
        edit_directory(&ctx, "remove the room", |am| {
            remove(am, "rooms", id.as_str())
        });
    };
    let summary = move || {
        view! { <span class="entry-name" data-testid="room">{move || room.get().map(|r| r.name)}</span> }
    };
    let actions = move || {
        view! { <button type="button" class="danger" data-testid="remove-room" on:click=remove_room.clone()>"Remove"</button> }
    };
    let editor = move || {
        let name = room.get_untracked().map(|r| r.name).unwrap_or_default();
        view! {
            <NameForm label="Name" what="room's name" name="edit-room-name"
                button=("Rename", "rename-room") initial=name on_save=rename />
        }
    };
    view! {
        <Entry testid="room-row" edit_testid="edit-room" open=open summary=summary
            actions=actions editor=editor />
    }
}
