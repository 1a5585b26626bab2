//! What a message between the page and a worker is made of, as plain Rust values.
//!
//! A message crosses `postMessage` as a structured clone: numbers, strings, typed
//! arrays, plain objects and a few browser objects (a `Blob`, an `ImageBitmap`).
//! [`Wire`] is that shape without the browser, so each protocol's typed messages
//! (`classify::protocol`, `teach::protocol`) are written to and read from it in pure
//! Rust, and their round trips are tested natively (`cargo test -p daynight-web`).
//! Only [`Wire::into_js`] and [`Wire::from_js`] touch JavaScript, once for every
//! message kind, and keep a JSON codec out of the wasm.
//!
//! Reading is strict: a missing or mistyped field is a [`Malformed`] error that names
//! the field, never a default (a missing number must not reach people as NaN).

use std::fmt;

/// A structured-cloneable value. `H` is a browser object carried as is
/// (`JsValue` in the browser, any stand-in in native tests).
#[derive(Debug, Clone, PartialEq)]
pub enum Wire<H> {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string.
    Text(String),
    /// A `Float64Array`.
    Numbers(Vec<f64>),
    /// A `Uint8Array`.
    Bytes(Vec<u8>),
    /// A plain object, its fields in order.
    Map(Vec<(String, Wire<H>)>),
    /// Any other object (a `Blob`, an `ImageBitmap`), passed through untouched.
    Handle(H),
}

/// A message that is not what its reader expects; the text says which part, for
/// people ("the field `after` is missing").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

impl Malformed {
    /// A message whose `kind` (or its absence) its reader does not know; `what` is
    /// "request" or "answer".
    pub fn unknown(what: &str, kind: Option<&str>) -> Malformed {
        match kind {
            Some(kind) => Malformed(format!("an unknown {what} `{kind}`")),
            None => Malformed(format!("an {what} without a kind")),
        }
    }
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<H> Wire<H> {
    /// A plain object with these fields.
    pub fn map<const N: usize>(fields: [(&str, Wire<H>); N]) -> Wire<H> {
        Wire::Map(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// `Some(x)` as `x`, `None` as `null`.
    pub fn optional<T>(value: Option<T>, into: impl FnOnce(T) -> Wire<H>) -> Wire<H> {
        value.map_or(Wire::Null, into)
    }

    /// The text of the field `kind`: what every message says it is.
    pub fn kind(&self) -> Option<&str> {
        match self.get("kind") {
            Some(Wire::Text(kind)) => Some(kind),
            _ => None,
        }
    }

    /// The field `key` of a plain object.
    pub fn get(&self, key: &str) -> Option<&Wire<H>> {
        match self {
            Wire::Map(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Takes the fields of one message, each by its expected type.
pub struct Reader<H> {
    fields: Vec<(String, Wire<H>)>,
}

impl<H> Reader<H> {
    /// Reads `wire`, which must be a plain object; `what` names it in errors.
    pub fn new(wire: Wire<H>, what: &str) -> Result<Reader<H>, Malformed> {
        match wire {
            Wire::Map(fields) => Ok(Reader { fields }),
            _ => Err(Malformed(format!("{what} is not an object"))),
        }
    }

    /// The field `key`, taken out (`Null` when absent).
    pub fn take(&mut self, key: &str) -> Wire<H> {
        match self.fields.iter().position(|(k, _)| k == key) {
            Some(at) => self.fields.swap_remove(at).1,
            None => Wire::Null,
        }
    }

    fn wrong(key: &str, wanted: &str) -> Malformed {
        Malformed(format!("the field `{key}` is missing or is not {wanted}"))
    }

    /// A finite number.
    pub fn number(&mut self, key: &str) -> Result<f64, Malformed> {
        match self.take(key) {
            Wire::Num(x) if x.is_finite() => Ok(x),
            _ => Err(Self::wrong(key, "a finite number")),
        }
    }

    /// A whole number that fits a `u32` (ids, counts).
    pub fn count(&mut self, key: &str) -> Result<u32, Malformed> {
        let x = self.number(key)?;
        if x >= 0.0 && x <= f64::from(u32::MAX) && x.fract() == 0.0 {
            Ok(x as u32)
        } else {
            Err(Self::wrong(key, "a whole number"))
        }
    }

    /// A share in `[0, 1]`.
    pub fn share(&mut self, key: &str) -> Result<f64, Malformed> {
        Some(self.number(key)?).filter(|x| (0.0..=1.0).contains(x)).ok_or_else(|| Self::wrong(key, "a share from 0 to 1"))
    }

    /// A string.
    pub fn text(&mut self, key: &str) -> Result<String, Malformed> {
        match self.take(key) {
            Wire::Text(text) => Ok(text),
            _ => Err(Self::wrong(key, "text")),
        }
    }

    /// A boolean; absent is `false`.
    pub fn flag(&mut self, key: &str) -> Result<bool, Malformed> {
        match self.take(key) {
            Wire::Bool(b) => Ok(b),
            Wire::Null => Ok(false),
            _ => Err(Self::wrong(key, "true or false")),
        }
    }

    /// A `Float64Array` of finite numbers.
    pub fn numbers(&mut self, key: &str) -> Result<Vec<f64>, Malformed> {
        self.optional_numbers(key)?.ok_or_else(|| Self::wrong(key, "a list of numbers"))
    }

    /// A `Float64Array` of finite numbers, or `null`.
    pub fn optional_numbers(&mut self, key: &str) -> Result<Option<Vec<f64>>, Malformed> {
        match self.take(key) {
            Wire::Numbers(numbers) if numbers.iter().all(|x| x.is_finite()) => Ok(Some(numbers)),
            Wire::Null => Ok(None),
            _ => Err(Self::wrong(key, "a list of finite numbers")),
        }
    }

    /// A `Uint8Array`.
    pub fn bytes(&mut self, key: &str) -> Result<Vec<u8>, Malformed> {
        match self.take(key) {
            Wire::Bytes(bytes) => Ok(bytes),
            _ => Err(Self::wrong(key, "a list of bytes")),
        }
    }

    /// A browser object, or `null`.
    pub fn optional_handle(&mut self, key: &str) -> Result<Option<H>, Malformed> {
        match self.take(key) {
            Wire::Handle(handle) => Ok(Some(handle)),
            Wire::Null => Ok(None),
            _ => Err(Self::wrong(key, "an object")),
        }
    }

    /// A browser object.
    pub fn handle(&mut self, key: &str) -> Result<H, Malformed> {
        self.optional_handle(key)?.ok_or_else(|| Self::wrong(key, "an object"))
    }

    /// A nested object, to read with a reader of its own.
    pub fn object(&mut self, key: &str) -> Result<Reader<H>, Malformed> {
        Reader::new(self.take(key), &format!("the field `{key}`"))
    }
}

#[cfg(target_arch = "wasm32")]
mod js {
    use js_sys::{Float64Array, Object, Reflect, Uint8Array};
    use wasm_bindgen::{JsCast, JsValue};

    use super::Wire;

    impl Wire<wasm_bindgen::JsValue> {
        /// The value as the browser posts it.
        pub fn into_js(self) -> JsValue {
            match self {
                Wire::Null => JsValue::NULL,
                Wire::Bool(b) => b.into(),
                Wire::Num(x) => x.into(),
                Wire::Text(text) => text.into(),
                Wire::Numbers(numbers) => Float64Array::from(numbers.as_slice()).into(),
                Wire::Bytes(bytes) => Uint8Array::from(bytes.as_slice()).into(),
                Wire::Map(fields) => {
                    let object = Object::new();
                    for (key, value) in fields {
                        // Setting a property on a fresh plain object cannot fail.
                        let _ = Reflect::set(&object, &key.into(), &value.into_js());
                    }
                    object.into()
                }
                Wire::Handle(handle) => handle,
            }
        }

        /// Reads whatever arrived: typed arrays and plain objects become values, any
        /// other object a [`Wire::Handle`].
        pub fn from_js(value: &JsValue) -> Wire<JsValue> {
            if value.is_null() || value.is_undefined() {
                Wire::Null
            } else if let Some(b) = value.as_bool() {
                Wire::Bool(b)
            } else if let Some(x) = value.as_f64() {
                Wire::Num(x)
            } else if let Some(text) = value.as_string() {
                Wire::Text(text)
            } else if let Some(numbers) = value.dyn_ref::<Float64Array>() {
                Wire::Numbers(numbers.to_vec())
            } else if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
                Wire::Bytes(bytes.to_vec())
            } else if is_plain_object(value) {
                let entries = Object::entries(value.unchecked_ref());
                let fields = entries
                    .iter()
                    .filter_map(|entry| {
                        let key = Reflect::get_u32(&entry, 0).ok()?.as_string()?;
                        Some((key, Wire::from_js(&Reflect::get_u32(&entry, 1).ok()?)))
                    })
                    .collect();
                Wire::Map(fields)
            } else {
                Wire::Handle(value.clone())
            }
        }
    }

    /// An object literal (`{…}`), not a `Blob` or any other class's instance: its
    /// prototype is `Object.prototype`, whose own prototype is `null`.
    fn is_plain_object(value: &JsValue) -> bool {
        if !value.is_object() {
            return false;
        }
        let prototype = Object::get_prototype_of(value);
        prototype.is_null() || Object::get_prototype_of(&prototype).is_null()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_names_the_field_that_is_missing_or_mistyped() {
        let wire: Wire<()> = Wire::map([("id", Wire::Num(3.0)), ("after", Wire::Text("high".into()))]);
        let mut reader = Reader::new(wire, "the reply").unwrap();
        assert_eq!(reader.count("id"), Ok(3));
        let error = reader.share("after").unwrap_err();
        assert!(error.0.contains("`after`"), "{error}");
        assert!(reader.number("before").unwrap_err().0.contains("`before`"));
        assert!(Reader::new(Wire::<()>::Num(1.0), "the reply").is_err());
    }

    #[test]
    fn numbers_must_be_finite_and_counts_whole() {
        let wire: Wire<()> = Wire::map([
            ("nan", Wire::Num(f64::NAN)),
            ("half", Wire::Num(0.5)),
            ("big", Wire::Num(2.0)),
            ("list", Wire::Numbers(vec![1.0, f64::INFINITY])),
        ]);
        let mut reader = Reader::new(wire, "a message").unwrap();
        assert!(reader.number("nan").is_err());
        assert!(reader.count("half").is_err());
        assert!(reader.share("big").is_err());
        assert!(reader.numbers("list").is_err());
    }
}
