//! Controls of a form beyond a text field: one choice from a list (a select), several
//! (ticks), and a Remove button that asks once more. Like
//! [`TextField`](super::fields::TextField), a choice keeps its value and its message in a
//! [`Field`], so that a form checks it with the rest and names a mistake next to it.

use leptos::prelude::*;

use super::fields::Field;

/// A labelled select with its message underneath. `name` is the select's name and test id;
/// the message's test id is `error-{name}`. The value is the chosen option's value.
#[component]
pub(crate) fn SelectField(
    /// Shown above the select.
    label: &'static str,
    /// The select's name and test id.
    #[prop(into)]
    name: String,
    field: Field,
    /// (value, words) of each option, in order; they follow the directory.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// The words of a first, empty choice ("None"); without it a value is always chosen.
    #[prop(optional)]
    none: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("error-{name}");
    view! {
        <label class="field">
            <span class="label">{label}</span>
            <select name=name.clone() data-testid=name
                aria-invalid=move || field.error.with(Option::is_some).to_string()
                on:change=move |ev| field.value.set(event_target_value(&ev))>
                {none.map(|words| view! {
                    <option value="" prop:selected=move || field.value.with(String::is_empty)>{words}</option>
                })}
                {move || options.get().into_iter().map(|(value, words)| {
                    let chosen = value.clone();
                    view! {
                        <option value=value prop:selected=move || field.value.with(|v| *v == chosen)>{words}</option>
                    }
                }).collect_view()}
            </select>
            <span class="field-error" data-testid=error_id>{move || field.error.get()}</span>
        </label>
    }
}

/// Ticks, one per option, under a legend, with a message underneath. Each box's test id
/// is `{name}-{value}`; the message's is `error-{name}`.
#[component]
pub(crate) fn Ticks(
    /// The legend over the boxes.
    legend: &'static str,
    /// The prefix of the boxes' test ids and the message's.
    #[prop(into)]
    name: String,
    /// The values ticked, in the order of `options`.
    chosen: RwSignal<Vec<String>>,
    /// (value, words) of each box, in order.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    error: RwSignal<Option<String>>,
    /// Values that stay ticked and cannot be unticked here (a person's home site).
    #[prop(optional, into)]
    fixed: Option<Signal<Vec<String>>>,
) -> impl IntoView {
    let error_id = format!("error-{name}");
    let boxes = move || {
        let order = options.get();
        order
            .iter()
            .map(|(value, words)| {
                let testid = format!("{name}-{value}");
                let is_fixed = {
                    let value = value.clone();
                    move || fixed.is_some_and(|f| f.with(|f| f.contains(&value)))
                };
                let ticked = {
                    let value = value.clone();
                    let is_fixed = is_fixed.clone();
                    move || is_fixed() || chosen.with(|c| c.contains(&value))
                };
                let value = value.clone();
                let order: Vec<String> = order.iter().map(|(v, _)| v.clone()).collect();
                let toggle = move |ev| {
                    let on = event_target_checked(&ev);
                    chosen.update(|c| {
                        c.retain(|x| *x != value);
                        if on {
                            c.push(value.clone());
                        }
                        c.sort_by_key(|x| order.iter().position(|o| o == x));
                    });
                };
                view! {
                    <label class="check">
                        <input type="checkbox" data-testid=testid prop:checked=ticked
                            prop:disabled=is_fixed on:change=toggle />
                        {words.clone()}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="field ticks">
            <legend class="label">{legend}</legend>
            <div class="tick-list">{boxes}</div>
            <span class="field-error" data-testid=error_id>{move || error.get()}</span>
        </fieldset>
    }
}

/// A Remove button that asks once more before `on_remove` runs: what is removed cannot be
/// brought back with its id, which other records may refer to.
#[component]
pub(crate) fn RemoveButton(
    /// The button's test id; the confirmation's is `{testid}-confirm`.
    testid: &'static str,
    /// What is removed, for the confirmation's label: "this position".
    what: &'static str,
    on_remove: Callback<()>,
    /// The first button's accessible name, where a list has one on every row ("Remove
    /// Badge from the checklist"); "Remove" without it.
    #[prop(optional, into)]
    label: Option<String>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    view! {
        <Show when=move || asking.get()
            fallback=move || view! {
                <button type="button" class="danger" data-testid=testid aria-label=label.clone()
                    on:click=move |_| asking.set(true)>"Remove"</button>
            }>
            <span class="confirm-remove">
                <button type="button" class="danger" data-testid=format!("{testid}-confirm")
                    aria-label=format!("Remove {what}")
                    on:click=move |_| { asking.set(false); on_remove.run(()); }>"Remove"</button>
                <button type="button" on:click=move |_| asking.set(false)>"Keep"</button>
            </span>
        </Show>
    }
}
