# Fehlerseiten (Überschrift und Erklärung je Fehlercode) und die Formularfehler bei Registrierung,
# Anmeldung und Profil.

## Fehlerseiten
error-status = Fehler { $status }
error-go-home = Zur Startseite
error-reference = Referenz:
error-duration-seconds = { $count ->
        [one] { $count } Sekunde
       *[other] { $count } Sekunden
    }
error-duration-minutes = { $count ->
        [one] { $count } Minute
       *[other] { $count } Minuten
    }
error-duration-hours = { $count ->
        [one] { $count } Stunde
       *[other] { $count } Stunden
    }
error-rate-limited-wait = Zu viele Versuche. Bitte warten Sie { $wait }, bevor Sie es erneut versuchen.

error-title-malformed-request = Die Anfrage konnte nicht gelesen werden
error-title-payload-too-large = Die Anfrage ist zu groß
error-title-csrf-failed = Dieses Formular ist abgelaufen
error-title-cross-origin = Anfrage von einer anderen Website abgelehnt
error-title-not-found = Seite nicht gefunden
error-title-method-not-allowed = Methode nicht erlaubt
error-title-unauthenticated = Bitte melden Sie sich an
error-title-forbidden = Nicht erlaubt
error-title-rate-limited = Zu viele Versuche
error-title-overloaded = Der Server ist ausgelastet
error-title-unavailable = Vorübergehend nicht verfügbar
error-title-timeout = Die Anfrage hat zu lange gedauert
error-title-invalid-input = Einige Eingaben sind ungültig
error-title-already-exists = Das gibt es bereits
error-title-link-invalid = Dieser Link funktioniert nicht mehr
error-title-registration-closed = Die Registrierung ist nur mit Einladung möglich
error-title-account-disabled = Dieses Konto ist deaktiviert
error-title-machine-limit = Gerätelimit erreicht
error-title-sso-required-needs-connection = Die Organisation verlangt Single Sign-on
error-title-sso-failed = Single Sign-on hat nicht funktioniert
error-title-precondition-failed = Die Version hat sich geändert
error-title-precondition-required = Die gelesene Version wird benötigt
error-title-too-large = Das Dokument ist zu groß
error-title-invalid-json = Der Inhalt ist kein gültiges JSON
error-title-insufficient-scope = Dem Token fehlt ein Scope
error-title-idempotency-key-reused = Der Idempotenzschlüssel wurde für eine andere Anfrage verwendet
error-title-idempotency-key-in-use = Die erste Anfrage mit diesem Schlüssel läuft noch
error-title-idempotency-answer-lost = Die erste Anfrage mit diesem Schlüssel hat ihre Änderung vorgenommen
error-title-email-unavailable = Diese Adresse kann nicht verwendet werden
error-title-other = Etwas ist schiefgelaufen

error-detail-malformed-request = Die gesendeten Daten konnten nicht verstanden werden. Gehen Sie zurück und versuchen Sie es erneut.
error-detail-payload-too-large = Die gesendeten Daten sind größer, als diese Seite annimmt.
error-detail-csrf-failed = Zu Ihrer Sicherheit konnte das Formular nicht angenommen werden. Gehen Sie zurück, laden Sie die Seite neu und versuchen Sie es erneut.
error-detail-cross-origin = Die Anfrage kam von einer anderen Website und wurde abgelehnt.
error-detail-not-found = Unter dieser Adresse gibt es nichts.
error-detail-method-not-allowed = Diese Adresse nimmt diese Art von Anfrage nicht an.
error-detail-unauthenticated = Sie müssen sich anmelden, um diese Seite zu sehen.
error-detail-forbidden = Sie haben keine Berechtigung dafür.
error-detail-rate-limited = Bitte warten Sie einen Moment, bevor Sie es erneut versuchen.
error-detail-overloaded = Gerade werden zu viele Anfragen bearbeitet. Bitte versuchen Sie es gleich noch einmal.
error-detail-unavailable = Der Dienst erreicht seine Datenbank gerade nicht. Bitte versuchen Sie es gleich noch einmal.
error-detail-timeout = Bitte versuchen Sie es erneut.
error-detail-invalid-input = Prüfen Sie die markierten Felder und versuchen Sie es erneut.
error-detail-already-exists = Wählen Sie einen anderen Wert.
error-detail-link-invalid = Der Link ist abgelaufen oder wurde bereits verwendet. Fordern Sie einen neuen an.
error-detail-registration-closed = Bitten Sie Ihre Administration um eine Einladung.
error-detail-account-disabled = Wenden Sie sich an Ihre Administration, um es wieder aktivieren zu lassen.
error-detail-machine-limit = Alle Geräte, die die Lizenz erlaubt, sind aktiviert. Deaktivieren Sie zuerst eines.
error-detail-sso-required-needs-connection = Mitglieder müssen sich per Single Sign-on anmelden, daher kann die letzte aktive Verbindung nicht entfernt werden. Schalten Sie diese Anforderung zuerst aus.
error-detail-sso-failed = Die Anmeldung bei Ihrem Identitätsanbieter konnte nicht abgeschlossen werden. Versuchen Sie es erneut oder wenden Sie sich an Ihre Administration.
error-detail-precondition-failed = Es wurde geändert, seit Sie es gelesen haben. Lesen Sie es erneut und wiederholen Sie den Vorgang.
error-detail-precondition-required = Senden Sie die gelesene Version (If-Match), um es zu ersetzen.
error-detail-too-large = Das Dokument ist größer als erlaubt.
error-detail-invalid-json = Senden Sie ein JSON-Objekt.
error-detail-insufficient-scope = Fordern Sie ein Zugriffstoken mit dem Scope an, den dieser Endpunkt benötigt.
error-detail-idempotency-key-reused = Verwenden Sie für eine neue Anfrage einen neuen Idempotency-Key.
error-detail-idempotency-key-in-use = Versuchen Sie es gleich noch einmal, mit demselben Schlüssel.
error-detail-idempotency-answer-lost = Ihre Antwort ging verloren: Lesen Sie, was sie erstellt hat, statt es erneut zu erstellen.
error-detail-email-unavailable = Ein anderes Konto verwendet diese Adresse.
error-detail-other = Auf unserer Seite ist ein unerwarteter Fehler aufgetreten. Er wurde protokolliert; bitte versuchen Sie es später erneut.

## E-Mail-Adressen
field-error-email-required = { $whose ->
        [your] Geben Sie Ihre E-Mail-Adresse ein.
       *[other] Geben Sie eine E-Mail-Adresse ein.
    }
field-error-invalid-email = { $reason ->
        [at] Geben Sie eine E-Mail-Adresse mit @ ein, zum Beispiel name@example.com.
        [local] Der Teil vor dem @ ist ungültig. Prüfen Sie ihn auf Leer- oder Sonderzeichen.
        [domain] Der Teil nach dem @ ist keine gültige Domain.
        [domain-example] Der Teil nach dem @ ist keine gültige Domain wie example.com.
       *[other] Geben Sie eine E-Mail-Adresse wie name@example.com ein.
    }
field-error-work-email-required = Verwenden Sie Ihre geschäftliche E-Mail-Adresse – an sie sind Ihre Lizenzen gebunden.

## Anmeldung
field-error-invalid-credentials = E-Mail-Adresse oder Passwort stimmen nicht, oder die Adresse wurde noch nicht bestätigt. Sehen Sie in der Bestätigungs-E-Mail nach, die wir Ihnen gesendet haben, oder setzen Sie Ihr Passwort zurück.
field-error-account-disabled = Dieses Konto ist deaktiviert. Wenden Sie sich an Ihre Administration, um es wieder aktivieren zu lassen.

## Passwörter
field-error-too-short = Verwenden Sie mindestens { $min } { $min ->
        [one] Zeichen
       *[other] Zeichen
    }.
field-error-password-too-long = Verwenden Sie höchstens { $max } { $max ->
        [one] Zeichen
       *[other] Zeichen
    }.
field-error-missing-lowercase = Verwenden Sie mindestens einen Kleinbuchstaben (a–z).
field-error-missing-uppercase = Verwenden Sie mindestens einen Großbuchstaben (A–Z).
field-error-missing-digit = Verwenden Sie mindestens eine Ziffer (0–9).
field-error-missing-symbol = Verwenden Sie mindestens ein Sonderzeichen oder Leerzeichen, zum Beispiel ! # - oder _.
field-error-common = Dieses Passwort ist zu verbreitet: Wählen Sie eines, das andere wahrscheinlich nicht verwenden.
field-error-personal-data = { $what ->
        [email] Verwenden Sie Ihre E-Mail-Adresse nicht in Ihrem Passwort.
        [name] Verwenden Sie Ihren Namen nicht in Ihrem Passwort.
        [date-of-birth] Verwenden Sie Ihr Geburtsdatum nicht in Ihrem Passwort.
        [phone] Verwenden Sie Ihre Telefonnummer nicht in Ihrem Passwort.
        [company] Verwenden Sie den Namen Ihrer Firma nicht in Ihrem Passwort.
       *[other] Verwenden Sie keine persönlichen Daten in Ihrem Passwort.
    }
field-error-too-weak = Dieses Passwort ist zu leicht zu erraten (Stärke { $score } von 4, mindestens { $min } nötig): Machen Sie es länger, zum Beispiel mit einigen Wörtern ohne Zusammenhang.
field-error-control-characters = Entfernen Sie Tabulatoren, Zeilenumbrüche und andere Steuerzeichen: Verwenden Sie Buchstaben, Ziffern, Sonderzeichen und Leerzeichen.
field-error-password-reused = Wählen Sie ein Passwort, das Sie noch nicht verwendet haben: Die letzten { $count } können nicht erneut verwendet werden.

## Profil
field-error-invalid-phone = Geben Sie eine Telefonnummer mit 5 bis 15 Ziffern ein, zum Beispiel +49 30 1234567.
field-error-unknown-country = Wählen Sie ein Land aus der Liste.
field-error-in-future = Das Geburtsdatum darf nicht in der Zukunft liegen.
field-error-too-old = Prüfen Sie das Jahr des Geburtsdatums.
field-error-must-accept = Akzeptieren Sie „{ $title }“, um fortzufahren.
