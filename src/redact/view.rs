//! A view of the redactor for one audience: what each class of finding
//! becomes (a policy decided outside the core), the values known to belong
//! to the contact of the conversation, and the JSON fields that hold data of
//! a class. Pure data; the redactor applies it.

use std::sync::Arc;

use super::known::KnownValues;
use super::rules::Class;
use super::select::FieldSelector;

/// What happens to a finding of one class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Treatment {
    /// The rule's own action (`replace`, `mask` or `remove` from the pack).
    Redact,
    /// The value stays as it is.
    Reveal,
    /// Bullets: the rule's mask when it has one, else bullets alone.
    Mask,
    /// A label: the rule's when it replaces, else the class name.
    Replace,
    /// The value disappears.
    Remove,
    /// The whole message is refused; a value that is rendered anyway (in a
    /// stream) becomes the class name.
    Block,
}

impl Treatment {
    pub fn parse(name: &str) -> Option<Treatment> {
        Some(match name {
            "redact" => Treatment::Redact,
            "reveal" => Treatment::Reveal,
            "mask" => Treatment::Mask,
            "replace" => Treatment::Replace,
            "remove" => Treatment::Remove,
            "block" => Treatment::Block,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Treatment::Redact => "redact",
            Treatment::Reveal => "reveal",
            Treatment::Mask => "mask",
            Treatment::Replace => "replace",
            Treatment::Remove => "remove",
            Treatment::Block => "block",
        }
    }
}

/// One value per class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PerClass<T> {
    pub secret: T,
    pub pii: T,
    pub account: T,
}

impl<T: Copy> PerClass<T> {
    pub fn get(&self, class: Class) -> T {
        match class {
            Class::Secret => self.secret,
            Class::Pii => self.pii,
            Class::Account => self.account,
        }
    }
}

/// How one response or request is redacted.
#[derive(Debug, Clone)]
pub struct View {
    pub treatments: PerClass<Treatment>,
    /// Classes the audience could see by verifying the contact: their
    /// placeholders carry [`View::hint`].
    pub gated: PerClass<bool>,
    /// The placeholder of a gated value: `{class}` and `{value}` (the value
    /// as masked or replaced) are filled in. It tells the agent what to do;
    /// it never holds the value.
    pub hint: String,
    /// The contact's own name, e-mail, phone: found as `account` data.
    pub known: Option<Arc<KnownValues>>,
    /// JSON fields whose values belong to a class.
    pub fields: Arc<[FieldSelector]>,
}

impl View {
    /// Every class as the rules say, nothing known, no fields: what the
    /// redactor does without a view.
    pub fn rules_only() -> View {
        View {
            treatments: PerClass {
                secret: Treatment::Redact,
                pii: Treatment::Redact,
                account: Treatment::Redact,
            },
            gated: PerClass::default(),
            hint: String::new(),
            known: None,
            fields: Arc::from(Vec::new()),
        }
    }

    /// The placeholder for a gated value of `class` rendered as `value`.
    pub fn gated_placeholder(&self, class: Class, value: &str) -> String {
        self.hint
            .replace("{class}", class.as_str())
            .replace("{value}", value)
            .replace("  ", " ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::json::redact_json;
    use crate::redact::known::ContactFacts;
    use crate::redact::packs::{self, PackSource};
    use crate::redact::{Redactor, select::FieldSelector};

    fn redactor() -> Redactor {
        Redactor::new(packs::load(&PackSource::default()).unwrap(), None).unwrap()
    }

    fn emily() -> Arc<KnownValues> {
        Arc::new(
            KnownValues::new(&ContactFacts {
                name: Some("Emily Carter".into()),
                email: Some("emily.carter@example.com".into()),
                phone: Some("+1 415 555 0132".into()),
                external_id: None,
            })
            .unwrap(),
        )
    }

    fn view(account: Treatment, gated: bool) -> Arc<View> {
        Arc::new(View {
            treatments: PerClass {
                secret: Treatment::Redact,
                pii: Treatment::Redact,
                account,
            },
            gated: PerClass {
                account: gated,
                ..PerClass::default()
            },
            hint: "[{class} {value} · verify: POST /_veilgate/scopes/ticket:1/verify]".into(),
            known: Some(emily()),
            fields: Arc::from(vec![
                FieldSelector::new(
                    "$.ticket.custom_fields[?@.id == 360001].value",
                    Class::Account,
                )
                .unwrap(),
            ]),
        })
    }

    const LOG: &str = "Name: Emily Carter\nPhone: (415) 555-0132\nmail emily.carter@example.com, \
                       shopper d.morgan@example.net, token ghp_R8pQ3sVx0bLm2NcT7yWk9ZaE4dHf1Ju6Gi5o\n";

    #[test]
    fn known_values_are_account_data_masked_with_a_hint_until_revealed() {
        let base = redactor();
        let masked = base.with_view(view(Treatment::Mask, true)).redact_text(LOG);
        for value in [
            "Emily Carter",
            "555-0132",
            "emily.carter@",
            "d.morgan",
            "ghp_",
        ] {
            assert!(!masked.output.contains(value), "{value}: {}", masked.output);
        }
        assert!(masked.output.contains(
            "[account ••••@example.com · verify: POST /_veilgate/scopes/ticket:1/verify]"
        ));
        assert_eq!(
            masked
                .findings
                .iter()
                .filter(|f| f.class == Class::Account)
                .count(),
            3
        );

        let revealed = base
            .with_view(view(Treatment::Reveal, false))
            .redact_text(LOG);
        for value in [
            "Name: Emily Carter",
            "(415) 555-0132",
            "emily.carter@example.com",
        ] {
            assert!(
                revealed.output.contains(value),
                "{value}: {}",
                revealed.output
            );
        }
        // Other people's data and secrets stay redacted.
        assert!(!revealed.output.contains("d.morgan"));
        assert!(!revealed.output.contains("ghp_"));
        // Without a view, the same text is redacted by the rules alone.
        assert!(!base.redact_text(LOG).output.contains("Emily Carter"));
    }

    #[test]
    fn selected_fields_and_known_values_in_json() {
        let doc = r#"{"ticket":{"requester":{"name":"Emily Carter","email":"emily.carter@example.com"},
            "custom_fields":[{"id":360002,"value":"keep me"},{"value":"ACC-77120","id":360001}],
            "description":"Account ACC-77120, call (415) 555-0132"}}"#;
        let base = redactor();
        let masked = redact_json(&base.with_view(view(Treatment::Mask, false)), doc).unwrap();
        let value: serde_json::Value = serde_json::from_str(&masked.output).unwrap();
        let field = &value["ticket"]["custom_fields"][1]["value"];
        assert_eq!(field, "•••• 7120", "{}", masked.output);
        assert_eq!(value["ticket"]["custom_fields"][0]["value"], "keep me");
        assert!(!masked.output.contains("Emily"));
        assert!(!masked.output.contains("555-0132"));

        let revealed = redact_json(&base.with_view(view(Treatment::Reveal, false)), doc).unwrap();
        let value: serde_json::Value = serde_json::from_str(&revealed.output).unwrap();
        assert_eq!(value["ticket"]["custom_fields"][1]["value"], "ACC-77120");
        assert_eq!(value["ticket"]["requester"]["name"], "Emily Carter");
        assert_eq!(
            value["ticket"]["requester"]["email"],
            "emily.carter@example.com"
        );
    }

    #[test]
    fn a_selected_field_holding_a_secret_is_never_revealed() {
        let doc = r#"{"ticket":{"custom_fields":[{"id":360001,"value":"ghp_R8pQ3sVx0bLm2NcT7yWk9ZaE4dHf1Ju6Gi5o"}]}}"#;
        let out = redact_json(&redactor().with_view(view(Treatment::Reveal, false)), doc).unwrap();
        assert!(!out.output.contains("ghp_"), "{}", out.output);
        assert!(out.findings.iter().all(|f| f.class == Class::Secret));
    }
}
