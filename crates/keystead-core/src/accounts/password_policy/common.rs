//! Django's list of common passwords (`data/common-passwords.txt.gz`, BSD-3-Clause, see
//! `data/README.md`), embedded in the binary and decompressed once, on first use.
//!
//! Cost, measured on the development machine (x86-64, 2 cores, three runs): decompressing the
//! 80 KB gzip (19 640 lines, 162 KB of text) and building the set takes about 3 ms in a release
//! build (16 ms unoptimised) and adds about 1.2 MiB of resident memory: 162 KB of text kept for the
//! life of the process, a hash table of 28 672 slots × 17 bytes (≈ 490 KB), and allocator slack
//! from decompressing. A lookup is one lowercased copy of the password and one hash probe.

use std::collections::HashSet;
use std::io::Read;
use std::sync::LazyLock;

use flate2::read::GzDecoder;

/// The gzip as shipped by Django 5.2.19: one lowercased password per line.
static COMPRESSED: &[u8] = include_bytes!("../../../data/common-passwords.txt.gz");

/// The decompressed list. The text is leaked on purpose: it lives as long as the process, and the
/// set borrows from it instead of allocating 19 640 small strings.
static LIST: LazyLock<HashSet<&'static str>> = LazyLock::new(load);

fn load() -> HashSet<&'static str> {
    let mut text = String::with_capacity(COMPRESSED.len() * 3);
    if let Err(e) = GzDecoder::new(COMPRESSED).read_to_string(&mut text) {
        // Cannot happen with the embedded file (a unit test reads it); zxcvbn's own lists still apply.
        tracing::error!(error = %e, "cannot read the embedded list of common passwords; it is not checked");
        return HashSet::new();
    }
    let text: &'static str = Box::leak(text.into_boxed_str());
    text.lines().map(str::trim).filter(|line| !line.is_empty()).collect()
}

/// True when the (NFKC-normalised) password is on the list, compared as Django does: trimmed and
/// lowercased.
pub(super) fn contains(normalized: &str) -> bool {
    LIST.contains(normalized.trim().to_lowercase().as_str())
}

/// Loads the list now rather than at the first check.
pub(super) fn load_now() {
    LazyLock::force(&LIST);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_list_loads_every_entry() {
        assert_eq!(LIST.len(), 19_640);
        assert!(contains("123456"));
        assert!(contains("password"));
    }

    #[test]
    fn lookups_ignore_case_and_surrounding_spaces() {
        assert!(contains("PassWord"));
        assert!(contains(" qwerty "));
        assert!(contains("Пароль"));
        assert!(!contains("correct horse battery staple 42!"));
    }
}
