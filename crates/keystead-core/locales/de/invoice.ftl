# Rechnungen: das PDF, die Rechnungsseite, die Listen und die E-Mail zu einer neuen Rechnung.
invoice-title = Rechnung
invoice-credit-note-title = Gutschrift
invoice-number = Rechnungsnummer
invoice-issued = Rechnungsdatum
invoice-due = Fällig am
invoice-status = Status
invoice-currency = Währung
invoice-credit-note-of = Gutschrift zu
invoice-status-open = Offen
invoice-status-paid = Bezahlt
invoice-status-void = Storniert
invoice-bill-to = RECHNUNG AN
invoice-vat-id = USt-IdNr. { $id }
invoice-anonymised = (Konto geschlossen)
invoice-col-description = Beschreibung
invoice-col-quantity = Menge
invoice-col-unit-price = Einzelpreis
invoice-col-tax = USt.
invoice-col-amount = Betrag
invoice-net = Nettobetrag
invoice-tax-on = USt. { $rate } auf { $net }
invoice-total = Gesamtbetrag
invoice-bank = Bankverbindung
invoice-page = Seite { $page } von { $pages }
invoice-seller = Von
invoice-download-pdf = PDF herunterladen
invoice-back = Alle Rechnungen
invoice-owner = Für
invoice-owner-you = Sie
invoice-list-total = Betrag
invoice-kind-credit-note = Gutschrift
invoice-list-caption = { $count ->
    [one] 1 Rechnung
   *[other] { $count } Rechnungen
}
email-invoice-subject = Rechnung { $number } von { $site }
email-credit-note-subject = Gutschrift { $number } von { $site }
email-invoice-yours = Sie
email-invoice-body = Rechnung { $number } für { $whose } liegt als PDF bei: { $total }, fällig am { $due }.
email-invoice-action = Rechnung ansehen
email-invoice-after = Sie erhalten diese E-Mail, weil Rechnungs-E-Mails eingeschaltet sind. Unter Mein Konto → Benachrichtigungen können Sie sie abschalten.
