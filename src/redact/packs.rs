//! The default pattern packs, embedded in the binary, and loading of packs
//! from a directory.

use std::path::Path;

use super::rules::{PackError, RuleSet};

/// The default packs: `patterns/*.toml`, embedded at build time.
pub const DEFAULT_PACKS: &[(&str, &str)] = &[
    ("contact.toml", include_str!("../../patterns/contact.toml")),
    ("finance.toml", include_str!("../../patterns/finance.toml")),
    (
        "national-ids.toml",
        include_str!("../../patterns/national-ids.toml"),
    ),
    ("network.toml", include_str!("../../patterns/network.toml")),
    ("people.toml", include_str!("../../patterns/people.toml")),
    ("secrets.toml", include_str!("../../patterns/secrets.toml")),
];

/// Where rules come from.
#[derive(Debug, Clone, Default)]
pub struct PackSource<'a> {
    /// A directory of `*.toml` packs. A pack named like a default one
    /// replaces it; the others are added.
    pub dir: Option<&'a Path>,
    /// Leave the default packs out entirely.
    pub no_defaults: bool,
}

/// Loads the default packs and/or a directory of packs.
///
/// # Errors
/// The first pack that fails to read, parse or validate, naming the file and
/// the rule; or [`PackError::Empty`] when no rule is left.
pub fn load(source: &PackSource<'_>) -> Result<RuleSet, PackError> {
    let mut files: Vec<(String, String)> = Vec::new();
    if !source.no_defaults {
        files.extend(
            DEFAULT_PACKS
                .iter()
                .map(|(name, text)| (name.to_string(), text.to_string())),
        );
    }
    if let Some(dir) = source.dir {
        let io = |source| PackError::Io {
            file: dir.display().to_string(),
            source,
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(io)?;
        paths.retain(|p| p.extension().is_some_and(|e| e == "toml"));
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|source| PackError::Io {
                file: path.display().to_string(),
                source,
            })?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            files.retain(|(existing, _)| *existing != name);
            files.push((path.display().to_string(), text));
        }
    }
    let mut rules = RuleSet::default();
    for (file, text) in &files {
        rules.add_pack(file, text)?;
    }
    if rules.rules.is_empty() {
        return Err(PackError::Empty);
    }
    Ok(rules)
}
