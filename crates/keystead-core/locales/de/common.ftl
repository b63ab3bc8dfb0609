# Der Rahmen jeder Seite: Kopf, Fuß, Sprachauswahl, allgemeine Wörter.
skip-to-content = Zum Inhalt springen
sign-in = Anmelden
create-account = Konto erstellen
sign-out = Abmelden
my-account = Mein Konto
language = Sprache
choose-language = Sprache wählen
continue = Weiter
cancel = Abbrechen
save = Speichern
back = Zurück
count-members = { $count ->
    [one] { $count } Mitglied
   *[other] { $count } Mitglieder
}
account-links = Konto
header-organization = Organisation
header-switch-to = Zu { $name } wechseln
header-all-organizations = Alle Organisationen

# A device named from its browser and operating system (sessions, new-device emails).
device-unknown = Unbekanntes Gerät
device-browser = Browser
device-on = { $browser } unter { $os }
