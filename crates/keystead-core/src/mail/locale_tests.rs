//! Emails in the recipient's language, on both databases: the language a person registered in
//! (kept on the account), the one a user chose, and the deployment's default for everyone else.

use secrecy::SecretString;

use crate::Core;
use crate::accounts::admin::NewUser;
use crate::audit::RequestMeta;
use crate::clock::FakeClock;
use crate::i18n::Locale;
use crate::ids::UserId;
use crate::organizations::{Actor, NewOrganization};
use crate::testing::TestDb;

macro_rules! core_test {
    ($name:ident, $default:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = crate::testing::TestDb::sqlite().await.unwrap();
                let t = super::T::new(db, crate::i18n::Locale::$default).await;
                super::$name(&t).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(db) = crate::testing::TestDb::postgres().await.unwrap() else {
                    return;
                };
                let t = super::T::new(db, crate::i18n::Locale::$default).await;
                super::$name(&t).await;
            }
        }
    };
}

struct T {
    core: Core,
    _db: TestDb,
    _dir: tempfile::TempDir,
}

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };
const PASSWORD: &str = "a perfectly long passphrase";

/// One queued email: (subject, text, html).
struct Sent {
    subject: String,
    text: String,
    html: String,
}

impl T {
    /// A core whose deployment default language is `default`.
    async fn new(db: TestDb, default: Locale) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, FakeClock::fixed(), |config| {
            config.interface.default_locale = default;
        })
        .await
        .unwrap();
        Self { core, _db: db, _dir: dir }
    }

    /// An active account that chose `locale` (`None`: chose nothing).
    async fn user(&self, email: &str, locale: Option<Locale>) -> UserId {
        let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
        let user = self.core.create_user(new, &RequestMeta::cli()).await.unwrap();
        if locale.is_some() {
            self.core.set_locale(&user, locale, &META).await.unwrap();
        }
        user.id
    }

    /// The newest email queued to `to`.
    async fn last_to(&self, to: &str) -> Sent {
        let jobs = self.core.outbox(1000).await.unwrap();
        let job = jobs.iter().rev().find(|j| j.payload["to"].as_str() == Some(to)).unwrap_or_else(|| {
            panic!("no email to {to}: {:?}", jobs.iter().map(|j| &j.payload["to"]).collect::<Vec<_>>())
        });
        let field = |name: &str| job.payload[name].as_str().unwrap().to_owned();
        Sent { subject: field("subject"), text: field("text"), html: field("html") }
    }

    async fn register(&self, email: &str, locale: Option<Locale>) {
        let password = SecretString::from(PASSWORD.to_owned());
        self.core.register(email, &password, None, locale, &META).await.unwrap();
    }
}

async fn a_german_registration_keeps_german_and_its_emails_are_german(t: &T) {
    t.register("ada@example.com", Some(Locale::De)).await;
    let mail = t.last_to("ada@example.com").await;
    assert_eq!(mail.subject, "Bestätigen Sie Ihre E-Mail-Adresse für Keystead");
    assert!(mail.text.contains("Willkommen bei Keystead! Bitte bestätigen Sie, dass ada@example.com"), "{}", mail.text);
    assert!(mail.text.contains("Der Link kann einmal und 24 Stunden lang verwendet werden."), "{}", mail.text);
    assert!(mail.text.contains("Meine E-Mail-Adresse bestätigen:"), "{}", mail.text);
    assert!(mail.html.contains("<html lang=\"de\">"), "{}", mail.html);
    assert!(mail.html.contains("Diese Nachricht wurde von Keystead"), "{}", mail.html);
    assert!(mail.html.contains("Falls die Schaltfläche nicht funktioniert"), "{}", mail.html);
    assert!(!mail.text.contains("Welcome") && !mail.html.contains("This message was sent"), "{}", mail.html);

    // The account keeps the language: later emails (a password reset) are German too.
    let user = t.core.user_by_email("ada@example.com").await.unwrap();
    assert_eq!(user.locale.as_deref(), Some("de"));
    t.core.request_password_reset("ada@example.com", &META).await.unwrap();
    let reset = t.last_to("ada@example.com").await;
    assert_eq!(reset.subject, "Setzen Sie Ihr Keystead-Passwort zurück");
    assert!(reset.text.contains("Jemand hat angefordert, das Passwort des Keystead-Kontos"), "{}", reset.text);
}
core_test!(a_german_registration_keeps_german_and_its_emails_are_german, En);

async fn a_turkish_user_gets_turkish_emails(t: &T) {
    t.user("ayse@example.com", Some(Locale::Tr)).await;
    t.core.request_password_reset("ayse@example.com", &META).await.unwrap();
    let mail = t.last_to("ayse@example.com").await;
    assert_eq!(mail.subject, "Keystead parolanızı sıfırlayın");
    assert!(mail.text.contains("Birisi Keystead hesabının (ayse@example.com) parolasını sıfırlamak istedi."));
    assert!(mail.text.contains("Bağlantı bir kez ve bir saat boyunca kullanılabilir."), "{}", mail.text);
    assert!(mail.text.contains("Yeni bir parola seçin:"), "{}", mail.text);
    assert!(mail.html.contains("<html lang=\"tr\">"), "{}", mail.html);
    assert!(mail.html.contains("Bu ileti Keystead"), "{}", mail.html);

    t.register("mehmet@example.com", Some(Locale::Tr)).await;
    let verify = t.last_to("mehmet@example.com").await;
    assert_eq!(verify.subject, "Keystead için e-posta adresinizi doğrulayın");
    assert!(verify.text.contains("Lütfen mehmet@example.com adresinin size ait olduğunu doğrulayın."));
}
core_test!(a_turkish_user_gets_turkish_emails, En);

async fn without_a_language_the_deployment_default_is_used(t: &T) {
    // The deployment writes German by default: a user who chose nothing reads German …
    t.user("grace@example.com", None).await;
    t.core.request_password_reset("grace@example.com", &META).await.unwrap();
    let mail = t.last_to("grace@example.com").await;
    assert_eq!(mail.subject, "Setzen Sie Ihr Keystead-Passwort zurück");
    assert!(mail.html.contains("<html lang=\"de\">"), "{}", mail.html);
    // … and so does a registration that named no language …
    t.register("linus@example.com", None).await;
    assert_eq!(t.last_to("linus@example.com").await.subject, "Bestätigen Sie Ihre E-Mail-Adresse für Keystead");
    assert_eq!(t.core.user_by_email("linus@example.com").await.unwrap().locale, None);
    // … while one who chose English keeps English, word for word as before.
    t.user("alan@example.com", Some(Locale::En)).await;
    t.core.request_password_reset("alan@example.com", &META).await.unwrap();
    let english = t.last_to("alan@example.com").await;
    assert_eq!(english.subject, "Reset your Keystead password");
    assert!(english.text.contains("Someone asked to reset the password of the Keystead account alan@example.com."));
    assert!(english.text.contains("The link works once and for one hour."));
    assert!(english.html.contains("<html lang=\"en\">") && english.html.contains("This message was sent by Keystead"));
    assert!(english.html.contains("If the button does not work, copy this address into your browser:"));
}
core_test!(without_a_language_the_deployment_default_is_used, De);

async fn an_invitation_to_a_new_address_is_in_the_inviters_language(t: &T) {
    let owner = t.user("inhaberin@example.com", Some(Locale::De)).await;
    let new = NewOrganization { name: "Acme", slug: None, owner: Some(owner) };
    let org = t.core.create_organization(Actor::Operator, new, &META).await.unwrap().id;
    t.core.invite_to_organization(Actor::User(owner), org, "neu@example.com", "member", &META).await.unwrap();
    let mail = t.last_to("neu@example.com").await;
    assert_eq!(mail.subject, "Sie wurden eingeladen, Acme auf Keystead beizutreten");
    assert!(mail.text.contains("eingeladen, Acme auf Keystead als Mitglied beizutreten."), "{}", mail.text);
    assert!(mail.text.contains("Einladung annehmen:"), "{}", mail.text);

    // An address that has an account is written to in its owner's language.
    t.user("ayse@example.com", Some(Locale::Tr)).await;
    t.core.invite_to_organization(Actor::User(owner), org, "ayse@example.com", "guest", &META).await.unwrap();
    let mail = t.last_to("ayse@example.com").await;
    assert_eq!(mail.subject, "Keystead üzerinde Acme kuruluşuna katılmaya davet edildiniz");
    assert!(mail.text.contains("Acme kuruluşuna Misafir olarak katılmaya davet etti."), "{}", mail.text);
}
core_test!(an_invitation_to_a_new_address_is_in_the_inviters_language, En);

#[test]
fn counted_days_take_the_plural_of_each_language() {
    let body = |l: Locale, days: i64| l.t2("email-webhook-disabled-body", "url", "https://h.example/", "days", days);
    assert!(body(Locale::En, 1).contains("have failed for 1 day, so"));
    assert!(body(Locale::En, 3).contains("have failed for 3 days, so"));
    assert!(body(Locale::De, 1).contains("seit 1 Tag fehl"));
    assert!(body(Locale::De, 3).contains("seit 3 Tagen fehl"));
    assert!(body(Locale::Tr, 3).contains("3 gündür"));
}
