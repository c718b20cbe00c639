use std::sync::Arc;

use leptos::prelude::*;

use crate::model::inventory::Inventory;

#[component]
pub fn CountMode(inventory: Memo<Arc<Inventory>>) -> impl IntoView {
    let _ = inventory;
    view! { <p>"TODO"</p> }
}
