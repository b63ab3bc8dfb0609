//! The checks on the one signed-for Assertion (SAML Core §2.3–2.7, Profiles §4.1.4.2–4.1.4.3) and
//! what it says about the person: NameID, attributes through the [`ClaimMapping`], the
//! authentication context and session index.

use std::collections::HashMap;

use bergshamra::xml::uppsala::{Document, NodeId};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::xml::{self, ASSERTION};
use super::{Expected, IdpMetadata, SamlError, Validated};
use crate::sso::{AssertedIdentity, ClaimMapping};

const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const NAMEID_EMAIL: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

/// Attributes read when the mapped one is absent (LDAP / eduPerson names and their OIDs).
const EMAIL_FALLBACKS: [&str; 3] = ["email", "mail", "urn:oid:0.9.2342.19200300.100.1.3"];
const GIVEN_NAME_FALLBACKS: [&str; 2] = ["givenName", "urn:oid:2.5.4.42"];
const FAMILY_NAME_FALLBACKS: [&str; 2] = ["sn", "urn:oid:2.5.4.4"];

/// Checks `assertion` (already known to be covered by a verified signature) and reads it.
pub(super) fn check(
    doc: &Document<'_>,
    assertion: NodeId,
    idp: &IdpMetadata,
    mapping: &ClaimMapping,
    expected: &Expected<'_>,
) -> Result<Validated, SamlError> {
    let malformed = |why: &str| SamlError::Malformed(why.to_owned());
    if xml::attr(doc, assertion, "Version") != Some("2.0") {
        return Err(malformed("the Assertion's Version is not 2.0"));
    }
    let assertion_id = xml::attr(doc, assertion, "ID")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| malformed("the Assertion has no ID"))?
        .to_owned();
    let issuer = xml::only_child(doc, assertion, ASSERTION, "Issuer")?
        .map(|i| xml::text(doc, i))
        .ok_or_else(|| malformed("the Assertion has no Issuer"))?;
    if issuer != idp.entity_id {
        return Err(SamlError::IssuerMismatch(issuer));
    }
    let subject = xml::only_child(doc, assertion, ASSERTION, "Subject")?
        .ok_or_else(|| malformed("the Assertion has no Subject"))?;
    let name_id =
        xml::only_child(doc, subject, ASSERTION, "NameID")?.ok_or_else(|| malformed("the Subject has no NameID"))?;
    let bearer_until = bearer_confirmation(doc, subject, expected)?;
    let conditions_until = conditions(doc, assertion, expected)?;
    let (session_index, acr) = authn_statement(doc, assertion, expected)?;

    let attributes = attributes(doc, assertion);
    let pick = |mapped: &str, fallbacks: &[&str]| {
        std::iter::once(mapped)
            .chain(fallbacks.iter().copied())
            .find_map(|name| attributes.get(name).and_then(|v| v.first().cloned()))
    };
    let subject_text = xml::text(doc, name_id);
    if subject_text.is_empty() {
        return Err(malformed("the NameID is empty"));
    }
    let email = pick(&mapping.email, &EMAIL_FALLBACKS)
        .or_else(|| (xml::attr(doc, name_id, "Format") == Some(NAMEID_EMAIL)).then(|| subject_text.clone()));
    let identity = AssertedIdentity {
        issuer,
        subject: subject_text,
        email,
        email_verified: false,
        given_name: pick(&mapping.given_name, &GIVEN_NAME_FALLBACKS),
        family_name: pick(&mapping.family_name, &FAMILY_NAME_FALLBACKS),
        groups: attributes.get(&mapping.groups).cloned().unwrap_or_default(),
        amr: Vec::new(),
        acr,
        logout_hint: session_index,
    };
    let until = conditions_until.map_or(bearer_until, |c| c.min(bearer_until));
    Ok(Validated { identity, assertion_id, not_on_or_after: until + expected.skew })
}

/// Parses the xs:dateTime attribute `name` (SAML requires UTC, RFC 3339 form).
fn instant(doc: &Document<'_>, node: NodeId, name: &str) -> Result<Option<OffsetDateTime>, SamlError> {
    xml::attr(doc, node, name)
        .map(|v| {
            OffsetDateTime::parse(v.trim(), &Rfc3339)
                .map_err(|_| SamlError::Malformed(format!("{name} {v:?} is not a date-time")))
        })
        .transpose()
}

/// Refuses when `now` is outside [not_before, not_on_or_after), each widened by the skew.
fn window(
    expected: &Expected<'_>,
    not_before: Option<OffsetDateTime>,
    not_on_or_after: Option<OffsetDateTime>,
) -> Result<(), SamlError> {
    if not_before.is_some_and(|t| expected.now + expected.skew < t) {
        return Err(SamlError::NotYetValid);
    }
    if not_on_or_after.is_some_and(|t| expected.now - expected.skew >= t) {
        return Err(SamlError::Expired);
    }
    Ok(())
}

/// Finds a bearer SubjectConfirmation whose data names our ACS and request and is current;
/// returns its NotOnOrAfter. When none passes, reports why the first one failed.
fn bearer_confirmation(
    doc: &Document<'_>,
    subject: NodeId,
    expected: &Expected<'_>,
) -> Result<OffsetDateTime, SamlError> {
    let mut first_error = None;
    for confirmation in xml::children(doc, subject, ASSERTION, "SubjectConfirmation") {
        if xml::attr(doc, confirmation, "Method") != Some(BEARER) {
            continue;
        }
        match confirmation_data(doc, confirmation, expected) {
            Ok(until) => return Ok(until),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| SamlError::Malformed("no bearer SubjectConfirmation".into())))
}

fn confirmation_data(
    doc: &Document<'_>,
    confirmation: NodeId,
    expected: &Expected<'_>,
) -> Result<OffsetDateTime, SamlError> {
    let data = xml::only_child(doc, confirmation, ASSERTION, "SubjectConfirmationData")?
        .ok_or_else(|| SamlError::Malformed("no SubjectConfirmationData".into()))?;
    let recipient = xml::attr(doc, data, "Recipient").unwrap_or_default();
    if recipient != expected.acs_url {
        return Err(SamlError::WrongRecipient(recipient.to_owned()));
    }
    let in_response_to = xml::attr(doc, data, "InResponseTo").unwrap_or_default();
    if in_response_to != expected.request_id {
        return Err(SamlError::WrongInResponseTo(in_response_to.to_owned()));
    }
    let until = instant(doc, data, "NotOnOrAfter")?
        .ok_or_else(|| SamlError::Malformed("the bearer confirmation has no NotOnOrAfter".into()))?;
    window(expected, instant(doc, data, "NotBefore")?, Some(until))?;
    Ok(until)
}

/// Checks Conditions: the time window and that every AudienceRestriction names us (at least one
/// is required for bearer assertions). Returns Conditions' NotOnOrAfter.
fn conditions(
    doc: &Document<'_>,
    assertion: NodeId,
    expected: &Expected<'_>,
) -> Result<Option<OffsetDateTime>, SamlError> {
    let conditions = xml::only_child(doc, assertion, ASSERTION, "Conditions")?.ok_or(SamlError::WrongAudience)?;
    let until = instant(doc, conditions, "NotOnOrAfter")?;
    window(expected, instant(doc, conditions, "NotBefore")?, until)?;
    let restrictions = xml::children(doc, conditions, ASSERTION, "AudienceRestriction");
    let ours = |r: &NodeId| {
        xml::children(doc, *r, ASSERTION, "Audience").into_iter().any(|a| xml::text(doc, a) == expected.sp_entity_id)
    };
    if restrictions.is_empty() || !restrictions.iter().all(ours) {
        return Err(SamlError::WrongAudience);
    }
    Ok(until)
}

/// The first AuthnStatement's SessionIndex and AuthnContextClassRef; refuses a passed
/// SessionNotOnOrAfter. An AuthnStatement is required (Profiles §4.1.4.2).
fn authn_statement(
    doc: &Document<'_>,
    assertion: NodeId,
    expected: &Expected<'_>,
) -> Result<(Option<String>, Option<String>), SamlError> {
    let statement = xml::child(doc, assertion, ASSERTION, "AuthnStatement")
        .ok_or_else(|| SamlError::Malformed("no AuthnStatement".into()))?;
    window(expected, None, instant(doc, statement, "SessionNotOnOrAfter")?)?;
    let session_index = xml::attr(doc, statement, "SessionIndex").map(str::to_owned);
    let acr = xml::child(doc, statement, ASSERTION, "AuthnContext")
        .and_then(|c| xml::child(doc, c, ASSERTION, "AuthnContextClassRef"))
        .map(|r| xml::text(doc, r))
        .filter(|r| !r.is_empty());
    Ok((session_index, acr))
}

/// Every attribute of the assertion's AttributeStatements: Name → values, in document order.
fn attributes(doc: &Document<'_>, assertion: NodeId) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for statement in xml::children(doc, assertion, ASSERTION, "AttributeStatement") {
        for attribute in xml::children(doc, statement, ASSERTION, "Attribute") {
            let Some(name) = xml::attr(doc, attribute, "Name") else {
                continue;
            };
            let values = out.entry(name.to_owned()).or_default();
            for value in xml::children(doc, attribute, ASSERTION, "AttributeValue") {
                let value = xml::text(doc, value);
                if !value.is_empty() {
                    values.push(value);
                }
            }
        }
    }
    out
}
