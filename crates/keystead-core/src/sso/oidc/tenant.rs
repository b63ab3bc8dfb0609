//! Multi-tenant providers (Microsoft's `common` endpoint): one discovery document for every
//! tenant, whose `issuer` is a template (`https://login.microsoftonline.com/{tenantid}/v2.0`).
//! Each ID token names its tenant in `tid`; its `iss` must be the template with that tenant
//! filled in. Only the social preset asks for this ([`super::discover_multi_tenant`]): an
//! organization's connection is to one tenant, so that nobody from another tenant can join it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// What stands for the tenant in the template.
pub(super) const PLACEHOLDER: &str = "{tenantid}";

/// The path segments that mean "any tenant" in a configured issuer.
const ANY_TENANT: [&str; 3] = ["common", "organizations", "consumers"];

/// The template the discovery document of the multi-tenant `issuer` states: `issuer` with its
/// "any tenant" path segment written as [`PLACEHOLDER`]; `None` when it has none.
pub(super) fn template_of(issuer: &str) -> Option<String> {
    let (scheme, rest) = issuer.split_once("://")?;
    let mut parts: Vec<&str> = rest.split('/').collect();
    let at = parts.iter().skip(1).position(|p| ANY_TENANT.contains(p))? + 1;
    parts[at] = PLACEHOLDER;
    Some(format!("{scheme}://{}", parts.join("/")))
}

/// True for a tenant id as providers write them (a GUID, or a short name): letters, digits,
/// `-`, `_` and `.`, at most 64 of them. Anything else could not stand in a URL path segment.
fn valid_tenant(tid: &str) -> bool {
    !tid.is_empty() && tid.len() <= 64 && tid.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

/// The issuer of tenant `tid` under `template`, or `None` for an unusable tenant id.
pub(super) fn issuer_for(template: &str, tid: &str) -> Option<String> {
    valid_tenant(tid).then(|| template.replacen(PLACEHOLDER, tid, 1))
}

/// True when `iss` is `template` with some valid tenant filled in.
pub(super) fn matches_template(template: &str, iss: &str) -> bool {
    let Some((prefix, suffix)) = template.split_once(PLACEHOLDER) else { return template == iss };
    iss.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(suffix)).is_some_and(valid_tenant)
}

/// The `tid` claim of a compact JWT, read before verification: it only chooses which issuer the
/// verification then requires, so a forged one fails the issuer or signature check.
pub(super) fn unverified_tenant(raw: &str) -> Option<String> {
    let payload = raw.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims.get("tid")?.as_str().filter(|t| valid_tenant(t)).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "https://login.microsoftonline.com/{tenantid}/v2.0";

    #[test]
    fn the_any_tenant_segment_becomes_the_placeholder() {
        let t = |i| template_of(i);
        assert_eq!(t("https://login.microsoftonline.com/common/v2.0").as_deref(), Some(TEMPLATE));
        assert_eq!(t("https://login.microsoftonline.com/organizations/v2.0").as_deref(), Some(TEMPLATE));
        assert_eq!(t("http://127.0.0.1:9/consumers/v2.0").as_deref(), Some("http://127.0.0.1:9/{tenantid}/v2.0"));
        assert_eq!(t("https://common/v2.0"), None, "the host is not a tenant");
        assert_eq!(t("https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"), None);
    }

    #[test]
    fn an_issuer_matches_the_template_only_with_one_plain_tenant() {
        let tid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        assert!(matches_template(TEMPLATE, &format!("https://login.microsoftonline.com/{tid}/v2.0")));
        assert!(!matches_template(TEMPLATE, "https://login.microsoftonline.com//v2.0"));
        assert!(!matches_template(TEMPLATE, "https://login.microsoftonline.com/a/b/v2.0"));
        assert!(!matches_template(TEMPLATE, "https://evil.example/x/v2.0"));
        assert!(!matches_template(TEMPLATE, &format!("https://login.microsoftonline.com/{tid}/v2.0/")));
        assert_eq!(issuer_for(TEMPLATE, tid).unwrap(), format!("https://login.microsoftonline.com/{tid}/v2.0"));
        assert_eq!(issuer_for(TEMPLATE, "a/../b"), None);
        assert_eq!(issuer_for(TEMPLATE, ""), None);
    }

    #[test]
    fn the_tenant_is_read_from_the_token_payload_and_checked() {
        let token = |claims: serde_json::Value| {
            format!("e30.{}.sig", URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap_or_default()))
        };
        assert_eq!(unverified_tenant(&token(serde_json::json!({"tid": "t-1"}))).as_deref(), Some("t-1"));
        assert_eq!(unverified_tenant(&token(serde_json::json!({"tid": "a b"}))), None);
        assert_eq!(unverified_tenant(&token(serde_json::json!({"tid": 7}))), None);
        assert_eq!(unverified_tenant("not a token"), None);
    }
}
