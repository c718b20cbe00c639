//! The request for time off: who (the person signed in at the desk unless another is
//! chosen), what kind, the first and last day, and a note. [`TimeOffForm::validate`]
//! checks it against today; each mistake is named at its field and nothing is saved.

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::settings::controls::SelectField;
use crate::ui::settings::fields::{edit_directory, Field, TextField};
use crate::ui::Ctx;
use model::staff::time_off::{put_time_off, AbsenceKind, TimeOffForm};
use model::{Directory, StaffId};

#[component]
pub fn Request(directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let person = Field::new(
        ctx.staff
            .get_untracked()
            .map(|s| s.to_string())
            .unwrap_or_default(),
    );
    let kind = Field::new(AbsenceKind::Vacation.code());
    let from = Field::new("");
    let to = Field::new("");
    let note = Field::new("");
    let done = RwSignal::new(None::<String>);
    let people = Signal::derive(move || {
        directory.with(|d| {
            d.staff
                .iter()
                .map(|s| (s.id.to_string(), s.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let kinds = Signal::derive(|| {
        AbsenceKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string()))
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        for field in [person, kind, from, to, note] {
            field.error.set(None);
        }
        let form = TimeOffForm {
            kind: kind.text(),
            from: from.text(),
            to: to.text(),
            note: note.text(),
        };
        let staff = person.text();
        let by = ctx.who(&directory.get_untracked()).name().to_string();
        let today = local_now().date();
        let checked = form.validate(StaffId::from(staff.as_str()), &by, today);
        let known =
            directory.with_untracked(|d| d.staff_member(&StaffId::from(staff.as_str())).is_some());
        if !known {
            person
                .error
                .set(Some("Choose who is asking for time off.".into()));
        }
        let request = match checked {
            Ok(request) if known => request,
            Ok(_) => return,
            Err(errors) => {
                for (name, message) in errors {
                    let field = match name {
                        "kind" => kind,
                        "from" => from,
                        "to" => to,
                        _ => note,
                    };
                    if field.error.with_untracked(Option::is_none) {
                        field.error.set(Some(message));
                    }
                }
                return;
            }
        };
        let saved = edit_directory(&ctx, "ask for the time off", |am| {
            put_time_off(am, &request)
        });
        if saved {
            let name = directory.with_untracked(|d| d.staff_name(&request.staff));
            done.set(Some(format!(
                "Asked for {} for {name}; it waits for a decision below.",
                request.kind.label().to_lowercase()
            )));
            for field in [from, to, note] {
                field.value.set(String::new());
            }
        }
    };
    view! {
        <section class="card roster-page" data-testid="time-off-request">
            <h2>"Ask for time off"</h2>
            <form class="details time-off-form" on:submit=submit>
                <SelectField label="Who" name="time-off-person" field=person options=people
                    none="Choose a person" />
                <SelectField label="Kind" name="time-off-kind" field=kind options=kinds />
                <TextField label="First day" name="time-off-from" field=from kind="date" />
                <TextField label="Last day" name="time-off-to" field=to kind="date" />
                <TextField label="Note" name="time-off-note" field=note
                    placeholder="Optional: what the manager should know" />
                <div class="form-end">
                    <button class="primary" type="submit" data-testid="request-time-off">"Ask for time off"</button>
                    <span class="saved" data-testid="time-off-asked">{move || done.get()}</span>
                </div>
            </form>
        </section>
    }
}
