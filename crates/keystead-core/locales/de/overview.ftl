# Mein Konto → Übersicht: die Seite nach der Anmeldung, wenn keine andere angefordert wurde.
overview-title = Übersicht
overview-welcome = Willkommen, { $name }
overview-signed-in-as = Sie sind angemeldet als { $name }.
overview-intro = Hier sehen Sie, was in Ihrem Konto eingerichtet ist und was als Nächstes zu tun ist.
overview-security = Sicherheit
overview-steps-done = { $count ->
    [one] { $done } von { $count } Schritt erledigt
   *[other] { $done } von { $count } Schritten erledigt
}
overview-done = erledigt
overview-step-password = Ein Passwort für die Anmeldung hier
overview-step-password-action = Passwort festlegen
overview-step-two-factor = Zwei-Faktor-Authentifizierung
overview-step-two-factor-action = Jetzt einschalten
overview-step-recovery = Mindestens { $min } unbenutzte Wiederherstellungscodes
overview-step-recovery-action = Neue Codes erstellen
overview-organizations = Organisationen
overview-no-organizations = Sie gehören noch keiner Organisation an. Wenn Sie jemand einlädt, erscheint die Einladung dort.
overview-organizations-count = { $count ->
    [one] Sie gehören { $count } Organisation an.
   *[other] Sie gehören { $count } Organisationen an.
}
overview-active = Aktuell
overview-manage-organizations = Organisationen und Einladungen
overview-apps = Anwendungen
overview-no-apps = Noch hat keine Anwendung Zugriff auf Ihr Konto.
overview-apps-count = { $count ->
    [one] { $count } Anwendung darf Ihr Konto verwenden:
   *[other] { $count } Anwendungen dürfen Ihr Konto verwenden:
}
overview-manage-apps = Zugriffe prüfen
overview-licenses = Lizenzen
overview-manage-licenses = Lizenzen und Downloads
