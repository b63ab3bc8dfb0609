# The admin console: a user's page (/admin/users/{id}) and its actions (issue 17).
admin-user-status-unverified = Adresse nicht bestätigt
admin-user-status-incomplete-profile = Profil unvollständig
admin-user-status-active = Aktiv
admin-user-status-disabled = Deaktiviert
admin-user-status-closing = Wird geschlossen
admin-user-status-purged = Gelöscht
admin-user-operator = Betreiber
admin-user-back = Alle Benutzer
admin-user-not-given = Nicht angegeben
admin-user-never = Nie
admin-user-on = An
admin-user-off = Aus

## Actions
admin-user-actions-heading = Aktionen
admin-user-disable = Konto deaktivieren
admin-user-enable = Konto aktivieren
admin-user-reset-mfa = Zwei-Faktor-Authentifizierung zurücksetzen
admin-user-resend-verification = Bestätigungs-E-Mail erneut senden
admin-user-send-reset = Link zum Zurücksetzen des Passworts senden
admin-user-end-sessions = Alle Sitzungen beenden
admin-user-close = Schließung einleiten

## Profile
admin-user-profile-heading = Profil
admin-user-status = Status
admin-user-id = Konto-ID
admin-user-email = E-Mail-Adresse
admin-user-verified = Adresse bestätigt
admin-user-verified-on = Bestätigt am { $date }
admin-user-not-verified = Nicht bestätigt
admin-user-password = Passwort
admin-user-password-set = Gesetzt, zuletzt geändert am { $date }
admin-user-password-set-never-changed = Gesetzt
admin-user-password-none = Keines (Anmeldung über einen anderen Anbieter oder einen Link zum Zurücksetzen)
admin-user-language = Sprache
admin-user-time-zone = Zeitzone
admin-user-created = Erstellt
admin-user-last-sign-in = Letzte Anmeldung
admin-user-purge-on = Persönliche Daten gelöscht am
admin-user-default-language = Sprache des Browsers

## Sessions
admin-user-sessions-heading = Sitzungen
admin-user-sessions-none = Niemand ist mit diesem Konto angemeldet.
admin-user-col-device = Gerät
admin-user-col-ip = IP-Adresse
admin-user-col-started = Begonnen
admin-user-col-last-seen = Zuletzt aktiv
admin-user-unknown-ip = Unbekannt

## Two-factor authentication
admin-user-mfa-heading = Zwei-Faktor-Authentifizierung
admin-user-mfa-app = Authenticator-App
admin-user-mfa-email = Codes per E-Mail
admin-user-mfa-passkeys = Passkeys
admin-user-mfa-no-passkeys = Keine
admin-user-mfa-recovery = Verbleibende Wiederherstellungscodes
admin-user-passkey = { $name } (hinzugefügt am { $date })

## Identities, organizations, licenses, applications
admin-user-identities-heading = Verknüpfte Identitäten
admin-user-identities-none = Keine Identität bei einem anderen Anbieter ist verknüpft.
admin-user-col-provider = Anbieter
admin-user-col-provider-email = Adresse beim Anbieter
admin-user-col-linked = Verknüpft
admin-user-col-last-used = Zuletzt verwendet
admin-user-orgs-heading = Organisationen
admin-user-orgs-none = Kein Mitglied einer Organisation.
admin-user-col-organization = Organisation
admin-user-col-role = Rolle
admin-user-guest = Gast
admin-user-licenses-heading = Lizenzen
admin-user-licenses-none = Hat keine Lizenz.
admin-user-col-product = Produkt und Plan
admin-user-col-valid-until = Gültig bis
admin-user-col-assigned = Zugewiesen
admin-user-until-ended = Bis zum Ende des Abonnements
admin-user-apps-heading = Verbundene Anwendungen
admin-user-apps-none = Hat keine Anwendung autorisiert.
admin-user-col-app = Anwendung
admin-user-col-scopes = Zugriff
admin-user-col-authorized = Autorisiert

## Audit trail
admin-user-audit-heading = Audit-Verlauf
admin-user-audit-intro = Die letzten { $count } Ereignisse zu diesem Konto, die neuesten zuerst.
admin-user-audit-none = Zu diesem Konto wurde noch nichts aufgezeichnet.
admin-user-col-when = Wann
admin-user-col-event = Ereignis
admin-user-col-actor = Durch
admin-user-col-from = Von
admin-user-actor-none = Kommandozeile oder System

## Results
admin-user-disabled = { $email } ist deaktiviert: Die Sitzungen wurden beendet und eine Anmeldung ist nicht mehr möglich.
admin-user-enabled = { $email } kann sich wieder anmelden.
admin-user-state-refused = Das Konto wird geschlossen oder ist gelöscht: Es kann nicht mehr deaktiviert oder aktiviert werden.
admin-user-mfa-reset-done = Die Zwei-Faktor-Authentifizierung von { $email } ist zurückgesetzt und die Sitzungen sind beendet. Die Person wurde per E-Mail informiert.
admin-user-verification-sent = Ein neuer Bestätigungslink ging an { $email }.
admin-user-verification-refused = { $email } hat die Adresse bereits bestätigt, oder das Konto ist geschlossen: Es wurde kein Link gesendet.
admin-user-reset-sent = Ein Link zum Zurücksetzen des Passworts ging an { $email }. Er ist eine Stunde lang gültig.
admin-user-reset-refused-closed = Es wurde kein Link gesendet: Das Konto ist deaktiviert oder geschlossen.
admin-user-reset-refused-sso = Es wurde kein Link gesendet: { $email } meldet sich über das Single Sign-on der eigenen Organisation an, das Passwort wird also nicht verwendet.
admin-user-wait = Zu viele E-Mails an dieses Konto. Versuchen Sie es in { $wait } erneut.
admin-user-sessions-ended = { $count ->
    [one] Eine Sitzung von { $email } wurde beendet.
   *[other] { $count } Sitzungen von { $email } wurden beendet.
}
admin-user-closing-started = { $email } wird geschlossen: Die persönlichen Daten werden am { $date } gelöscht. Die Person wurde per E-Mail informiert.
admin-user-close-refused = Das Konto wird bereits geschlossen oder ist gelöscht.

## Confirmation pages
admin-user-disable-title = Dieses Konto deaktivieren
admin-user-disable-message = { $email } wird überall abgemeldet, Anwendungen verlieren ihren Zugriff, und eine Anmeldung ist erst wieder möglich, wenn ein Betreiber das Konto aktiviert.
admin-user-reset-mfa-title = Zwei-Faktor-Authentifizierung zurücksetzen
admin-user-reset-mfa-message = Alle zweiten Faktoren von { $email } werden entfernt (Authenticator-App, Codes per E-Mail, Passkeys, Wiederherstellungscodes) und alle Sitzungen beendet. Die Anmeldung ist dann nur mit dem Passwort möglich; die Person wird per E-Mail informiert. Tun Sie das erst, wenn Sie sicher sind, wer fragt.
admin-user-end-sessions-title = Alle Sitzungen beenden
admin-user-end-sessions-message = { $email } wird auf allen Geräten abgemeldet, und Anwendungen, die über diese Sitzungen angemeldet sind, werden benachrichtigt.
admin-user-close-title = Schließung dieses Kontos einleiten
admin-user-close-message = { $email } wird abgemeldet, Anwendungen verlieren ihren Zugriff, und die persönlichen Daten werden nach { $days } Tagen gelöscht. Anders als bei einer selbst eingeleiteten Schließung macht eine Anmeldung dies nicht rückgängig. Die Person wird per E-Mail informiert.
admin-user-confirm-operator = { $email } ist Betreiber dieser Installation: Die Verwaltungskonsole kann danach nicht mehr genutzt werden.
admin-user-confirm-yourself = Dies ist Ihr eigenes Konto: Sie werden abgemeldet.

## Emails
admin-user-email-reset-asked = Eine Administratorin oder ein Administrator von { $site } hat Ihnen diesen Link gesendet, damit Sie ein neues Passwort für das Konto { $email } wählen können.
admin-user-email-reset-after = Wenn Sie diese E-Mail nicht erwartet haben, können Sie sie ignorieren: Ihr Passwort bleibt unverändert.
