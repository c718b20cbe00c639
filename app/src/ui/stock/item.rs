use leptos::prelude::*;

use crate::model::Directory;

#[component]
pub fn ItemPanel(directory: Memo<Directory>) -> impl IntoView {
    let _ = directory;
    view! { <p>"TODO"</p> }
}
