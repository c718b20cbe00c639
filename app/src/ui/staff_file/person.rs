//! One person's file: their terms, their onboarding ticked off, their training plan, and
//! their appraisals (confidential: only managers open the staff file). Each form names
//! every mistake at its field and saves nothing until all is right.

use leptos::prelude::*;

use crate::ui::settings::controls::SelectField;
use crate::ui::settings::fields::{place_problems, Field, TextField};
use crate::ui::Ctx;
use model::staff_file::{
    put_appraisal, put_terms, put_training, tick, AppraisalForm, Rating, StaffFiles, TermsForm,
    TrainingForm,
};
use model::{Directory, DocKind, StaffId};

fn doc() -> protocol::DocId {
    DocKind::StaffFile.doc_id()
}

/// The file of `staff`. Its forms stay as typed while the file changes underneath (another
/// manager's edit arriving); its lists follow the file.
#[component]
pub fn PersonFile(
    staff: StaffId,
    files: Memo<Option<StaffFiles>>,
    directory: Memo<Directory>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let name = directory.with_untracked(|d| d.staff_name(&staff));
    // What the terms form stands on: the terms when the file was opened, then as last saved.
    let opened =
        files.with_untracked(|f| f.as_ref().map(|f| f.terms_of(&staff)).unwrap_or_default());
    let form = TermsForm::from_terms(&opened);
    let before = StoredValue::new(opened);
    let hired = Field::new(form.hired);
    let probation_end = Field::new(form.probation_end);
    let appraisal_months = Field::new(form.appraisal_months);
    let terms_fields = [
        ("hired", hired),
        ("probation_end", probation_end),
        ("appraisal_months", appraisal_months),
    ];
    let save_terms = {
        let staff = staff.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            for (_, f) in terms_fields {
                f.error.set(None);
            }
            let typed = TermsForm {
                hired: hired.text(),
                probation_end: probation_end.text(),
                appraisal_months: appraisal_months.text(),
            };
            match typed.validate() {
                Ok(after) => {
                    let staff = staff.clone();
                    let was = before.get_value();
                    if ctx
                        .edit(&doc(), "save the terms", |am| {
                            put_terms(am, &staff, &was, &after)
                        })
                        .is_some()
                    {
                        before.set_value(after);
                        ctx.said("Terms saved.".to_string());
                    }
                }
                Err(problems) => place_problems(problems, &terms_fields),
            }
        }
    };
    let today = ctx.now.get_untracked().date();
    let who = directory.with_untracked(|d| ctx.who(d).name().to_string());
    let person = staff.clone();
    let reviewer = who.clone();
    let steps = move || {
        let files = files.get().unwrap_or_default();
        let staff = person.clone();
        let who = who.clone();
        files
        .checklist()
        .map(|item| {
            let done = files.done.get(&(staff.clone(), item.id.clone())).cloned();
            let (staff, id, who) = (staff.clone(), item.id.clone(), who.clone());
            let said = done
                .as_ref()
                .map(|(day, by)| format!(" · done {} by {by}", day.format("%-d %b %Y")))
                .unwrap_or_default();
            view! {
                <li>
                    <label class="check">
                        <input type="checkbox" data-testid="onboarding-tick" prop:checked=done.is_some()
                            on:change=move |ev| {
                                let ticked = event_target_checked(&ev);
                                let (staff, id, who) = (staff.clone(), id.clone(), who.clone());
                                ctx.edit(&doc(), "tick the step", |am| {
                                    tick(am, &staff, &id, ticked.then_some((today, who.as_str())))
                                });
                            } />
                        {item.text.clone()}{said}
                    </label>
                </li>
            }
        })
        .collect_view()
    };
    let person = staff.clone();
    let training = move || {
        let files = files.get().unwrap_or_default();
        files
            .training
            .iter()
            .filter(|t| t.staff == person)
            .cloned()
            .map(|t| {
                let state = match t.done {
                    Some(day) => format!("done {}", day.format("%-d %b %Y")),
                    None if t.due < today => format!("due {} · overdue", t.due.format("%-d %b %Y")),
                    None => format!("due {}", t.due.format("%-d %b %Y")),
                };
                let pending = t.done.is_none();
                let line = format!("{} · {state}", t.course);
                let done = move |_| {
                    let mut t = t.clone();
                    t.done = Some(ctx.now.get_untracked().date());
                    ctx.edit(&doc(), "record the course", |am| put_training(am, &t));
                };
                view! {
                    <li data-testid="training-course">
                        {line}
                        <Show when=move || pending>
                            <button type="button" on:click=done.clone()>"Done today"</button>
                        </Show>
                    </li>
                }
            })
            .collect_view()
    };
    let person = staff.clone();
    let appraisals = move || {
        let files = files.get().unwrap_or_default();
        files
        .appraisals_of(&person)
        .map(|a| {
            view! {
                <li data-testid="appraisal">
                    <p class="call-number">{format!("{} · {} · by {}", a.held.format("%-d %b %Y"), a.rating.label(), a.reviewer)}</p>
                    <p class="incident-summary">{a.summary.clone()}</p>
                </li>
            }
        })
        .collect_view()
    };
    let person = staff.clone();
    let next = move || {
        files
            .with(|f| f.as_ref().and_then(|f| f.next_appraisal(&person)))
            .map(|d| view! { <p class="hint" data-testid="next-appraisal">{format!("Next appraisal due {}", d.format("%-d %b %Y"))}</p> })
    };
    view! {
        <article class="person-file" data-testid="person-file">
            <h3>{format!("{name}'s file")}</h3>
            <form class="details" on:submit=save_terms>
                <div class="field-row">
                    <TextField label="Hired on" name="file-hired" field=hired kind="date" />
                    <TextField label="Probation ends" name="file-probation-end" field=probation_end kind="date" />
                </div>
                <TextField label="Appraise every (months)" name="file-appraisal-months" field=appraisal_months kind="number" />
                <button class="primary" type="submit" data-testid="save-terms">"Save the terms"</button>
            </form>
            <h4>"Onboarding"</h4>
            <ul class="onboarding">{steps}</ul>
            <h4>"Training plan"</h4>
            <ul class="call-list">{training}</ul>
            <PlanCourse staff=staff.clone() />
            <h4>"Appraisals"</h4>
            {next}
            <ul class="call-list">{appraisals}</ul>
            <NewAppraisal staff=staff reviewer=reviewer />
        </article>
    }
}

#[component]
fn PlanCourse(staff: StaffId) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let course = Field::new("");
    let due = Field::new("");
    let fields = [("course", course), ("due", due)];
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        for (_, f) in fields {
            f.error.set(None);
        }
        let typed = TrainingForm {
            course: course.text(),
            due: due.text(),
        };
        match typed.validate(&staff) {
            Ok(t) => {
                if ctx
                    .edit(&doc(), "plan the course", |am| put_training(am, &t))
                    .is_some()
                {
                    course.value.set(String::new());
                }
            }
            Err(problems) => place_problems(problems, &fields),
        }
    };
    view! {
        <form class="details" on:submit=submit>
            <div class="field-row">
                <TextField label="Course" name="training-course" field=course placeholder="BLS refresher" />
                <TextField label="Due by" name="training-due" field=due kind="date" />
            </div>
            <button type="submit">"Plan the course"</button>
        </form>
    }
}

#[component]
fn NewAppraisal(staff: StaffId, reviewer: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let held = Field::new(ctx.now.get_untracked().date().to_string());
    let rating = Field::new("");
    let summary = Field::new("");
    let fields = [("held", held), ("rating", rating), ("summary", summary)];
    let ratings = Signal::derive(|| {
        Rating::ALL
            .iter()
            .map(|r| (r.code().to_string(), r.label().to_string()))
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        for (_, f) in fields {
            f.error.set(None);
        }
        let typed = AppraisalForm {
            held: held.text(),
            rating: rating.text(),
            summary: summary.text(),
        };
        let today = ctx.now.get_untracked().date();
        match typed.validate(&staff, &reviewer, today) {
            Ok(a) => {
                if ctx
                    .edit(&doc(), "record the appraisal", |am| put_appraisal(am, &a))
                    .is_some()
                {
                    ctx.said("Appraisal recorded.".to_string());
                    summary.value.set(String::new());
                }
            }
            Err(problems) => place_problems(problems, &fields),
        }
    };
    view! {
        <details class="new-report">
            <summary>"Record an appraisal"</summary>
            <form class="details" on:submit=submit>
                <div class="field-row">
                    <TextField label="Held on" name="appraisal-held" field=held kind="date" />
                    <SelectField label="Rating" name="appraisal-rating" field=rating options=ratings none="Choose…" />
                </div>
                <label class="field">
                    <span class="label">"What was discussed and agreed"</span>
                    <textarea name="appraisal-summary" data-testid="appraisal-summary" rows="4"
                        aria-invalid=move || summary.error.with(Option::is_some).to_string()
                        aria-describedby="error-appraisal-summary"
                        prop:value=move || summary.value.get()
                        on:input=move |ev| summary.value.set(event_target_value(&ev))></textarea>
                </label>
                <p class="field-error" id="error-appraisal-summary" data-testid="error-appraisal-summary">{move || summary.error.get()}</p>
                <button class="primary" type="submit" data-testid="save-appraisal">"Record the appraisal"</button>
            </form>
        </details>
    }
}
