# E-Mails: alle Konto-, Sicherheits-, Organisations- und Betreiber-E-Mails.

## Der Rahmen jeder E-Mail
email-footer = Diese Nachricht wurde von { $site } ({ $url }) gesendet.
email-button-hint = Falls die Schaltfläche nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:

## Sätze, die mehrere E-Mails teilen
email-link-24h = Der Link kann einmal und 24 Stunden lang verwendet werden.
email-link-1h = Der Link kann einmal und eine Stunde lang verwendet werden.
email-code-subject = { $code } ist Ihr Bestätigungscode für { $site }
email-code-10min = Er ist 10 Minuten lang gültig.
email-nothing-to-do = Wenn Sie das waren, müssen Sie nichts tun.
email-security-always = Dies ist ein Sicherheitshinweis und wird immer gesendet.
email-unknown-address = einer unbekannten Adresse

## Die Test-E-Mail des Betreibers
email-test-subject = Test-E-Mail von { $site }
email-test-body = Dies ist eine Test-E-Mail. Wenn Sie sie lesen können, funktioniert der E-Mail-Versand von { $site }.
email-test-sent = Gesendet am { $time } über den Transport „{ $transport }“.

## Registrierung
email-verify-subject = Bestätigen Sie Ihre E-Mail-Adresse für { $site }
email-verify-welcome = Willkommen bei { $site }! Bitte bestätigen Sie, dass { $email } Ihre E-Mail-Adresse ist.
email-verify-action = Meine E-Mail-Adresse bestätigen
email-verify-after = Wenn Sie kein Konto erstellt haben, ignorieren Sie diese E-Mail: Ohne die Bestätigung geschieht nichts.
email-registered-subject = Sie haben bereits ein Konto bei { $site }
email-registered-body = Jemand – wahrscheinlich Sie – hat versucht, mit { $email } ein Konto bei { $site } zu registrieren. Für diese Adresse besteht bereits ein Konto.
email-registered-reset = Falls Sie Ihr Passwort vergessen haben, können Sie hier ein neues festlegen: { $url }
email-registered-after = Wenn Sie das nicht waren, können Sie diese E-Mail ignorieren: Es wurde nichts geändert.

## Anmeldung
email-new-device-subject = Neue Anmeldung bei Ihrem { $site }-Konto
email-new-device-body = Ihr { $site }-Konto { $email } wurde soeben auf einem neuen Gerät angemeldet: { $device }, von { $ip }, am { $when }.
email-new-device-action = Ihre Sitzungen prüfen
email-new-device-after = Wenn Sie das nicht waren, ändern Sie jetzt Ihr Passwort und melden Sie die Sitzungen ab, die Sie nicht kennen. Dies ist ein Sicherheitshinweis und wird immer gesendet.
email-throttled-subject = Mehrere fehlgeschlagene Anmeldeversuche bei Ihrem { $site }-Konto
email-throttled-body = Es gab mehrere fehlgeschlagene Versuche, sich bei Ihrem { $site }-Konto ({ $email }) anzumelden, der letzte von { $ip }.
email-throttled-pause = Zu Ihrem Schutz ist die Anmeldung für kurze Zeit gesperrt; die Sperre verlängert sich mit jedem weiteren Fehlversuch und endet immer.
email-throttled-forgot = Wenn Sie das waren und Ihr Passwort vergessen haben, können Sie ein neues festlegen.
email-throttled-action = Mein Passwort zurücksetzen
email-throttled-after = Wenn Sie das nicht waren, ist Ihr Passwort weiterhin sicher, solange Sie es nirgendwo sonst verwenden. Erwägen Sie dennoch, es zu ändern.

## Passwörter
email-reset-asked = Jemand hat angefordert, das Passwort des { $site }-Kontos { $email } zurückzusetzen.
email-reset-subject = Setzen Sie Ihr { $site }-Passwort zurück
email-reset-action = Neues Passwort wählen
email-reset-after = Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.
email-reset-managed-subject = Ihr { $site }-Passwort wird von Ihrer Organisation verwaltet
email-reset-managed-why = Die Organisation { $org } meldet ihre Mitglieder über { $connection } an: Die Anmeldung wird von einem externen Anbieter verwaltet, daher kann das Passwort hier weder verwendet noch geändert werden.
email-reset-managed-next = Melden Sie sich mit Ihrer E-Mail-Adresse an: Sie werden zur Anmeldeseite Ihrer Organisation weitergeleitet.
email-reset-managed-after = Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail.
email-password-changed-subject = Ihr { $site }-Passwort wurde geändert
email-password-changed-body = Das Passwort Ihres { $site }-Kontos { $email } wurde soeben geändert.
email-password-changed-nothing = Wenn Sie das waren, müssen Sie nichts weiter tun.
email-password-changed-action = Das war ich nicht: Passwort zurücksetzen
email-password-code-body = Geben Sie diesen Code ein, um die Änderung Ihres Passworts zu bestätigen:
email-password-code-after = Wenn Sie keine Passwortänderung angefordert haben, kennt möglicherweise jemand Ihr Passwort: Ändern Sie es jetzt und melden Sie Ihre anderen Sitzungen ab.

## E-Mail-Adresse ändern
email-change-code-body = Geben Sie diesen Code ein, um zu bestätigen, dass Sie die E-Mail-Adresse Ihres { $site }-Kontos in { $email } ändern möchten:
email-change-code-after = Wenn Sie das nicht angefordert haben, ist möglicherweise jemand bei Ihrem Konto angemeldet: Ändern Sie Ihr Passwort und melden Sie Ihre anderen Sitzungen ab.
email-change-link-subject = Bestätigen Sie Ihre neue E-Mail-Adresse für { $site }
email-change-link-body = Bitte bestätigen Sie, dass { $email } die neue E-Mail-Adresse Ihres { $site }-Kontos ist.
email-change-link-action = Meine neue Adresse bestätigen
email-change-link-after = Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ohne die Bestätigung ändert sich nichts.
email-changed-subject = Die E-Mail-Adresse Ihres { $site }-Kontos wurde geändert
email-changed-body = Die E-Mail-Adresse Ihres { $site }-Kontos wurde von { $old } in { $new } geändert.
email-changed-next = Melden Sie sich ab jetzt mit der neuen Adresse an.
email-changed-after = Wenn Sie das nicht getan haben, wenden Sie sich sofort an Ihren Administrator. Dies ist ein Sicherheitshinweis und wird immer gesendet.

## Konto schließen und reaktivieren
email-closed-subject = Ihr { $site }-Konto ist geschlossen
email-closed-body = Sie haben Ihr { $site }-Konto ({ $email }) am { $date } geschlossen.
email-closed-purge = Ihre persönlichen Daten werden am { $date } endgültig gelöscht. Bis dahin können Sie das Konto reaktivieren, indem Sie sich mit Ihrer E-Mail-Adresse und Ihrem Passwort anmelden.
email-closed-apps = Anwendungen, die Sie autorisiert hatten, wurden abgemeldet und werden bei einer Reaktivierung nicht erneut autorisiert.
email-closed-action = Anmelden und reaktivieren
email-closed-after = Wenn Sie Ihr Konto nicht geschlossen haben, melden Sie sich an, reaktivieren Sie es sofort und ändern Sie dann Ihr Passwort.
email-reactivated-subject = Ihr { $site }-Konto ist wieder aktiv
email-reactivated-body = Ihr { $site }-Konto ({ $email }) wurde reaktiviert und wird nicht gelöscht. Anwendungen, die Sie autorisiert hatten, benötigen erneut Ihre Zustimmung.
email-reactivated-after = Wenn Sie das nicht getan haben, ändern Sie jetzt Ihr Passwort.
email-operator-closed-subject = Ihr { $site }-Konto wurde geschlossen
email-operator-closed-body = Ein Administrator hat Ihr { $site }-Konto ({ $email }) geschlossen.
email-operator-closed-purge = Ihre persönlichen Daten werden am { $date } endgültig gelöscht.
email-operator-closed-after = Wenn Sie das für einen Fehler halten, wenden Sie sich vor diesem Datum an Ihren Administrator.

## Zwei-Faktor-Authentifizierung
email-mfa-changed-subject = Zwei-Faktor-Authentifizierung Ihres { $site }-Kontos geändert
email-mfa-recovery-subject = Neue Wiederherstellungscodes für Ihr { $site }-Konto
email-mfa-reset-subject = Zwei-Faktor-Authentifizierung Ihres { $site }-Kontos zurückgesetzt
email-mfa-passkey-added = Ein Passkey namens „{ $name }“ wurde zu Ihrem { $site }-Konto ({ $email }) hinzugefügt.
email-mfa-passkey-added-unnamed = Ein Passkey wurde zu Ihrem { $site }-Konto ({ $email }) hinzugefügt.
email-mfa-totp-added = Für Ihr { $site }-Konto ({ $email }) wurde eine Authenticator-App eingerichtet.
email-mfa-email-added = Anmeldecodes per E-Mail wurden für Ihr { $site }-Konto ({ $email }) aktiviert.
email-mfa-recovery-added = Für Ihr { $site }-Konto ({ $email }) wurden neue Wiederherstellungscodes erstellt.
email-mfa-now-on = Die Zwei-Faktor-Authentifizierung ist jetzt aktiv: Alle Sitzungen wurden abgemeldet, und bei jeder Anmeldung wird ein zweiter Schritt abgefragt.
email-mfa-passkey-removed = Der Passkey „{ $name }“ wurde aus Ihrem { $site }-Konto ({ $email }) entfernt.
email-mfa-totp-removed = Die Authenticator-App wurde aus Ihrem { $site }-Konto ({ $email }) entfernt.
email-mfa-email-removed = Anmeldecodes per E-Mail wurden für Ihr { $site }-Konto ({ $email }) deaktiviert.
email-mfa-removed = Ein zweiter Faktor wurde aus Ihrem { $site }-Konto ({ $email }) entfernt.
email-mfa-now-off = Die Zwei-Faktor-Authentifizierung ist jetzt deaktiviert: Für die Anmeldung bei Ihrem Konto genügt allein das Passwort.
email-mfa-action = Ihre Sicherheitseinstellungen prüfen
email-mfa-after = Wenn Sie das nicht waren, setzen Sie jetzt Ihr Passwort zurück und prüfen Sie Ihre Anmeldemethoden. Dies ist ein Sicherheitshinweis und wird immer gesendet.
email-mfa-recovery-body = Für Ihr { $site }-Konto ({ $email }) wurden neue Wiederherstellungscodes erstellt; die bisherigen funktionieren nicht mehr.
email-mfa-reset-body = Ein Administrator hat alle Methoden der Zwei-Faktor-Authentifizierung Ihres { $site }-Kontos ({ $email }) entfernt: Ihre Authenticator-App, die Anmeldecodes per E-Mail, Ihre Passkeys und Ihre Wiederherstellungscodes. Alle Sitzungen wurden abgemeldet.
email-mfa-reset-next = Melden Sie sich mit Ihrem Passwort an und richten Sie die Zwei-Faktor-Authentifizierung erneut ein.
email-mfa-code-subject = { $code } ist Ihr Anmeldecode für { $site }
email-mfa-code-enable = Geben Sie diesen Code ein, um Anmeldecodes per E-Mail zu aktivieren:
email-mfa-code-sign-in = Geben Sie diesen Code ein, um die Anmeldung abzuschließen:
email-mfa-code-after = Wenn Sie diesen Code nicht angefordert haben, kennt möglicherweise jemand Ihr Passwort: Ändern Sie es jetzt.

## Lizenzen
email-license-subject = Sie haben eine Lizenz für { $plan }
email-license-body = { $org } hat Ihnen auf { $site } eine Lizenz für { $plan } zugewiesen.
email-license-where = Ihre Lizenzen, ihren Leistungsumfang und ihre Downloads finden Sie unter „Mein Konto“.
email-license-action = Ihre Lizenzen ansehen
email-license-after = Sie erhalten diese E-Mail, weil E-Mails zu Lizenzen aktiviert sind. Sie können sie unter „Mein Konto“ → „Benachrichtigungen“ deaktivieren.

## Einladungen in Organisationen
email-invite-subject = Sie wurden eingeladen, { $org } auf { $site } beizutreten
email-invite-body = { $inviter } hat { $email } eingeladen, { $org } auf { $site } als { $role } beizutreten.
email-invite-team = Das { $site }-Team
email-invite-link = Der Link kann einmal und 7 Tage lang verwendet werden. Wenn Sie noch kein Konto haben, erstellen Sie darüber eines.
email-invite-action = Einladung annehmen
email-invite-after = Wenn Sie nicht beitreten möchten, ignorieren Sie diese E-Mail: Ohne Ihr Zutun geschieht nichts.
email-role-owner = Inhaber
email-role-admin = Administrator
email-role-license-admin = Lizenzadministrator
email-role-billing-admin = Abrechnungsadministrator
email-role-member = Mitglied
email-role-guest = Gast

## Webhooks
email-webhook-disabled-subject = Ein Webhook-Endpunkt wurde deaktiviert
email-webhook-disabled-body = { $days ->
    [one] Zustellungen an Ihren Webhook-Endpunkt { $url } schlagen seit { $days } Tag fehl, daher wurde er deaktiviert.
   *[other] Zustellungen an Ihren Webhook-Endpunkt { $url } schlagen seit { $days } Tagen fehl, daher wurde er deaktiviert.
}
email-webhook-disabled-next = Beheben Sie das Problem beim Empfänger und aktivieren Sie den Endpunkt dann wieder; Ereignisse aus der Zeit, in der er deaktiviert war, werden nicht nachgesendet.
