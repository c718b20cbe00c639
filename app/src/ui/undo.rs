//! Steps that are hard to take back. After one (a patient checked in, a box used, a slot
//! given away) a bar says what was done and offers "Undo" for a few seconds; undoing writes
//! a new change, so the history shows both. Before a step that is likely a slip (a patient
//! of another day, stock from an expired lot) the desk is asked first.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use leptos::prelude::*;

use crate::ui::Ctx;

/// A step to run on a touch. Not a reactive callback: the view that offered it (a
/// schedule block) is often redrawn by the very step it took, and its callbacks with it.
type Action = Arc<dyn Fn() + Send + Sync>;

/// How long "Undo" stays offered, in ms.
const UNDO_MS: u32 = 8_000;

/// What was just done, and how to take it back.
#[derive(Clone)]
pub struct Done {
    /// Tells one bar from the next, so that an older bar's timer does not hide a newer one.
    id: u64,
    text: String,
    undo: Option<Action>,
}

/// A question asked before a step.
#[derive(Clone)]
pub struct Question {
    text: String,
    yes: String,
    on_yes: Action,
}

impl Ctx {
    /// Says `text` ("Checked in Ada Quill.") with "Undo" offered for a few seconds.
    pub fn done(&self, text: impl Into<String>, undo: impl Fn() + Send + Sync + 'static) {
        self.show_done(text.into(), Some(Arc::new(undo)));
    }

    /// Says `text` for a few seconds, with nothing to undo: the undo itself.
    pub fn said(&self, text: impl Into<String>) {
        self.show_done(text.into(), None);
    }

    fn show_done(&self, text: String, undo: Option<Action>) {
        // Never reused: a bar closed early must not let an older bar's timer hide the next.
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        self.done.set(Some(Done { id, text, undo }));
        hide_later(self.done, id, UNDO_MS);
    }

    /// Asks `text` first; `yes` ("Check in anyway") runs `on_yes`, "Not now" nothing.
    pub fn ask_first(
        &self,
        text: impl Into<String>,
        yes: impl Into<String>,
        on_yes: impl Fn() + Send + Sync + 'static,
    ) {
        self.asking.set(Some(Question {
            text: text.into(),
            yes: yes.into(),
            on_yes: Arc::new(on_yes),
        }));
    }
}

/// Hides bar `id` after `ms`, unless a newer bar replaced it; while the pointer rests on the
/// bar or it holds the focus, it stays (a person reaching for "Undo" is not timed out).
fn hide_later(done: RwSignal<Option<Done>>, id: u64, ms: u32) {
    gloo::timers::callback::Timeout::new(ms, move || {
        if !done.with_untracked(|d| d.as_ref().is_some_and(|d| d.id == id)) {
            return;
        }
        let held = gloo::utils::document()
            .query_selector(".done-bar:hover, .done-bar:focus-within")
            .ok()
            .flatten()
            .is_some();
        if held {
            hide_later(done, id, 2_000);
        } else {
            done.set(None);
        }
    })
    .forget();
}

/// Puts the focus back where it was before a question or an undo, if that control is still
/// on the page; else on the page itself, so that the next Tab starts from there and not
/// from the top of the document. It waits for the page to be redrawn first: the step just
/// taken often replaces the very control that asked.
fn return_focus(to: Option<web_sys::Element>) {
    gloo::timers::callback::Timeout::new(0, move || focus_now(to)).forget();
}

fn focus_now(to: Option<web_sys::Element>) {
    use wasm_bindgen::JsCast;
    let back = to
        .filter(|e| e.is_connected())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let page = || {
        gloo::utils::document()
            .query_selector("main.page")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    };
    if let Some(target) = back.or_else(page) {
        let _ = target.focus();
    }
}

/// Whether the focus is on the bar (its Undo or Dismiss), which is about to go.
fn focus_in_bar() -> bool {
    focused().is_some_and(|f| f.closest(".done-bar").ok().flatten().is_some())
}

/// The element that has the focus now, if any besides the document's body.
fn focused() -> Option<web_sys::Element> {
    let document = gloo::utils::document();
    let body: Option<web_sys::Element> = document.body().map(Into::into);
    document
        .active_element()
        .filter(|e| Some(e) != body.as_ref())
}

/// The bar that says what was just done, with its "Undo".
#[component]
pub fn DoneBar() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    view! {
        <div class="done-bar" role="status" aria-live="polite" data-testid="done-bar">
            {move || ctx.done.get().map(|done| {
                // Undo takes the bar away with the focus on it: the focus goes back to the
                // page, not to the top of the document.
                let undo = done.undo.map(|undo| view! {
                    <button type="button" class="undo" data-testid="undo"
                        on:click=move |_| { let held = focus_in_bar(); ctx.done.set(None); undo(); if held { return_focus(None) } }>"Undo"</button>
                });
                view! {
                    <p class="done">
                        <span data-testid="done-text">{done.text}</span>
                        {undo}
                        <button type="button" class="dismiss" aria-label="Dismiss"
                            on:click=move |_| { let held = focus_in_bar(); ctx.done.set(None); if held { return_focus(None) } }>"×"</button>
                    </p>
                }
            })}
        </div>
    }
}

/// The question asked before a step, over the page until it is answered.
#[component]
pub fn AskFirst() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        ctx.asking.get().map(|q| {
            // Where the focus was (the control that asked), to go back to once answered.
            let back = focused();
            let close = {
                let back = back.clone();
                move || {
                    ctx.asking.set(None);
                    return_focus(back.clone());
                }
            };
            let close_on_escape = close.clone();
            // The safer answer has the focus, so that Enter or a screen reader starts there.
            let safe = NodeRef::<leptos::html::Button>::new();
            let sure = NodeRef::<leptos::html::Button>::new();
            Effect::new(move |_| {
                if let Some(button) = safe.get() {
                    let _ = button.focus();
                }
            });
            let yes = q.on_yes;
            view! {
                <div class="ask-first-backdrop" on:keydown={
                    move |ev| match ev.key().as_str() {
                        "Escape" => close_on_escape(),
                        // The focus stays in the question until it is answered: Tab goes
                        // from one answer to the other.
                        "Tab" => {
                            ev.prevent_default();
                            let on_safe = safe.get_untracked().is_some_and(|b| {
                                focused().is_some_and(|f| f == **b)
                            });
                            let next = if on_safe { sure } else { safe };
                            if let Some(button) = next.get_untracked() {
                                let _ = button.focus();
                            }
                        }
                        _ => {}
                    }
                }>
                    <div class="ask-first" role="alertdialog" aria-modal="true"
                        aria-labelledby="ask-first-text" data-testid="ask-first">
                        <p id="ask-first-text">{q.text}</p>
                        <div class="ask-first-answers">
                            <button type="button" class="primary" data-testid="ask-yes" node_ref=sure
                                on:click=move |_| {
                                    ctx.asking.set(None);
                                    yes();
                                    return_focus(back.clone())
                                }>{q.yes}</button>
                            <button type="button" data-testid="ask-no" node_ref=safe
                                on:click=move |_| close()>"Not now"</button>
                        </div>
                    </div>
                </div>
            }
        })
    }
}
