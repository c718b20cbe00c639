//! How a site runs its confirmation calls, as its manager sets it: how many open days
//! ahead the desk calls, how many tries before a patient is flagged, and the text a
//! reminder message is made from. Kept in the directory's `calling` map as one key per
//! site and field (`{site}/ahead`, `{site}/tries`, `{site}/template`), never a map made per
//! site: two managers setting a site up for the first time while offline would each make
//! that map, and one would hide the other. A site nobody set up calls the next open day,
//! with three tries and the default text.

use automerge::AutoCommit;

use crate::document::maps;
use crate::fields::{int, put_changed, text};
use crate::{Document, DocumentError, SiteId};

/// The reminder a site texts unless its manager writes another. The words in braces are
/// filled in for each patient ([`super::message`]).
pub const DEFAULT_TEMPLATE: &str =
    "Hello {first_name}, this is {site} reminding you of your appointment with {provider} on {day} at {time}. Please call us if you cannot come.";

/// The most open days ahead a desk may call.
pub const MAX_AHEAD: u32 = 14;
/// The most tries before flagging.
pub const MAX_TRIES: u32 = 10;
/// The most days a verification of coverage may be old before it is stale.
pub const MAX_STALE_DAYS: u32 = 365;
/// The longest template, in characters: a few text messages' worth.
pub const MAX_TEMPLATE_CHARS: usize = 480;

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CallSettings {
    pub site: SiteId,
    /// The call day is this many open days after today (1: the next open day).
    pub ahead: u32,
    /// Calls that do not reach the patient before they are flagged.
    pub tries: u32,
    pub template: String,
    /// A verification of a patient's coverage older than this many days is stale: verify
    /// it again before the visit ([`crate::patient::coverage`]).
    pub stale_days: u32,
}

impl CallSettings {
    pub fn default_for(site: &SiteId) -> Self {
        Self {
            site: site.clone(),
            ahead: 1,
            tries: 3,
            template: DEFAULT_TEMPLATE.to_string(),
            stale_days: 30,
        }
    }
}

impl crate::Directory {
    /// How `site` runs its calls: as its manager set it, else the defaults.
    pub fn calling(&self, site: &SiteId) -> CallSettings {
        self.calling
            .iter()
            .find(|c| &c.site == site)
            .cloned()
            .unwrap_or_else(|| CallSettings::default_for(site))
    }
}

/// What a manager typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallSettingsForm {
    pub ahead: String,
    pub tries: String,
    pub template: String,
    pub stale_days: String,
}

impl CallSettingsForm {
    pub fn validate(&self, site: &SiteId) -> Result<CallSettings, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let whole = |text: &str, max: u32, field: &'static str, errors: &mut Vec<_>| match text
            .trim()
            .parse::<u32>()
        {
            Ok(n) if (1..=max).contains(&n) => Some(n),
            _ => {
                errors.push((field, format!("Enter a whole number from 1 to {max}.")));
                None
            }
        };
        let ahead = whole(&self.ahead, MAX_AHEAD, "ahead", &mut errors);
        let tries = whole(&self.tries, MAX_TRIES, "tries", &mut errors);
        let stale_days = whole(&self.stale_days, MAX_STALE_DAYS, "stale_days", &mut errors);
        let template = self.template.trim().to_string();
        if template.is_empty() {
            errors.push((
                "template",
                "Write the message, or put back the default.".into(),
            ));
        } else if template.chars().count() > MAX_TEMPLATE_CHARS {
            errors.push((
                "template",
                format!("Use at most {MAX_TEMPLATE_CHARS} characters."),
            ));
        } else if let Some(word) = super::texts::unknown_word(&template) {
            errors.push((
                "template",
                format!(
                    "{{{word}}} is not a word the message can fill in; use {}.",
                    super::texts::WORDS.join(", ")
                ),
            ));
        }
        match (ahead, tries, stale_days) {
            (Some(ahead), Some(tries), Some(stale_days)) if errors.is_empty() => Ok(CallSettings {
                site: site.clone(),
                ahead,
                tries,
                template,
                stale_days,
            }),
            _ => Err(errors),
        }
    }
}

/// Every site's settings the directory holds; a field that does not read keeps its
/// default, so one damaged value never hides the rest.
pub(crate) fn read_all(doc: &AutoCommit) -> Vec<CallSettings> {
    let Ok(map) = Document::root_map(doc, maps::CALLING) else {
        return Vec::new();
    };
    let mut sites: Vec<CallSettings> = Vec::new();
    for key in automerge::ReadDoc::keys(doc, &map) {
        let Some(site) = key.split_once('/').and_then(|(site, _)| SiteId::new(site)) else {
            continue;
        };
        if sites.iter().any(|s| s.site == site) {
            continue;
        }
        let field = |name: &str| format!("{}/{name}", site.as_str());
        let number = |name: &str, max| {
            int(doc, &map, &field(name))
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| (1..=max).contains(n))
        };
        let defaults = CallSettings::default_for(&site);
        sites.push(CallSettings {
            ahead: number("ahead", MAX_AHEAD).unwrap_or(defaults.ahead),
            tries: number("tries", MAX_TRIES).unwrap_or(defaults.tries),
            template: text(doc, &map, &field("template"))
                .filter(|t| !t.trim().is_empty())
                .unwrap_or(defaults.template),
            stale_days: number("stale", MAX_STALE_DAYS).unwrap_or(defaults.stale_days),
            site,
        });
    }
    sites.sort_by(|a, b| a.site.cmp(&b.site));
    sites
}

/// Writes what a manager changed of a site's settings: the fields of `after` that differ
/// from `before` (the settings as the form showed them), so that a colleague's change to
/// another field, made meanwhile, stays.
pub fn put_call_settings(
    doc: &mut AutoCommit,
    before: &CallSettings,
    after: &CallSettings,
) -> Result<(), DocumentError> {
    let map = Document::root_map(doc, maps::CALLING)?;
    let key = |name: &str| format!("{}/{name}", after.site.as_str());
    if after.ahead != before.ahead {
        put_changed(doc, &map, &key("ahead"), i64::from(after.ahead))?;
    }
    if after.tries != before.tries {
        put_changed(doc, &map, &key("tries"), i64::from(after.tries))?;
    }
    if after.stale_days != before.stale_days {
        put_changed(doc, &map, &key("stale"), i64::from(after.stale_days))?;
    }
    if after.template != before.template {
        put_changed(doc, &map, &key("template"), after.template.as_str())?;
    }
    Ok(())
}
