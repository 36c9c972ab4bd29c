//! The redaction core: pattern packs, detection and rewriting of text, JSON
//! and HTML. Pure: no HTTP, no async, no I/O beyond reading pack files.

pub mod context;
pub mod decode;
pub mod engine;
pub mod factor;
pub mod form;
pub mod html;
pub mod json;
pub mod keys;
pub mod keywords;
pub mod known;
pub mod lead;
pub mod pack;
pub mod packs;
pub mod pem;
pub mod redactor;
pub mod render;
pub mod rule_regex;
pub mod rules;
pub mod select;
pub mod selftest;
pub mod sniff;
pub mod spelling;
pub mod stream;
pub mod validate;
pub mod view;

pub use engine::{Detector, Finding};
pub use redactor::{Redacted, Redactor};
pub use render::HashKey;
pub use rules::{Action, Class, PackError, Rule, RuleSet};
pub use stream::{StreamError, StreamRedactor};
pub use view::{PerClass, Treatment, View};
