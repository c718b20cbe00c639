//! Which sites' documents a device token may sync. A token made for the desks of one site
//! (`token create --sites main`) is refused, by the relay, the documents of every other
//! site; the documents of the whole organisation (the directory, the organisation's board)
//! stay open to it. A document's site is read from its id alone ([`DocId::site`]), so the
//! relay still never looks inside a bundle.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use protocol::DocId;

/// The longest site id, in bytes, as the client makes them.
const MAX_SITE_BYTES: usize = 40;

/// The sites a token covers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Sites {
    /// Every site of the organisation, now and later.
    #[default]
    All,
    /// Only these (never empty).
    Only(BTreeSet<String>),
}

/// Why a list of sites is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("sites {0:?} must be site ids (1 to 40 characters of a-z, 0-9 and -) separated by commas")]
pub struct InvalidSites(pub String);

impl Sites {
    /// Whether a device with this scope may subscribe to and push into `doc`.
    pub fn allows(&self, doc: &DocId) -> bool {
        match (self, doc.site()) {
            (Self::All, _) | (_, None) => true,
            (Self::Only(sites), Some(site)) => sites.contains(site),
        }
    }

    /// The form storage keeps: `None` for every site, otherwise the ids joined by commas.
    pub fn to_stored(&self) -> Option<String> {
        match self {
            Self::All => None,
            Self::Only(sites) => Some(sites.iter().cloned().collect::<Vec<_>>().join(",")),
        }
    }

    /// Reads what [`Sites::to_stored`] wrote.
    pub fn from_stored(stored: Option<&str>) -> Result<Self, InvalidSites> {
        stored.map_or(Ok(Self::All), str::parse)
    }
}

impl FromStr for Sites {
    type Err = InvalidSites;

    /// "main,hillside": one or more site ids; spaces around them are ignored.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let valid = |site: &str| {
            !site.is_empty()
                && site.len() <= MAX_SITE_BYTES
                && site
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        let sites: BTreeSet<String> = text.split(',').map(|s| s.trim().to_owned()).collect();
        if sites.iter().all(|s| valid(s)) {
            Ok(Self::Only(sites))
        } else {
            Err(InvalidSites(text.to_owned()))
        }
    }
}

impl fmt::Display for Sites {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_stored() {
            None => f.write_str("all sites"),
            Some(sites) => f.write_str(&sites),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str) -> DocId {
        DocId::new(id).expect("valid")
    }

    #[test]
    fn a_token_for_one_site_reaches_its_site_and_the_organisations_documents_only() {
        let main: Sites = "main".parse().expect("sites");
        for allowed in [
            "schedule/main/2026-12",
            "inventory/main",
            "board/site/main",
            "directory",
            "board/org",
        ] {
            assert!(main.allows(&doc(allowed)), "{allowed}");
        }
        for refused in [
            "schedule/hillside/2026-12",
            "waitlist/hillside",
            "board/site/hillside",
            "stock/mainstreet/2026-12",
        ] {
            assert!(!main.allows(&doc(refused)), "{refused}");
        }
        assert!(Sites::All.allows(&doc("schedule/hillside/2026-12")));
    }

    #[test]
    fn sites_are_stored_and_read_back_and_bad_lists_are_refused() {
        let two: Sites = " main , hillside".parse().expect("sites");
        assert_eq!(two.to_stored().as_deref(), Some("hillside,main"));
        assert_eq!(Sites::from_stored(Some("hillside,main")), Ok(two.clone()));
        assert_eq!(two.to_string(), "hillside,main");
        assert_eq!(Sites::from_stored(None), Ok(Sites::All));
        assert_eq!(Sites::All.to_string(), "all sites");
        for bad in ["", "main,", "Main", "a/b", "main,,x", &"x".repeat(41)] {
            assert!(bad.parse::<Sites>().is_err(), "{bad:?}");
        }
    }
}
