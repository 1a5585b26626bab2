//! Where the workers' scripts are: `scripts/hash-worker.sh` writes their
//! content-hashed names into the page at build time, as
//! `<meta name="daynight-worker" content="LOADER">` and
//! `<meta name="daynight-trainer" content="LOADER EXAMPLES.bin">`.

/// The file names listed in `<meta name="{name}">`, as URLs resolved against the
/// page (so the app works from any sub-path).
pub fn listed(name: &str) -> Result<Vec<String>, String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let content = document
        .query_selector(&format!(r#"meta[name="{name}"]"#))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .ok_or_else(|| format!("the page does not name its {name} files (was it built with Trunk?)"))?;
    let base = document.base_uri().ok().flatten().unwrap_or_default();
    content
        .split_whitespace()
        .map(|file| web_sys::Url::new_with_base(file, &base).map(|u| u.href()).map_err(crate::util::js::describe))
        .collect()
}

/// The first file of `<meta name="{name}">`: a worker's loader script.
pub fn loader(name: &str) -> Result<String, String> {
    listed(name)?.into_iter().next().ok_or_else(|| format!("the page names no {name} script"))
}
