# Anmeldung, Registrierung, Passwort-Zurücksetzung, E-Mail-Bestätigung, Single Sign-on,
# Einladungen, Startseite und „Profil vervollständigen“.

## Gemeinsam
auth-email-label = E-Mail-Adresse
auth-password-label = Passwort
auth-new-password-label = Neues Passwort
auth-use-another-address = Andere Adresse verwenden
auth-back-to-sign-in = Zurück zur Anmeldung
auth-check-spam = Nichts angekommen? Sehen Sie auch in Ihrem Spam- oder Junk-Ordner nach.
auth-link-invalid-title = Dieser Link funktioniert nicht mehr
auth-send-new-link = Neuen Link senden
auth-password-rules-intro = Ihr Passwort braucht:
auth-password-rule-length = Mindestens { $min } { $min ->
        [one] Zeichen
       *[other] Zeichen
    }
auth-password-rule-lowercase = Einen Kleinbuchstaben (a–z)
auth-password-rule-uppercase = Einen Großbuchstaben (A–Z)
auth-password-rule-digit = Eine Ziffer (0–9)
auth-password-rule-symbol = Ein Sonderzeichen oder Leerzeichen, zum Beispiel ! # - oder _
auth-password-rule-common = Kein häufig verwendetes Passwort
auth-password-rule-personal = Keine persönlichen Daten wie Ihr Name oder Ihre E-Mail-Adresse
auth-password-tip = Einige Wörter ohne Zusammenhang ergeben ein starkes Passwort, das man sich leicht merken kann.
auth-password-show = Anzeigen
auth-password-hide = Verbergen
auth-free-mail-title = Ist das Ihre geschäftliche Adresse?
auth-free-mail-warning = { $email } ist eine private Adresse. Lizenzen sind an Ihre geschäftliche Adresse gebunden: Eine private Adresse erhält sie möglicherweise nicht.
auth-free-mail-continue = Trotzdem fortfahren
auth-continue-to = weiter zu { $host }

## Anmeldung
auth-sign-in-title = Anmelden
auth-passkey-sign-in = Mit einem Passkey anmelden
auth-new-here = Neu hier?
auth-create-an-account = Konto erstellen
auth-signing-in-as = Anmeldung als { $email }
auth-forgot-link = Passwort vergessen?
auth-flash-signed-out = Sie sind abgemeldet.

## Weitere Anmeldewege
auth-social-group = Weitere Möglichkeiten zum Fortfahren
auth-social-or = oder
auth-social-continue = Weiter mit { $name }

## Registrierung
auth-register-title = Konto erstellen
auth-invite-only = Die Registrierung ist nur mit Einladung möglich. Bitten Sie Ihre Administration um eine Einladung.
auth-have-account = Sie haben bereits ein Konto?
auth-choose-password-title = Passwort wählen
auth-for-email = Für { $email }
auth-check-inbox-title = Prüfen Sie Ihr Postfach
auth-check-email-sent = Wir haben einen Bestätigungslink an { $email } gesendet. Öffnen Sie ihn, um die Erstellung Ihres Kontos abzuschließen. Der Link ist 24 Stunden lang gültig.
auth-send-link-again = Link erneut senden
auth-flash-link-resent = Falls diese Adresse auf ihre Bestätigung wartet, ist ein neuer Link unterwegs.
auth-resend-wait = Bitte warten Sie { $wait }, bevor Sie einen weiteren Link anfordern.
auth-verify-title = E-Mail-Adresse bestätigen
auth-verify-intro = Noch ein Klick, und Ihr Konto ist bereit.
auth-verify-button = Meine E-Mail-Adresse bestätigen
auth-verify-expired = Der Bestätigungslink ist abgelaufen oder wurde bereits verwendet. Geben Sie Ihre E-Mail-Adresse ein, und wir senden Ihnen einen neuen.

## Vergessene und abgelaufene Passwörter
auth-forgot-title = Passwort vergessen?
auth-forgot-intro = Geben Sie Ihre E-Mail-Adresse ein, und wir senden Ihnen einen Link, mit dem Sie ein neues Passwort wählen können.
auth-forgot-send = Link senden
auth-reset-sent = Falls es für { $email } ein Konto gibt, haben wir einen Link zum Wählen eines neuen Passworts gesendet. Der Link ist eine Stunde lang gültig.
auth-new-password-title = Neues Passwort wählen
auth-new-password-for = Für { $email }
auth-expired-title = Ihr Passwort ist abgelaufen
auth-expired-for = Die Regeln Ihrer Organisation verlangen, dass Sie jetzt ein neues Passwort wählen, für { $email }
auth-new-password-save = Neues Passwort speichern
auth-reset-link-expired = Der Link ist abgelaufen oder wurde bereits verwendet. Sie können einen neuen anfordern.
auth-flash-password-reset = Ihr Passwort wurde geändert. Melden Sie sich mit dem neuen an.
auth-flash-password-saved = Ihr neues Passwort ist gespeichert.

## Reaktivierung eines geschlossenen Kontos
auth-reactivate-title = Konto reaktivieren
auth-reactivate-closed = Das Konto { $email } ist geschlossen. Seine personenbezogenen Daten werden am { $date } gelöscht.
auth-reactivate-intro = Reaktivieren Sie es, um es zu behalten und sich anzumelden. Anwendungen, die Sie autorisiert hatten, bitten Sie erneut um Ihre Erlaubnis.
auth-reactivate-keep-closed = Geschlossen lassen

## Single Sign-on
auth-sso-going-title = Weiter zur Anmeldung Ihrer Organisation
auth-sso-continue-to = Weiter zu { $connection }
auth-sso-going-intro = { $organization } meldet seine Mitglieder über einen eigenen Identitätsanbieter an, { $connection }. Sie melden sich dort an und kommen direkt hierher zurück.
auth-sso-failed-title = Single Sign-on hat nicht funktioniert
auth-sso-restart = Anmeldung neu beginnen
auth-sso-for-admin = Für Ihre Administration:
auth-signed-out-title = Abgemeldet
auth-signed-out-heading = Sie sind abgemeldet
auth-sso-signed-out-text = Ihre Sitzung bei der Anmeldung Ihrer Organisation ({ $host }) wird ebenfalls beendet. Falls nichts passiert,

## Startseite und Weiterleitung
auth-home-title = { $site }-Konten
auth-home-signed-in-as = Sie sind als { $name } angemeldet.
auth-home-intro = Hier verwalten Sie Ihr { $site }-Konto: Anmeldung, Sicherheit, Organisationen, Lizenzen und Downloads.
auth-landing-away-title = Weiter zu { $host }
auth-landing-signed-in = Sie sind angemeldet. Falls nichts passiert,

## Profil vervollständigen
auth-complete-profile-title = Profil vervollständigen
auth-complete-intro = Bevor Sie fortfahren, benötigen wir noch einige Angaben.
auth-complete-intro-agreements = Bevor Sie fortfahren, benötigen wir noch einige Angaben und Ihre Zustimmung.
auth-agreement-version = (Version { $version })
auth-agreement-accept = Ich akzeptiere: { $title }
auth-complete-submit = Absenden
auth-flash-profile-complete = Vielen Dank – Ihr Konto ist bereit.
auth-profile-field-given-name = Vorname
auth-profile-field-family-name = Nachname
auth-profile-field-phone = Telefonnummer
auth-profile-field-country = Land
auth-profile-field-city = Ort
auth-profile-field-date-of-birth = Geburtsdatum
auth-profile-field-company = Firma oder Handelsname
auth-profile-field-job-title = Position

## Einladungen
auth-invitation-title = { $organization } beitreten
auth-invitation-intro = { $email } ist eingeladen, { $organization } als { $role } beizutreten.
auth-invitation-accept = Einladung annehmen
auth-invitation-other = Sie sind als { $other } angemeldet. Diese Einladung gilt für { $email }: Melden Sie sich ab, öffnen Sie den Link erneut und melden Sie sich mit dieser Adresse an.
auth-invitation-account-exists = Für { $email } gibt es bereits ein Konto. Melden Sie sich an, um die Einladung anzunehmen.
auth-invitation-sign-in = Anmelden und annehmen
auth-invitation-register-intro = Erstellen Sie Ihr Konto, um die Einladung anzunehmen. Dieser Link bestätigt Ihre Adresse: Eine Bestätigungs-E-Mail ist nicht nötig.
auth-invitation-email = E-Mail-Adresse: { $email }
auth-invitation-register = Konto erstellen und beitreten
auth-invitation-invalid-title = Diese Einladung funktioniert nicht mehr
auth-invitation-invalid-text = Sie ist abgelaufen, wurde widerrufen oder bereits verwendet. Bitten Sie die Person, die Sie eingeladen hat, um eine neue Einladung.
auth-flash-joined = Sie sind der Organisation beigetreten. Sie ist jetzt Ihre aktuelle Organisation.
auth-profile-required-given-name = Geben Sie Ihren Vornamen ein.
auth-profile-required-family-name = Geben Sie Ihren Nachnamen ein.
auth-profile-required-phone = Geben Sie Ihre Telefonnummer ein.
auth-profile-required-country = Geben Sie Ihr Land an.
auth-profile-required-city = Geben Sie Ihren Ort ein.
auth-profile-required-date-of-birth = Geben Sie Ihr Geburtsdatum ein.
auth-profile-required-company = Geben Sie Ihre Firma oder Ihren Handelsnamen ein.
auth-profile-required-job-title = Geben Sie Ihre Position ein.
auth-profile-too-long = Verwenden Sie höchstens { $max } { $max ->
        [one] Zeichen
       *[other] Zeichen
    }.
auth-profile-invalid = Entfernen Sie die Zeilenumbrüche und Steuerzeichen.
