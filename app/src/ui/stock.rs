//! Stock: the supplies of the site in view. The item list with scan-to-find, an item's
//! panel (use, receive, adjust, waste, transfer; lots; movements), what to reorder and the
//! purchase orders, cycle counts, what expires soon and recall lookup across sites, and
//! spreadsheet import and export.
//!
//! Every change of what is on hand goes through [`post`]: one change across the site's
//! inventory document and the log of the month, stored in one IndexedDB transaction.

mod count;
mod exchange;
mod expiry;
mod item;
mod list;
mod orders;

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::DocId;

use crate::platform::local_now;
use crate::ui::{directory_memo, Ctx};
use model::access::Action;
use model::inventory::{Inventory, ItemId};
use model::{Directory, DocKind, DocumentError, SiteId};

/// The document of a site's items, orders and counts.
pub fn inventory_doc(site: &SiteId) -> DocId {
    DocKind::Inventory { site: site.clone() }.doc_id()
}

/// The document of a site's stock movements in the month of `day`.
pub fn stock_doc(site: &SiteId, day: chrono::NaiveDate) -> DocId {
    DocKind::stock_for(site, day).doc_id()
}

/// A site's inventory as last read ([`Ctx::inventory`]); `None` while it loads. A document
/// or records that cannot be read are reported.
pub fn read_inventory(ctx: Ctx, site: &SiteId) -> Option<Arc<Inventory>> {
    match ctx.inventory(&inventory_doc(site))? {
        Ok(inventory) => {
            if inventory.unreadable > 0 {
                ctx.report(format!(
                    "{} records of the supplies of {} could not be read.",
                    inventory.unreadable,
                    site.as_str()
                ));
            }
            Some(inventory)
        }
        Err(e) => {
            ctx.unreadable("The supplies", &e);
            Some(Arc::default())
        }
    }
}

/// Each site with its inventory.
pub type SiteInventories = Vec<(SiteId, Arc<Inventory>)>;

/// Every site's inventory, in the directory's order; `None` while any loads.
pub fn all_inventories(ctx: Ctx, directory: Memo<Directory>) -> Memo<Option<SiteInventories>> {
    Memo::new(move |_| {
        let mut all = Vec::new();
        let mut loading = false;
        for site in directory.get().sites {
            // Every site is asked for, so that all of them load at once.
            match read_inventory(ctx, &site.id) {
                Some(inventory) => all.push((site.id, inventory)),
                None => loading = true,
            }
        }
        (!loading).then_some(all)
    })
}

/// The movements of `site` in the month of `day`, newest first; `None` while it loads.
pub fn read_movements(
    ctx: Ctx,
    site: &SiteId,
    day: chrono::NaiveDate,
) -> Option<Arc<crate::ui::StockLog>> {
    match ctx.stock_log(&stock_doc(site, day))? {
        Ok(log) => {
            let unreadable = log.1;
            if unreadable > 0 {
                ctx.report(format!(
                    "{unreadable} stock movements of {} could not be read.",
                    day.format("%B %Y")
                ));
            }
            Some(log)
        }
        Err(e) => {
            ctx.unreadable("The stock movements", &e);
            Some(Arc::default())
        }
    }
}

/// Makes one change of stock at `site` now: `edit` gets the site's inventory document and
/// this month's log, and both change or neither does (loading them from storage first if
/// needed). A refusal is reported as "Could not {what}: …"; `then` runs with the result
/// once it is on screen.
pub fn post<T: 'static>(
    ctx: Ctx,
    site: &SiteId,
    what: &'static str,
    edit: impl FnOnce(&mut automerge::AutoCommit, &mut automerge::AutoCommit) -> Result<T, DocumentError>
        + 'static,
    then: impl FnOnce(T) + 'static,
) {
    post_in(ctx, site, local_now().date(), what, edit, then);
}

/// [`post`], with the log of the month of `day` (an undo goes into the month of the use it
/// takes back, even just after midnight at a month's end).
pub fn post_in<T: 'static>(
    ctx: Ctx,
    site: &SiteId,
    day: chrono::NaiveDate,
    what: &'static str,
    edit: impl FnOnce(&mut automerge::AutoCommit, &mut automerge::AutoCommit) -> Result<T, DocumentError>
        + 'static,
    then: impl FnOnce(T) + 'static,
) {
    let docs = vec![inventory_doc(site), stock_doc(site, day)];
    change_many(
        ctx,
        docs,
        what,
        move |all| match all {
            [inventory, log] => edit(inventory, log),
            _ => Err(DocumentError::Write("two documents expected".into())),
        },
        then,
    );
}

/// Makes one change across `docs` (a transfer: two sites' inventories and logs), all of it
/// or none; like [`post`].
pub fn change_many<T: 'static>(
    ctx: Ctx,
    docs: Vec<DocId>,
    what: &'static str,
    edit: impl FnOnce(&mut [&mut automerge::AutoCommit]) -> Result<T, DocumentError> + 'static,
    then: impl FnOnce(T) + 'static,
) {
    let driver = ctx.driver.get_value();
    spawn_local(async move {
        match driver.edit_many_loaded(&docs, edit).await {
            Ok(value) => then(value),
            Err(e) => ctx.could_not(what, &e),
        }
    });
}

/// Like [`Ctx::edit`] on a site's inventory document alone (item details, orders, counts),
/// waiting for it to load if needed.
pub fn edit_inventory<T: 'static>(
    ctx: Ctx,
    site: &SiteId,
    what: &'static str,
    edit: impl FnOnce(&mut automerge::AutoCommit) -> Result<T, DocumentError> + 'static,
    then: impl FnOnce(T) + 'static,
) {
    change_many(
        ctx,
        vec![inventory_doc(site)],
        what,
        move |all| match all {
            [inventory] => edit(inventory),
            _ => Err(DocumentError::Write("one document expected".into())),
        },
        then,
    );
}

/// Where Stock stands: the item open in the side panel, with its site. The shell makes it
/// once, so it survives a visit to another page.
#[derive(Clone, Copy)]
pub struct StockPlace {
    pub item: RwSignal<Option<(SiteId, ItemId)>>,
    /// The view the next opening of Stock starts on, when another page asked for one (the
    /// manager's "Stock expiring" on Sites); else Stock opens on its items.
    pub open_on: RwSignal<Option<View>>,
}

impl StockPlace {
    pub fn new() -> Self {
        Self {
            item: RwSignal::new(None),
            open_on: RwSignal::new(None),
        }
    }
}

impl Default for StockPlace {
    fn default() -> Self {
        Self::new()
    }
}

/// The shell's place of Stock, or one made here for a view mounted alone (the view tests).
/// Call it while a view is made, not in an event handler.
pub fn stock_place() -> StockPlace {
    crate::ui::area_place(StockPlace::new)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum View {
    Items,
    Orders,
    Count,
    Expiry,
    Exchange,
}

#[component]
pub fn Stock() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let stock = stock_place();
    let directory = directory_memo(ctx);
    let view_mode = RwSignal::new(stock.open_on.get_untracked().unwrap_or(View::Items));
    stock.open_on.set(None);
    let inventory = Memo::new(move |_| read_inventory(ctx, &ctx.site.get()));
    // The pages follow `current` themselves, so a change elsewhere keeps what they show
    // and what is typed in them; only the first load swaps "Loading…" for the page.
    let loaded = Memo::new(move |_| inventory.with(Option::is_some));
    let current = Memo::new(move |_| inventory.get().unwrap_or_default());
    let mode = move |which: View, label: &'static str, id: &'static str| {
        view! {
            <button type="button" class:active=move || view_mode.get() == which data-testid=id
                on:click=move |_| view_mode.set(which)>{label}</button>
        }
    };
    view! {
        <div class="stock">
            <div class="stock-nav mode">
                {mode(View::Items, "Items", "stock-items")}
                <Show when=move || ctx.may(Action::ManageStock)>
                    {mode(View::Orders, "Reorder & orders", "stock-orders")}
                </Show>
                {mode(View::Count, "Count", "stock-count")}
                {mode(View::Expiry, "Expiry & all sites", "stock-expiry")}
                <Show when=move || ctx.may(Action::ManageStock)>
                    {mode(View::Exchange, "Import / export", "stock-exchange")}
                </Show>
            </div>
            <div class="stock-body">
                <div class="stock-main">
                    {move || if !loaded.get() {
                        view! { <p class="loading">"Loading…"</p> }.into_any()
                    } else {
                        match view_mode.get() {
                            View::Items => view! { <list::ItemList inventory=current /> }.into_any(),
                            View::Orders => view! { <orders::Orders inventory=current /> }.into_any(),
                            View::Count => view! { <count::CountMode inventory=current /> }.into_any(),
                            View::Expiry => view! { <expiry::AcrossSites directory=directory /> }.into_any(),
                            View::Exchange => view! { <exchange::Exchange inventory=current /> }.into_any(),
                        }
                    }}
                </div>
                <Show when=move || stock.item.with(Option::is_some)>
                    <aside class="side">
                        <item::ItemPanel directory=directory />
                    </aside>
                </Show>
            </div>
        </div>
    }
}
