//! Embeds the translations (`locales/<lang>/*.ftl`) as one list per language for the Fluent
//! loader (`src/i18n/catalog.rs`), and rebuilds the crate when a translation file or a migration
//! is added, removed or changed.

use std::fmt::Write as _;
use std::path::Path;

fn main() -> std::io::Result<()> {
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=migrations");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let locales = Path::new(&manifest).join("locales");
    let mut out = String::from("/// Each language's translation files (tag, texts), as `build.rs` found them.\n");
    out.push_str("pub(super) static FILES: &[(&str, &[&str])] = &[\n");
    for lang in sorted(&locales, |p| p.is_dir())? {
        let tag = lang.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let _ = writeln!(out, "    ({tag:?}, &[");
        for file in sorted(&lang, |p| p.extension().is_some_and(|e| e == "ftl"))? {
            println!("cargo:rerun-if-changed={}", file.display());
            let _ = writeln!(out, "        include_str!({:?}),", file.display().to_string());
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("locales.rs");
    std::fs::write(dest, out)
}

/// The entries of `dir` that `keep` accepts, by name.
fn sorted(dir: &Path, keep: impl Fn(&Path) -> bool) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if keep(&path) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}
