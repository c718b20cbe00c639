//! The organisation's directory: for now, the providers who see patients at each site.

use std::fmt;

use automerge::AutoCommit;
use autosurgeon::{hydrate_prop, reconcile_prop, Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use crate::model::{Document, DocumentError};

/// Longest provider name, in characters.
pub const MAX_PROVIDER_NAME_CHARS: usize = 80;

/// A site of the practice. Lower-case letters, digits and `-`, so that it can be part of a
/// document id.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
pub struct SiteId(String);

impl SiteId {
    pub fn new(id: &str) -> Option<Self> {
        let valid = !id.is_empty()
            && id.len() <= 40
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        valid.then(|| Self(id.to_string()))
    }

    /// The site every organisation starts with.
    pub fn main() -> Self {
        Self("main".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A provider, by a random id so that two managers adding one at once both keep theirs.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
pub struct ProviderId(String);

impl ProviderId {
    pub fn random() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for ProviderId {
    fn from(id: String) -> Self {
        Self(id)
    }
}

impl fmt::Display for ProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Provider {
    pub id: ProviderId,
    pub name: String,
    pub site: SiteId,
}

#[derive(Reconcile, Hydrate)]
struct ProviderRecord {
    name: String,
    site: String,
}

/// The directory as the interface reads it.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
pub struct Directory {
    /// Sorted by name.
    pub providers: Vec<Provider>,
    /// Records that could not be read (written by a newer or damaged client); shown, not
    /// hidden, so that a person can act.
    pub unreadable: usize,
}

impl Directory {
    pub fn read(doc: &AutoCommit) -> Result<Self, DocumentError> {
        let map = Document::root_map(doc, "providers")?;
        let mut directory = Self::default();
        for key in automerge::ReadDoc::keys(doc, &map) {
            match hydrate_prop::<_, ProviderRecord, _, _>(doc, &map, key.as_str()) {
                Ok(record) => match SiteId::new(&record.site) {
                    Some(site) => directory.providers.push(Provider {
                        id: ProviderId(key),
                        name: record.name,
                        site,
                    }),
                    None => directory.unreadable += 1,
                },
                Err(_) => directory.unreadable += 1,
            }
        }
        directory.providers.sort_by_key(|p| p.name.to_lowercase());
        Ok(directory)
    }

    pub fn providers_at<'a>(&'a self, site: &'a SiteId) -> impl Iterator<Item = &'a Provider> {
        self.providers.iter().filter(move |p| &p.site == site)
    }

    pub fn provider(&self, id: &ProviderId) -> Option<&Provider> {
        self.providers.iter().find(|p| &p.id == id)
    }
}

/// Checks a provider name as typed.
pub fn validate_provider_name(name: &str) -> Result<String, String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        Err("Enter the provider's name.".into())
    } else if name.chars().count() > MAX_PROVIDER_NAME_CHARS {
        Err(format!("Use at most {MAX_PROVIDER_NAME_CHARS} characters."))
    } else {
        Ok(name)
    }
}

/// Adds a provider at `site`. The name must have passed [`validate_provider_name`].
pub fn add_provider(
    doc: &mut AutoCommit,
    site: &SiteId,
    name: &str,
) -> Result<ProviderId, DocumentError> {
    let map = Document::root_map(doc, "providers")?;
    let id = ProviderId::random();
    let record = ProviderRecord {
        name: name.to_string(),
        site: site.as_str().to_string(),
    };
    reconcile_prop(doc, &map, id.as_str(), &record)
        .map_err(|e| DocumentError::Write(e.to_string()))?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use automerge::ActorId;
    use sync_server::protocol::DocId;

    use super::*;

    #[test]
    fn providers_added_on_two_devices_both_survive() {
        let id = DocId::new("directory").expect("valid");
        let mut desk_a = Document::new(&id, &ActorId::random()).expect("known");
        let mut desk_b = Document::new(&id, &ActorId::random()).expect("known");
        let site = SiteId::main();
        let (_, a) = desk_a
            .change(|d| add_provider(d, &site, "Dr. Ada Example"))
            .expect("adds");
        let (_, b) = desk_b
            .change(|d| add_provider(d, &site, "Dr. Bo Sample"))
            .expect("adds");
        desk_a.apply(&b.expect("bundle")).expect("applies");
        desk_b.apply(&a.expect("bundle")).expect("applies");
        let on_a = Directory::read(desk_a.automerge()).expect("reads");
        let on_b = Directory::read(desk_b.automerge()).expect("reads");
        assert_eq!(on_a, on_b);
        let names: Vec<_> = on_a.providers.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Dr. Ada Example", "Dr. Bo Sample"]);
    }

    #[test]
    fn provider_names() {
        assert_eq!(validate_provider_name("  Dr.  Ada "), Ok("Dr. Ada".into()));
        assert!(validate_provider_name("   ").is_err());
        assert!(validate_provider_name(&"x".repeat(81)).is_err());
    }
}
