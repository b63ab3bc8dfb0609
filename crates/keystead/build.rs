//! Link settings of the server binary that keep its resident memory small (SPEC §8 counts idle
//! RSS, and the binary's code pages the process has touched count in it).
//!
//! 1. Packed relative relocations (RELR, `-z pack-relative-relocs`). The binary is
//!    position-independent (ASLR), so the loader relocates ~80 000 pointers at every start. As
//!    classic RELA entries they take 1.9 MB that the loader reads through at start and that stayed
//!    resident for the life of the process; as RELR bitmaps they take a few kilobytes. Needs GNU
//!    ld ≥ 2.38 or lld to link and glibc ≥ 2.36 to run (the linker records the requirement as the
//!    `GLIBC_ABI_DT_RELR` version, so an older glibc refuses the binary with that name instead of
//!    misbehaving).
//! 2. Code order (`layout/code-order.txt`, lld's `--symbol-ordering-file`). A node runs ~5 MiB of
//!    its ~37 MiB of code at start, idle and on its common requests; left where the compiler puts
//!    them, those functions lie all over the code, and every page fault on code maps the 64 KiB
//!    around it, so ~18 MiB became resident. Placed together at the front, they take about what
//!    they are. The file is written by `cargo bench -p keystead --bench node -- layout`; names it
//!    lists that a build no longer has are skipped (an old file orders less, it breaks nothing).
//!    Only where rustc links with its own lld: x86_64 Linux (the default since Rust 1.90) unless
//!    the build names another linker.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=layout/code-order.txt");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux" || var("CARGO_CFG_TARGET_ENV") != "gnu" {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    if var("CARGO_CFG_TARGET_ARCH") == "x86_64" && links_with_rust_lld() {
        let order = std::path::Path::new(&var("CARGO_MANIFEST_DIR")).join("layout/code-order.txt");
        println!("cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}", order.display());
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}

/// Whether the build leaves the linker to rustc (which links x86_64 Linux with its own lld): no
/// `linker` setting for the target and no flag among the rustflags that picks another linker.
fn links_with_rust_lld() -> bool {
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let picks_linker = |flag: &str| ["linker", "link-self-contained", "fuse-ld"].iter().any(|k| flag.contains(k));
    std::env::var_os("RUSTC_LINKER").is_none() && !flags.split('\x1f').any(picks_linker)
}
