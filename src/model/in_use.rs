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
}

/// The built-in model's id, computed once from its numbers.
pub fn builtin_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| Model::embedded().map(|m| m.id()).unwrap_or_default())
}

impl ModelInUse {
    /// The model built into the app.
    pub fn builtin() -> ModelInUse {
        ModelInUse { id: builtin_id().into(), origin: Origin::Builtin, custom: None }
    }

    /// A checked model from `origin`.
    pub fn custom(model: CheckedModel, origin: Origin) -> ModelInUse {
        ModelInUse { id: model.id.clone(), origin, custom: Some(model) }
    }

    /// The numbers the classifier worker needs (`None`: its built-in model).
    pub fn numbers(&self) -> Option<&[f64]> {
        self.custom.as_ref().map(|m| m.numbers.as_slice())
    }

    /// The file name of an exported copy: `daynight-model-ID.json`.
    pub fn file_name(&self) -> String {
        format!("daynight-model-{}.json", self.id)
    }

    /// The user's own model as stored between visits (`None`: nothing to store, the
    /// built-in and the server's model are found again at start).
    pub fn to_stored<H>(&self) -> Option<Wire<H>> {
        match (&self.origin, &self.custom) {
            (Origin::Imported(_) | Origin::Trained(_), Some(model)) => {
                Some(Wire::map([("checked", model.to_wire()), ("origin", Wire::Text(self.origin.to_stored()))]))
            }
            _ => None,
        }
    }

    /// Reads what [`ModelInUse::to_stored`] wrote.
    pub fn from_stored<H>(wire: Wire<H>) -> Result<ModelInUse, Malformed> {
        let mut r = Reader::new(wire, "the saved model")?;
        let origin = Origin::from_stored(&r.text("origin").unwrap_or_default());
        Ok(ModelInUse::custom(CheckedModel::from_wire(r.take("checked"))?, origin))
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
        assert!(builtin.to_stored::<()>().is_none(), "nothing to keep");
    }

    #[test]
    fn the_users_own_model_survives_storage_with_its_origin() {
        for origin in [Origin::Trained(12), Origin::Imported("mine.json".into())] {
            let in_use = ModelInUse::custom(checked(), origin);
            assert_eq!(in_use.id, "0123456789ab", "the checked model's id");
            let stored = in_use.to_stored::<()>().unwrap();
            assert_eq!(ModelInUse::from_stored(stored), Ok(in_use));
        }
        assert!(ModelInUse::custom(checked(), Origin::Server).to_stored::<()>().is_none(), "fetched again each visit");
    }

    #[test]
    fn a_damaged_stored_model_is_refused_in_words() {
        let mut model = checked();
        model.numbers.pop();
        let stored = ModelInUse::custom(model, Origin::Trained(1)).to_stored::<()>().unwrap();
        assert!(ModelInUse::from_stored(stored).unwrap_err().0.contains("numbers"));
        assert!(ModelInUse::from_stored(Wire::<()>::Text("old".into())).is_err());
    }
}
