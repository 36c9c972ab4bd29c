//! Conversation scopes from request paths: templates such as
//! `/api/v2/tickets/{ticket:[0-9]+}/...` → `ticket:{ticket}`.
//!
//! Templates match the normalised path (decoded, dot segments resolved),
//! literal segments in any letter case. A path that starts like a template
//! but does not fit it (`/api/v2/tickets/4101;x`, `/api/v2/tickets/show_many`)
//! is *unknown*: it belongs to no scope that could be verified, so the gate
//! stays closed on it rather than treating it as ordinary traffic.

use regex::Regex;

/// One segment of a template.
#[derive(Debug, Clone)]
enum Segment {
    /// Matched in any letter case.
    Literal(String),
    /// `{name}` or `{name:regex}`, with literal text around it in the same
    /// segment (`{ticket}.json`).
    Capture {
        name: String,
        prefix: String,
        suffix: String,
        pattern: Regex,
    },
}

/// The default pattern of a capture: an identifier, never a separator.
const DEFAULT_CAPTURE: &str = "[A-Za-z0-9_-]+";

/// A compiled path template and the scope it names.
#[derive(Debug, Clone)]
pub struct Template {
    segments: Vec<Segment>,
    /// The template ends in `/...`: any further segments are allowed.
    open: bool,
    scope: String,
    /// The literal segments before the first capture, lowercase: a path
    /// under them that fits no template is unknown.
    guard: Vec<String>,
    /// Which mapping (config entry) the template belongs to.
    pub mapping: usize,
}

/// The scope of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scoping {
    /// Not a conversation path.
    None,
    /// Looks like a conversation path but fits no template: closed.
    Unknown,
    Scope(Scope),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// `ticket:4101`.
    pub name: String,
    /// The captures, by name.
    pub captures: Vec<(String, String)>,
    pub mapping: usize,
}

impl Scope {
    pub fn capture(&self, name: &str) -> Option<&str> {
        self.captures
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Template {
    /// # Errors
    /// A message saying what is wrong with `path` or `scope`.
    pub fn new(path: &str, scope: &str, mapping: usize) -> Result<Template, String> {
        let rest = path
            .strip_prefix('/')
            .ok_or("a path template must start with `/`")?;
        let (rest, open) = match rest.strip_suffix("/...") {
            Some(rest) => (rest, true),
            None => (rest, rest == "..."),
        };
        let rest = if rest == "..." { "" } else { rest };
        let mut segments = Vec::new();
        let mut names = Vec::new();
        for part in rest.split('/').filter(|p| !p.is_empty()) {
            segments.push(parse_segment(part, &mut names)?);
        }
        if names.is_empty() {
            return Err("a path template needs at least one `{capture}`".into());
        }
        for used in placeholders(scope)? {
            if !names.contains(&used) {
                return Err(format!(
                    "the scope uses `{{{used}}}`, which the path does not capture"
                ));
            }
        }
        if scope.chars().any(|c| c.is_whitespace() || c.is_control()) || scope.is_empty() {
            return Err("a scope must be non-empty and without spaces".into());
        }
        let guard = segments
            .iter()
            .map_while(|s| match s {
                Segment::Literal(l) => Some(l.clone()),
                Segment::Capture { .. } => None,
            })
            .collect();
        Ok(Template {
            segments,
            open,
            scope: scope.to_string(),
            guard,
            mapping,
        })
    }

    /// The capture names of the template.
    pub fn captures(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Capture { name, .. } => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
    }

    fn matches(&self, parts: &[&str]) -> Option<Scope> {
        if parts.len() < self.segments.len() || (!self.open && parts.len() != self.segments.len()) {
            return None;
        }
        let mut captures = Vec::new();
        for (segment, part) in self.segments.iter().zip(parts) {
            match segment {
                Segment::Literal(literal) => {
                    if !part.eq_ignore_ascii_case(literal) {
                        return None;
                    }
                }
                Segment::Capture {
                    name,
                    prefix,
                    suffix,
                    pattern,
                } => {
                    let value = strip_prefix_ci(part, prefix)
                        .and_then(|rest| strip_suffix_ci(rest, suffix))?;
                    if !pattern.is_match(value) {
                        return None;
                    }
                    captures.push((name.clone(), value.to_string()));
                }
            }
        }
        let mut name = self.scope.clone();
        for (capture, value) in &captures {
            name = name.replace(&format!("{{{capture}}}"), value);
        }
        Some(Scope {
            name,
            captures,
            mapping: self.mapping,
        })
    }

    fn guards(&self, parts: &[&str]) -> bool {
        parts.len() > self.guard.len()
            && self
                .guard
                .iter()
                .zip(parts)
                .all(|(g, p)| p.eq_ignore_ascii_case(g))
    }
}

/// Every template, tried in order.
#[derive(Debug, Clone, Default)]
pub struct Templates(pub Vec<Template>);

impl Templates {
    /// The scope of a normalised path.
    pub fn scope_of(&self, normalised_path: &str) -> Scoping {
        let parts: Vec<&str> = normalised_path
            .split('/')
            .filter(|p| !p.is_empty())
            .collect();
        if let Some(scope) = self.0.iter().find_map(|t| t.matches(&parts)) {
            return Scoping::Scope(scope);
        }
        if self.0.iter().any(|t| t.guards(&parts)) {
            return Scoping::Unknown;
        }
        Scoping::None
    }

    /// The template of a scope name, and its captures: the reverse of
    /// [`Templates::scope_of`], for a scope an agent names in a request.
    pub fn parse_scope(&self, name: &str) -> Option<Scope> {
        self.0.iter().find_map(|t| {
            let pattern = scope_regex(t)?;
            let caps = pattern.captures(name)?;
            let captures = t
                .captures()
                .map(|c| (c.to_string(), caps[c].to_string()))
                .collect();
            Some(Scope {
                name: name.to_string(),
                captures,
                mapping: t.mapping,
            })
        })
    }
}

/// A regex matching the scope names a template produces.
fn scope_regex(t: &Template) -> Option<Regex> {
    let mut pattern = String::from("^");
    let mut rest = t.scope.as_str();
    let mut seen = Vec::new();
    while let Some(open) = rest.find('{') {
        pattern.push_str(&regex::escape(&rest[..open]));
        let close = rest[open..].find('}')? + open;
        let name = &rest[open + 1..close];
        let capture = t.segments.iter().find_map(|s| match s {
            Segment::Capture {
                name: n, pattern, ..
            } if n == name => Some(pattern.as_str()),
            _ => None,
        })?;
        let inner = capture.trim_start_matches('^').trim_end_matches('$');
        if seen.contains(&name) {
            pattern.push_str(&format!("(?:{inner})"));
        } else {
            pattern.push_str(&format!("(?P<{name}>{inner})"));
            seen.push(name);
        }
        rest = &rest[close + 1..];
    }
    pattern.push_str(&regex::escape(rest));
    pattern.push('$');
    Regex::new(&pattern).ok()
}

fn parse_segment(part: &str, names: &mut Vec<String>) -> Result<Segment, String> {
    let Some(open) = part.find('{') else {
        if part == "..." {
            return Err("`...` may only end a template".into());
        }
        return Ok(Segment::Literal(part.to_ascii_lowercase()));
    };
    let close = part
        .rfind('}')
        .filter(|&c| c > open)
        .ok_or_else(|| format!("unclosed `{{` in `{part}`"))?;
    let inner = &part[open + 1..close];
    let (name, pattern) = inner.split_once(':').unwrap_or((inner, DEFAULT_CAPTURE));
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!(
            "`{{{inner}}}`: a capture name is letters, digits and `_`"
        ));
    }
    if names.iter().any(|n| n == name) {
        return Err(format!("`{{{name}}}` is captured twice"));
    }
    let pattern = Regex::new(&format!("^(?:{pattern})$"))
        .map_err(|e| format!("`{{{inner}}}`: invalid pattern: {e}"))?;
    // A capture never spans segments or holds the characters scope names
    // and paths are built from.
    for probe in ["/", ":", " ", "%", "?", "#"] {
        if pattern.is_match(probe) || pattern.is_match(&format!("1{probe}1")) {
            return Err(format!("`{{{inner}}}` must not match `{probe}`"));
        }
    }
    names.push(name.to_string());
    Ok(Segment::Capture {
        name: name.to_string(),
        prefix: part[..open].to_string(),
        suffix: part[close + 1..].to_string(),
        pattern,
    })
}

/// The `{name}` placeholders of a scope template.
fn placeholders(scope: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut rest = scope;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').ok_or("unclosed `{` in the scope")? + open;
        names.push(rest[open + 1..close].to_string());
        rest = &rest[close + 1..];
    }
    Ok(names)
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

fn strip_suffix_ci<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = text.len().checked_sub(suffix.len())?;
    let tail = text.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proxy::policy::normalise_path;

    fn zendesk() -> Templates {
        Templates(vec![
            Template::new("/api/v2/tickets/{ticket:[0-9]+}.json", "ticket:{ticket}", 0).unwrap(),
            Template::new("/api/v2/tickets/{ticket:[0-9]+}/...", "ticket:{ticket}", 0).unwrap(),
            Template::new("/agent/tickets/{ticket:[0-9]+}/...", "ticket:{ticket}", 0).unwrap(),
        ])
    }

    fn scope(path: &str) -> Scoping {
        zendesk().scope_of(&normalise_path(path).unwrap())
    }

    fn named(name: &str) -> Scoping {
        zendesk()
            .parse_scope(name)
            .map_or(Scoping::None, Scoping::Scope)
    }

    #[test]
    fn every_spelling_of_a_ticket_path_maps_to_its_scope() {
        for path in [
            "/api/v2/tickets/4101.json",
            "/api/v2/tickets/4101/comments.json",
            "/api/v2/tickets/4101",
            "/api/v2/tickets/4101/",
            "/API/V2/Tickets/4101.JSON",
            "/api/v2/tickets/%34%31%30%31/comments.json",
            "//api/v2//tickets/4101/./comments.json",
            "/api/v2/tickets/4102/../4101/comments.json",
            "/api/v2/tickets/4102%2F..%2F4101/comments.json",
            "/agent/tickets/4101",
        ] {
            match scope(path) {
                Scoping::Scope(s) => assert_eq!(s.name, "ticket:4101", "{path}"),
                other => panic!("{path}: {other:?}"),
            }
        }
    }

    #[test]
    fn near_misses_are_unknown_not_ordinary() {
        for path in [
            "/api/v2/tickets/4101;x/comments.json",
            "/api/v2/tickets/show_many.json",
            "/api/v2/tickets/4101.xml",
            "/api/v2/tickets/-4101/comments",
            "/api/v2/TICKETS/41 01",
        ] {
            assert_eq!(scope(path), Scoping::Unknown, "{path}");
        }
        for path in [
            "/api/v2/tickets.json",
            "/api/v2/users/1.json",
            "/",
            "/api/v2/tickets",
        ] {
            assert_eq!(scope(path), Scoping::None, "{path}");
        }
    }

    #[test]
    fn scope_names_parse_back_to_their_captures() {
        match named("ticket:4101") {
            Scoping::Scope(s) => assert_eq!(s.capture("ticket"), Some("4101")),
            other => panic!("{other:?}"),
        }
        for bad in ["ticket:41a", "ticket:", "tickets:4101", "ticket:4101:x"] {
            assert_eq!(named(bad), Scoping::None, "{bad}");
        }
    }

    #[test]
    fn bad_templates_are_refused_with_a_reason() {
        for (path, scope) in [
            ("api/{x}", "x:{x}"),
            ("/api/tickets", "t"),
            ("/api/{x}", "t:{y}"),
            ("/api/{x:.*}", "t:{x}"),
            ("/api/{x}/{x}", "t:{x}"),
            ("/api/{x:(}", "t:{x}"),
            ("/api/{x}", "t {x}"),
        ] {
            assert!(Template::new(path, scope, 0).is_err(), "{path} {scope}");
        }
    }
}
