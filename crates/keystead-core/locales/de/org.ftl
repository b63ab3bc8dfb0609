# Verwaltungsseiten einer Organisation: Mitglieder, Gruppen, Rollen, Lizenzen, API-Tokens, Einstellungen.
# (Single Sign-on steht in org_sso.ftl.)

## Gemeinsam
org-tab-members = Mitglieder
org-tab-groups = Gruppen
org-tab-roles = Rollen
org-tab-licenses = Lizenzen
org-tab-invoices = Rechnungen
org-tab-sso = Single Sign-on
org-tab-tokens = API-Tokens
org-tab-settings = Einstellungen
org-nav-my-organizations = Meine Organisationen
org-actions = Aktionen
org-search = Suchen
org-name = Name
org-delete = Löschen
org-remove = Entfernen
org-no-member-matches = Kein Mitglied passt zur Suche.
org-invitation-closed = Diese Einladung ist nicht mehr offen: Sie wurde bereits beantwortet, widerrufen oder ist abgelaufen.

## Vordefinierte Rollen
org-role-owner = Inhaber
org-role-admin = Administrator
org-role-license-admin = Lizenzadministrator
org-role-billing-admin = Abrechnungsadministrator
org-role-member = Mitglied
org-role-guest = Gast

## Berechtigungen
org-permission-org-manage = Name, Logo, Domains und Einstellungen der Organisation verwalten
org-permission-members-read = Die Mitglieder sehen
org-permission-members-invite = Personen einladen
org-permission-members-remove = Mitglieder entfernen
org-permission-roles-manage = Rollen verwalten und die Rollen von Mitgliedern ändern
org-permission-groups-manage = Gruppen und ihre Mitglieder verwalten
org-permission-groups-join = Gruppen beitreten, die eine Berechtigung verlangen
org-permission-licenses-assign = Lizenzen zuweisen
org-permission-invoices-read = Rechnungen lesen
org-permission-sso-manage = Single Sign-on verwalten

## Mitglieder
org-members-title = Mitglieder von { $org }
org-members-heading = Mitglieder
org-members-search-label = Nach Name oder Adresse suchen
org-members-col-member = Mitglied
org-members-col-role = Rolle
org-members-col-groups = Gruppen
org-members-col-joined = Beigetreten
org-members-guest = Gast
org-members-role-of = Rolle von { $email }
org-members-change-role = Rolle ändern
# Nur für Screenreader, nach „Rolle ändern“ gelesen.
org-members-change-role-target = für { $email }
org-members-last-owner = Letzter Inhaber
org-members-remove = Entfernen
# Nur für Screenreader, nach „Entfernen“ gelesen.
org-members-remove-target = { $email }
org-members-remove-title = Ein Mitglied entfernen
org-members-remove-message = { $email } verliert den Zugang zu { $org }: Rolle, Gruppen und zugewiesene Plätze dort enden. Das Konto bleibt bestehen.
org-members-previous-page = Vorherige Seite
org-members-next-page = Nächste Seite
org-members-page = Seite { $page }
org-invite-heading = Jemanden einladen
org-invite-email = E-Mail-Adresse
org-invite-role = Rolle
org-invite-send = Einladung senden
org-invitations-heading = Offene Einladungen
org-invitations-none = Keine Einladung ist offen. Laden Sie oben jemanden ein; die Einladung steht hier, bis sie angenommen wird oder abläuft.
org-invitations-col-until = Offen bis
org-invitation-resend = Erneut senden
org-invitation-revoke = Widerrufen
# Nur für Screenreader, nach „Erneut senden“ oder „Widerrufen“ gelesen.
org-invitation-target = die Einladung an { $email }
org-flash-invitation-sent = Eine Einladung an { $email } ist unterwegs.
org-flash-role-changed = Die Rolle ist jetzt { $role }.
org-flash-member-removed = Das Mitglied wurde entfernt.
org-flash-invitation-revoked = Die Einladung wurde widerrufen: Ihr Link funktioniert nicht mehr.
org-flash-invitation-resent = Die Einladung wurde mit einem neuen Link erneut gesendet.

## Gruppen
org-groups-title = Gruppen von { $org }
org-groups-heading = Gruppen
org-groups-empty = Noch keine Gruppen.
org-group-policy-open = offen
org-group-policy-permission = mit Berechtigung
org-group-policy-closed = geschlossen
org-groups-add-label = Mitglied, das zu { $group } hinzugefügt wird
org-groups-add = Hinzufügen
# Nur für Screenreader, nach „Hinzufügen“ gelesen.
org-groups-add-target = zu { $group }
org-groups-new-heading = Neue Gruppe
org-groups-description = Beschreibung
org-groups-join-policy = Wer beitreten darf
org-groups-join-open = Offen: jedes Mitglied
org-groups-join-permission = Mitglieder mit der Berechtigung groups:join
org-groups-join-closed = Geschlossen: Administratoren fügen Mitglieder hinzu
org-groups-create = Gruppe erstellen
org-flash-group-created = Die Gruppe { $name } wurde erstellt.
org-flash-group-deleted = Die Gruppe wurde gelöscht.
org-flash-group-member-added = { $email } ist jetzt in der Gruppe.

## Rollen
org-roles-title = Rollen von { $org }
org-roles-heading = Rollen
org-roles-col-role = Rolle
org-roles-col-permissions = Berechtigungen
org-roles-builtin = Vordefiniert
# Nur für Screenreader, nach „Löschen“ gelesen.
org-roles-delete-target = die Rolle { $role }
org-groups-delete-title = Gruppe löschen
org-groups-delete-message = { $count ->
    [0] Die Gruppe { $group } wird gelöscht. Sie hat keine Mitglieder.
    [one] Die Gruppe { $group } wird gelöscht: Das Mitglied verlässt sie und bleibt in { $org }.
   *[other] Die Gruppe { $group } wird gelöscht: Die { $count } Mitglieder verlassen sie und bleiben in { $org }.
}
org-roles-delete-title = Rolle löschen
org-roles-delete-message = Die Rolle { $role } wird mit den Berechtigungen, die sie gewährt, gelöscht. Solange Mitglieder sie innehaben, bleibt sie bestehen: Geben Sie ihnen zuerst eine andere Rolle.
org-roles-new-heading = Neue eigene Rolle
org-roles-create = Rolle erstellen
org-flash-role-created = Die Rolle { $name } wurde erstellt.
org-flash-role-deleted = Die Rolle wurde gelöscht.

## Lizenzen
org-licenses-title = Lizenzen von { $org }
org-licenses-heading = Lizenzen
org-licenses-empty = Die Organisation hat keine Abonnements.
org-licenses-empty-hint = Abonnements kommen hinzu, wenn Ihre Organisation Lizenzen kauft; ihre Plätze erscheinen dann hier zum Zuweisen.
org-licenses-plan = Tarif
org-licenses-seats-used = { $seats ->
    [one] { $used } von { $seats } Platz belegt
   *[other] { $used } von { $seats } Plätzen belegt
}
org-licenses-status-ended = Beendet
org-licenses-status-starts = Beginnt am { $date }
org-licenses-status-active-until = Aktiv bis { $date }
org-licenses-status-active = Aktiv, ohne Enddatum
org-licenses-no-holder = Kein Platz ist zugewiesen.
org-licenses-col-holder = Inhaber
org-licenses-col-assigned = Zugewiesen
org-licenses-unassign = Zuweisung aufheben
org-licenses-assign-heading = Einen Platz zuweisen
org-licenses-search-label = Mitglieder nach Name oder Adresse finden
org-licenses-col-holds = Hat
org-licenses-col-assign = Zuweisen
org-licenses-holds-every-plan = Hat jeden Tarif
org-licenses-plan-for = Tarif für { $email }
org-licenses-assign = Zuweisen
# Nur für Screenreader, nach „Zuweisen“ gelesen.
org-licenses-assign-target = an { $email }
org-licenses-more-candidates = Weitere Mitglieder passen: Suchen Sie nach einem Namen oder einer Adresse, um die Liste einzugrenzen.
org-licenses-group-heading = Einer Gruppe zuweisen
org-licenses-no-groups = Die Organisation hat keine Gruppen. Gruppen legen Sie auf der Seite „Gruppen“ an.
org-licenses-group-intro = Jedes Mitglied der Gruppe ohne Platz in diesem Tarif erhält einen, solange Plätze frei sind.
org-licenses-group = Gruppe
org-licenses-group-option = { $group } ({ $count })
org-licenses-plan-label = Tarif
org-licenses-assign-group = Plätze der Gruppe zuweisen
org-flash-seat-assigned = Ein Platz in { $plan } wurde zugewiesen.
org-flash-seat-unassigned = Der Platz in { $plan } ist wieder frei.
org-flash-group-seats-assigned = { $count ->
    [0] Kein Mitglied hat einen neuen Platz erhalten.
    [one] { $count } Mitglied hat einen Platz erhalten.
   *[other] { $count } Mitglieder haben einen Platz erhalten.
}
org-flash-group-seats-held = { $count ->
    [one] { $count } hatte bereits einen.
   *[other] { $count } hatten bereits einen.
}
org-flash-group-seats-none-left = Kein Platz mehr frei für: { $names }.

## API-Tokens
org-tokens-title = API-Tokens von { $org }
org-tokens-created-heading = Kopieren Sie Ihr neues Token jetzt
org-tokens-created-once = Es wird nur dieses eine Mal angezeigt; Keystead speichert nur einen Fingerabdruck davon.
org-tokens-created-scim = Geben Sie für die SCIM-Bereitstellung Ihrem Identitätsanbieter die Mandanten-URL
org-tokens-created-scim-after = und dieses Token.
org-tokens-heading = API-Tokens
org-tokens-intro = Tokens erreichen nur diese Organisation und handeln hier mit Ihren Berechtigungen: Verlieren Sie diese, funktionieren sie nicht mehr.
org-tokens-empty = Noch kein Token.
org-tokens-col-token = Token
org-tokens-col-scopes = Bereiche
org-tokens-col-expires = Läuft ab
org-tokens-col-last-used = Zuletzt verwendet
org-tokens-new-heading = Neues Token
org-tokens-name-hint = Wofür es gedacht ist, etwa „Entra-ID-Bereitstellung“.
org-tokens-days = Tage bis zum Ablauf
org-tokens-days-hint = 1 bis 3650. Erneuern Sie es vorher: Ein abgelaufenes Token funktioniert nicht mehr.
org-tokens-create = Token erstellen
org-token-never = nie
org-flash-token-revoked = Das Token wurde widerrufen: Es funktioniert nicht mehr.
org-scope-users-read = Benutzer lesen (beim Token einer Organisation: ihre Mitglieder).
org-scope-users-write = Benutzer anlegen, ändern, deaktivieren und schließen.
org-scope-orgs-read = Organisationen, Mitglieder, Einladungen, Gruppen und Rollen lesen.
org-scope-orgs-write = Organisationen, Mitglieder, Einladungen, Gruppen und Rollen ändern.
org-scope-audit-read = Das Audit-Protokoll lesen.
org-scope-licenses-read = Produkte, Tarife, Abonnements und Plätze lesen.
org-scope-licenses-write = Produkte und Tarife hinzufügen, Abonnements ändern und Plätze zuweisen.
org-scope-webhooks-read = Webhook-Endpunkte und Zustellungen lesen.
org-scope-webhooks-write = Webhook-Endpunkte verwalten und Zustellungen erneut senden.
org-scope-scim = Benutzer und Gruppen über SCIM 2.0 bereitstellen.

## Einstellungen
org-settings-title = Einstellungen von { $org }
org-settings-heading = Einstellungen
org-settings-require-mfa = Zwei-Faktor-Authentifizierung für Mitglieder verlangen
org-settings-min-length = Mindestlänge des Passworts (leer: die der Installation)
org-settings-max-length = Höchstlänge des Passworts (leer: die der Installation)
org-settings-brand-color = Akzentfarbe (leer: die der Installation)
org-settings-brand-color-hint = Als #rrggbb, etwa #1f5fbf. Schaltflächen und Links auf diesen Seiten, auf Einladungen in die Organisation und in der Kopfzeile ihrer Mitglieder übernehmen sie; Text darauf bleibt bei jeder Farbe lesbar.
org-settings-save = Einstellungen speichern
org-flash-settings-saved = Die Einstellungen wurden gespeichert.
org-logo-heading = Logo
org-logo-alt = Das Logo von { $org }
org-logo-initials = { $org } hat noch kein Logo: Die Initialen werden angezeigt
org-logo-replace = Logo ersetzen
org-logo-upload-label = Logo hochladen
org-logo-chosen = Ein Bild ist ausgewählt: Laden Sie es mit der Schaltfläche unten hoch.
org-logo-preview-alt = Das ausgewählte Bild
org-logo-hint = JPEG, PNG oder WebP, bis zu 5 MB. Es wird von der Mitte aus quadratisch zugeschnitten.
org-logo-upload = Logo hochladen
org-logo-remove = Logo entfernen
org-flash-logo-saved = Das Logo wurde gespeichert.
org-flash-logo-removed = Das Logo wurde entfernt.
org-flash-logo-none = Es gibt kein Logo.
org-domains-heading = E-Mail-Domains
org-domains-intro = Eine bestätigte Domain gehört allein dieser Organisation. Um zu belegen, dass eine Domain Ihnen gehört, veröffentlichen Sie einen DNS-TXT-Eintrag unter dem angezeigten Namen mit dem angezeigten Wert und klicken Sie dann auf „Jetzt prüfen“ (Keystead prüft ausstehende Domains außerdem eine Woche lang alle 15 Minuten).
org-domains-empty = Noch keine Domains.
org-domains-verified = Bestätigt
org-domains-pending = Ausstehend
org-domains-record-name = Name des TXT-Eintrags
org-domains-record-value = Wert
org-domain-last-checked = Zuletzt geprüft: { $when }.
org-domain-last-checked-with = Zuletzt geprüft: { $when }: { $message }
org-domains-check = Jetzt prüfen
org-domains-add-label = Domain hinzufügen
org-domains-add = Domain hinzufügen
org-flash-domain-added = { $domain } wurde hinzugefügt. Veröffentlichen Sie den unten angezeigten TXT-Eintrag und klicken Sie dann auf „Jetzt prüfen“.
org-flash-domain-verified = { $domain } ist bestätigt.
org-flash-domain-removed = { $domain } wurde entfernt.
org-delete-heading = Organisation löschen
org-delete-warning = Damit wird { $org } mit allen Mitgliedern, Gruppen, Rollen und Einladungen gelöscht. Das lässt sich nicht rückgängig machen.
org-delete-confirm = Geben Sie zur Bestätigung den Kurznamen ein
org-delete-submit = Organisation löschen
org-flash-org-deleted = { $org } wurde gelöscht.

## Formularfehler der Organisationsseiten (field-error-<Feld>-<Code>)
field-error-password-min-length-out-of-range = Wählen Sie eine Länge von { $min } bis { $max } oder lassen Sie das Feld leer.
field-error-password-max-length-out-of-range = Wählen Sie eine Länge von { $min } bis { $max } oder lassen Sie das Feld leer.
field-error-password-max-length-below-minimum = Die Höchstlänge darf nicht unter der Mindestlänge liegen.
field-error-password-min-length-not-a-number = Geben Sie eine ganze Zahl ein oder lassen Sie das Feld leer.
field-error-password-max-length-not-a-number = Geben Sie eine ganze Zahl ein oder lassen Sie das Feld leer.
field-error-brand-color-invalid-color = Geben Sie eine Farbe als #rrggbb an, etwa #1f5fbf, oder lassen Sie das Feld leer.
field-error-slug-invalid-slug = Verwenden Sie { $min } bis { $max } Kleinbuchstaben, Ziffern und Bindestriche (nicht am Anfang oder Ende).
field-error-slug-slug-taken = Dieser Kurzname ist bereits an eine andere Organisation vergeben: Wählen Sie einen anderen.
field-error-slug-slug-required = Wählen Sie einen Kurznamen: Aus dem Namen lässt sich keiner bilden.
field-error-confirm-confirmation-mismatch = Geben Sie zur Bestätigung den Kurznamen der Organisation ein: { $slug }.
field-error-join-policy-invalid = Wählen Sie, wer beitreten darf: offen, mit Berechtigung oder geschlossen.
field-error-permissions-unknown-permission = Wählen Sie Berechtigungen aus der Liste.
field-error-permissions-required = Wählen Sie mindestens eine Berechtigung.
field-error-name-reserved = Das ist der Name einer vordefinierten Rolle: Wählen Sie einen anderen.
field-error-role-unknown-role = Wählen Sie eine Rolle aus der Liste.
field-error-role-role-in-use = Mitglieder haben diese Rolle: Geben Sie ihnen eine andere Rolle, bevor Sie sie löschen.
field-error-email-already-member = Diese Person gehört der Organisation bereits an.
field-error-email-already-assigned = Diese Person hat bereits einen Platz in diesem Tarif.
field-error-plan-unknown-plan = Es gibt keinen Tarif mit diesem Schlüssel.
field-error-plan-no-subscription = Die Organisation hat kein laufendes Abonnement von { $plan }.
field-error-plan-no-free-seat = { $count ->
    [one] Der einzige Platz in { $plan } ist vergeben: Heben Sie die Zuweisung auf oder fügen Sie zuerst Plätze hinzu.
   *[other] Alle { $count } Plätze in { $plan } sind vergeben: Heben Sie eine Zuweisung auf oder fügen Sie zuerst Plätze hinzu.
}
field-error-domain-invalid-domain = Geben Sie eine Domain wie example.com ein.
field-error-domain-domain-taken = Diese Domain gehört bereits einer Organisation.
field-error-domain-domain-added = Diese Organisation hat diese Domain bereits hinzugefügt.
org-invoices-title = Rechnungen von { $org }
