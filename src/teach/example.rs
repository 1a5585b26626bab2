//! One marked photo as kept on this device: its name, the user's label and its
//! features (never the photo), keyed by its content.

use daynight_core::{fnv, Label, N_FEATURES};

use crate::worker::wire::{Malformed, Reader, Wire};

/// One marked photo as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredExample {
    /// The photo's file name, so the Teach list can name it after a reload.
    pub name: String,
    /// The truth, as the user marked it.
    pub label: Label,
    /// The photo's features ([`N_FEATURES`] numbers).
    pub features: Vec<f64>,
}

/// The key of a photo's example: a hash of its features, which the same photo gives
/// every time it is read, so the same photo added and marked twice is one example.
pub fn content_key(features: &[f64]) -> String {
    let hash = features.iter().fold(fnv::fnv1a64(b"daynight example"), |h, x| fnv::extend(h, &x.to_bits().to_le_bytes()));
    format!("{hash:016x}")
}

impl StoredExample {
    /// Its [`content_key`].
    pub fn key(&self) -> String {
        content_key(&self.features)
    }

    /// As stored: `{ name, label, features }`.
    pub fn to_wire<H>(&self) -> Wire<H> {
        Wire::map([
            ("name", Wire::Text(self.name.clone())),
            ("label", Wire::Text(self.label.as_str().into())),
            ("features", Wire::Numbers(self.features.clone())),
        ])
    }

    /// Reads a stored example; one that is not [`N_FEATURES`] finite numbers with a
    /// day or night label is refused.
    pub fn from_wire<H>(wire: Wire<H>) -> Result<StoredExample, Malformed> {
        let mut r = Reader::new(wire, "a marked example")?;
        let label = r.text("label")?;
        let label = label.parse::<Label>().map_err(|_| Malformed(format!("`{label}` is not day or night")))?;
        let features = r.numbers("features")?;
        if features.len() != N_FEATURES {
            return Err(Malformed(format!("{} features, expected {N_FEATURES}", features.len())));
        }
        Ok(StoredExample { name: r.text("name").unwrap_or_default(), label, features })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(x: f64) -> StoredExample {
        StoredExample { name: "street.jpg".into(), label: Label::Night, features: vec![x; N_FEATURES] }
    }

    #[test]
    fn a_stored_example_round_trips() {
        let stored = example(0.25);
        assert_eq!(StoredExample::from_wire(stored.to_wire::<()>()), Ok(stored));
    }

    #[test]
    fn the_same_features_give_the_same_key_and_others_another() {
        assert_eq!(example(0.25).key(), example(0.25).key());
        assert_ne!(example(0.25).key(), example(0.5).key());
        assert_eq!(example(0.25).key().len(), 16);
        let renamed = StoredExample { name: "copy of street.jpg".into(), label: Label::Day, ..example(0.25) };
        assert_eq!(renamed.key(), example(0.25).key(), "the key is the photo's content, not its name or mark");
    }

    #[test]
    fn a_damaged_record_is_refused() {
        let mut short = example(0.1);
        short.features.pop();
        assert!(StoredExample::from_wire(short.to_wire::<()>()).is_err());
        let dusk: Wire<()> = Wire::map([
            ("name", Wire::Text("a".into())),
            ("label", Wire::Text("dusk".into())),
            ("features", Wire::Numbers(vec![0.0; N_FEATURES])),
        ]);
        assert!(StoredExample::from_wire(dusk).is_err());
    }
}
