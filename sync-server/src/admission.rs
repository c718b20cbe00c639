//! How many devices the relay lets in at once: all tokens together, and each token. A
//! connection holds a [`Ticket`] from its `Hello` until it ends; the count goes down when
//! the ticket is dropped, however the connection ended.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The counts, and their bounds.
pub struct Admission {
    max_total: usize,
    max_per_token: usize,
    held: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    total: usize,
    /// By the token's public id.
    per_token: HashMap<String, usize>,
}

/// Which bound a refused connection met, with its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Full {
    Relay(usize),
    Token(usize),
}

/// A connection let in; dropping it lets the next one in.
pub struct Ticket {
    admission: Arc<Admission>,
    token: String,
}

impl Admission {
    pub fn new(max_total: usize, max_per_token: usize) -> Arc<Self> {
        Arc::new(Self {
            max_total,
            max_per_token,
            held: Mutex::new(Held::default()),
        })
    }

    // Nothing panics while the lock is held; a poisoned lock still holds true counts.
    fn held(&self) -> MutexGuard<'_, Held> {
        self.held.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Lets a connection of the token with public id `token` in, unless a bound is met.
    pub fn admit(self: &Arc<Self>, token: &str) -> Result<Ticket, Full> {
        let mut held = self.held();
        if held.total >= self.max_total {
            return Err(Full::Relay(self.max_total));
        }
        let count = held.per_token.get(token).copied().unwrap_or(0);
        if count >= self.max_per_token {
            return Err(Full::Token(self.max_per_token));
        }
        held.total += 1;
        held.per_token.insert(token.to_owned(), count + 1);
        Ok(Ticket {
            admission: Arc::clone(self),
            token: token.to_owned(),
        })
    }

    /// Connections let in now.
    pub fn total(&self) -> usize {
        self.held().total
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut held = self.admission.held();
        held.total = held.total.saturating_sub(1);
        if let Some(count) = held.per_token.get_mut(&self.token) {
            *count -= 1;
            if *count == 0 {
                held.per_token.remove(&self.token);
            }
        }
    }
}

impl Full {
    /// What the device is told.
    pub fn message(self) -> String {
        match self {
            Self::Relay(n) => {
                format!("the relay holds its limit of {n} connections; try again shortly")
            }
            Self::Token(n) => format!(
                "this device's token has {n} connections open already (its limit); \
                 close the app in another tab or window"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bound_refuses_until_a_ticket_is_dropped() {
        let admission = Admission::new(3, 2);
        let a1 = admission.admit("a").expect("in");
        let a2 = admission.admit("a").expect("in");
        assert_eq!(admission.admit("a").err(), Some(Full::Token(2)));
        let b1 = admission.admit("b").expect("in");
        assert_eq!(admission.admit("c").err(), Some(Full::Relay(3)));
        drop(a1);
        assert_eq!(admission.total(), 2);
        let a3 = admission.admit("a").expect("a place came free");
        drop((a2, a3, b1));
        assert_eq!(admission.total(), 0);
        assert!(admission.held().per_token.is_empty(), "nothing left behind");
    }
}
