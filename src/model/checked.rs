//! A model other than the built-in one (retrained in the page, imported, or the
//! server's `model.json`), checked and ready for the classifier worker.
//!
//! Only the trainer worker reads model JSON (it has the JSON codec; the page and the
//! classifier worker stay small without one). It hands out a [`CheckedModel`]: the
//! JSON as the user exports it, plus the numbers that JSON reads as
//! ([`daynight_core::Model::to_numbers`]), which the classifier worker turns back
//! into a model with the core's checks and no parsing.

use daynight_core::Model;

use crate::worker::wire::{Malformed, Reader, Wire};

/// A model that passed the trainer's checks.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedModel {
    /// [`daynight_core::Model::id`] of the numbers the JSON reads as: the id
    /// `daynight classify --model` prints for the same file.
    pub id: String,
    /// The model file, exactly what `daynight classify --model FILE` reads.
    pub json: String,
    /// The model's numbers, [`Model::NUMBERS`] of them.
    pub numbers: Vec<f64>,
}

impl CheckedModel {
    /// `{ id, json, numbers }`: posted between workers, and stored in IndexedDB as is.
    pub fn to_wire<H>(&self) -> Wire<H> {
        Wire::map([
            ("id", Wire::Text(self.id.clone())),
            ("json", Wire::Text(self.json.clone())),
            ("numbers", Wire::Numbers(self.numbers.clone())),
        ])
    }

    /// Reads back what [`CheckedModel::to_wire`] made. The numbers are checked again
    /// by the classifier worker, so a tampered store gets a message there, never a
    /// wrong model.
    pub fn from_wire<H>(wire: Wire<H>) -> Result<CheckedModel, Malformed> {
        let mut r = Reader::new(wire, "the model")?;
        let numbers = r.numbers("numbers")?;
        if numbers.len() != Model::NUMBERS {
            return Err(Malformed(format!("the model has {} numbers, not {}", numbers.len(), Model::NUMBERS)));
        }
        Ok(CheckedModel { id: r.text("id")?, json: r.text("json")?, numbers })
    }
}
