//! Where the model in use came from, and how that is kept between visits.

/// Where the model in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The model built into the app.
    Builtin,
    /// `model.json` beside the page, put there by whoever runs this server.
    Server,
    /// Imported from a file with this name.
    Imported(String),
    /// Trained in this browser on this many of the user's marked photos.
    Trained(usize),
}

impl Origin {
    /// One word for it, on the page as `data-model-origin`: `builtin`, `server`,
    /// `imported` or `trained`.
    pub fn word(&self) -> &'static str {
        match self {
            Origin::Builtin => "builtin",
            Origin::Server => "server",
            Origin::Imported(_) => "imported",
            Origin::Trained(_) => "trained",
        }
    }

    /// As kept in IndexedDB: the word, and for an import or a retrain what follows
    /// a colon (`imported:night-shots.json`, `trained:40`).
    pub fn to_stored(&self) -> String {
        match self {
            Origin::Imported(file) => format!("imported:{file}"),
            Origin::Trained(n) => format!("trained:{n}"),
            other => other.word().into(),
        }
    }

    /// Reads what [`Origin::to_stored`] wrote. Anything else was written by another
    /// version of the app: the model is still the user's own, from an earlier visit.
    pub fn from_stored(text: &str) -> Origin {
        match text.split_once(':') {
            Some(("imported", file)) => Origin::Imported(file.into()),
            Some(("trained", n)) if n.parse::<usize>().is_ok() => Origin::Trained(n.parse().unwrap_or(0)),
            None if text == "builtin" => Origin::Builtin,
            None if text == "server" => Origin::Server,
            _ => Origin::Imported("an earlier visit".into()),
        }
    }

    /// The page's line about the model, e.g. "Model: imported from night.json.".
    pub fn sentence(&self) -> String {
        match self {
            Origin::Builtin => "Model: the built-in one.".into(),
            Origin::Server => "Model: this server's model.json.".into(),
            Origin::Trained(n) => format!("Model: trained here on the built-in examples and {n} of yours."),
            Origin::Imported(file) => format!("Model: imported from {file}."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_origin_survives_storage() {
        for origin in [
            Origin::Builtin,
            Origin::Server,
            Origin::Imported("night shots: v2.json".into()),
            Origin::Imported(String::new()),
            Origin::Trained(0),
            Origin::Trained(40),
        ] {
            assert_eq!(Origin::from_stored(&origin.to_stored()), origin, "{origin:?}");
        }
    }

    #[test]
    fn an_unknown_stored_origin_is_still_the_users_own_model() {
        for text in ["", "trained:many", "custom", "v3:whatever"] {
            assert_eq!(Origin::from_stored(text), Origin::Imported("an earlier visit".into()), "{text:?}");
        }
    }
}
