//! Links the server binary with packed relative relocations (RELR, `-z pack-relative-relocs`).
//!
//! The binary is position-independent (ASLR), so the loader relocates ~80 000 pointers at every
//! start. As classic RELA entries they take 1.9 MB that the loader reads through at start and
//! that stayed resident for the life of the process (SPEC §8 counts idle RSS); as RELR bitmaps
//! they take a few kilobytes. Needs GNU ld ≥ 2.38 or lld to link and glibc ≥ 2.36 to run (the
//! linker records the requirement as the `GLIBC_ABI_DT_RELR` version, so an older glibc refuses
//! the binary with that name instead of misbehaving).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
