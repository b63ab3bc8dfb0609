//! Cost of the pure parts of a second-factor check: one TOTP code (HMAC-SHA-1 over the time
//! step, RFC 6238) as an authenticator app computes it; a server check computes up to three
//! (±1 step of drift). Reports the median of 9 rounds of 20 000 codes, in µs per code and codes
//! per second on one core, then the same figures as one JSON line (the last line).
//! Run with `cargo bench -p keystead-core --bench mfa` (a few seconds).

use std::hint::black_box;
use std::time::Instant;

use keystead_core::mfa::totp_code_at;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const CODES: u64 = 20_000;
const ROUNDS: usize = 9;

fn main() {
    let mut per_code_us: Vec<f64> = (0..ROUNDS)
        .map(|round| {
            let start = Instant::now();
            for i in 0..CODES {
                let t = 1_700_000_000 + (round as u64 * CODES + i) * 30;
                black_box(totp_code_at(black_box(SECRET), t));
            }
            start.elapsed().as_secs_f64() * 1e6 / CODES as f64
        })
        .collect();
    per_code_us.sort_by(f64::total_cmp);
    let median = per_code_us[ROUNDS / 2];
    println!("TOTP code (SHA-1, 6 digits): {median:.2} µs each, {:.0} codes/s on one core", 1e6 / median);
    println!("A server check (up to 3 codes): {:.2} µs", 3.0 * median);
    println!("{}", serde_json::json!({"totp_code_us": median, "totp_check_us": 3.0 * median}));
}
