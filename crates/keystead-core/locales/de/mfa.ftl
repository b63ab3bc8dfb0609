# Zwei-Faktor-Authentifizierung, Passkeys, Sitzungen, E-Mail-Adresse und Passwort in „Mein Konto“.

## Zeitspannen („in 45 Sekunden“)
mfa-seconds = { $count ->
    [one] { $count } Sekunde
   *[other] { $count } Sekunden
}
mfa-minutes = { $count ->
    [one] { $count } Minute
   *[other] { $count } Minuten
}
mfa-hours = { $count ->
    [one] { $count } Stunde
   *[other] { $count } Stunden
}

## Der zweite Schritt der Anmeldung
mfa-second-factor-title = Bestätigung in zwei Schritten
mfa-totp-intro = Geben Sie den sechsstelligen Code ein, den Ihre Authenticator-App für dieses Konto anzeigt.
mfa-totp-code-label = Code aus Ihrer Authenticator-App
mfa-verify = Bestätigen
mfa-email-sent-intro = Wir haben einen sechsstelligen Code an { $email } gesendet. Er ist 10 Minuten lang gültig.
mfa-email-intro = Wir senden Ihnen einen sechsstelligen Code per E-Mail. Er ist 10 Minuten lang gültig.
mfa-email-code-label = Code aus der E-Mail
mfa-email-send-again = Erneut senden
mfa-email-send = Code per E-Mail senden
mfa-email-cooldown = Einen neuen Code können Sie in { $wait } anfordern.
mfa-passkey-intro = Verwenden Sie einen Ihrer Passkeys, um die Anmeldung abzuschließen.
mfa-use-passkey = Passkey verwenden
mfa-passkey-unavailable-here = Passkeys können unter dieser Adresse nicht verwendet werden. Wählen Sie unten eine andere Möglichkeit.
mfa-recovery-intro = Geben Sie einen der Wiederherstellungscodes ein, die Sie beim Einschalten der Zwei-Faktor-Authentifizierung gespeichert haben. Jeder Code funktioniert nur einmal.
mfa-recovery-code-label = Wiederherstellungscode
mfa-other-ways = Andere Möglichkeiten zur Bestätigung
mfa-sign-in-as-other = Als andere Person anmelden
mfa-method-totp = Authenticator-App
mfa-method-email = Code per E-Mail
mfa-method-passkey = Passkey
mfa-method-recovery = Wiederherstellungscode
mfa-method-unknown = Wählen Sie eine der aufgeführten Möglichkeiten.
mfa-too-slow = Seit der Eingabe Ihres Passworts ist zu viel Zeit vergangen. Bitte melden Sie sich erneut an.
mfa-recovery-last-used = Sie haben Ihren letzten Wiederherstellungscode verwendet. Erstellen Sie jetzt neue unter „Mein Konto“ → „Zwei-Faktor-Authentifizierung“.
mfa-recovery-accepted = { $count ->
    [one] Wiederherstellungscode akzeptiert. Es ist nur noch 1 Wiederherstellungscode übrig: Erstellen Sie bald neue.
   *[other] Wiederherstellungscode akzeptiert. Es sind noch { $count } Wiederherstellungscodes übrig.
}
mfa-email-sent = Wir haben einen sechsstelligen Code an { $email } gesendet.
mfa-email-wait = Vor einem Moment wurde bereits ein Code gesendet. Einen weiteren können Sie in { $wait } anfordern.
mfa-account-disabled = Dieses Konto ist deaktiviert. Wenden Sie sich an Ihre Administration, um es wieder aktivieren zu lassen.

## Passkey-Seiten
mfa-passkeys-not-available = Passkeys sind auf dieser Website nicht verfügbar.
mfa-passkey-refused = Der Passkey wurde abgelehnt.
mfa-passkey-needs-js = Passkeys benötigen JavaScript. Schalten Sie es ein oder gehen Sie zurück und wählen Sie eine andere Möglichkeit.
mfa-passkey-continue = Mit Passkey fortfahren
mfa-passkey-use-title = Passkey verwenden
mfa-passkey-use-intro = Bestätigen Sie mit Ihrem Passkey (Fingerabdruck, Gesicht, PIN oder Sicherheitsschlüssel), wenn Ihr Browser danach fragt.
mfa-passkey-sign-in-title = Mit einem Passkey anmelden
mfa-passkey-sign-in-intro = Wählen Sie Ihren Passkey, wenn Ihr Browser danach fragt, und bestätigen Sie ihn mit Fingerabdruck, Gesicht, PIN oder Sicherheitsschlüssel.
mfa-passkey-add-title = Passkey hinzufügen
mfa-passkey-add-intro = Ihr Browser fragt, wo der Passkey gespeichert werden soll, und bittet Sie, mit Fingerabdruck, Gesicht, PIN oder Sicherheitsschlüssel zu bestätigen.
mfa-passkey-js-unsupported = Dieser Browser kann keine Passkeys verwenden. Gehen Sie zurück und wählen Sie eine andere Möglichkeit.
mfa-passkey-js-cancelled = Die Passkey-Anfrage wurde abgebrochen oder ist abgelaufen. Klicken Sie auf die Schaltfläche, um es erneut zu versuchen.
mfa-passkey-js-failed = Der Passkey konnte nicht verwendet werden. Klicken Sie auf die Schaltfläche, um es erneut zu versuchen.
mfa-copied = Kopiert

## Mein Konto → Zwei-Faktor-Authentifizierung
mfa-required-notice = Für Ihr Konto ist die Zwei-Faktor-Authentifizierung erforderlich. Richten Sie eine der folgenden Methoden ein, um fortzufahren; danach melden Sie sich damit erneut an.
mfa-title = Zwei-Faktor-Authentifizierung
mfa-why = Ein zweiter Schritt nach dem Passwort schützt Ihr Konto auch dann, wenn das Passwort bekannt wird.
mfa-is-on = Die Zwei-Faktor-Authentifizierung ist eingeschaltet.
mfa-is-off = Die Zwei-Faktor-Authentifizierung ist ausgeschaltet.
mfa-turning-on-signs-out = Beim Einschalten werden Sie überall abgemeldet; danach melden Sie sich mit dem neuen Schritt wieder an.
mfa-totp-heading = Authenticator-App
mfa-on-badge = Ein
mfa-totp-on-text = Codes aus einer App wie Aegis, Google Authenticator oder 1Password.
mfa-totp-remove = Authenticator-App entfernen
mfa-totp-off-text = Verwenden Sie Codes aus einer App wie Aegis, Google Authenticator oder 1Password.
mfa-totp-set-up = Authenticator-App einrichten
mfa-email-heading = Codes per E-Mail
mfa-email-on-text = Bei der Anmeldung erhalten Sie einen sechsstelligen Code per E-Mail.
mfa-email-turn-off = Codes per E-Mail ausschalten
mfa-email-off-text = Erhalten Sie bei der Anmeldung einen sechsstelligen Code per E-Mail.
mfa-email-turn-on = Codes per E-Mail einschalten
mfa-email-needs-verified = Bestätigen Sie Ihre E-Mail-Adresse, um Codes per E-Mail zu nutzen.
mfa-passkeys-heading = Passkeys
mfa-passkeys-intro = Mit einem Passkey melden Sie sich per Fingerabdruck, Gesicht, Bildschirmsperre oder Sicherheitsschlüssel an: als zweiten Schritt oder allein mit „Mit einem Passkey anmelden“.
mfa-passkeys-none = Sie haben noch keine Passkeys.
mfa-passkey-synced = Synchronisiert
mfa-passkey-dates = hinzugefügt am { $added } · zuletzt verwendet: { $used }
mfa-never = nie
mfa-passkey-remove-label = Passkey { $name } entfernen
mfa-remove = Entfernen
mfa-passkey-name-label = Name des Passkeys
mfa-passkey-name-hint = Benennen Sie ihn nach dem Ort, an dem er gespeichert ist, etwa „Arbeitslaptop“ oder „Telefon“.
mfa-recovery-heading = Wiederherstellungscodes
mfa-recovery-left = { $total ->
    [one] { $left } von { $total } Wiederherstellungscode ist unbenutzt. Jeder Code funktioniert einmal, falls Sie Ihre anderen Methoden verlieren.
   *[other] { $left } von { $total } Wiederherstellungscodes sind unbenutzt. Jeder Code funktioniert einmal, falls Sie Ihre anderen Methoden verlieren.
}
mfa-recovery-regenerate = Neue Wiederherstellungscodes erstellen
mfa-recovery-replace-hint = Neue Codes ersetzen die alten sofort.
mfa-totp-done = Ihre Authenticator-App ist eingerichtet.
mfa-totp-removed = Die Authenticator-App wurde entfernt.
mfa-email-wait-short = Vor einem Moment wurde bereits ein Code gesendet. Versuchen Sie es in { $wait } erneut.
mfa-email-on = Anmeldecodes per E-Mail sind eingeschaltet.
mfa-email-off = Anmeldecodes per E-Mail sind ausgeschaltet.
mfa-passkey-added = Ihr Passkey wurde hinzugefügt.
mfa-passkey-removed = Der Passkey wurde entfernt.

## Einrichtung der Authenticator-App
mfa-totp-step-open = Öffnen Sie Ihre Authenticator-App und fügen Sie ein Konto hinzu.
mfa-totp-step-scan = Scannen Sie diesen QR-Code:
mfa-totp-or-type = Oder geben Sie diesen Schlüssel ein:
mfa-totp-key-hint = (zeitbasiert, 6 Ziffern, alle 30 Sekunden)
mfa-totp-step-enter = Geben Sie den sechsstelligen Code ein, den die App jetzt anzeigt.
mfa-totp-app-code-label = Code aus der App
mfa-turn-on = Einschalten

## Wiederherstellungscodes, einmalig angezeigt
mfa-is-on-title = Die Zwei-Faktor-Authentifizierung ist eingeschaltet
mfa-recovery-new-title = Ihre neuen Wiederherstellungscodes
mfa-recovery-save-now = Speichern Sie diese Wiederherstellungscodes jetzt: Sie werden nur einmal angezeigt.
mfa-recovery-save-why = Jeder Code funktioniert einmal anstelle Ihres zweiten Faktors, falls Sie Ihr Telefon oder Ihre Passkeys verlieren.
mfa-recovery-download = Als Text herunterladen
mfa-copy = Kopieren
mfa-recovery-signed-out = Zu Ihrer Sicherheit wurden alle Sitzungen abgemeldet, auch diese. Melden Sie sich mit Ihrem Passwort und Ihrem neuen zweiten Schritt erneut an.
mfa-sign-in-again = Erneut anmelden
mfa-recovery-old-void = Die bisherigen Codes funktionieren nicht mehr.
mfa-done = Fertig
mfa-recovery-file-title = Wiederherstellungscodes für { $site }
mfa-recovery-file-note = Jeder Code funktioniert einmal anstelle Ihres zweiten Faktors.

## Codes per E-Mail einschalten
mfa-email-enable-sent = Wir haben einen sechsstelligen Code an { $email } gesendet. Geben Sie ihn ein, um Codes per E-Mail einzuschalten.

## Bestätigen, dass Sie es sind
mfa-reauth-title = Bestätigen Sie, dass Sie es sind
mfa-reauth-intro = Um Ihre Anmeldemethoden zu ändern, müssen Sie sich vor Kurzem angemeldet haben.
mfa-your-password = Ihr Passwort
mfa-reauth-or = Oder anstelle des Passworts:
mfa-reauth-none = Melden Sie sich ab und wieder an und nehmen Sie die Änderung dann innerhalb von 10 Minuten vor.
mfa-confirm = Bestätigen
mfa-reauth-first = Bitte bestätigen Sie zuerst, dass Sie es sind, um Ihre Anmeldemethoden zu ändern.
mfa-reauth-done = Vielen Dank. In den nächsten 10 Minuten können Sie Ihre Anmeldemethoden ändern.

## Mein Konto → Sicherheit
mfa-sessions-title = Sitzungen und Geräte
mfa-sessions-intro = Hier sind Sie angemeldet. Melden Sie sich überall ab, wo Sie die Sitzung nicht wiedererkennen.
mfa-this-device = Dieses Gerät
mfa-session-dates = { $ip } · angemeldet am { $created } · zuletzt aktiv am { $seen }
mfa-unknown-address = unbekannte Adresse
mfa-sign-out-others = Alle anderen Sitzungen abmelden
mfa-identities-heading = Anmeldung über andere Anbieter
mfa-identities-none = Sie melden sich nur mit Ihrer E-Mail-Adresse und Ihrem Passwort an: Mit Ihrem Konto ist kein anderer Anbieter verknüpft.
mfa-identities-intro = Diese Anbieter können Sie bei diesem Konto anmelden. Entfernen Sie alle, die Sie nicht mehr verwenden.
mfa-identity-through = Angemeldet über { $provider }
mfa-identity-dates = verknüpft am { $linked } · zuletzt verwendet am { $used }
mfa-activity-heading = Letzte Sicherheitsaktivitäten
mfa-activity-when = Wann
mfa-activity-what = Was
mfa-activity-from = Von
mfa-session-revoked = Diese Sitzung wurde abgemeldet.
mfa-sessions-revoked = { $count ->
    [one] 1 andere Sitzung wurde abgemeldet.
   *[other] { $count } andere Sitzungen wurden abgemeldet.
}
mfa-identity-removed = Dieser Anbieter meldet Sie nicht mehr an.
mfa-activity-user-registered = Konto erstellt
mfa-activity-user-email-verified = E-Mail-Adresse bestätigt
mfa-activity-session-signed-in = Angemeldet
mfa-activity-session-sign-in-failed = Fehlgeschlagener Anmeldeversuch
mfa-activity-session-signed-out = Abgemeldet
mfa-activity-session-revoked = Andere Sitzungen oder Geräte abgemeldet
mfa-activity-user-email-changed = E-Mail-Adresse geändert
mfa-activity-user-agreement-accepted = Vereinbarung akzeptiert
mfa-activity-user-picture-changed = Profilbild geändert
mfa-activity-user-picture-removed = Profilbild entfernt
mfa-activity-user-billing-address-changed = Rechnungsadresse geändert
mfa-activity-user-preferences-changed = E-Mail-Benachrichtigungen geändert
mfa-activity-user-closed = Konto geschlossen
mfa-activity-user-reactivated = Konto reaktiviert
mfa-activity-user-password-reset-requested = Zurücksetzen des Passworts angefordert
mfa-activity-user-password-changed = Passwort geändert
mfa-activity-user-throttled = Anmeldung nach fehlgeschlagenen Versuchen pausiert
mfa-activity-user-profile-updated = Profil geändert
mfa-activity-user-data-exported = Daten heruntergeladen
mfa-activity-user-disabled = Konto von der Administration deaktiviert
mfa-activity-user-enabled = Konto von der Administration aktiviert
mfa-activity-mfa-method-added = Zwei-Faktor-Methode hinzugefügt
mfa-activity-mfa-method-removed = Zwei-Faktor-Methode entfernt
mfa-activity-mfa-recovery-codes-generated = Neue Wiederherstellungscodes erstellt
mfa-activity-mfa-recovery-code-used = Wiederherstellungscode verwendet
mfa-activity-session-second-factor-passed = Bestätigung in zwei Schritten erfolgreich
mfa-activity-session-second-factor-failed = Bestätigung in zwei Schritten fehlgeschlagen
mfa-activity-mfa-reset = Zwei-Faktor-Authentifizierung von der Administration zurückgesetzt
mfa-activity-session-reauthenticated = Identität erneut bestätigt
mfa-activity-oauth-app-authorized = App autorisiert
mfa-activity-oauth-app-revoked = App-Zugriff widerrufen
mfa-activity-oauth-token-reuse-detected = Ein Token einer App wurde doppelt verwendet: Ihr Zugriff wurde beendet
mfa-activity-user-identity-linked = Anmeldung über einen anderen Anbieter hinzugefügt
mfa-activity-user-identity-unlinked = Anmeldung über einen anderen Anbieter entfernt
mfa-activity-other = Kontoaktivität

## Mein Konto → E-Mail-Adresse
mfa-email-title = E-Mail-Adresse
mfa-email-current = Ihre E-Mail-Adresse ist { $email }. Damit melden Sie sich an, und an sie senden wir Ihre Mitteilungen.
mfa-new-email = Neue E-Mail-Adresse
mfa-email-code-sent = Wir haben einen sechsstelligen Code an Ihre aktuelle Adresse { $email } gesendet, um sicherzugehen, dass Sie es sind. Geben Sie ihn ein, um fortzufahren.
mfa-confirmation-code = Bestätigungscode
mfa-start-again = Neu beginnen
mfa-email-link-sent = Fast geschafft: Wir haben einen Link an { $email } gesendet. Öffnen Sie ihn, um Ihr Konto auf die neue Adresse umzustellen. Sehen Sie auch im Spam-Ordner nach.
mfa-email-confirm-intro = Bestätigen Sie die neue E-Mail-Adresse Ihres Kontos.
mfa-email-use = Diese Adresse verwenden
mfa-email-unavailable = Diese Adresse können wir nicht verwenden. Wählen Sie eine andere.
mfa-email-changed = Ihre E-Mail-Adresse lautet jetzt { $email }.

## Mein Konto → Passwort
mfa-password-title = Passwort
mfa-password-code-sent = Wir haben einen sechsstelligen Code an { $email } gesendet. Geben Sie ihn ein, um Ihr neues Passwort zu speichern. Ihre anderen Sitzungen werden abgemeldet.
mfa-password-save = Neues Passwort speichern
mfa-current-password = Aktuelles Passwort
mfa-new-password = Neues Passwort
mfa-repeat-password = Neues Passwort wiederholen
mfa-password-none = Ihr Konto hat kein Passwort: Sie melden sich auf andere Weise an. Über einen Link per E-Mail können Sie eines festlegen.
mfa-password-forgot = Aktuelles Passwort vergessen? Wir können Ihnen einen Link senden, mit dem Sie ein neues festlegen.
mfa-send-reset-link = Link zum Zurücksetzen senden
mfa-reset-link-sent = Wir haben einen Link an { $email } gesendet. Öffnen Sie ihn, um Ihr Passwort festzulegen.
mfa-reset-link-wait = Vor einem Moment wurde bereits ein Link gesendet. Versuchen Sie es in { $wait } erneut.
mfa-password-saved = Ihr neues Passwort ist gespeichert. Ihre anderen Sitzungen wurden abgemeldet.

## Formularfehler auf diesen Seiten
field-error-code-already-enabled = Diese Methode ist bereits eingerichtet. Entfernen Sie sie zuerst, um sie neu einzurichten.
field-error-code-no-setup = Es läuft keine Einrichtung. Beginnen Sie neu.
field-error-code-setup-replaced = Diese Einrichtung wurde durch eine neuere ersetzt (in einem anderen Tab?). Scannen Sie den jetzt angezeigten QR-Code und geben Sie dessen Code ein.
field-error-code-malformed = Geben Sie die sechs Ziffern ein, die Ihre App anzeigt.
field-error-code-wrong-code = Dieser Code ist nicht richtig oder wurde bereits verwendet. Prüfen Sie die Uhrzeit auf Ihrem Telefon und geben Sie den aktuell angezeigten Code ein.
field-error-code-code-used = Dieser Code wurde bereits verwendet. Warten Sie, bis Ihre App den nächsten anzeigt.
field-error-code-sign-in-expired = Seit der Eingabe Ihres Passworts ist zu viel Zeit vergangen. Bitte melden Sie sich erneut an.
field-error-code-method-unavailable = Diese Methode ist für Ihr Konto nicht eingerichtet.
field-error-code-email-unverified = Bestätigen Sie zuerst Ihre E-Mail-Adresse.
field-error-code-method-off = Anmeldecodes per E-Mail sind für dieses Konto nicht eingeschaltet.
field-error-code-invalid-code = { $reason ->
    [malformed] Geben Sie die sechs Ziffern aus der E-Mail ein.
    [expired] Dieser Code ist abgelaufen. Beginnen Sie neu, um einen neuen zu erhalten.
    [exhausted] Zu viele falsche Codes. Beginnen Sie neu, um einen neuen zu erhalten.
   *[wrong] { $left ->
        [one] Dieser Code ist nicht richtig. Noch 1 Versuch.
       *[other] Dieser Code ist nicht richtig. Noch { $left } Versuche.
    }
}
field-error-codes-mfa-off = Schalten Sie zuerst einen zweiten Faktor ein: Wiederherstellungscodes ersetzen ihn.
mfa-error-password-no-password = Ihr Konto hat kein Passwort: Geben Sie einen Code aus Ihrer Authenticator-App ein.
mfa-error-password-wrong-password = Dieses Passwort ist nicht richtig.
mfa-error-password-required = Geben Sie Ihr Passwort ein.
mfa-error-name-required = Geben Sie dem Passkey einen Namen, etwa den des Geräts, auf dem er gespeichert ist.
mfa-error-name-too-long = Verwenden Sie höchstens { $max } Zeichen.
mfa-error-name-invalid = Entfernen Sie die Steuerzeichen.
field-error-credential-passkey-refused = Die Antwort des Passkeys konnte nicht geprüft werden. Beginnen Sie neu.
field-error-new-email-same-email = Das ist bereits Ihre E-Mail-Adresse.
field-error-current-password-no-password = Ihr Konto hat noch kein Passwort: Verwenden Sie stattdessen „Link zum Zurücksetzen senden“.
field-error-current-password-wrong-password = Ihr aktuelles Passwort ist nicht richtig.
field-error-repeat-password-mismatch = Die beiden neuen Passwörter stimmen nicht überein.
field-error-identity-last-way-in = Dies ist Ihre einzige Möglichkeit, sich anzumelden. Legen Sie zuerst ein Passwort fest („Passwort vergessen“ auf der Anmeldeseite) und entfernen Sie sie dann.
