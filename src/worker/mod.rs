//! Web Workers: what the classifier and the trainer share.
//!
//! - [`wire`]: the values a message is made of, and their one JavaScript codec;
//! - [`Lifecycle`]: the two messages every worker sends whatever its protocol
//!   ("ready", and "panic" just before its wasm traps);
//! - `supervisor` (page side): starts a worker, restarts it with a limit, ignores a
//!   replaced worker's late events, keeps the last panic's message and says in words
//!   why a worker could not start;
//! - `serve` (worker side): the panic hook, the message loop and "ready";
//! - `files`: where the page's `<meta>` tags say the workers' scripts are.

pub mod wire;

#[cfg(target_arch = "wasm32")]
pub mod files;
#[cfg(target_arch = "wasm32")]
pub mod serve;
#[cfg(target_arch = "wasm32")]
pub mod supervisor;

use wire::Wire;

/// The messages every worker sends outside its own protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lifecycle {
    /// The module is loaded and listening: requests may be sent.
    Ready,
    /// The worker's wasm panicked and is about to trap; sent from the panic hook so
    /// the reason reaches the page.
    Panic(String),
}

impl Lifecycle {
    /// As a message.
    pub fn to_wire<H>(&self) -> Wire<H> {
        match self {
            Lifecycle::Ready => Wire::map([("kind", Wire::Text("ready".into()))]),
            Lifecycle::Panic(message) => {
                Wire::map([("kind", Wire::Text("panic".into())), ("message", Wire::Text(message.clone()))])
            }
        }
    }

    /// `Some` for a lifecycle message, `None` for any other (a protocol's reply).
    pub fn from_wire<H>(wire: &Wire<H>) -> Option<Lifecycle> {
        match wire.kind()? {
            "ready" => Some(Lifecycle::Ready),
            "panic" => Some(Lifecycle::Panic(match wire.get("message") {
                Some(Wire::Text(message)) => message.clone(),
                _ => "a panic without a message".into(),
            })),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_messages_round_trip_and_others_are_not_taken_for_them() {
        for message in [Lifecycle::Ready, Lifecycle::Panic("index out of bounds".into())] {
            assert_eq!(Lifecycle::from_wire(&message.to_wire::<()>()), Some(message));
        }
        assert_eq!(Lifecycle::from_wire(&Wire::<()>::map([("kind", Wire::Text("done".into()))])), None);
        assert_eq!(Lifecycle::from_wire(&Wire::<()>::Num(1.0)), None);
    }
}
