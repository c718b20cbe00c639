//! Reminder texts for an SMS service: a file of patient, number and message, each message
//! made from the site's template. Nothing is sent from the app; the file is what a
//! practice uploads to the service it uses.

use crate::{Appointment, Directory, SiteId};

use super::{CallItem, Standing};

/// The words a template may ask for, in braces.
pub const WORDS: [&str; 6] = ["patient", "first_name", "site", "provider", "day", "time"];

/// The first word in braces that is not one of [`WORDS`], if any.
pub(super) fn unknown_word(template: &str) -> Option<String> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Some(after.chars().take(20).collect());
        };
        let word = &after[..close];
        if !WORDS.contains(&word) {
            return Some(word.to_string());
        }
        rest = &after[close + 1..];
    }
    None
}

/// The reminder for `a` at `site`, from `template`. Each word in braces is filled in
/// once, so a name that happens to hold braces stays as it is.
pub fn message(template: &str, a: &Appointment, directory: &Directory, site: &SiteId) -> String {
    let value = |word: &str| -> Option<String> {
        Some(match word {
            "patient" => a.patient_name.clone(),
            "first_name" => a
                .patient_name
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string(),
            "site" => directory
                .site(site)
                .map_or_else(String::new, |s| s.name.clone()),
            "provider" => directory.provider_name(&a.provider),
            "day" => a.start.format("%A %-d %B").to_string(),
            "time" => a.start.format("%H:%M").to_string(),
            _ => return None,
        })
    };
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| Some((close, value(&after[..close])?)))
        {
            Some((close, filled)) => {
                out.push_str(&filled);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The file of texts to send for `items` (those still to confirm): one row per patient
/// with a phone number, the wrong numbers left out.
pub fn texts_csv(items: &[CallItem], directory: &Directory, site: &SiteId) -> String {
    let template = directory.calling(site).template;
    let rows = items
        .iter()
        .filter(|i| i.standing != Standing::WrongNumber)
        .filter_map(|i| {
            let phone = dialable(i.appointment.phone.as_ref()?)?;
            Some(vec![
                i.appointment.patient_name.clone(),
                phone,
                message(&template, &i.appointment, directory, site),
            ])
        });
    crate::csv::write(&["patient", "phone", "message"], rows)
}

/// A number as an SMS service takes it: its digits, after a `+` when it had one (so
/// "+1 (555) 010-0199" is "+15550100199"); `None` with fewer than three digits.
fn dialable(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let plus = if phone.trim_start().starts_with('+') {
        "+"
    } else {
        ""
    };
    (digits.len() >= 3).then(|| format!("{plus}{digits}"))
}
