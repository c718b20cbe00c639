//! The records that may be one person, side by side: merge them, keeping either, or say
//! they are two people. Found on the merged register, so two desks that registered one
//! person offline see the pair once they have synced.

use std::sync::Arc;

use leptos::prelude::*;

use crate::platform::local_now;
use crate::ui::register::docs_of;
use crate::ui::{directory_memo, Ctx};
use model::patient::merge::merge;
use model::patient::register::{Register, Why};
use model::patient::{keep_apart, Patient, PatientId};

fn why_words(why: Why) -> &'static str {
    match why {
        Why::SameNameAndBirth => "Same name and date of birth",
        Why::SamePhone => "Same phone number",
        Why::SimilarName => "Same date of birth, names a letter or two apart",
    }
}

/// Every field of a record that tells it apart, for the side-by-side view.
fn facts(p: &Patient) -> Vec<String> {
    let mut facts = vec![super::describe(p)];
    for (label, value) in [
        ("Other phone", &p.phone_other),
        ("E-mail", &p.email),
        ("Address", &p.address),
        ("Notes", &p.notes),
    ] {
        if !value.is_empty() {
            facts.push(format!("{label}: {value}"));
        }
    }
    if !p.registered_at.is_empty() {
        facts.push(format!(
            "Registered {} by {}",
            p.registered_at.replace('T', " "),
            p.registered_by
        ));
    }
    facts.retain(|f| !f.is_empty());
    facts
}

#[component]
pub fn Duplicates(
    register: Memo<Option<Arc<Register>>>,
    /// The patient shown below: the kept one after a merge.
    open: RwSignal<Option<PatientId>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let pairs = Memo::new(move |_| {
        register.with(|r| {
            let Some(r) = r.as_ref() else {
                return Vec::new();
            };
            r.duplicates()
                .into_iter()
                .filter_map(|pair| {
                    Some((
                        r.record(&pair.a)?.clone(),
                        r.record(&pair.b)?.clone(),
                        pair.why,
                    ))
                })
                .collect::<Vec<_>>()
        })
    });
    let merge_pair = move |kept: Patient, dropped: Patient| {
        let question = format!(
            "Merge the record registered {} into the one registered {}? Its appointments will show as {}'s, and what only it holds is added. This cannot be undone.",
            dropped.registered_at.replace('T', " "),
            kept.registered_at.replace('T', " "),
            kept.name
        );
        ctx.ask_first(question, "Merge", move || {
            let who = ctx.who(&directory.get_untracked()).name().to_string();
            let (kept, dropped) = (kept.clone(), dropped.clone());
            let docs = docs_of(&kept.id, &dropped.id);
            let driver = ctx.driver.get_value();
            let name = kept.name.clone();
            let id = kept.id.clone();
            leptos::task::spawn_local(async move {
                let now = local_now();
                match driver
                    .edit_many_loaded(&docs, |docs| merge(docs, &kept.id, &dropped.id, &who, now))
                    .await
                {
                    Ok(_) => {
                        ctx.said(format!("Merged: one record for {name}."));
                        open.set(Some(id));
                    }
                    Err(e) => ctx.could_not("merge the records", &e),
                }
            });
        });
    };
    let apart = move |a: PatientId, b: PatientId| {
        let docs = docs_of(&a, &b);
        let driver = ctx.driver.get_value();
        leptos::task::spawn_local(async move {
            match driver
                .edit_many_loaded(&docs, |docs| keep_apart(docs, &a, &b))
                .await
            {
                Ok(()) => ctx.said("Kept as two patients."),
                Err(e) => ctx.could_not("keep them apart", &e),
            }
        });
    };
    view! {
        <Show when=move || pairs.with(|p| !p.is_empty())>
            <section class="duplicates" aria-label="Possible duplicates">
                <h3>{move || match pairs.with(Vec::len) {
                    1 => "1 possible duplicate".to_string(),
                    n => format!("{n} possible duplicates"),
                }}</h3>
                <ul class="pair-list">
                    <For each=move || pairs.get()
                        key=|(a, b, _)| (a.id.clone(), b.id.clone(), a.name.clone(), b.name.clone())
                        let:pair>
                        {
                            let (a, b, why) = pair;
                            let side = |p: &Patient, other: &Patient, which: &'static str| {
                                let (kept, dropped) = (p.clone(), other.clone());
                                view! {
                                    <div class="pair-side">
                                        <strong>{p.name.clone()}</strong>
                                        <ul class="meta">{facts(p).into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
                                        <button type="button" on:click=move |_| merge_pair(kept.clone(), dropped.clone())>
                                            {format!("Keep the {which} record")}
                                        </button>
                                    </div>
                                }
                            };
                            let (x, y) = (a.id.clone(), b.id.clone());
                            view! {
                                <li class="pair" aria-label=format!("{} and {}", a.name, b.name)>
                                    <p class="meta">{why_words(why)}</p>
                                    <div class="pair-sides">
                                        {side(&a, &b, "first")}
                                        {side(&b, &a, "second")}
                                    </div>
                                    <button type="button" on:click=move |_| apart(x.clone(), y.clone())>"Not the same person"</button>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </section>
        </Show>
    }
}
