use leptos::prelude::*;

use crate::model::Directory;

#[component]
pub fn AcrossSites(directory: Memo<Directory>) -> impl IntoView {
    let _ = directory;
    view! { <p>"TODO"</p> }
}
