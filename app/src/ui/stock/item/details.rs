//! An item's details as a form: for a new item, or opened on an existing one. Every
//! field's mistake is said next to it and nothing is saved; a change writes only the
//! fields that differ ([`form::change_item`]), so another desk's edit of another field
//! stays.

use std::sync::Arc;

use leptos::prelude::*;

use crate::ui::stock::{edit_inventory, stock_place};
use crate::ui::{currency_memo, directory_memo, Ctx};
use model::inventory::form::{self, ItemErrors, ItemForm, ValidItem};
use model::inventory::{Category, Inventory, ItemId};
use model::SiteId;

/// The mistake a code already in use would be, said before the model refuses it.
fn code_in_use(
    inventory: &Inventory,
    item: &ValidItem,
    editing: Option<&ItemId>,
) -> Option<(&'static str, String)> {
    [("sku", &item.sku), ("barcode", &item.barcode)]
        .into_iter()
        .filter(|(_, code)| !code.is_empty())
        .find_map(|(field, code)| {
            inventory
                .active()
                .find(|i| Some(&i.id) != editing && i.has_code(code))
                .map(|other| {
                    (
                        field,
                        format!("{} already has the code {code}.", other.name),
                    )
                })
        })
}

type Read = fn(&ItemForm) -> String;
type Write = fn(&mut ItemForm, String);

#[component]
pub(super) fn Details(
    site: SiteId,
    /// The item changed; `None` adds a new one.
    editing: Option<ItemId>,
    /// What the form shows first.
    opened: ItemForm,
    inventory: Memo<Option<Arc<Inventory>>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let currency = currency_memo(ctx);
    let stock = stock_place();
    let adding = editing.is_none();
    let form = RwSignal::new(opened);
    let errors = RwSignal::new(ItemErrors::new());
    let saved = RwSignal::new(false);
    let error_of = move |field: &'static str| {
        errors.with(|all| {
            all.iter()
                .find(|(f, _)| *f == field)
                .map(|(_, message)| message.clone())
        })
    };
    let locations =
        move || inventory.with(|inv| inv.as_ref().map(|inv| inv.locations()).unwrap_or_default());
    let directory = directory_memo(ctx);
    // The vendors in use, and the item's own if it was archived since.
    let own = form.with_untracked(|f| model::vendor::VendorId::from(f.vendor.as_str()));
    let vendor_options = Memo::new(move |_| {
        directory.with(|d| d.vendors_offered(Some(&own)).cloned().collect::<Vec<_>>())
    });
    // The register's vendors to choose from; choosing one writes its name as the supplier.
    let choose_vendor = move |ev| {
        let id = event_target_value(&ev);
        saved.set(false);
        let name = directory.with_untracked(|d| {
            d.active_vendors()
                .find(|v| v.id.as_str() == id)
                .map(|v| v.name.clone())
        });
        form.update(|f| {
            if let Some(name) = name {
                f.supplier = name;
            }
            f.vendor = id;
        });
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let valid = match form.get_untracked().validate() {
            Ok(valid) => valid,
            Err(list) => {
                errors.set(list);
                return;
            }
        };
        let taken = inventory.with_untracked(|inv| {
            inv.as_ref()
                .and_then(|inv| code_in_use(inv, &valid, editing.as_ref()))
        });
        if let Some(mistake) = taken {
            errors.set(vec![mistake]);
            return;
        }
        errors.set(Vec::new());
        match editing.clone() {
            Some(id) => edit_inventory(
                ctx,
                &site,
                "save the item",
                move |doc| form::change_item(doc, &id, &valid),
                move |_| saved.set(true),
            ),
            None => {
                let at = site.clone();
                edit_inventory(
                    ctx,
                    &site,
                    "add the item",
                    move |doc| form::add_item(doc, &valid),
                    move |id| stock.item.set(Some((at, id))),
                )
            }
        }
    };

    let text = move |label: String,
                     test: &'static str,
                     field: &'static str,
                     mode: &'static str,
                     get: Read,
                     set: Write| {
        view! {
            <label class="field">
                <span class="label">{label}</span>
                <input type="text" data-testid=test inputmode=mode autocomplete="off" maxlength="200"
                    list=(field == "location").then_some("item-locations")
                    aria-invalid=move || error_of(field).is_some().to_string()
                    prop:value=move || form.with(get)
                    on:input=move |ev| {
                        saved.set(false);
                        form.update(|f| set(f, event_target_value(&ev)));
                    } />
                {move || error_of(field).map(|e| view! { <span class="field-error" data-testid="field-error">{e}</span> })}
            </label>
        }
    };

    view! {
        <form class="item-form" data-testid="item-form" on:submit=save>
            {(!adding).then(|| view! { <h3>"Details"</h3> })}
            {text("Name".into(), "item-name", "name", "text", |f| f.name.clone(), |f, v| f.name = v)}
            <label class="field">
                <span class="label">"Category"</span>
                <select data-testid="item-category"
                    on:change=move |ev| { saved.set(false); form.update(|f| f.category = event_target_value(&ev)); }>
                    {Category::ALL.map(|c| view! {
                        <option value=c.code()
                            prop:selected=move || form.with(|f| Category::parse(&f.category) == Some(c))>
                            {c.label()}
                        </option>
                    }).collect_view()}
                </select>
                {move || error_of("category").map(|e| view! { <span class="field-error" data-testid="field-error">{e}</span> })}
            </label>
            <div class="item-form-pair">
                {text("Unit".into(), "item-unit", "unit", "text", |f| f.unit.clone(), |f, v| f.unit = v)}
                {text("Pack size".into(), "item-pack-size", "pack_size", "numeric", |f| f.pack_size.clone(), |f, v| f.pack_size = v)}
            </div>
            <div class="item-form-pair">
                {text("SKU".into(), "item-sku", "sku", "text", |f| f.sku.clone(), |f, v| f.sku = v)}
                {text("Barcode".into(), "item-barcode", "barcode", "text", |f| f.barcode.clone(), |f, v| f.barcode = v)}
            </div>
            {text("Location".into(), "item-location", "location", "text", |f| f.location.clone(), |f, v| f.location = v)}
            <datalist id="item-locations">
                <For each=locations key=|l| l.clone() let(l)>
                    <option value=l></option>
                </For>
            </datalist>
            <label class="field">
                <span class="label">"Vendor"</span>
                <select data-testid="item-vendor" on:change=choose_vendor>
                    <option value="" prop:selected=move || form.with(|f| f.vendor.is_empty())>"Not in the register"</option>
                    {move || vendor_options.get().into_iter().map(|v| {
                        let id = v.id.to_string();
                        let shown = id.clone();
                        view! {
                            <option value=id prop:selected=move || form.with(|f| f.vendor == shown)>{crate::ui::vendors::vendor_choice(&v)}</option>
                        }
                    }).collect_view()}
                </select>
            </label>
            <Show when=move || form.with(|f| f.vendor.is_empty())>
                {text("Supplier".into(), "item-supplier", "supplier", "text", |f| f.supplier.clone(), |f, v| f.supplier = v)}
            </Show>
            {text(format!("Unit cost ({})", currency.get_untracked().symbol.trim()), "item-unit-cost", "unit_cost", "decimal", |f| f.unit_cost.clone(), |f, v| f.unit_cost = v)}
            <div class="item-form-three">
                {text("Par".into(), "item-par", "par", "numeric", |f| f.par.clone(), |f, v| f.par = v)}
                {text("Reorder point".into(), "item-reorder-point", "reorder_point", "numeric", |f| f.reorder_point.clone(), |f, v| f.reorder_point = v)}
                {text("Reorder qty".into(), "item-reorder-qty", "reorder_qty", "numeric", |f| f.reorder_qty.clone(), |f, v| f.reorder_qty = v)}
            </div>
            <label class="check">
                <input type="checkbox" data-testid="item-lot-tracked"
                    prop:checked=move || form.with(|f| f.lot_tracked)
                    on:change=move |ev| { saved.set(false); form.update(|f| f.lot_tracked = event_target_checked(&ev)); } />
                "Tracked by lot and expiry date"
            </label>
            <div class="item-record-go">
                <button type="submit" class="primary" data-testid="item-save">
                    {if adding { "Add item" } else { "Save details" }}
                </button>
                <Show when=move || saved.get()>
                    <span class="saved" data-testid="item-saved">"Saved."</span>
                </Show>
            </div>
        </form>
    }
}
