//! Runs every rule's examples: the check behind `veilgate patterns test`.

use super::engine::Detector;
use super::redactor::Redactor;
use super::rules::RuleSet;

const OPEN: char = '«';
const CLOSE: char = '»';

/// One example that did not behave as its rule says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub file: String,
    pub rule: String,
    pub example: String,
    pub problem: String,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExampleReport {
    pub rules: usize,
    pub examples: usize,
    pub failures: Vec<ExampleFailure>,
}

/// An example with `«…»` markers removed, and the marked span if any.
fn unmark(example: &str) -> (String, Option<std::ops::Range<usize>>) {
    match (example.find(OPEN), example.find(CLOSE)) {
        (Some(open), Some(close)) if open < close => {
            let text = example.replacen(OPEN, "", 1).replacen(CLOSE, "", 1);
            (text, Some(open..close - OPEN.len_utf8()))
        }
        _ => (example.to_string(), None),
    }
}

/// Checks each rule on its own (it must find exactly the marked span, and
/// nothing in its `no_match` examples) and then the whole rule set (nothing
/// of a marked value may survive redaction).
///
/// # Errors
/// When a single-rule detector cannot be built.
pub fn run(redactor: &Redactor) -> Result<ExampleReport, String> {
    let rules = redactor.rules();
    let mut report = ExampleReport {
        rules: rules.rules.len(),
        ..Default::default()
    };
    for (index, rule) in rules.rules.iter().enumerate() {
        let alone = Detector::new(RuleSet::single_from(rules, index))?;
        let fail = |example: &str, problem: String| ExampleFailure {
            file: rule.source.clone(),
            rule: rule.id.clone(),
            example: example.to_string(),
            problem,
        };
        for example in &rule.examples.must_match {
            report.examples += 1;
            let (text, marked) = unmark(example);
            let found = alone.detect(&text);
            let spans: Vec<_> = found.iter().map(|f| f.span.clone()).collect();
            match &marked {
                Some(span) if !spans.contains(span) => {
                    let got: Vec<&str> = spans.iter().map(|s| &text[s.clone()]).collect();
                    report.failures.push(fail(
                        example,
                        format!(
                            "expected to find exactly «{}», found {got:?}",
                            &text[span.clone()]
                        ),
                    ));
                }
                None if spans.is_empty() => {
                    report.failures.push(fail(example, "found nothing".into()))
                }
                _ => {}
            }
            if let Some(span) = marked {
                let covered = redactor
                    .find_in_text(&text)
                    .iter()
                    .any(|f| f.span.start <= span.start && f.span.end >= span.end);
                if !covered {
                    report.failures.push(fail(
                        example,
                        "the full rule set leaves part of the value unredacted".into(),
                    ));
                }
            }
        }
        for example in &rule.examples.must_not_match {
            report.examples += 1;
            let found = alone.detect(example);
            if !found.is_empty() {
                let got: Vec<&str> = found.iter().map(|f| &example[f.span.clone()]).collect();
                report
                    .failures
                    .push(fail(example, format!("must not match, found {got:?}")));
            }
        }
    }
    Ok(report)
}
