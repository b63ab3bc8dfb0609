//! The allocators the memory part can run the server with (`-- allocators`): the one the binary
//! links, glibc's malloc with fewer arenas, and jemalloc and mimalloc preloaded from Debian's
//! packages (`apt-get install libjemalloc2 libmimalloc2.0`) in place of the binary's `malloc`.
//! Preloading replaces `malloc` only where the binary calls it: it compares allocators while the
//! binary uses the system allocator, and changes nothing for one linked in as `#[global_allocator]`
//! (the C libraries inside, SQLite and aws-lc, still follow it).

use std::path::Path;

/// One way to run the server's allocations.
pub struct Allocator {
    pub name: &'static str,
    /// Environment of the server process.
    pub env: Vec<(String, String)>,
}

impl Allocator {
    /// The binary as built.
    pub fn as_built() -> Self {
        Self { name: "as built", env: Vec::new() }
    }
}

/// Every variant whose library is installed; says which were skipped and why.
pub fn all() -> Vec<Allocator> {
    let mut out = vec![
        Allocator::as_built(),
        // One arena per two cores instead of eight per core: threads share arenas, so less
        // memory sits in arenas a thread no longer uses.
        Allocator { name: "glibc, arena_max=2", env: vec![env("GLIBC_TUNABLES", "glibc.malloc.arena_max=2")] },
    ];
    let preloaded = [
        // Unused dirty pages go back after 10 s (jemalloc's default) also while the process is
        // idle: the background thread purges them (without it, only allocations trigger purging).
        ("jemalloc 5.3, background purge", "libjemalloc.so.2", Some(("MALLOC_CONF", "background_thread:true"))),
        ("jemalloc 5.3, defaults", "libjemalloc.so.2", None),
        ("mimalloc 2.0, defaults", "libmimalloc.so.2", None),
    ];
    // Debian's multiarch directory of this machine (x86_64-linux-gnu, aarch64-linux-gnu).
    let lib_dir = format!("/usr/lib/{}-linux-gnu", std::env::consts::ARCH);
    for (name, lib, extra) in preloaded {
        let path = Path::new(&lib_dir).join(lib);
        if !path.exists() {
            println!("   (skipped {name}: {} is not installed)", path.display());
            continue;
        }
        let mut vars = vec![env("LD_PRELOAD", &path.display().to_string())];
        vars.extend(extra.map(|(k, v)| env(k, v)));
        out.push(Allocator { name, env: vars });
    }
    out
}

fn env(key: &str, value: &str) -> (String, String) {
    (key.to_owned(), value.to_owned())
}
