//! The pieces every directory form is made of: a field with its own message, the colour
//! picker, the one-name form, a list entry that opens its editor, and the write to the
//! directory document.

use std::ops::RangeInclusive;

use automerge::AutoCommit;
use leptos::prelude::*;

use crate::ui::clock::ClockInput;

use crate::ui::Ctx;
use model::directory::{validate_name, PALETTE};
use model::{Directory, DocKind, DocumentError};

/// What is typed into one field and what is wrong with it. Forms check every field before
/// writing anything, so that each mistake is named at once, next to its field.
#[derive(Clone, Copy)]
pub struct Field {
    pub value: RwSignal<String>,
    pub error: RwSignal<Option<String>>,
}

impl Field {
    pub fn new(initial: impl Into<String>) -> Self {
        Self {
            value: RwSignal::new(initial.into()),
            error: RwSignal::new(None),
        }
    }

    /// The text as typed, read without subscribing (forms read it when sent).
    pub fn text(&self) -> String {
        self.value.get_untracked()
    }

    /// Shows the message of a refusal at the field, or clears it; the valid value, if any.
    pub fn check<T>(&self, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => {
                self.error.set(None);
                Some(value)
            }
            Err(message) => {
                self.error.set(Some(message));
                None
            }
        }
    }
}

/// Reads whole minutes within `range`, or says what is expected.
pub fn parse_minutes(text: &str, range: RangeInclusive<u32>) -> Result<u32, String> {
    parse_whole(text, range, "minutes")
}

/// A whole number of `unit` (minutes, days) within `range`.
pub fn parse_whole(text: &str, range: RangeInclusive<u32>, unit: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|m| range.contains(m))
        .ok_or_else(|| {
            format!(
                "Enter whole {unit} from {} to {}.",
                range.start(),
                range.end()
            )
        })
}

/// Reads an optional short text (a specialty): empty is fine, otherwise as a name.
pub fn optional_text(text: &str, what: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        Ok(String::new())
    } else {
        validate_name(text, what)
    }
}

/// Runs one edit of the directory document. A failure is shown among the problems by
/// [`Ctx::edit`]; the caller only learns whether to close its form.
pub fn edit_directory(
    ctx: &Ctx,
    what: &str,
    edit: impl FnOnce(&mut AutoCommit) -> Result<(), DocumentError>,
) -> bool {
    ctx.edit(&DocKind::Directory.doc_id(), what, edit).is_some()
}

/// Changes part of a record as the document holds it now and writes it back, so that a
/// colleague's change to another part, made meanwhile, is kept. Returns whether it worked.
pub fn update<T: Clone + Send + Sync + 'static>(
    ctx: &Ctx,
    record: Memo<Option<T>>,
    what: &str,
    put: fn(&mut AutoCommit, &T) -> Result<(), DocumentError>,
    change: impl FnOnce(&mut T),
) -> bool {
    let Some(mut current) = record.get_untracked() else {
        return false;
    };
    change(&mut current);
    edit_directory(ctx, what, |am| put(am, &current))
}

/// The name of the site in view, for the headings of what is listed per site.
pub fn site_in_view(ctx: Ctx, directory: Memo<Directory>) -> impl Fn() -> String + Copy {
    move || {
        let site = ctx.site.get();
        directory.with(|d| d.site(&site).map(|s| s.name.clone()).unwrap_or_default())
    }
}

/// A write's outcome as a field's message: nothing when it worked.
pub fn saved(worked: bool) -> Result<(), String> {
    worked
        .then_some(())
        .ok_or_else(|| "Not saved: see the problem above.".to_string())
}

/// What a form that adds or edits does after its write: an add form empties `clear` for
/// the next entry, an editor tells its entry it is done.
pub fn after_save(worked: bool, adding: bool, clear: &[Field], on_done: Option<Callback<()>>) {
    if !worked {
        return;
    }
    if adding {
        clear.iter().for_each(|f| f.value.set(String::new()));
    }
    if let Some(done) = on_done {
        done.run(());
    }
}

/// The submit button of a form that adds or edits: words and test id for each case.
pub fn submit_button(
    adding: bool,
    add: (&'static str, &'static str),
    save: (&'static str, &'static str),
) -> impl IntoView {
    let (words, testid) = if adding { add } else { save };
    view! {
        <div class="form-end">
            <button class="primary" type="submit" data-testid=testid>{words}</button>
        </div>
    }
}

/// A labelled input with its message underneath. `name` is the input's `name` and test id
/// and the message's test id is `error-{name}`, as the end-to-end tests find them.
#[component]
pub fn TextField(
    /// Shown above the input.
    label: &'static str,
    /// The input's name and test id.
    #[prop(into)]
    name: String,
    field: Field,
    /// The input's type; numbers get the phone's number pad.
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let error_id = format!("error-{name}");
    if kind == "time" {
        let invalid = Signal::derive(move || field.error.with(Option::is_some));
        return view! {
            <label class="field">
                <span class="label">{label}</span>
                <ClockInput name=name value=field.value set=Callback::new(move |v| field.value.set(v))
                    invalid=invalid />
                <span class="field-error" data-testid=error_id>{move || field.error.get()}</span>
            </label>
        }
        .into_any();
    }
    view! {
        <label class="field">
            <span class="label">{label}</span>
            <input name=name.clone() data-testid=name type=kind placeholder=placeholder
                inputmode=(kind == "number").then_some("numeric")
                aria-invalid=move || field.error.with(Option::is_some).to_string()
                prop:value=move || field.value.get()
                on:input=move |ev| field.value.set(event_target_value(&ev)) />
            <span class="field-error" data-testid=error_id>{move || field.error.get()}</span>
        </label>
    }
    .into_any()
}

/// A colour: one tap on a swatch of the palette (readable with dark text), or any colour
/// from the browser's picker.
#[component]
pub fn ColourField(
    /// The picker's name and test id; the message's test id is `error-{name}`.
    #[prop(into)]
    name: String,
    field: Field,
) -> impl IntoView {
    let error_id = format!("error-{name}");
    let swatches = PALETTE
        .iter()
        .map(|&colour| {
            let chosen = move || field.value.with(|v| v.eq_ignore_ascii_case(colour));
            view! {
                <button type="button" class="swatch-button" aria-label=colour
                    aria-pressed=move || chosen().to_string()
                    style:background-color=colour
                    on:click=move |_| field.value.set(colour.to_string())></button>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field colour">
            <legend class="label">"Colour"</legend>
            <div class="swatches">
                {swatches}
                <input type="color" name=name.clone() data-testid=name aria-label="Another colour"
                    prop:value=move || field.value.get()
                    on:input=move |ev| field.value.set(event_target_value(&ev)) />
            </div>
            <span class="field-error" data-testid=error_id>{move || field.error.get()}</span>
        </fieldset>
    }
}

/// A form with one name: adds something, or renames it. The name is tidied and checked
/// with [`validate_name`] before `on_save` sees it; `on_save` may still refuse it (a site
/// that exists, say) with a message for the field.
#[component]
pub fn NameForm(
    /// Shown above the input.
    label: &'static str,
    /// Completes "Enter the …" when the field is empty.
    what: &'static str,
    /// The input's name and test id.
    #[prop(into)]
    name: String,
    /// The button's words and its test id.
    button: (&'static str, &'static str),
    /// The current name when renaming; the field is emptied after an addition only.
    #[prop(optional, into)]
    initial: String,
    #[prop(optional)] placeholder: &'static str,
    on_save: Callback<String, Result<(), String>>,
) -> impl IntoView {
    let renaming = !initial.is_empty();
    let field = Field::new(initial);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let saved = validate_name(&field.text(), what)
            .and_then(|name| on_save.run(name.clone()).map(|()| name));
        if let Some(name) = field.check(saved) {
            field.value.set(if renaming { name } else { String::new() });
        }
    };
    view! {
        <form class="row-form" on:submit=submit>
            <TextField label=label name=name field=field placeholder=placeholder />
            <button class="primary" type="submit" data-testid=button.1>{button.0}</button>
        </form>
    }
}

/// One entry of a directory list: what it is, an Edit button, and, once opened, its
/// editor. The editor is built each time it opens, so that it starts from the values the
/// document holds then, not from those of an earlier visit.
#[component]
pub fn Entry(
    /// The entry's test id.
    testid: &'static str,
    /// The Edit button's test id.
    edit_testid: &'static str,
    /// Whether the editor shows; editors close it once saved.
    open: RwSignal<bool>,
    /// What the entry is, always shown.
    #[prop(into)]
    summary: ViewFn,
    /// Buttons after Edit (Remove).
    #[prop(optional, into)]
    actions: Option<ViewFn>,
    /// Shown under the head at the entry's full width (a week of hours).
    #[prop(optional, into)]
    below: Option<ViewFn>,
    #[prop(into)] editor: ViewFn,
) -> impl IntoView {
    view! {
        <li class="entry" data-testid=testid class:open=move || open.get()>
            <div class="entry-head">
                <div class="entry-summary">{summary.run()}</div>
                <div class="entry-actions">
                    <button type="button" data-testid=edit_testid
                        aria-expanded=move || open.get().to_string()
                        on:click=move |_| open.update(|o| *o = !*o)>
                        {move || if open.get() { "Close" } else { "Edit" }}
                    </button>
                    {actions.map(|a| a.run())}
                </div>
            </div>
            {below.map(|b| b.run())}
            <Show when=move || open.get()>
                <div class="editor">{editor.run()}</div>
            </Show>
        </li>
    }
}

/// Shows each of a form's problems at its field (the first one a field has), `fields`
/// naming the form's fields by the names its validation uses.
pub(crate) fn place_problems(
    problems: Vec<(&'static str, String)>,
    fields: &[(&'static str, Field)],
) {
    for (name, sentence) in problems {
        let field = fields.iter().find(|(n, _)| *n == name).map(|(_, f)| *f);
        match field {
            Some(field) if field.error.with_untracked(Option::is_none) => {
                field.error.set(Some(sentence))
            }
            _ => {}
        }
    }
}
