# Verwaltungskonsole (Issue 17), Anwendungen: OAuth-Clients, Signaturschlüssel, Vereinbarungen.

## OAuth-Clients
admin-clients-intro = Anwendungen, die Personen über diesen Server anmelden (OpenID Connect) oder mit eigenen Tokens die Admin-API aufrufen.
admin-clients-none = Noch keine Anwendung registriert.
admin-clients-new = Client registrieren
admin-clients-new-title = OAuth-Client registrieren
admin-clients-back = Alle OAuth-Clients
admin-clients-col-client-id = Client-ID
admin-clients-col-type = Typ
admin-clients-col-grants = Grant-Typen
admin-clients-col-created = Registriert
admin-clients-col-scope = Scopes
admin-clients-col-granted = Zugestimmt
admin-clients-updated = Zuletzt geändert
admin-clients-first-party = eigene Anwendung
admin-clients-kind = Typ
admin-clients-kind-confidential = Vertraulich
admin-clients-kind-confidential-hint = Ein Server, der ein Geheimnis bewahren kann. Er erhält ein Client-Secret.
admin-clients-kind-public = Öffentlich
admin-clients-kind-public-hint = Läuft dort, wo ein Geheimnis offenläge: Desktop-, Mobil-, Browser- oder Kommandozeilen-Anwendung. Kein Secret; PKCE ist Pflicht.
admin-clients-name-hint = Wird Personen auf der Zustimmungsseite angezeigt.
admin-clients-first-party-label = Eigene Anwendung (First-Party)
admin-clients-first-party-hint = Ihre eigene Anwendung: Personen werden nicht um Zustimmung gebeten.
admin-clients-redirect-uris = Redirect-URIs
admin-clients-redirect-uris-hint = Eine pro Zeile. HTTPS, außer http://127.0.0.1 und http://[::1] für native Anwendungen (beliebiger Port); ein öffentlicher Client darf auch ein eigenes Schema wie com.example.app:/callback verwenden.
admin-clients-grants = Grant-Typen
admin-clients-grants-hint = Keiner ausgewählt bedeutet Autorisierungscode und Refresh-Token.
admin-clients-grant-authorization-code = Autorisierungscode
admin-clients-grant-refresh-token = Refresh-Token
admin-clients-grant-client-credentials = Client-Credentials
admin-clients-grant-device-code = Gerätecode
admin-clients-more = Weitere Einstellungen
admin-clients-post-logout-uris = Redirect-URIs nach der Abmeldung
admin-clients-post-logout-uris-hint = Eine pro Zeile: wohin die Anwendung Personen nach der Abmeldung schicken darf.
admin-clients-backchannel-uri = Back-Channel-Logout-URI
admin-clients-backchannel-uri-hint = Optional. Dieser Server sendet dorthin ein Logout-Token, wenn eine Sitzung endet.
admin-clients-id-token-alg = Signaturalgorithmus der ID-Tokens
admin-clients-api-scopes = Admin-API-Scopes
admin-clients-api-scopes-hint = Was die eigenen Tokens des Clients (Client-Credentials-Grant) in der Admin-API dürfen. Nur für einen vertraulichen Client mit dem Client-Credentials-Grant.
admin-clients-require-par = Pushed Authorization Requests verlangen
admin-clients-require-par-hint = Autorisierungsanfragen müssen zuerst an /oauth/par gesendet werden (RFC 9126).
admin-clients-create = Registrieren
admin-clients-fix-errors = Einige Felder brauchen Ihre Aufmerksamkeit.
admin-clients-created = { $name } ist registriert.
admin-clients-created-title = Client registriert
admin-clients-secret = Client-Secret
admin-clients-secret-once = Kopieren Sie das Secret jetzt und bewahren Sie es sicher auf: Es wird nur dieses eine Mal angezeigt.
admin-clients-previous-until = Das bisherige Secret funktioniert noch bis { $date }.
admin-clients-previous-secret = Bisheriges Secret
admin-clients-to-client = Zum Client
admin-clients-edit-title = Registrierung
admin-clients-save = Änderungen speichern
admin-clients-saved = Die Änderungen an { $name } sind gespeichert.
admin-clients-changed-meanwhile = Jemand hat diesen Client geändert, nachdem Sie die Seite geöffnet haben. Ihre Eingaben stehen unten; vergleichen Sie sie mit der aktuellen Registrierung und speichern Sie erneut.
admin-clients-consents = Zustimmungen
admin-clients-consent-count = { $count ->
    [one] Ein Konto hat zugestimmt
   *[other] { $count } Konten haben zugestimmt
}
admin-clients-consents-none = Noch niemand hat dieser Anwendung zugestimmt.
admin-clients-consents-first-party = Eine eigene Anwendung fragt nicht nach Zustimmung.
admin-clients-newer = Neuere
admin-clients-older = Ältere
admin-clients-credentials-title = Secret und Löschen
admin-clients-rotate-intro = Ein neues Secret ersetzt das aktuelle. Sie können das aktuelle Secret noch eine Weile gelten lassen, damit die Anwendung ohne Ausfall umstellen kann.
admin-clients-rotate = Neues Secret erzeugen
admin-clients-rotate-title = Dem Client ein neues Secret geben
admin-clients-rotate-message = { $name } erhält ein neues Secret, das auf der nächsten Seite einmal angezeigt wird. Bis die Anwendung es verwendet, kann sie sich mit dem alten nicht anmelden, es sei denn, Sie lassen das alte noch eine Weile gelten.
admin-clients-overlap = Aktuelles Secret weiter gelten lassen
admin-clients-overlap-hint = Höchstens sieben Tage.
admin-clients-overlap-none = Nein, es gilt ab sofort nicht mehr
admin-clients-overlap-hours = { $count ->
    [one] Eine Stunde lang
   *[other] { $count } Stunden lang
}
admin-clients-overlap-days = { $count ->
    [one] Einen Tag lang
   *[other] { $count } Tage lang
}
admin-clients-rotated-title = Neues Client-Secret
admin-clients-delete-intro = Das Löschen beendet die Zustimmungen, Berechtigungen und Tokens des Clients; Personen, die die Anwendung nutzen, werden von ihr abgemeldet.
admin-clients-delete = Client löschen
admin-clients-delete-title = OAuth-Client löschen
admin-clients-delete-message = { $name } wird mit seinen Zustimmungen ({ $count }), Berechtigungen und Tokens gelöscht. Die Anwendung kann danach niemanden mehr anmelden. Das lässt sich nicht rückgängig machen.
admin-clients-deleted = { $name } ist gelöscht.
admin-clients-error-name-invalid-name = Geben Sie der Anwendung einen Namen mit 1 bis 100 Zeichen.
admin-clients-error-grant-public-client-credentials = Ein öffentlicher Client kann den Client-Credentials-Grant nicht verwenden.
admin-clients-error-redirect-uri-required = Der Autorisierungscode-Grant braucht mindestens eine Redirect-URI.
admin-clients-error-redirect-uri-invalid-uri = „{ $uri }“ ist keine absolute URL (höchstens 512 Zeichen).
admin-clients-error-redirect-uri-fragment = „{ $uri }“ darf kein Fragment (#…) enthalten.
admin-clients-error-redirect-uri-insecure-uri = „{ $uri }“ muss https verwenden (http nur für 127.0.0.1 oder [::1]; ein eigenes Schema wie com.example.app: nur für öffentliche Clients).
admin-clients-error-post-logout-redirect-uri-invalid-uri = „{ $uri }“ ist keine absolute URL (höchstens 512 Zeichen).
admin-clients-error-post-logout-redirect-uri-fragment = „{ $uri }“ darf kein Fragment (#…) enthalten.
admin-clients-error-post-logout-redirect-uri-insecure-uri = „{ $uri }“ muss https verwenden (http nur für 127.0.0.1 oder [::1]; ein eigenes Schema wie com.example.app: nur für öffentliche Clients).
admin-clients-error-backchannel-logout-uri-invalid-uri = „{ $uri }“ ist keine absolute URL (höchstens 512 Zeichen).
admin-clients-error-backchannel-logout-uri-fragment = „{ $uri }“ darf kein Fragment (#…) enthalten.
admin-clients-error-backchannel-logout-uri-insecure-uri = „{ $uri }“ muss https verwenden.
admin-clients-error-backchannel-logout-uri-private-address = Diese Adresse liegt in einem privaten Netz, an das dieser Server keine Anfragen sendet (outbound.allow_private_networks).
admin-clients-error-id-token-alg-unknown-alg = Wählen Sie RS256, ES256 oder EdDSA.
admin-clients-error-api-scopes-needs-client-credentials = Admin-API-Scopes sind für einen vertraulichen Client mit dem Client-Credentials-Grant.
admin-clients-error-keep-previous-out-of-range = Wählen Sie, wie lange das aktuelle Secret weiter gilt.

## Signaturschlüssel
admin-keys-intro = Die Schlüssel, die ID-Tokens und Access-Tokens signieren, veröffentlicht unter /.well-known/jwks.json. Ein neuer Schlüssel wird veröffentlicht, bevor er signiert, und ein ausgemusterter bleibt veröffentlicht, bis die von ihm signierten Tokens abgelaufen sind.
admin-keys-none = Noch kein Signaturschlüssel: Für jeden Algorithmus wird einer erzeugt, sobald er gebraucht wird.
admin-keys-col-kid = Schlüssel-ID
admin-keys-col-alg = Algorithmus
admin-keys-col-state = Status
admin-keys-col-created = Erzeugt
admin-keys-col-signs-from = Signiert ab
admin-keys-col-retires = Ausgemustert ab
admin-keys-col-unpublished = Nicht mehr veröffentlicht ab
admin-keys-state-next = nächster
admin-keys-state-active = aktiv
admin-keys-state-retired = ausgemustert
admin-keys-age-days = { $count ->
    [0] heute
    [one] einen Tag alt
   *[other] { $count } Tage alt
}
admin-keys-rotate = Schlüssel rotieren
admin-keys-rotate-title = Signaturschlüssel rotieren
admin-keys-rotate-message = Jeder Algorithmus ohne nächsten Schlüssel erhält jetzt einen. Er wird sofort veröffentlicht und signiert { $hours ->
    [one] eine Stunde später
   *[other] { $hours } Stunden später
}; der aktuelle Schlüssel wird dann ausgemustert und bleibt veröffentlicht, bis die von ihm signierten Tokens abgelaufen sind.
admin-keys-rotated = { $count ->
    [one] Ein neuer Schlüssel ist veröffentlicht.
   *[other] { $count } neue Schlüssel sind veröffentlicht.
}
admin-keys-rotate-nothing = Jeder Algorithmus hat bereits einen nächsten Schlüssel: Es gibt nichts zu rotieren.
admin-keys-retire = Ausmustern
admin-keys-retire-title = Signaturschlüssel ausmustern
admin-keys-retire-message = Der { $alg }-Schlüssel { $kid } signiert ab sofort nicht mehr, und sein nächster Schlüssel übernimmt sofort (gibt es keinen, wird ein neuer erzeugt). Von ihm signierte Tokens bleiben gültig, bis sie ablaufen. Anwendungen, die die veröffentlichten Schlüssel zwischenspeichern, laden sie neu, wenn sie auf den neuen Schlüssel treffen.
admin-keys-retired = Der Schlüssel { $kid } ist ausgemustert; { $successor } signiert jetzt.
admin-keys-error-kid-not-signing = Nur der Schlüssel, der gerade signiert, kann ausgemustert werden.

## Vereinbarungen
admin-agreements-intro = Dokumente, denen Personen zustimmen, etwa die Nutzungsbedingungen. Versionen werden nie bearbeitet: Veröffentlichen Sie eine neue. Die neueste Version eines Schlüssels wird, wenn sie verpflichtend ist, von allen verlangt.
admin-agreements-none = Noch keine Vereinbarung veröffentlicht.
admin-agreements-new = Vereinbarung veröffentlichen
admin-agreements-new-version = Neue Version
admin-agreements-new-title = Version einer Vereinbarung veröffentlichen
admin-agreements-back = Alle Vereinbarungen
admin-agreements-col-version = Version
admin-agreements-col-title = Titel
admin-agreements-col-required = Verpflichtend
admin-agreements-col-published = Veröffentlicht
admin-agreements-col-acceptances = Zustimmungen
admin-agreements-col-accepted = Zugestimmt
admin-agreements-current = aktuell
admin-agreements-required-yes = Verpflichtend
admin-agreements-required-no = Freiwillig
admin-agreements-key = Schlüssel
admin-agreements-key-hint = Welches Dokument: Kleinbuchstaben, Ziffern, - und _, beginnend mit einem Buchstaben (etwa terms oder privacy). Ein neuer Schlüssel beginnt mit Version 1.
admin-agreements-key-next = Damit wird Version { $version } dieses Schlüssels veröffentlicht.
admin-agreements-body = Text (Markdown)
admin-agreements-body-hint = Überschriften (#), Listen, **fett**, Links. HTML wird als Text angezeigt, Bilder als ihre Beschreibung.
admin-agreements-required = Alle müssen zustimmen
admin-agreements-required-hint = Personen werden gebeten, dieser Version zuzustimmen, bevor sie ihr Konto weiter nutzen.
admin-agreements-preview = Vorschau
admin-agreements-publish = Veröffentlichen
admin-agreements-preview-title = Vorschau
admin-agreements-preview-intro = So sehen Personen den Text. Noch ist nichts veröffentlicht.
admin-agreements-preview-empty = Der Text ist leer.
admin-agreements-fix-errors = Einige Felder brauchen Ihre Aufmerksamkeit.
admin-agreements-published = Version { $version } von { $key } ist veröffentlicht.
admin-agreements-version-title = { $key }, Version { $version }
admin-agreements-text = Text
admin-agreements-acceptors = Zugestimmt haben
admin-agreements-acceptors-none = Dieser Version hat noch niemand zugestimmt.
admin-agreements-first-page = Erste Seite
admin-agreements-next-page = Nächste Seite
admin-agreements-error-key-invalid-key = Verwenden Sie 1 bis 40 Kleinbuchstaben, Ziffern, - oder _, beginnend mit einem Buchstaben (etwa terms).
admin-agreements-error-key-published-meanwhile = Diese Version wurde gerade veröffentlicht. Prüfen Sie die Liste, bevor Sie erneut veröffentlichen.
admin-agreements-error-title-invalid-title = Geben Sie einen Titel mit 1 bis 200 Zeichen in einer Zeile an.
admin-agreements-error-body-empty = Der Text ist leer.
admin-agreements-error-body-too-long = Der Text ist größer als 512 KiB.
