# Mein Konto: die Navigation und die Seiten der Bereiche.

## Navigation
acct-nav-menu = Bereiche
acct-nav-group-personal = Persönliches
acct-nav-group-business = Arbeit und Abrechnung
acct-nav-group-records = Aufzeichnungen und Datenschutz
acct-nav-profile = Profil
acct-nav-email = E-Mail-Adresse
acct-nav-password = Passwort
acct-nav-security = Sicherheit
acct-nav-two-factor = Zwei-Faktor und Passkeys
acct-nav-apps = Verbundene Apps
acct-nav-notifications = Benachrichtigungen
acct-nav-licenses = Lizenzen und Downloads
acct-nav-downloads = Downloads
acct-nav-extensions = Erweiterungen
acct-nav-billing = Rechnungsadresse
acct-nav-invoices = Rechnungen
acct-nav-organizations = Organisationen
acct-nav-groups = Gruppen
acct-nav-agreements = Vereinbarungen
acct-nav-courses = Abgeschlossene Kurse
acct-nav-developer = Entwickler
acct-nav-data = Ihre Daten
acct-nav-close = Konto schließen

## Gemeinsame Wörter
acct-optional = (optional)
acct-actions = Aktionen
acct-choose = Bitte wählen…
acct-list-and = { $items } und { $last }
acct-bytes = { $count ->
    [one] { $count } Byte
   *[other] { $count } Bytes
}
acct-role-owner = Inhaber
acct-role-admin = Administrator
acct-role-license-admin = Lizenzadministrator
acct-role-billing-admin = Abrechnungsadministrator
acct-role-member = Mitglied
acct-role-guest = Gast

## Profil
acct-profile-title = Profil
acct-profile-signed-in-as = Angemeldet als { $email }.
acct-profile-role-in = In { $org } haben Sie die Rolle { $role }.
acct-profile-guest-in = In { $org } sind Sie Gast.
acct-profile-organizations-link = Organisationen und Gruppen
acct-profile-field-given-name = Vorname
acct-profile-field-family-name = Nachname
acct-profile-field-phone = Telefonnummer
acct-profile-field-country = Land
acct-profile-field-city = Ort
acct-profile-field-date-of-birth = Geburtsdatum
acct-profile-field-company = Firma oder Handelsname
acct-profile-field-job-title = Berufsbezeichnung
acct-profile-language-browser = Sprache des Browsers
acct-profile-language-hint = Die Sprache dieser Seiten und der E-Mails, die Sie erhalten.
acct-profile-saved = Ihr Profil ist gespeichert.

## Profilbild
acct-picture-title = Profilbild
acct-picture-alt = Ihr Profilbild
acct-picture-alt-initials = Ihre Initialen, angezeigt, bis Sie ein Bild hochladen
acct-picture-replace = Bild ersetzen
acct-picture-upload-label = Bild hochladen
acct-picture-hint = JPEG, PNG oder WebP, bis zu 5 MB. Es wird von der Mitte aus quadratisch zugeschnitten; Standort- und Kameradaten werden entfernt.
acct-picture-upload = Bild hochladen
acct-picture-remove = Profilbild entfernen
acct-picture-saved = Ihr Profilbild ist gespeichert.
acct-picture-removed = Ihr Profilbild ist entfernt.
acct-picture-none = Sie haben kein Profilbild.

## Benachrichtigungen
acct-notify-title = E-Mail-Benachrichtigungen
acct-notify-intro = Wählen Sie, welche E-Mails Sie von { $site } erhalten.
acct-notify-always-on = Immer aktiv
acct-notify-saved = Ihre E-Mail-Einstellungen sind gespeichert.
acct-notify-security = Sicherheitshinweise
acct-notify-security-description = Anmeldungen von neuen Geräten, Änderungen von Passwort und E-Mail-Adresse. Werden immer gesendet, um Ihr Konto zu schützen.
acct-notify-account = Änderungen an Konto und Mitgliedschaften
acct-notify-account-description = Einladungen, Mitgliedschaften und Rollenänderungen.
acct-notify-licenses = Lizenzen
acct-notify-licenses-description = Ihnen zugewiesene Lizenzen und solche, die bald ablaufen.
acct-notify-invoices = Rechnungen
acct-notify-invoices-description = Neue Rechnungen (für Lizenz- und Abrechnungsadministratoren).
acct-notify-product-news = Produktneuigkeiten
acct-notify-product-news-description = Neue Versionen und Funktionen.
acct-notify-newsletter = Newsletter
acct-notify-newsletter-description = Unser gelegentlicher Newsletter.

## Rechnungsadresse
acct-billing-title = Rechnungsadresse
acct-billing-intro = Wird auf Ihre Rechnungen übernommen.
acct-billing-name = Name oder Firmenname
acct-billing-company = Firma (optional)
acct-billing-line1 = Straße und Hausnummer
acct-billing-line2 = Adresszusatz (optional)
acct-billing-postal-code = Postleitzahl
acct-billing-city = Ort
acct-billing-region = Region oder Bundesland (optional)
acct-billing-country = Land
acct-billing-vat-id = USt-IdNr. (optional)
acct-billing-saved = Ihre Rechnungsadresse ist gespeichert.

## Organisationen
acct-orgs-title = Organisationen
acct-orgs-none = Sie gehören noch keiner Organisation an. Ein Administrator kann Sie einladen.
acct-orgs-intro = Die Organisationen, denen Sie angehören. Anwendungen sehen die, in der Sie gerade arbeiten.
acct-orgs-current = Aktuell
acct-orgs-guest = Gast
acct-orgs-manage = Verwalten
acct-orgs-switch = Anmelden
acct-orgs-switch-hidden = bei { $name }
acct-orgs-switch-label = Bei { $name } anmelden
acct-orgs-leave = Verlassen
acct-orgs-leave-label = { $name } verlassen
acct-orgs-invitations = Einladungen
acct-orgs-invitation-meta = als { $role } · offen bis { $date }
acct-orgs-accept = Annehmen
acct-orgs-accept-label = Einladung zu { $name } annehmen
acct-orgs-decline = Ablehnen
acct-orgs-decline-label = Einladung zu { $name } ablehnen
acct-orgs-invitation-hidden = die Einladung zu { $name }
acct-orgs-create-title = Organisation erstellen
acct-orgs-create-name = Name
acct-orgs-create-slug = Kurzname (optional)
acct-orgs-create = Erstellen
acct-orgs-switched = Sie arbeiten jetzt in { $name }.
acct-orgs-left = Sie haben { $name } verlassen.
acct-orgs-created = { $name } ist erstellt. Sie sind Inhaber.
acct-orgs-joined = Sie sind { $name } beigetreten.
acct-orgs-declined = Die Einladung ist abgelehnt.

## Gruppen
acct-groups-title = Gruppen
acct-groups-intro = Ihre Gruppen in { $org }.
acct-groups-switch = Organisation wechseln
acct-groups-none = Sie sind in keiner Gruppe von { $org }.
acct-groups-no-organization = Sie gehören keiner Organisation an, daher gibt es keine Gruppen anzuzeigen.
acct-groups-others = Weitere Gruppen
acct-groups-policy-open = Offen für alle
acct-groups-policy-permission = Offen für Mitglieder mit Berechtigung
acct-groups-policy-closed = Geschlossen: Administratoren fügen Mitglieder hinzu
acct-groups-join = Beitreten
acct-groups-join-label = { $name } beitreten
acct-groups-leave = Verlassen
acct-groups-leave-label = { $name } verlassen
acct-groups-cannot-join = Ein Administrator fügt Mitglieder hinzu.
acct-groups-joined = Sie sind der Gruppe beigetreten.
acct-groups-left = Sie haben die Gruppe verlassen.

## Lizenzen
acct-licenses-title = Lizenzen und Downloads
acct-licenses-none = Ihnen sind keine Lizenzen zugewiesen.
acct-licenses-none-detail = Wenn Ihre Organisation Ihnen eine Lizenz zuweist, erscheint sie hier mit den Downloads, die sie Ihnen gibt.
acct-licenses-your-downloads = Ihre Downloads
acct-licenses-choose-extensions = Erweiterungen auswählen
acct-licenses-from = Von { $org }
acct-licenses-no-end = Ohne Enddatum
acct-licenses-valid-until = Gültig bis { $date }
acct-licenses-includes = Enthält
acct-licenses-extensions = Erweiterungen
acct-licenses-downloads = { $count ->
    [one] { $count } Download
   *[other] { $count } Downloads
}
acct-licenses-managed = Von Ihnen verwaltete Lizenzen
acct-licenses-seats-of = Plätze von { $name }
acct-machines-title = Aktivierte Geräte
acct-machines-intro = Computer, auf denen Ihre Desktop-Apps aktiviert sind. Deaktivieren Sie einen, den Sie nicht mehr nutzen, um Platz für einen anderen zu schaffen.
acct-machines-meta = aktiviert am { $activated } · zuletzt gesehen am { $seen }
acct-machines-deactivate = Dieses Gerät deaktivieren
acct-machines-deactivated = Das Gerät ist deaktiviert: Sein Platz ist für ein anderes frei.
acct-briefcases-title = Aktentaschen
acct-briefcases-intro = Einstellungen, die Ihre Apps für Sie aufbewahren, damit sie Ihnen von einem Computer zum nächsten folgen.
acct-briefcases-changed = geändert am { $date }
acct-briefcases-download = Herunterladen
acct-briefcases-reset = Zurücksetzen
acct-briefcases-hidden = die Aktentasche von { $name }
acct-briefcases-reset-done = Die Aktentasche ist leer: Die App startet mit ihren Standardeinstellungen.

## Downloads
acct-downloads-title = Downloads
acct-downloads-none = Es gibt nichts für Sie herunterzuladen.
acct-downloads-none-detail = Downloads gehören zu Lizenzen. Wenn Ihre Organisation Ihnen eine Lizenz mit Software zuweist, erscheint sie hier.
acct-downloads-see-licenses = Zu den Lizenzen
acct-downloads-intro = { $minutes ->
    [one] Die Software, die Ihre Lizenzen enthalten. Jeder Download-Link funktioniert { $minutes } Minute lang; vergleichen Sie die SHA-256-Prüfsumme mit der heruntergeladenen Datei, um sicherzugehen, dass sie vollständig angekommen ist.
   *[other] Die Software, die Ihre Lizenzen enthalten. Jeder Download-Link funktioniert { $minutes } Minuten lang; vergleichen Sie die SHA-256-Prüfsumme mit der heruntergeladenen Datei, um sicherzugehen, dass sie vollständig angekommen ist.
}
acct-downloads-start-intro = Wenn Sie es bereits installiert haben, können Sie es starten:
acct-downloads-start-name = { $name } starten
acct-downloads-start = Starten
acct-downloads-start-title = Wenn Sie es bereits installiert haben, können Sie es starten
acct-downloads-version = Version
acct-downloads-platform = Plattform
acct-downloads-released = Veröffentlicht
acct-downloads-size = Größe
acct-downloads-notes = Versionshinweise
acct-downloads-external = extern
acct-downloads-download = Herunterladen
acct-downloads-download-label = { $name } { $version } für { $platform } herunterladen
acct-downloads-from-publisher = von der Website des Herstellers
acct-download-link-invalid = Dieser Download-Link ist ungültig. Öffnen Sie „Downloads“ in „Mein Konto“, um einen neuen zu erhalten.
acct-download-link-expired = { $minutes ->
    [one] Dieser Download-Link ist abgelaufen (Links funktionieren { $minutes } Minute lang). Öffnen Sie „Downloads“ in „Mein Konto“, um einen neuen zu erhalten.
   *[other] Dieser Download-Link ist abgelaufen (Links funktionieren { $minutes } Minuten lang). Öffnen Sie „Downloads“ in „Mein Konto“, um einen neuen zu erhalten.
}
acct-download-unavailable = Dieser Download steht Ihnen nicht mehr zur Verfügung: Die Lizenz, die ihn enthielt, ist abgelaufen, oder das Konto kann nicht verwendet werden.

## Erweiterungen
acct-ext-title = Erweiterungen
acct-ext-none = Keine Ihrer Lizenzen enthält Erweiterungen.
acct-ext-none-detail = Wenn eine Ihrer Lizenzen Erweiterungen enthält, wählen Sie hier die aus, mit denen Sie arbeiten.
acct-ext-see-licenses = Ihre Lizenzen ansehen
acct-ext-intro = Wählen Sie die Erweiterungen aus, mit denen Sie arbeiten; Ihre Anwendungen laden die ausgewählten. Wählen Sie erneut, um die Auswahl aufzuheben.
acct-ext-selected-count = { $count ->
    [0] Noch ist keine ausgewählt.
    [one] { $count } Erweiterung ist ausgewählt.
   *[other] { $count } Erweiterungen sind ausgewählt.
}
acct-ext-group-manufacturers = Hersteller
acct-ext-group-utilities = Hilfsprogramme
acct-ext-selected = Ausgewählt
acct-ext-select = Auswählen
acct-ext-learn-more = Mehr erfahren
acct-ext-learn-more-hidden = über { $name }
acct-ext-selected-flash = { $name } ist ausgewählt.
acct-ext-deselected-flash = { $name } ist nicht mehr ausgewählt.

## Rechnungen und Kurse
acct-invoices-none = Es gibt keine Rechnungen anzuzeigen.
acct-invoices-explanation = Die Rechnungen Ihrer Organisation werden hier für ihre Lizenz- und Abrechnungsadministratoren aufgeführt.
acct-courses-none = Sie haben noch keine Kurse abgeschlossen.
acct-courses-explanation = Kurse, die Sie abschließen, werden hier mit dem Datum des Abschlusses festgehalten.
acct-courses-col-course = Kurs
acct-courses-col-completed = Abgeschlossen
acct-courses-col-score = Ergebnis
acct-courses-col-certificate = Zertifikat
acct-courses-certificate = Zertifikat ansehen
acct-courses-certificate-of = für { $course }

## Entwickler: API-Tokens
acct-dev-title = API-Tokens
acct-dev-intro = Mit Tokens erreichen Skripte und Verzeichnisdienste (Entra ID, Okta) eine Organisation, die Sie verwalten. Jedes Token erreicht eine Organisation und handelt dort mit Ihren Berechtigungen: Es funktioniert nicht mehr, wenn Sie diese verlieren.
acct-dev-none = Sie haben noch kein Token erstellt.
acct-dev-new-title = Neues Token
acct-dev-no-organization = Sie verwalten keine Organisation. Die Inhaber und Administratoren einer Organisation können hier Tokens für sie erstellen.
acct-dev-org-gone = Eine Organisation, die Sie verlassen haben
acct-dev-created-title = Kopieren Sie jetzt Ihr neues Token
acct-dev-created-once = Es wird nur dieses eine Mal angezeigt; Keystead speichert nur einen Fingerabdruck davon.
acct-dev-created-send-as = Senden Sie es als
acct-dev-created-to-api = an die Admin-API
acct-dev-created-openapi = ihr OpenAPI-Dokument
acct-dev-created-scim = Geben Sie für die SCIM-Bereitstellung Ihrem Identitätsanbieter die Mandanten-URL
acct-dev-created-scim-end = und dieses Token.
acct-token-name = Name
acct-token-name-hint = Wofür es dient, etwa „Entra-ID-Bereitstellung“.
acct-token-organization = Organisation
acct-token-token = Token
acct-token-scopes = Berechtigungen
acct-token-expires = Läuft ab
acct-token-last-used = Zuletzt verwendet
acct-token-never = nie
acct-token-created = erstellt am { $date }
acct-token-revoked = Widerrufen
acct-token-revoke = Widerrufen
acct-token-days = Tage bis zum Ablauf
acct-token-days-hint = 1 bis 3650. Erneuern Sie es vorher: Ein abgelaufenes Token funktioniert nicht mehr.
acct-token-create = Token erstellen
acct-token-revoked-flash = Das Token ist widerrufen: Es funktioniert nicht mehr.
acct-token-not-yours = Dieses Token können Sie nicht widerrufen.

## Verbundene Apps
acct-apps-title = Verbundene Apps
acct-apps-intro = Apps, denen Sie die Nutzung Ihres Kontos erlaubt haben. Wenn Sie eine widerrufen, wird sie abgemeldet und fragt Sie beim nächsten Mal erneut.
acct-apps-none = Es sind keine Apps verbunden.
acct-apps-granted = Autorisiert am { $date } · sieht: { $sees }
acct-apps-revoke = Widerrufen
acct-apps-revoke-label = { $name } widerrufen
acct-apps-revoked = { $name } kann Ihr Konto nicht mehr verwenden.
acct-apps-not-connected = Diese App war nicht verbunden.

## Vereinbarungen
acct-agreements-title = Vereinbarungen
acct-agreements-none = Sie haben noch keine Vereinbarungen akzeptiert.
acct-agreements-intro = Jede Version, die Sie akzeptiert haben, mit Zeitpunkt und Herkunft.
acct-agreements-item = { $title } (Version { $version })
acct-agreements-accepted = Akzeptiert am { $date }
acct-agreements-accepted-from = Akzeptiert am { $date } von { $ip }
acct-agreement-all = Alle Vereinbarungen
acct-agreement-meta = Version { $version } · veröffentlicht am { $published } · von Ihnen akzeptiert am { $accepted }

## Ihre Daten
acct-data-title = Ihre Daten
acct-data-intro = Laden Sie alles, was { $site } über Ihr Konto speichert, als JSON-Dokument herunter: Ihr Profil, Ihre Sitzungen, Sicherheitsaktivitäten und Einstellungen.
acct-data-download = Ihre Daten herunterladen

## Konto schließen
acct-close-title = Konto schließen
acct-close-intro = Wenn Sie Ihr { $site }-Konto schließen, werden
acct-close-sign-out = Sie überall abgemeldet und jede Sitzung, jeder per E-Mail gesendete Link und jeder Bestätigungscode beendet;
acct-close-apps = die Zugriffe aller von Ihnen autorisierten Anwendungen beendet – sie werden nicht erneut autorisiert, wenn Sie zurückkehren;
acct-close-grace = { $days ->
    [one] Ihr Konto { $days } Tag lang aufbewahrt (bis zum { $date }): Melden Sie sich in dieser Zeit an, können Sie es reaktivieren;
   *[other] Ihr Konto { $days } Tage lang aufbewahrt (bis zum { $date }): Melden Sie sich in dieser Zeit an, können Sie es reaktivieren;
}
acct-close-delete = danach Ihre personenbezogenen Daten endgültig gelöscht – Name, E-Mail-Adresse, Passwort, persönliche Angaben, Rechnungsadresse, Einstellungen sowie die in Ihren Aktivitäten erfassten Adressen und Geräte. Es bleibt nur ein anonymer Vermerk, dass ein Konto existierte. Dies kann nicht rückgängig gemacht werden.
acct-close-last-owner = { $count ->
    [one] Sie sind der letzte Inhaber von { $names }.
   *[other] Sie sind der letzte Inhaber von { $names }.
}
acct-close-last-owner-detail = Wenn Ihr Konto gelöscht wird, wird der dienstälteste Administrator (sonst das dienstälteste Mitglied) Inhaber; eine Organisation, in der außer Gästen niemand mehr ist, wird gelöscht. Um selbst zu bestimmen, wer übernimmt, machen Sie jemanden zum Inhaber, bevor Sie Ihr Konto schließen.
acct-close-consider = Überlegen Sie, vorher
acct-close-consider-link = Ihre Daten herunterzuladen
acct-close-consider-end = .
acct-close-support = { $days ->
    [one] Doch umentschieden? Innerhalb von { $days } Tag nach dem Schließen hilft Ihnen der Support, Ihr Konto und Ihre Daten zurückzubekommen:
   *[other] Doch umentschieden? Innerhalb von { $days } Tagen nach dem Schließen hilft Ihnen der Support, Ihr Konto und Ihre Daten zurückzubekommen:
}
acct-close-support-page = die Support-Seite
acct-close-accept = Ich habe das oben Stehende sorgfältig gelesen und akzeptiere es
acct-close-password = Aktuelles Passwort
acct-close-recent-sign-in = Zu Ihrem Schutz erfordert das Schließen eine kürzlich erfolgte Anmeldung.
acct-close-submit = Mein Konto schließen
acct-close-done = Ihr Konto ist geschlossen und Sie sind abgemeldet. Ihre personenbezogenen Daten werden am { $date } gelöscht; melden Sie sich vorher an, um das Konto zu reaktivieren.
acct-reactivate-title = Konto reaktivieren
acct-reactivate-done = Willkommen zurück: Ihr Konto ist wieder aktiv.
acct-reactivate-expired = Diese Reaktivierungsanfrage ist abgelaufen. Melden Sie sich erneut an, um Ihr Konto zu reaktivieren.

## Formularfehler auf diesen Seiten
field-error-given-name-required = Geben Sie Ihren Vornamen ein.
field-error-family-name-required = Geben Sie Ihren Nachnamen ein.
field-error-phone-required = Geben Sie Ihre Telefonnummer ein.
field-error-phone-invalid-phone = Geben Sie eine Telefonnummer mit 5 bis 15 Ziffern ein, etwa +49 30 1234567.
field-error-country-required = Geben Sie Ihr Land an.
field-error-country-unknown-country = Wählen Sie ein Land aus der Liste.
field-error-city-required = Geben Sie Ihren Wohnort ein.
field-error-date-of-birth-required = Geben Sie Ihr Geburtsdatum ein.
field-error-date-of-birth-in-future = Das Geburtsdatum kann nicht in der Zukunft liegen.
field-error-date-of-birth-too-old = Prüfen Sie das Jahr des Geburtsdatums.
field-error-date-of-birth-invalid-date = Geben Sie das Datum als JJJJ-MM-TT ein.
field-error-company-required = Geben Sie Ihre Firma oder Ihren Handelsnamen ein.
field-error-job-title-required = Geben Sie Ihre Berufsbezeichnung ein.
field-error-picture-required = Wählen Sie eine Bilddatei zum Hochladen.
field-error-picture-not-an-image = Diese Datei ist kein Bild, das wir lesen können. Laden Sie eine JPEG-, PNG- oder WebP-Datei hoch.
field-error-picture-image-too-large = Dieses Bild hat zu viele Pixel für die Verarbeitung. Verwenden Sie ein Bild mit höchstens { $max } × { $max } Pixeln.
field-error-picture-file-too-large = { $size ->
    [none] Die Datei ist zu groß; laden Sie ein Bild mit höchstens { $max } MB hoch.
   *[other] Die Datei ist { $size } MB groß; laden Sie ein Bild mit höchstens { $max } MB hoch.
}
acct-error-billing-name-required = Geben Sie den Namen oder Firmennamen ein.
field-error-line1-required = Geben Sie Straße und Hausnummer ein.
field-error-postal-code-required = Geben Sie die Postleitzahl ein.
field-error-postal-code-invalid = Verwenden Sie nur Buchstaben, Ziffern, Leerzeichen und Bindestriche.
acct-error-billing-city-required = Geben Sie den Ort ein.
acct-error-billing-country-required = Geben Sie das Land an.
field-error-vat-id-invalid = Geben Sie die USt-IdNr. mit ihrem Länderpräfix ein, etwa DE123456789.
acct-error-token-name-invalid-name = Geben Sie dem Token einen Namen mit 1 bis 100 Zeichen, der sagt, wofür es dient.
acct-error-token-organization-required = Wählen Sie die Organisation, die das Token erreicht.
field-error-scopes-required = Geben Sie dem Token mindestens eine Berechtigung.
field-error-scopes-unknown-scope = { $scope } ist keine Berechtigung; die Berechtigungen sind { $scopes }.
field-error-scopes-scope-not-for-organizations = { $scope } betrifft die gesamte Installation; das Token einer Organisation kann sie nicht enthalten.
field-error-scopes-scope-needs-organization = { $scope } gehört immer zu einer Organisation: Geben Sie die Organisation an.
field-error-days-invalid-days = Ein Token gilt { $min } bis { $max } Tage.
acct-error-close-accept-required = Setzen Sie das Häkchen, um zu bestätigen, dass Sie das oben Stehende gelesen haben und akzeptieren.
acct-error-close-password-required = Geben Sie Ihr aktuelles Passwort ein.
acct-error-close-password-reauthenticate = Melden Sie sich ab und wieder an, und schließen Sie das Konto dann innerhalb von fünf Minuten.
acct-error-close-password-wrong-password = Das Passwort ist nicht richtig.
