use super::*;

fn load(toml: &str, env: &[(&str, &str)]) -> Result<Config, Vec<ConfigError>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keystead.toml");
    std::fs::write(&path, toml).unwrap();
    let env = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    Config::load(&ConfigSources { file: Some(path), env: Some(env), overrides: vec![] })
}

fn keys(errors: &[ConfigError]) -> Vec<&str> {
    errors.iter().map(|e| e.key.as_str()).collect()
}

#[test]
fn an_empty_configuration_gives_the_embedded_defaults() {
    let c = load("", &[]).unwrap();
    assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(c.metrics_listen, None, "no metrics listener unless asked for");
    assert_eq!(c.public_url.as_str(), "http://127.0.0.1:8080/");
    assert_eq!(c.data_dir, PathBuf::from("./data"));
    assert!(c.is_sqlite());
    assert!(matches!(c.mail.transport, MailTransportConfig::File { ref dir } if dir == &PathBuf::from("./data/mail")));
    assert!(matches!(c.master_key, MasterKeySource::File(ref p) if p == &PathBuf::from("./data/master.key")));
    assert_eq!(c.passwords.memory_kib, 19_456);
    assert_eq!(c.passwords.iterations, 2);
    assert_eq!(c.passwords.parallelism, 1);
}

#[test]
fn environment_overrides_the_file() {
    let c = load(
        "listen = \"127.0.0.1:9000\"\n[mail]\ntransport = \"smtp\"\n[mail.smtp]\nhost = \"mx\"\n",
        &[
            ("KEYSTEAD_LISTEN", "0.0.0.0:7000"),
            ("KEYSTEAD_MAIL__SMTP__PORT", "2525"),
            ("KEYSTEAD_PUBLIC_URL", "https://id.example.com"),
        ],
    )
    .unwrap();
    assert_eq!(c.listen.to_string(), "0.0.0.0:7000");
    assert_eq!(c.public_url.as_str(), "https://id.example.com/");
    let MailTransportConfig::Smtp(smtp) = c.mail.transport else { panic!("smtp expected") };
    assert_eq!((smtp.host.as_str(), smtp.port, smtp.security), ("mx", 2525, SmtpSecurity::StartTls));
}

#[test]
fn every_error_is_reported_by_its_key_path() {
    let errors = load(
        "listen = \"nowhere\"\npublic_url = \"ftp://x\"\n[mail]\ntransport = \"smtp\"\n[mail.smtp]\nport = 70000\nsecurity = \"ssl3\"\n[passwords]\nmemory_kib = \"lots\"\n",
        &[],
    )
    .unwrap_err();
    let keys = keys(&errors);
    for key in
        ["listen", "public_url", "mail.smtp.host", "mail.smtp.port", "mail.smtp.security", "passwords.memory_kib"]
    {
        assert!(keys.contains(&key), "{key} missing from {errors:?}");
    }
    let port = errors.iter().find(|e| e.key == "mail.smtp.port").unwrap();
    assert_eq!(port.to_string(), "mail.smtp.port: expected a number from 1 to 65535 (got 70000)");
}

#[test]
fn a_misspelt_setting_is_named() {
    let errors = load("[mail]\ntransprt = \"log\"\n", &[]).unwrap_err();
    assert_eq!(keys(&errors), ["mail.transprt"]);
}

#[test]
fn unrelated_environment_variables_are_ignored() {
    assert!(load("", &[("KEYSTEAD_TEST_POSTGRES_URL", "postgres://x")]).is_ok());
}

#[test]
fn a_syntax_error_names_the_file() {
    let errors = load("listen = ", &[]).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].key.ends_with("keystead.toml"), "{errors:?}");
}

#[test]
fn tls_needs_both_files_and_makes_the_default_url_https() {
    let errors = load("[tls]\ncert_file = \"c.pem\"\n", &[]).unwrap_err();
    assert_eq!(keys(&errors), ["tls.key_file"]);
    let c = load("[tls]\ncert_file = \"c.pem\"\nkey_file = \"k.pem\"\n", &[]).unwrap();
    assert_eq!(c.public_url.scheme(), "https");
}

#[test]
fn secrets_do_not_appear_in_debug_output() {
    let c = load(
        "master_key = \"c2VjcmV0LWtleS1zZWNyZXQta2V5LXNlY3JldC1rZXk=\"\ndatabase_url = \"postgres://u:hunter2@db/k\"\n[mail]\ntransport=\"smtp\"\n[mail.smtp]\nhost=\"mx\"\nusername=\"u\"\npassword=\"smtp-pass\"\n",
        &[],
    )
    .unwrap();
    let debug = format!("{c:?}");
    for secret in ["hunter2", "smtp-pass", "c2VjcmV0"] {
        assert!(!debug.contains(secret), "{secret} leaked in {debug}");
    }
}

#[test]
fn trusted_proxies_accept_addresses_and_networks() {
    let c = load("trusted_proxies = [\"10.0.0.0/8\", \"::1\"]\n", &[]).unwrap();
    assert!(c.trusted_proxies[0].contains("10.1.2.3".parse().unwrap()));
    assert!(!c.trusted_proxies[0].contains("11.1.2.3".parse().unwrap()));
    assert!(c.trusted_proxies[1].contains("::1".parse().unwrap()));
    let c = load("", &[("KEYSTEAD_TRUSTED_PROXIES", "127.0.0.1, 192.168.0.0/16")]).unwrap();
    assert_eq!(c.trusted_proxies.len(), 2);
    let errors = load("trusted_proxies = [\"10.0.0.0/40\"]\n", &[]).unwrap_err();
    assert_eq!(keys(&errors), ["trusted_proxies"]);
}

#[test]
fn a_malformed_file_is_reported_on_one_line_with_its_position() {
    let errors = load("listen = \"x\"\n[mail\n", &[]).unwrap_err();
    assert_eq!(errors.len(), 1);
    let line = errors[0].to_string();
    assert!(!line.contains('\n'), "{line}");
    assert!(line.contains("line 2") && line.contains("unclosed table"), "{line}");
}

#[test]
fn a_misspelt_environment_variable_is_named() {
    let errors = load("", &[("KEYSTEAD_LISTN", "127.0.0.1:1"), ("KEYSTEAD_REQUIRE_POSTGRES", "1")]).unwrap_err();
    assert_eq!(keys(&errors), ["listn"]);
    assert!(errors[0].message.contains("KEYSTEAD_LISTN"), "{errors:?}");
}

#[test]
fn binding_port_zero_gives_the_real_address_to_a_derived_public_url_only() {
    let mut c = load("listen = \"127.0.0.1:0\"\n", &[]).unwrap();
    c.bind_to("127.0.0.1:4321".parse().unwrap());
    assert_eq!(c.public_url.as_str(), "http://127.0.0.1:4321/");
    let mut c = load("listen = \"127.0.0.1:0\"\npublic_url = \"https://id.example.com\"\n", &[]).unwrap();
    c.bind_to("127.0.0.1:4321".parse().unwrap());
    assert_eq!(c.public_url.as_str(), "https://id.example.com/");
}

#[test]
fn metrics_listen_is_an_address_of_its_own() {
    let c = load("metrics_listen = \"127.0.0.1:9090\"\n", &[]).unwrap();
    assert_eq!(c.metrics_listen, Some("127.0.0.1:9090".parse().unwrap()));
    let c = load("", &[("KEYSTEAD_METRICS_LISTEN", "[::1]:9100")]).unwrap();
    assert_eq!(c.metrics_listen, Some("[::1]:9100".parse().unwrap()));
    let errors = load("metrics_listen = \"9090\"\n", &[]).unwrap_err();
    assert_eq!(keys(&errors), ["metrics_listen"]);
    assert!(errors[0].message.contains("127.0.0.1:9090"), "{errors:?}");
    let errors = load("listen = \"127.0.0.1:8080\"\nmetrics_listen = \"127.0.0.1:8080\"\n", &[]).unwrap_err();
    assert_eq!(keys(&errors), ["metrics_listen"]);
    assert!(errors[0].message.contains("must differ from listen"), "{errors:?}");
}

#[test]
fn licenses_settings_have_defaults_and_are_checked() {
    let c = load("", &[]).unwrap();
    assert_eq!(c.licenses.no_license_url, None);
    assert_eq!(c.licenses.downloads_dir, PathBuf::from("./data/downloads"));
    assert_eq!(c.licenses.offline_token_ttl, time::Duration::days(14));
    assert_eq!(c.licenses.briefcase_max_bytes, 64 * 1024);

    let c = load("", &[("KEYSTEAD_LICENSES__NO_LICENSE_URL", "https://shop.example.com/start")]).unwrap();
    assert_eq!(c.licenses.no_license_url.unwrap().as_str(), "https://shop.example.com/start");

    let errors =
        load("[licenses]\nno_license_url = \"javascript:alert(1)\"\noffline_token_days = 0\n", &[]).unwrap_err();
    assert_eq!(keys(&errors), ["licenses.no_license_url", "licenses.offline_token_days"]);
}
