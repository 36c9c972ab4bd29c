//! The redactor the fuzz targets share, built once from the default packs.

use std::sync::{Arc, OnceLock};

use veilgate::redact::packs::{self, PackSource};
use veilgate::redact::Redactor;

pub fn redactor() -> &'static Arc<Redactor> {
    static REDACTOR: OnceLock<Arc<Redactor>> = OnceLock::new();
    REDACTOR.get_or_init(|| {
        let rules = packs::load(&PackSource::default()).expect("default packs load");
        Arc::new(Redactor::new(rules, None).expect("detector builds"))
    })
}

/// Redaction must be stable: redacting the output again changes nothing.
#[allow(dead_code)] // Each target compiles this module; not all use this.
pub fn assert_idempotent(output: &str) {
    let again = redactor().redact_text(output).output;
    assert_eq!(again, output, "redaction is not idempotent");
}
