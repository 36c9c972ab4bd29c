//! Field selectors: JSONPath queries (RFC 9535, via `serde_json_path`) that
//! put structured fields of a tool's objects into a class, such as a
//! ticket's custom field that holds an account number.

use std::collections::HashMap;

use serde_json::Value;
use serde_json_path::JsonPath;

use super::rules::Class;

/// One compiled selector.
#[derive(Debug, Clone)]
pub struct FieldSelector {
    pub path: JsonPath,
    pub class: Class,
}

impl FieldSelector {
    /// # Errors
    /// The parser's message when `path` is not a JSONPath query.
    pub fn new(path: &str, class: Class) -> Result<FieldSelector, String> {
        let path = JsonPath::parse(path).map_err(|e| format!("not a JSONPath query: {e}"))?;
        Ok(FieldSelector { path, class })
    }
}

/// One step of a location in a JSON document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    Member(String),
    Index(usize),
}

/// The selected locations of a document and the class of each; where two
/// selectors pick the same field, the stronger class wins.
pub fn locate(selectors: &[FieldSelector], document: &Value) -> HashMap<Vec<Step>, Class> {
    let mut selected: HashMap<Vec<Step>, Class> = HashMap::new();
    for selector in selectors {
        for location in selector.path.query_located(document).locations() {
            let steps = location
                .iter()
                .map(|element| match element {
                    serde_json_path::PathElement::Name(name) => Step::Member(name.to_string()),
                    serde_json_path::PathElement::Index(i) => Step::Index(*i),
                })
                .collect();
            let class = selected.entry(steps).or_insert(selector.class);
            *class = (*class).max(selector.class);
        }
    }
    selected
}
