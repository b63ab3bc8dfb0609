# Faturalar: PDF, fatura sayfası, listeler ve yeni bir fatura hakkındaki e-posta.
invoice-title = Fatura
invoice-credit-note-title = İade faturası
invoice-number = Fatura numarası
invoice-issued = Düzenleme tarihi
invoice-due = Son ödeme tarihi
invoice-status = Durum
invoice-currency = Para birimi
invoice-credit-note-of = İade edilen fatura
invoice-status-open = Açık
invoice-status-paid = Ödendi
invoice-status-void = İptal edildi
invoice-bill-to = FATURA ADRESİ
invoice-vat-id = Vergi no. { $id }
invoice-anonymised = (hesap kapatıldı)
invoice-col-description = Açıklama
invoice-col-quantity = Miktar
invoice-col-unit-price = Birim fiyat
invoice-col-tax = KDV
invoice-col-amount = Tutar
invoice-net = Ara toplam
invoice-tax-on = { $net } üzerinden KDV { $rate }
invoice-total = Genel toplam
invoice-bank = Banka bilgileri
invoice-page = Sayfa { $page } / { $pages }
invoice-seller = Satıcı
invoice-download-pdf = PDF'yi indir
invoice-back = Tüm faturalar
invoice-owner = Kime
invoice-owner-you = Siz
invoice-list-total = Tutar
invoice-kind-credit-note = iade faturası
invoice-list-caption = { $count ->
    [one] 1 fatura
   *[other] { $count } fatura
}
email-invoice-subject = { $site } faturası { $number }
email-credit-note-subject = { $site } iade faturası { $number }
email-invoice-yours = sizin
email-invoice-body = { $whose } için { $number } numaralı fatura PDF olarak ektedir: { $total }, son ödeme tarihi { $due }.
email-invoice-after = Fatura e-postaları açık olduğu için bu mesajı alıyorsunuz. Hesabım → Bildirimler bölümünden kapatabilirsiniz.
email-invoice-action = Faturayı görüntüle
