//! The OAuth client form of the console (registering and changing a client): what the operator
//! typed, read from the posted fields, turned into the registration Core checks (the same
//! checks as `keystead admin client create`), and shown again with its errors.

use keystead_core::FieldErrors;
use keystead_core::api_tokens::ApiScope;
use keystead_core::i18n::{Arg, Locale};
use keystead_core::oauth::{Client, ClientChanges, ClientKind, GrantType, NewClient, SigningAlg};

/// A checkbox or option of the form.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The posted value.
    pub(crate) value: &'static str,
    /// What the operator reads.
    pub(crate) label: String,
    /// Checked or selected.
    pub(crate) checked: bool,
}

/// The form's values, as typed or as registered.
#[derive(Debug, Clone)]
pub struct ClientForm {
    pub(crate) name: String,
    pub(crate) public: bool,
    pub(crate) first_party: bool,
    pub(crate) redirect_uris: String,
    pub(crate) post_logout_redirect_uris: String,
    pub(crate) backchannel_logout_uri: String,
    pub(crate) id_token_alg: String,
    pub(crate) grants: Vec<&'static str>,
    pub(crate) api_scopes: Vec<&'static str>,
    pub(crate) require_par: bool,
    /// The version the form was read at (changes only).
    pub(crate) version: String,
}

impl Default for ClientForm {
    /// A new client: confidential, with the authorization code and refresh token grants.
    fn default() -> Self {
        Self {
            name: String::new(),
            public: false,
            first_party: false,
            redirect_uris: String::new(),
            post_logout_redirect_uris: String::new(),
            backchannel_logout_uri: String::new(),
            id_token_alg: SigningAlg::Rs256.as_str().to_owned(),
            grants: vec![GrantType::AuthorizationCode.as_str(), GrantType::RefreshToken.as_str()],
            api_scopes: Vec::new(),
            require_par: false,
            version: String::new(),
        }
    }
}

/// The lines of a text area that are not blank, trimmed.
fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

impl ClientForm {
    /// The form as posted (`fields`: every name and value, checkboxes repeated).
    pub(crate) fn posted(fields: &[(String, String)]) -> Self {
        let one = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
        let on = |name: &str| fields.iter().any(|(k, v)| k == name && !v.is_empty());
        let many = |name: &str| fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect::<Vec<_>>();
        let grants = many("grant");
        let scopes = many("api_scope");
        Self {
            name: one("name"),
            public: one("kind") == "public",
            first_party: on("first_party"),
            redirect_uris: one("redirect_uris"),
            post_logout_redirect_uris: one("post_logout_redirect_uris"),
            backchannel_logout_uri: one("backchannel_logout_uri").trim().to_owned(),
            id_token_alg: one("id_token_alg"),
            // Only values the form offers; anything else is as if unchecked.
            grants: GrantType::ALL.iter().map(|g| g.as_str()).filter(|g| grants.contains(g)).collect(),
            api_scopes: ApiScope::ALL.iter().map(|s| s.as_str()).filter(|s| scopes.contains(s)).collect(),
            require_par: on("require_par"),
            version: one("version"),
        }
    }

    /// The form of a registered client.
    pub(crate) fn of(c: &Client) -> Self {
        Self {
            name: c.name.clone(),
            public: c.kind == ClientKind::Public,
            first_party: c.first_party,
            redirect_uris: c.redirect_uris.join("\n"),
            post_logout_redirect_uris: c.post_logout_redirect_uris.join("\n"),
            backchannel_logout_uri: c.backchannel_logout_uri.clone().unwrap_or_default(),
            id_token_alg: c.id_token_alg.as_str().to_owned(),
            grants: c.grant_types.iter().map(|g| g.as_str()).collect(),
            api_scopes: c.api_scopes.iter().map(|s| s.as_str()).collect(),
            require_par: c.require_pushed_authorization_requests,
            version: c.version(),
        }
    }

    fn alg(&self) -> Option<String> {
        Some(self.id_token_alg.trim().to_owned()).filter(|a| !a.is_empty())
    }

    fn backchannel(&self) -> Option<String> {
        Some(self.backchannel_logout_uri.clone()).filter(|u| !u.is_empty())
    }

    /// The registration to check. No grant checked means the default (authorization code and
    /// refresh token), as on the command line.
    pub(crate) fn new_client(&self) -> NewClient {
        NewClient {
            name: self.name.clone(),
            kind: if self.public { ClientKind::Public } else { ClientKind::Confidential },
            first_party: self.first_party,
            redirect_uris: lines(&self.redirect_uris),
            grant_types: self.grants.iter().map(|g| (*g).to_owned()).collect(),
            post_logout_redirect_uris: lines(&self.post_logout_redirect_uris),
            backchannel_logout_uri: self.backchannel(),
            id_token_alg: self.alg(),
            api_scopes: self.api_scopes.iter().map(|s| (*s).to_owned()).collect(),
            require_pushed_authorization_requests: self.require_par,
        }
    }

    /// Every field of the form as the change (the kind stays as registered).
    pub(crate) fn changes(&self) -> ClientChanges {
        let new = self.new_client();
        ClientChanges {
            name: Some(new.name),
            first_party: Some(new.first_party),
            redirect_uris: Some(new.redirect_uris),
            grant_types: Some(new.grant_types),
            post_logout_redirect_uris: Some(new.post_logout_redirect_uris),
            backchannel_logout_uri: Some(new.backchannel_logout_uri),
            id_token_alg: new.id_token_alg,
            api_scopes: Some(new.api_scopes),
            require_pushed_authorization_requests: Some(new.require_pushed_authorization_requests),
        }
    }

    /// The grant checkboxes.
    pub(crate) fn grant_choices(&self) -> Vec<Choice> {
        let l = crate::i18n::current();
        GrantType::ALL
            .iter()
            .map(|g| Choice {
                value: g.as_str(),
                label: l.t(grant_key(*g)),
                checked: self.grants.contains(&g.as_str()),
            })
            .collect()
    }

    /// The admin API scope checkboxes (those a deployment-wide client may hold).
    pub(crate) fn scope_choices(&self) -> Vec<Choice> {
        ApiScope::ALL
            .iter()
            .filter(|s| s.for_deployment())
            .map(|s| Choice {
                value: s.as_str(),
                label: s.as_str().to_owned(),
                checked: self.api_scopes.contains(&s.as_str()),
            })
            .collect()
    }

    /// The ID token algorithm options.
    pub(crate) fn alg_choices(&self) -> Vec<Choice> {
        SigningAlg::ALL
            .iter()
            .map(|a| Choice {
                value: a.as_str(),
                label: a.as_str().to_owned(),
                checked: self.id_token_alg == a.as_str(),
            })
            .collect()
    }
}

/// The message naming a grant type.
pub(crate) fn grant_key(g: GrantType) -> &'static str {
    match g {
        GrantType::AuthorizationCode => "admin-clients-grant-authorization-code",
        GrantType::RefreshToken => "admin-clients-grant-refresh-token",
        GrantType::ClientCredentials => "admin-clients-grant-client-credentials",
        GrantType::DeviceCode => "admin-clients-grant-device-code",
    }
}

/// Field errors in the request's language: the area's own message `<prefix>-error-<field>-<code>`
/// (`admin-clients-error-redirect-uri-insecure-uri`) with the error's values, else the shared
/// `field-error-…` one, else Core's English sentence.
pub(crate) fn localized(errors: FieldErrors, prefix: &str) -> FieldErrors {
    let locale = crate::i18n::current();
    let mut out = errors.clone().localized(locale);
    for (shown, original) in out.0.iter_mut().zip(&errors.0) {
        let field = original.field.replace(['.', '_'], "-");
        let key = format!("{prefix}-error-{field}-{}", original.code.replace('_', "-"));
        if Locale::has(&key) {
            let args: Vec<(&str, Arg)> = original
                .args
                .iter()
                .map(|(k, v)| (*k, v.parse::<i64>().map_or_else(|_| Arg::Str(v.clone()), Arg::Num)))
                .collect();
            shown.message = locale.t_args(&key, &args);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_posted_form_keeps_only_offered_choices_and_reads_one_uri_a_line() {
        let fields: Vec<(String, String)> = [
            ("name", " App "),
            ("kind", "public"),
            ("redirect_uris", "https://a.example/cb\r\n\r\n  http://127.0.0.1/cb  \n"),
            ("grant", "authorization_code"),
            ("grant", "password"),
            ("api_scope", "users:read"),
            ("api_scope", "root"),
            ("first_party", "on"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let form = ClientForm::posted(&fields);
        let new = form.new_client();
        assert_eq!(new.redirect_uris, ["https://a.example/cb", "http://127.0.0.1/cb"]);
        assert_eq!(new.grant_types, ["authorization_code"]);
        assert_eq!(new.api_scopes, ["users:read"]);
        assert_eq!(new.kind, ClientKind::Public);
        assert!(new.first_party && !new.require_pushed_authorization_requests);
        assert_eq!(new.id_token_alg, None);
    }
}
