//! Rebuilds the crate when a translation file is added or removed (`include_str!` in the Fluent
//! loader tracks only the files it saw).

fn main() {
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=migrations");
}
