//! What the fixture tests share: a committed JSON fixture that `UPDATE_PARITY=1`
//! rewrites from what the code computes now.

use serde_json::Value;

/// The committed fixture at `path`, to compare `now` with; `None` when
/// `UPDATE_PARITY` is set, after writing `now` there instead (the test then passes).
pub fn committed_or_update(path: &str, now: &Value) -> Option<Value> {
    if std::env::var_os("UPDATE_PARITY").is_some() {
        std::fs::write(path, serde_json::to_string_pretty(now).unwrap() + "\n").unwrap();
        return None;
    }
    let text = std::fs::read_to_string(path).expect("fixture missing: run with UPDATE_PARITY=1");
    Some(serde_json::from_str(&text).unwrap())
}
