//! The model in use: the one owner of its id, its numbers and its origin. The page's
//! `data-model`, the model line, the results' CSV/JSON, the exported model's file
//! name and the classifier worker all read it from here.

use std::sync::OnceLock;

use daynight_core::Model;

use super::checked::CheckedModel;
use super::origin::Origin;
use crate::worker::wire::{Malformed, Reader, Wire};

/// The model in use.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInUse {
    /// [`daynight_core::Model::id`] of its numbers: the id `daynight classify`
    /// stamps on its answers, for the built-in model too.
    pub id: String,
    /// Where it came from.
    pub origin: Origin,
    /// The model itself, unless it is the built-in one.
    pub custom: Option<CheckedModel>,
    /// For a model trained here: the content keys of the marked photos it was
    /// trained on ([`crate::teach::example::content_key`]). A later retrain measures
    /// it only on the photos it has not seen, where its answers are held out.
    pub trained_on: Vec<String>,
}

/// The built-in model's id, computed once from its numbers.
pub fn builtin_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| Model::embedded().map(|m| m.id()).unwrap_or_default())
}

impl ModelInUse {
    /// The model built into the app.
    pub fn builtin() -> ModelInUse {
        ModelInUse { id: builtin_id().into(), origin: Origin::Builtin, custom: None, trained_on: Vec::new() }
    }

    /// A checked model from `origin`.
    pub fn custom(model: CheckedModel, origin: Origin) -> ModelInUse {
        ModelInUse { id: model.id.clone(), origin, custom: Some(model), trained_on: Vec::new() }
    }

    /// A model trained here on the marked photos with these content keys.
    pub fn trained(model: CheckedModel, trained_on: Vec<String>) -> ModelInUse {
        ModelInUse { trained_on, ..ModelInUse::custom(model, Origin::Trained(0)) }.with_count()
    }

    fn with_count(mut self) -> ModelInUse {
        if let (Origin::Trained(n), false) = (&mut self.origin, self.trained_on.is_empty()) {
            *n = self.trained_on.len();
        }
        self
    }

    /// The numbers the classifier worker needs (`None`: its built-in model).
    pub fn numbers(&self) -> Option<&[f64]> {
        self.custom.as_ref().map(|m| m.numbers.as_slice())
    }

    /// The file name of an exported copy: `daynight-model-ID.json`.
    pub fn file_name(&self) -> String {
        format!("daynight-model-{}.json", self.id)
    }

    /// Whether it is the user's own (imported or trained here): kept between visits.
    /// The built-in and the server's model are found again at start.
    pub fn is_users_own(&self) -> bool {
        matches!(self.origin, Origin::Imported(_) | Origin::Trained(_))
    }

    /// As stored in IndexedDB: `{ origin, checked, trained_on }` (`checked` is
    /// `null` for the built-in model).
    pub fn to_record<H>(&self) -> Wire<H> {
        Wire::map([
            ("checked", Wire::optional(self.custom.as_ref(), CheckedModel::to_wire)),
            ("origin", Wire::Text(self.origin.to_stored())),
            ("trained_on", Wire::Text(self.trained_on.join(" "))),
        ])
    }

    /// Reads what [`ModelInUse::to_record`] wrote (or an earlier version, which
    /// stored only the user's own model, without `trained_on`).
    pub fn from_record<H>(wire: Wire<H>) -> Result<ModelInUse, Malformed> {
        let mut r = Reader::new(wire, "the saved model")?;
        let origin = Origin::from_stored(&r.text("origin").unwrap_or_default());
        let trained_on = r.text("trained_on").unwrap_or_default().split_whitespace().map(String::from).collect();
        match (r.take("checked"), origin) {
            (Wire::Null, Origin::Builtin) => Ok(ModelInUse::builtin()),
            (checked, origin) => {
                Ok(ModelInUse { trained_on, ..ModelInUse::custom(CheckedModel::from_wire(checked)?, origin) }.with_count())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked() -> CheckedModel {
        let model = Model::embedded().unwrap();
        CheckedModel { id: "0123456789ab".into(), json: "{}".into(), numbers: model.to_numbers() }
    }

    #[test]
    fn the_builtin_model_has_the_id_of_its_numbers() {
        let builtin = ModelInUse::builtin();
        assert_eq!(builtin.id, Model::embedded().unwrap().id());
        assert!(builtin.id.len() == 12 && builtin.id.chars().all(|c| c.is_ascii_hexdigit()), "{}", builtin.id);
        assert_eq!(builtin.file_name(), format!("daynight-model-{}.json", builtin.id));
        assert_eq!(builtin.numbers(), None);
        assert!(!builtin.is_users_own(), "nothing to keep between visits");
        assert_eq!(ModelInUse::from_record(builtin.to_record::<()>()), Ok(builtin), "but it can be a retrain's 'previous'");
    }

    #[test]
    fn a_record_of_an_earlier_version_still_reads() {
        let old: Wire<()> = Wire::map([("checked", checked().to_wire()), ("origin", Wire::Text("trained:40".into()))]);
        let read = ModelInUse::from_record(old).unwrap();
        assert_eq!((read.origin, read.trained_on.len()), (Origin::Trained(40), 0), "it keeps what it knew");
    }

    #[test]
    fn the_users_own_model_survives_storage_with_its_origin() {
        let trained = ModelInUse::trained(checked(), vec!["00ff".into(), "a1b2".into()]);
        assert_eq!(trained.origin, Origin::Trained(2));
        for in_use in [trained, ModelInUse::custom(checked(), Origin::Imported("mine.json".into()))] {
            assert_eq!(in_use.id, "0123456789ab", "the checked model's id");
            assert!(in_use.is_users_own());
            assert_eq!(ModelInUse::from_record(in_use.to_record::<()>()), Ok(in_use));
        }
        let server = ModelInUse::custom(checked(), Origin::Server);
        assert!(!server.is_users_own(), "fetched again each visit");
        assert_eq!(ModelInUse::from_record(server.to_record::<()>()), Ok(server));
    }

    #[test]
    fn a_damaged_stored_model_is_refused_in_words() {
        let mut model = checked();
        model.numbers.pop();
        let stored = ModelInUse::custom(model, Origin::Imported("x.json".into())).to_record::<()>();
        assert!(ModelInUse::from_record(stored).unwrap_err().0.contains("numbers"));
        assert!(ModelInUse::from_record(Wire::<()>::Text("old".into())).is_err());
        let no_model: Wire<()> = Wire::map([("origin", Wire::Text("trained:3".into()))]);
        assert!(ModelInUse::from_record(no_model).is_err(), "a trained model without its numbers");
    }
}
