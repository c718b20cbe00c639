//! Organisation names: the scope of every token and every document on the relay.

use std::fmt;
use std::str::FromStr;

/// The longest organisation name, in bytes.
pub const MAX_ORG_NAME_BYTES: usize = 64;

/// The name of an organisation, for example `riverside-clinic`.
///
/// 1 to 64 characters of `a-z`, `0-9` and `-`, checked once here, so that a name is always
/// safe to log, to print in a link and to use as a storage key.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrgName(String);

/// Why a string is not an organisation name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("organisation name {0:?} must be 1 to 64 characters of a-z, 0-9 and -")]
pub struct InvalidOrgName(pub String);

impl OrgName {
    pub fn new(name: impl Into<String>) -> Result<Self, InvalidOrgName> {
        let name = name.into();
        let valid_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if name.is_empty() || name.len() > MAX_ORG_NAME_BYTES || !name.chars().all(valid_char) {
            return Err(InvalidOrgName(name));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for OrgName {
    type Err = InvalidOrgName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Display for OrgName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for OrgName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrgName({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let check = |name: &str, ok: bool| assert_eq!(OrgName::new(name).is_ok(), ok, "{name:?}");
        check("acme", true);
        check("riverside-clinic-2", true);
        check(&"a".repeat(MAX_ORG_NAME_BYTES), true);
        check(&"a".repeat(MAX_ORG_NAME_BYTES + 1), false);
        check("", false);
        check("Acme", false);
        check("a_b", false);
        check("a/b", false);
        check("a b", false);
        check("é", false);
    }
}
