# Yönetim konsolu (issue 17), Uygulamalar: OAuth istemcileri, imzalama anahtarları, sözleşmeler.

## OAuth istemcileri
admin-clients-intro = Bu sunucuyla kişilerin oturumunu açan (OpenID Connect) veya kendi belirteçleriyle yönetim API'sini çağıran uygulamalar.
admin-clients-none = Henüz kayıtlı uygulama yok.
admin-clients-new = İstemci kaydet
admin-clients-new-title = OAuth istemcisi kaydet
admin-clients-back = Tüm OAuth istemcileri
admin-clients-col-client-id = İstemci kimliği
admin-clients-col-type = Tür
admin-clients-col-grants = Yetki türleri
admin-clients-col-created = Kayıt tarihi
admin-clients-col-scope = Kapsamlar
admin-clients-col-granted = Onay tarihi
admin-clients-updated = Son değişiklik
admin-clients-first-party = birinci taraf
admin-clients-kind = Tür
admin-clients-kind-confidential = Gizli
admin-clients-kind-confidential-hint = Bir sırrı saklayabilen bir sunucu. Bir istemci sırrı alır.
admin-clients-kind-public = Açık
admin-clients-kind-public-hint = Bir sırrın açığa çıkacağı yerde çalışır: masaüstü, mobil, tarayıcı veya komut satırı uygulaması. Sır yoktur; PKCE zorunludur.
admin-clients-name-hint = Onay ekranında kişilere gösterilir.
admin-clients-first-party-label = Birinci taraf uygulama
admin-clients-first-party-hint = Kendi uygulamanız: kişilerden onay istenmez.
admin-clients-redirect-uris = Yönlendirme URI'leri
admin-clients-redirect-uris-hint = Her satıra bir tane. HTTPS; yerel uygulamalar için http://127.0.0.1 ve http://[::1] (herhangi bir bağlantı noktası) hariç. Açık bir istemci com.example.app:/callback gibi özel bir şema da kullanabilir.
admin-clients-grants = Yetki türleri
admin-clients-grants-hint = Hiçbiri seçilmezse yetkilendirme kodu ve yenileme belirteci kullanılır.
admin-clients-grant-authorization-code = Yetkilendirme kodu
admin-clients-grant-refresh-token = Yenileme belirteci
admin-clients-grant-client-credentials = İstemci kimlik bilgileri
admin-clients-grant-device-code = Cihaz kodu
admin-clients-more = Diğer ayarlar
admin-clients-post-logout-uris = Oturum kapatma sonrası yönlendirme URI'leri
admin-clients-post-logout-uris-hint = Her satıra bir tane: uygulamanın, oturumu kapatan kişileri gönderebileceği adresler.
admin-clients-backchannel-uri = Arka kanal oturum kapatma URI'si
admin-clients-backchannel-uri-hint = İsteğe bağlı. Bir oturum sona erdiğinde bu sunucu oraya bir oturum kapatma belirteci gönderir.
admin-clients-id-token-alg = Kimlik belirteci imzalama algoritması
admin-clients-api-scopes = Yönetim API'si kapsamları
admin-clients-api-scopes-hint = İstemcinin kendi belirteçlerinin (istemci kimlik bilgileri yetkisi) yönetim API'sinde neler yapabileceği. Yalnızca istemci kimlik bilgileri yetkisine sahip gizli bir istemci için.
admin-clients-require-par = İletilmiş yetkilendirme isteklerini zorunlu kıl
admin-clients-require-par-hint = Yetkilendirme istekleri önce /oauth/par adresine gönderilmelidir (RFC 9126).
admin-clients-create = Kaydet
admin-clients-fix-errors = Bazı alanların düzeltilmesi gerekiyor.
admin-clients-created = { $name } kaydedildi.
admin-clients-created-title = İstemci kaydedildi
admin-clients-secret = İstemci sırrı
admin-clients-secret-once = Sırrı şimdi kopyalayın ve güvenle saklayın: yalnızca bu kez gösterilir, bir daha gösterilemez.
admin-clients-previous-until = Önceki sır { $date } tarihine kadar çalışmaya devam eder.
admin-clients-previous-secret = Önceki sır
admin-clients-to-client = İstemciye git
admin-clients-edit-title = Kayıt
admin-clients-save = Değişiklikleri kaydet
admin-clients-saved = { $name } için yapılan değişiklikler kaydedildi.
admin-clients-changed-meanwhile = Siz sayfayı açtıktan sonra biri bu istemciyi değiştirdi. Girdiğiniz bilgiler aşağıda; güncel kayıtla karşılaştırıp yeniden kaydedin.
admin-clients-consents = Onaylar
admin-clients-consent-count = { $count ->
    [one] Bir hesap onay verdi
   *[other] { $count } hesap onay verdi
}
admin-clients-consents-none = Bu uygulamaya henüz kimse onay vermedi.
admin-clients-consents-first-party = Birinci taraf bir uygulama onay istemez.
admin-clients-newer = Daha yeni
admin-clients-older = Daha eski
admin-clients-credentials-title = Sır ve silme
admin-clients-rotate-intro = Yeni bir sır, geçerli olanın yerini alır. Uygulamanın kesintisiz geçiş yapabilmesi için geçerli sırrın bir süre daha çalışmasına izin verebilirsiniz.
admin-clients-rotate = Yeni sır oluştur
admin-clients-rotate-title = İstemciye yeni bir sır ver
admin-clients-rotate-message = { $name } yeni bir sır alacak; sır bir sonraki sayfada bir kez gösterilir. Eski sırrın bir süre daha çalışmasına izin vermezseniz uygulama, yeni sırrı kullanana kadar oturum açamaz.
admin-clients-overlap = Geçerli sır çalışmaya devam etsin
admin-clients-overlap-hint = En fazla yedi gün.
admin-clients-overlap-none = Hayır, hemen çalışmayı bıraksın
admin-clients-overlap-hours = { $count ->
    [one] Bir saat boyunca
   *[other] { $count } saat boyunca
}
admin-clients-overlap-days = { $count ->
    [one] Bir gün boyunca
   *[other] { $count } gün boyunca
}
admin-clients-rotated-title = Yeni istemci sırrı
admin-clients-delete-intro = İstemciyi silmek onaylarını, yetkilerini ve belirteçlerini sona erdirir; uygulamayı kullanan kişilerin oturumu uygulamada kapanır.
admin-clients-delete = İstemciyi sil
admin-clients-delete-title = OAuth istemcisini sil
admin-clients-delete-message = { $name }, onayları ({ $count }), yetkileri ve belirteçleriyle birlikte silinecek. Uygulama artık kimsenin oturumunu açamaz. Bu işlem geri alınamaz.
admin-clients-deleted = { $name } silindi.
admin-clients-error-name-invalid-name = Uygulamaya 1 ile 100 karakter arasında bir ad verin.
admin-clients-error-grant-public-client-credentials = Açık bir istemci, istemci kimlik bilgileri yetkisini kullanamaz.
admin-clients-error-redirect-uri-required = Yetkilendirme kodu yetkisi en az bir yönlendirme URI'si gerektirir.
admin-clients-error-redirect-uri-invalid-uri = “{ $uri }” mutlak bir URL değil (en fazla 512 karakter).
admin-clients-error-redirect-uri-fragment = “{ $uri }” bir parça (#…) içermemelidir.
admin-clients-error-redirect-uri-insecure-uri = “{ $uri }” https kullanmalıdır (http yalnızca 127.0.0.1 veya [::1] için; com.example.app: gibi özel bir şema yalnızca açık istemciler için).
admin-clients-error-post-logout-redirect-uri-invalid-uri = “{ $uri }” mutlak bir URL değil (en fazla 512 karakter).
admin-clients-error-post-logout-redirect-uri-fragment = “{ $uri }” bir parça (#…) içermemelidir.
admin-clients-error-post-logout-redirect-uri-insecure-uri = “{ $uri }” https kullanmalıdır (http yalnızca 127.0.0.1 veya [::1] için; com.example.app: gibi özel bir şema yalnızca açık istemciler için).
admin-clients-error-backchannel-logout-uri-invalid-uri = “{ $uri }” mutlak bir URL değil (en fazla 512 karakter).
admin-clients-error-backchannel-logout-uri-fragment = “{ $uri }” bir parça (#…) içermemelidir.
admin-clients-error-backchannel-logout-uri-insecure-uri = “{ $uri }” https kullanmalıdır.
admin-clients-error-backchannel-logout-uri-private-address = Bu adres, bu sunucunun istek göndermediği özel bir ağda (outbound.allow_private_networks).
admin-clients-error-id-token-alg-unknown-alg = RS256, ES256 veya EdDSA seçin.
admin-clients-error-api-scopes-needs-client-credentials = Yönetim API'si kapsamları, istemci kimlik bilgileri yetkisine sahip gizli bir istemci içindir.
admin-clients-error-keep-previous-out-of-range = Geçerli sırrın ne kadar süre çalışmaya devam edeceğini seçin.

## İmzalama anahtarları
admin-keys-intro = Kimlik belirteçlerini ve erişim belirteçlerini imzalayan, /.well-known/jwks.json adresinde yayımlanan anahtarlar. Yeni bir anahtar imzalamaya başlamadan önce yayımlanır; emekliye ayrılan bir anahtar ise imzaladığı belirteçlerin süresi dolana kadar yayımlanmaya devam eder.
admin-keys-none = Henüz imzalama anahtarı yok: her algoritma için ilk gerektiğinde bir anahtar oluşturulur.
admin-keys-col-kid = Anahtar kimliği
admin-keys-col-alg = Algoritma
admin-keys-col-state = Durum
admin-keys-col-created = Oluşturulma
admin-keys-col-signs-from = İmzalamaya başlama
admin-keys-col-retires = Emekliye ayrılma
admin-keys-col-unpublished = Yayından kalkma
admin-keys-state-next = sıradaki
admin-keys-state-active = etkin
admin-keys-state-retired = emekli
admin-keys-age-days = { $count ->
    [0] bugün
    [one] bir günlük
   *[other] { $count } günlük
}
admin-keys-rotate = Anahtarları yenile
admin-keys-rotate-title = İmzalama anahtarlarını yenile
admin-keys-rotate-message = Sıradaki anahtarı olmayan her algoritma şimdi bir anahtar alır. Anahtar hemen yayımlanır ve { $hours ->
    [one] bir saat sonra
   *[other] { $hours } saat sonra
} imzalamaya başlar; geçerli anahtar o zaman emekliye ayrılır ve imzaladığı belirteçlerin süresi dolana kadar yayımlanmaya devam eder.
admin-keys-rotated = { $count ->
    [one] Bir yeni anahtar yayımlandı.
   *[other] { $count } yeni anahtar yayımlandı.
}
admin-keys-rotate-nothing = Her algoritmanın zaten sıradaki bir anahtarı var: yenilenecek bir şey yok.
admin-keys-retire = Emekliye ayır
admin-keys-retire-title = İmzalama anahtarını emekliye ayır
admin-keys-retire-message = { $alg } anahtarı { $kid } hemen imzalamayı bırakır ve yerine sıradaki anahtarı geçer (yoksa yeni bir anahtar oluşturulur). İmzaladığı belirteçler süreleri dolana kadar geçerli kalır. Yayımlanan anahtarları önbelleğe alan uygulamalar, yeni anahtarla karşılaştıklarında onları yeniden alır.
admin-keys-retired = { $kid } anahtarı emekliye ayrıldı; artık { $successor } imzalıyor.
admin-keys-error-kid-not-signing = Yalnızca şu anda imzalayan anahtar emekliye ayrılabilir.

## Sözleşmeler
admin-agreements-intro = Kişilerin kabul ettiği belgeler, örneğin kullanım koşulları. Sürümler asla düzenlenmez: yeni bir sürüm yayımlayın. Bir anahtarın en yeni sürümü zorunluysa herkesten istenir.
admin-agreements-none = Henüz yayımlanmış sözleşme yok.
admin-agreements-new = Sözleşme yayımla
admin-agreements-new-version = Yeni sürüm
admin-agreements-new-title = Sözleşme sürümü yayımla
admin-agreements-back = Tüm sözleşmeler
admin-agreements-col-version = Sürüm
admin-agreements-col-title = Başlık
admin-agreements-col-required = Zorunlu
admin-agreements-col-published = Yayımlanma
admin-agreements-col-acceptances = Kabuller
admin-agreements-col-accepted = Kabul tarihi
admin-agreements-current = güncel
admin-agreements-required-yes = Zorunlu
admin-agreements-required-no = İsteğe bağlı
admin-agreements-key = Anahtar
admin-agreements-key-hint = Hangi belge: küçük harfler, rakamlar, - ve _; bir harfle başlar (örneğin terms veya privacy). Yeni bir anahtar 1. sürümle başlar.
admin-agreements-key-next = Bu, bu anahtarın { $version }. sürümünü yayımlar.
admin-agreements-body = Metin (Markdown)
admin-agreements-body-hint = Başlıklar (#), listeler, **kalın**, bağlantılar. HTML metin olarak, görseller açıklamalarıyla gösterilir.
admin-agreements-required = Herkes kabul etmeli
admin-agreements-required-hint = Kişilerden, hesaplarını kullanmaya devam etmeden önce bu sürümü kabul etmeleri istenir.
admin-agreements-preview = Önizleme
admin-agreements-publish = Yayımla
admin-agreements-preview-title = Önizleme
admin-agreements-preview-intro = Kişilerin göreceği şekilde. Henüz hiçbir şey yayımlanmadı.
admin-agreements-preview-empty = Metin boş.
admin-agreements-fix-errors = Bazı alanların düzeltilmesi gerekiyor.
admin-agreements-published = { $key } için { $version }. sürüm yayımlandı.
admin-agreements-version-title = { $key }, sürüm { $version }
admin-agreements-text = Metin
admin-agreements-acceptors = Kabul edenler
admin-agreements-acceptors-none = Bu sürümü henüz kimse kabul etmedi.
admin-agreements-first-page = İlk sayfa
admin-agreements-next-page = Sonraki sayfa
admin-agreements-error-key-invalid-key = Bir harfle başlayan 1 ile 40 arasında küçük harf, rakam, - veya _ kullanın (örneğin terms).
admin-agreements-error-key-published-meanwhile = Bu sürüm az önce yayımlandı. Yeniden yayımlamadan önce listeyi kontrol edin.
admin-agreements-error-title-invalid-title = Tek satırda 1 ile 200 karakter arasında bir başlık girin.
admin-agreements-error-body-empty = Metin boş.
admin-agreements-error-body-too-long = Metin 512 KiB'den büyük.
