//! Reading a file a person chose in a file input.

/// The largest file an import reads: a site's supplies list is far smaller, and reading a
/// wrong file of hundreds of megabytes would stall the tablet.
pub const MAX_FILE_BYTES: f64 = 5.0 * 1024.0 * 1024.0;

/// The name and text of the file chosen in `input`, or `None` when none is. A file that
/// is too large or is not UTF-8 text is a sentence for the person.
pub async fn read_text_file(
    input: &web_sys::HtmlInputElement,
) -> Result<Option<(String, String)>, String> {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return Ok(None);
    };
    let name = file.name();
    if file.size() > MAX_FILE_BYTES {
        return Err(format!(
            "{name} is larger than 5 MB: is it the right file? Save the sheet alone as CSV."
        ));
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{name} could not be read: choose it again."))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let text = String::from_utf8(bytes).map_err(|_| {
        format!(
            "{name} is not a text file in UTF-8: in the spreadsheet, save it as \"CSV UTF-8\" and choose it again."
        )
    })?;
    Ok(Some((name, text)))
}
