//! Vendors and equipment, for managers: the organisation's vendor register (who supplies
//! or services what, their contact and the practice's account with them, and contracts
//! coming up for renewal), then the site's equipment register ([`equipment`]). Stock items
//! and purchase orders choose their vendor from this register.

mod equipment;

use leptos::prelude::*;

use crate::ui::settings::fields::{place_problems, Field, TextField};
use crate::ui::{directory_memo, today_memo, Ctx};
use model::vendor::{save_vendor, set_archived, Vendor, VendorForm, VendorId};
use model::{Directory, DocKind};

/// A vendor as a list to choose from names it: an archived one says so.
pub fn vendor_choice(v: &Vendor) -> String {
    if v.archived {
        format!("{} (archived)", v.name)
    } else {
        v.name.clone()
    }
}

/// When a contract renews, and a flag when that is near or past.
fn renewal_text(v: &Vendor, today: chrono::NaiveDate) -> Option<String> {
    let day = v.renewal?;
    let flag = if day < today {
        " · renewal date passed"
    } else if v.renewal_due(today) {
        " · renews soon"
    } else {
        ""
    };
    Some(format!("Contract renews {}{flag}", day.format("%-d %b %Y")))
}

#[component]
pub fn Vendors() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let directory = directory_memo(ctx);
    let today = today_memo(ctx);
    let due = move || {
        let today = today.get();
        directory.with(|d| d.active_vendors().filter(|v| v.renewal_due(today)).count())
    };
    view! {
        <section class="incidents card" data-testid="vendors">
            <h2>"Vendors"</h2>
            <p class="calls-rate" role="status" data-testid="vendors-renewals">{move || match due() {
                0 => "No contract is up for renewal in the next 60 days.".to_string(),
                1 => "1 contract is up for renewal in the next 60 days.".to_string(),
                n => format!("{n} contracts are up for renewal in the next 60 days."),
            }}</p>
            <Show when=move || directory.with(|d| d.active_vendors().next().is_none())>
                <p class="empty">"No vendors yet. Add the suppliers and the contractors who service your equipment."</p>
            </Show>
            <ul class="call-list">
                // Keyed by the vendor alone: a row follows its vendor and the day itself, so a
                // change arriving while its form is open leaves what is typed there.
                <For each=move || directory.with(|d| d.active_vendors().map(|v| v.id.clone()).collect::<Vec<_>>())
                    key=|id| id.clone() let(id)>
                    <VendorRow id=id directory=directory />
                </For>
            </ul>
            <details class="new-report">
                <summary>"Add a vendor"</summary>
                <VendorEditor existing=None directory=directory />
            </details>
            <Archived directory=directory />
        </section>
        <equipment::EquipmentRegister directory=directory />
    }
}

/// What a vendor's row says under its name.
fn facts(vendor: &Vendor, today: chrono::NaiveDate) -> String {
    [
        (!vendor.supplies.is_empty()).then(|| vendor.supplies.clone()),
        (!vendor.contact.is_empty()).then(|| vendor.contact.clone()),
        (!vendor.account.is_empty()).then(|| format!("Account {}", vendor.account)),
        renewal_text(vendor, today),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

/// One vendor in use, as the directory holds it now. Its form is made when "Edit" opens,
/// from the vendor as it stands then, and stays while open.
#[component]
fn VendorRow(id: VendorId, directory: Memo<Directory>) -> impl IntoView {
    let today = today_memo(expect_context::<Ctx>());
    let vendor = Memo::new(move |_| directory.with(|d| d.vendor(&id).cloned()));
    let shown = move |f: fn(&Vendor, chrono::NaiveDate) -> String| {
        move || vendor.with(|v| v.as_ref().map(|v| f(v, today.get())).unwrap_or_default())
    };
    let flagged = move || vendor.with(|v| v.as_ref().is_some_and(|v| v.renewal_due(today.get())));
    let editing = RwSignal::new(false);
    view! {
        <li class="call" data-testid="vendor">
            <p class="incident-summary">{shown(|v, _| v.name.clone())}</p>
            <p class="call-number" class:call-flag=flagged>{shown(facts)}</p>
            <details class="no-print">
                <summary aria-label=shown(|v, _| format!("Edit {}", v.name))
                    on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</summary>
                <Show when=move || editing.get()>
                    {move || vendor.get_untracked().map(|v| view! {
                        <VendorEditor existing=Some(v.clone()) directory=directory />
                        <ArchiveButton vendor=v archived=true />
                    })}
                </Show>
            </details>
        </li>
    }
}

/// Vendors no longer used: out of the lists that offer a vendor, still named on what
/// refers to them, and each can come back.
#[component]
fn Archived(directory: Memo<Directory>) -> impl IntoView {
    let archived = Memo::new(move |_| {
        directory.with(|d| {
            d.vendors
                .iter()
                .filter(|v| v.archived)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <Show when=move || archived.with(|a| !a.is_empty())>
            <details class="new-report" data-testid="vendors-archived">
                <summary>{move || format!("Archived vendors ({})", archived.with(Vec::len))}</summary>
                <ul class="call-list">
                    <For each=move || archived.get() key=|v| format!("{v:?}") let(vendor)>
                        <li class="call" data-testid="archived-vendor">
                            <p class="incident-summary">{vendor.name.clone()}</p>
                            <ArchiveButton vendor=vendor.clone() archived=false />
                        </li>
                    </For>
                </ul>
            </details>
        </Show>
    }
}

/// Archives `vendor` (`archived`) or brings it back into use, and says which.
#[component]
fn ArchiveButton(vendor: Vendor, archived: bool) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let (words, label, testid) = if archived {
        (
            "Archive",
            format!("Archive {}", vendor.name),
            "vendor-archive",
        )
    } else {
        (
            "Restore",
            format!("Restore {}", vendor.name),
            "vendor-restore",
        )
    };
    let archive = move |_| {
        let what = if archived {
            "archive the vendor"
        } else {
            "restore the vendor"
        };
        if ctx
            .edit(&DocKind::Directory.doc_id(), what, |am| {
                set_archived(am, &vendor.id, archived)
            })
            .is_some()
        {
            ctx.said(if archived {
                format!(
                    "Archived: {}. What names it keeps its name; it is offered no more.",
                    vendor.name
                )
            } else {
                format!("{} is back in the register.", vendor.name)
            });
        }
    };
    view! {
        <button type="button" data-testid=testid aria-label=label on:click=archive>{words}</button>
    }
}

/// A vendor's details: a new one, or `existing` to change. Each mistake is named at its
/// field and nothing is saved until all is right.
#[component]
fn VendorEditor(existing: Option<Vendor>, directory: Memo<Directory>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let form = existing
        .as_ref()
        .map(VendorForm::from_vendor)
        .unwrap_or_default();
    let id = existing.as_ref().map(|v| v.id.clone());
    let adding = id.is_none();
    let name = Field::new(form.name);
    let contact = Field::new(form.contact);
    let account = Field::new(form.account);
    let supplies = Field::new(form.supplies);
    let renewal = Field::new(form.renewal);
    let fields = [
        ("name", name),
        ("contact", contact),
        ("account", account),
        ("supplies", supplies),
        ("renewal", renewal),
    ];
    let prefix = if adding { "vendor" } else { "vendor-edit" };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        for (_, f) in fields {
            f.error.set(None);
        }
        let typed = VendorForm {
            name: name.text(),
            contact: contact.text(),
            account: account.text(),
            supplies: supplies.text(),
            renewal: renewal.text(),
        };
        // A new vendor gets a new id each time it is saved from the blank form.
        let id = id.clone().unwrap_or_else(VendorId::random);
        match typed.validate(id, &directory.get_untracked()) {
            Ok(vendor) => {
                if ctx
                    .edit(&DocKind::Directory.doc_id(), "save the vendor", |am| {
                        save_vendor(am, vendor.clone(), existing.as_ref())
                    })
                    .is_some()
                {
                    ctx.said(format!("Saved: {}.", vendor.name));
                    if adding {
                        for (_, f) in fields {
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
            <TextField label="Name" name=format!("{prefix}-name") field=name />
            <TextField label="What they supply or service" name=format!("{prefix}-supplies") field=supplies
                placeholder="Gloves and gauze; autoclave service" />
            <div class="field-row">
                <TextField label="Contact" name=format!("{prefix}-contact") field=contact placeholder="Phone or e-mail" />
                <TextField label="Account number" name=format!("{prefix}-account") field=account />
            </div>
            <TextField label="Contract renews on (optional)" name=format!("{prefix}-renewal") field=renewal kind="date" />
            <button class="primary" type="submit">{if adding { "Add the vendor" } else { "Save the vendor" }}</button>
        </form>
    }
}
