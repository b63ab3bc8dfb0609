# Invoices: the PDF, the invoice page, the lists and the email about a new invoice.
invoice-title = Invoice
invoice-credit-note-title = Credit note
invoice-number = Invoice number
invoice-issued = Issue date
invoice-due = Due date
invoice-status = Status
invoice-currency = Currency
invoice-credit-note-of = Credit note for
invoice-status-open = Open
invoice-status-paid = Paid
invoice-status-void = Void
invoice-bill-to = BILL TO
invoice-vat-id = VAT ID { $id }
invoice-anonymised = (account closed)
invoice-col-description = Description
invoice-col-quantity = Qty
invoice-col-unit-price = Unit price
invoice-col-tax = Tax
invoice-col-amount = Amount
invoice-net = Net amount
invoice-tax-on = Tax { $rate } on { $net }
invoice-total = Total
invoice-bank = Bank details
invoice-page = Page { $page } of { $pages }
invoice-seller = From
invoice-download-pdf = Download PDF
invoice-back = All invoices
invoice-owner = For
invoice-owner-you = You
invoice-list-total = Total
invoice-kind-credit-note = credit note
invoice-list-caption = { $count ->
    [one] 1 invoice
   *[other] { $count } invoices
}
email-invoice-subject = Invoice { $number } from { $site }
email-credit-note-subject = Credit note { $number } from { $site }
email-invoice-yours = you
email-invoice-body = Invoice { $number } for { $whose } is attached as a PDF: { $total }, due on { $due }.
email-invoice-action = See the invoice
email-invoice-after = You receive this because invoice emails are on. You can turn them off in My Account → Notifications.
