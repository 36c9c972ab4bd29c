//! Person names: the shape of a written full name (capitalised words,
//! initials, lowercase particles such as `van der` or `de`), not a list of
//! names; a step title opening with a verb (`Install Rust`) is not one.
//! Used for values under keys like `name`, where a product or group name
//! would otherwise be just as likely.

/// Lowercase words that sit inside names (Dutch, German, French, Italian,
/// Spanish, Portuguese, Danish/Swedish, Arabic).
const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "het", "ten", "ter", "te", "'t", "von", "zu", "vom", "le", "la",
    "du", "des", "di", "da", "del", "della", "dos", "das", "af", "av", "bin", "ibn", "al", "y",
];

/// Titles that may open a name.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "prof", "herr", "frau", "dhr", "mevr", "mw", "m", "mme",
    "mlle", "hr", "fru", "sig",
];

/// Verbs that open the title of a step or task (`- name: Install Rust` in a
/// CI workflow, `"name": "Build Project"`), never a person's name. Verbs
/// that are also given names or nicknames (Mark, Will, Chase, Skip, Post,
/// Patch, Sue) are left out: such a value stays a name.
const STEP_VERBS: &[&str] = &[
    "add",
    "analyse",
    "analyze",
    "apply",
    "approve",
    "archive",
    "assign",
    "attach",
    "audit",
    "authenticate",
    "authorize",
    "backup",
    "benchmark",
    "bootstrap",
    "build",
    "bump",
    "cache",
    "cancel",
    "check",
    "checkout",
    "cleanup",
    "clean",
    "collect",
    "commit",
    "compile",
    "compress",
    "compute",
    "configure",
    "connect",
    "copy",
    "create",
    "debug",
    "delete",
    "deploy",
    "destroy",
    "detach",
    "disable",
    "disconnect",
    "download",
    "enable",
    "execute",
    "export",
    "extract",
    "fetch",
    "format",
    "generate",
    "import",
    "init",
    "initialize",
    "install",
    "invoke",
    "lint",
    "list",
    "login",
    "logout",
    "merge",
    "migrate",
    "monitor",
    "notify",
    "prepare",
    "print",
    "provision",
    "publish",
    "pull",
    "push",
    "rebuild",
    "reinstall",
    "release",
    "remove",
    "rename",
    "restart",
    "restore",
    "retry",
    "rollback",
    "run",
    "save",
    "scan",
    "seed",
    "send",
    "set",
    "setup",
    "show",
    "sign",
    "start",
    "stop",
    "sync",
    "teardown",
    "test",
    "tests",
    "trigger",
    "unpack",
    "update",
    "upgrade",
    "upload",
    "use",
    "validate",
    "verify",
    "wait",
];

const MAX_LEN: usize = 100;
const MAX_WORDS: usize = 6;

/// True when `candidate` looks like a person's full name: at least two name
/// words (a capitalised word or an initial), at most six words in all.
pub fn is_valid(candidate: &str) -> bool {
    let candidate = candidate.trim();
    if candidate.is_empty() || candidate.len() > MAX_LEN {
        return false;
    }
    let words: Vec<&str> = candidate.split_whitespace().collect();
    if words.len() > MAX_WORDS {
        return false;
    }
    if words
        .first()
        .is_some_and(|first| STEP_VERBS.contains(&first.to_lowercase().as_str()))
    {
        return false;
    }
    let mut names = 0;
    let mut capitalised = 0;
    let mut titled = false;
    for (i, word) in words.iter().enumerate() {
        if i == 0 && words.len() > 1 && is_title(word) {
            titled = true;
            continue;
        }
        if PARTICLES.contains(word) && i > 0 && i + 1 < words.len() {
            continue;
        }
        if is_initial(word) {
            names += 1;
        } else if is_capitalised(word) {
            names += 1;
            capitalised += 1;
        } else if is_upper(word) {
            names += 1;
        } else {
            return false;
        }
    }
    // `Mrs. Smith` is a name; `Billing Team` needs two name words anyway.
    names >= if titled { 1 } else { 2 } && capitalised >= 1
}

fn is_title(word: &str) -> bool {
    let bare = word.trim_end_matches('.');
    word.chars().next().is_some_and(char::is_uppercase)
        && TITLES.contains(&bare.to_lowercase().as_str())
}

/// `J.` or `J.-P.`
fn is_initial(word: &str) -> bool {
    word.split('-').all(|part| {
        let mut chars = part.chars();
        matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
    })
}

/// `Jane`, `O'Brien`, `Anne-Marie`, `McDonald`, `Müller`.
fn is_capitalised(word: &str) -> bool {
    let parts: Vec<&str> = word.split(['-', '\'', '’']).collect();
    let last = parts.len() - 1;
    parts.iter().enumerate().all(|(i, part)| {
        let mut chars = part.chars();
        let first_upper = chars.next().is_some_and(char::is_uppercase);
        // `O'` and `D'` are whole parts; other parts need a lowercase letter.
        let rest_ok = if chars.clone().next().is_none() {
            i < last
        } else {
            chars.clone().all(char::is_alphabetic) && chars.any(char::is_lowercase)
        };
        first_upper && rest_ok
    })
}

/// `DUPONT`, as French forms write surnames.
fn is_upper(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(|c| c.is_uppercase() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_written_names() {
        for name in [
            "Jane Smith",
            "Jan van der Berg",
            "Marie DUPONT",
            "Dr. Anna Müller",
            "Mrs. Smith",
            "J. R. Tolkien",
            "Anne-Marie O'Brien",
            "Sean McDonald",
            "Matti Virtanen",
            "Søren Kierkegaard",
            "Jean-Pierre de la Fontaine",
            "Mark Build",
            "Chase Install",
            "Will Test",
        ] {
            assert!(is_valid(name), "{name}");
        }
    }

    #[test]
    fn refuses_other_values() {
        for value in [
            "",
            "Jane",
            "priority",
            "Open",
            "billing team",
            "Ticket 123",
            "ACME",
            "user_42",
            "Hello World How Are You Doing Today",
            "de Vries",
            "Jane smith",
            "HTTP GET",
            "Install Rust",
            "Build Project",
            "Fetch Sources",
            "Test Suite",
            "Set Up Python",
        ] {
            assert!(!is_valid(value), "{value}");
        }
    }
}
