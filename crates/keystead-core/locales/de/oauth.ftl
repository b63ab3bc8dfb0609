# Die Seiten des OAuth-Anbieters, die Personen sehen: Zustimmung, Gerät, Abmeldung, Probleme.

oauth-authorize-title = App autorisieren
# Nach dem fett gedruckten Namen der App: „<b>Beispiel-App</b> möchte …“
oauth-consent-wants = möchte Ihr Konto bei { $site } verwenden. Sie sind angemeldet als { $email }.
oauth-consent-can-see = Die App erhält Zugriff auf:
oauth-accept = Zulassen
oauth-consent-revoke-hint = Sie können den Zugriff jederzeit unter „Mein Konto“ → „Verbundene Apps“ entfernen.
oauth-scope-openid = Wer Sie sind: die Kennung Ihres Kontos
oauth-scope-profile = Ihren Namen
oauth-scope-email = Ihre E-Mail-Adresse
oauth-scope-phone = Ihre Telefonnummer
oauth-scope-address = Ihre Adresse
oauth-scope-offline-access = Verbunden bleiben, auch wenn Sie die App nicht verwenden
oauth-scope-organization = Ihre Organisation, Rollen und Gruppen
oauth-scope-licenses = Ihre Lizenzen
oauth-returning = Zurück zur App
oauth-continue-to-app = Weiter zur App

## Die Geräteseite
oauth-device-title = Gerät verbinden
# Nach dem fett gedruckten Namen der App.
oauth-device-wants = auf einem anderen Gerät möchte Ihr Konto bei { $site } verwenden. Sie sind angemeldet als { $email }.
oauth-device-check-code = Prüfen Sie, ob das Gerät diesen Code anzeigt:
oauth-device-enter = Geben Sie den Code ein, der auf Ihrem Gerät angezeigt wird.
oauth-device-code-label = Code
oauth-device-bad-code = Dieser Code ist ungültig oder abgelaufen. Prüfen Sie den Code auf Ihrem Gerät und versuchen Sie es erneut.
oauth-device-connected = { $client } ist verbunden. Sie können zu Ihrem Gerät zurückkehren.
oauth-device-not-connected = { $client } wurde nicht verbunden.

## Von einer App angeforderte Abmeldung
oauth-logout-asks = { $client } bittet Sie, sich von { $site } abzumelden.
oauth-logout-question = Möchten Sie sich von { $site } abmelden?
oauth-signed-out = Sie sind abgemeldet.

## Eine Anfrage, der nicht vertraut werden kann
oauth-invalid-sign-in-request = Diese Anmeldeanfrage ist ungültig
oauth-invalid-sign-out-request = Diese Abmeldeanfrage ist ungültig
oauth-param-too-long = Ein Parameter ist zu lang.
oauth-problem-hint = Kehren Sie zur Anwendung zurück und versuchen Sie es erneut. Wenn das Problem weiterhin auftritt, wenden Sie sich an die Entwickler der Anwendung.
