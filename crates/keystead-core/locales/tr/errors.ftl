# Hata sayfaları (her hata kodu için başlık ve açıklama) ve kayıt, giriş ve profil
# formlarındaki hatalar.

## Hata sayfaları
error-status = Hata { $status }
error-go-home = Ana sayfaya git
error-reference = Referans:
error-duration-seconds = { $count ->
        [one] { $count } saniye
       *[other] { $count } saniye
    }
error-duration-minutes = { $count ->
        [one] { $count } dakika
       *[other] { $count } dakika
    }
error-duration-hours = { $count ->
        [one] { $count } saat
       *[other] { $count } saat
    }
error-rate-limited-wait = Çok fazla deneme yapıldı. Yeniden denemeden önce lütfen { $wait } bekleyin.

error-title-malformed-request = İstek okunamadı
error-title-payload-too-large = İstek çok büyük
error-title-csrf-failed = Bu formun süresi doldu
error-title-cross-origin = Başka bir siteden gelen istek reddedildi
error-title-not-found = Sayfa bulunamadı
error-title-method-not-allowed = Bu yönteme izin verilmiyor
error-title-unauthenticated = Lütfen giriş yapın
error-title-forbidden = İzin verilmiyor
error-title-rate-limited = Çok fazla deneme
error-title-overloaded = Sunucu meşgul
error-title-unavailable = Geçici olarak kullanılamıyor
error-title-timeout = İstek çok uzun sürdü
error-title-invalid-input = Girilen bilgilerin bir kısmı geçerli değil
error-title-already-exists = Bu zaten var
error-title-link-invalid = Bu bağlantı artık geçerli değil
error-title-registration-closed = Kayıt yalnızca davetle yapılabilir
error-title-account-disabled = Bu hesap devre dışı
error-title-machine-limit = Cihaz sınırına ulaşıldı
error-title-sso-required-needs-connection = Kuruluş çoklu oturum açmayı zorunlu kılıyor
error-title-sso-failed = Çoklu oturum açma başarısız oldu
error-title-precondition-failed = Sürüm değişti
error-title-precondition-required = Okuduğunuz sürüm gerekli
error-title-too-large = Belge çok büyük
error-title-invalid-json = Gövde geçerli bir JSON değil
error-title-insufficient-scope = Belirtecin bir kapsamı eksik
error-title-idempotency-key-reused = Idempotency anahtarı başka bir istek için kullanıldı
error-title-idempotency-key-in-use = Bu anahtarla yapılan ilk istek hâlâ sürüyor
error-title-idempotency-answer-lost = Bu anahtarla yapılan ilk istek değişikliğini yaptı
error-title-email-unavailable = Bu adres kullanılamaz
error-title-other = Bir şeyler ters gitti

error-detail-malformed-request = Gönderilen veriler anlaşılamadı. Geri dönüp yeniden deneyin.
error-detail-payload-too-large = Gönderilen veriler bu sayfanın kabul ettiğinden büyük.
error-detail-csrf-failed = Güvenliğiniz için form kabul edilemedi. Geri dönün, sayfayı yenileyin ve yeniden deneyin.
error-detail-cross-origin = İstek başka bir web sitesinden geldi ve reddedildi.
error-detail-not-found = Bu adreste hiçbir şey yok.
error-detail-method-not-allowed = Bu adres bu tür bir isteği kabul etmiyor.
error-detail-unauthenticated = Bu sayfayı görmek için giriş yapmanız gerekiyor.
error-detail-forbidden = Bunu yapma izniniz yok.
error-detail-rate-limited = Yeniden denemeden önce lütfen biraz bekleyin.
error-detail-overloaded = Şu anda çok fazla istek işleniyor. Lütfen birazdan yeniden deneyin.
error-detail-unavailable = Hizmet şu anda veritabanına ulaşamıyor. Lütfen birazdan yeniden deneyin.
error-detail-timeout = Lütfen yeniden deneyin.
error-detail-invalid-input = İşaretli alanları kontrol edip yeniden deneyin.
error-detail-already-exists = Başka bir değer seçin.
error-detail-link-invalid = Bağlantının süresi dolmuş veya bağlantı zaten kullanılmış. Yeni bir bağlantı isteyin.
error-detail-registration-closed = Yöneticinizden bir davet isteyin.
error-detail-account-disabled = Hesabın yeniden etkinleştirilmesi için yöneticinize başvurun.
error-detail-machine-limit = Lisansın izin verdiği tüm cihazlar etkinleştirilmiş. Önce birini devre dışı bırakın.
error-detail-sso-required-needs-connection = Üyeler çoklu oturum açma ile giriş yapmak zorunda olduğundan son etkin bağlantı kaldırılamaz. Önce bu zorunluluğu kapatın.
error-detail-sso-failed = Kimlik sağlayıcınızdaki giriş tamamlanamadı. Yeniden deneyin veya yöneticinize başvurun.
error-detail-precondition-failed = Siz okuduktan sonra değişti. Yeniden okuyup tekrar deneyin.
error-detail-precondition-required = Değiştirmek için okuduğunuz sürümü (If-Match) gönderin.
error-detail-too-large = Belge izin verilenden büyük.
error-detail-invalid-json = Bir JSON nesnesi gönderin.
error-detail-insufficient-scope = Bu uç noktanın gerektirdiği kapsama sahip bir erişim belirteci isteyin.
error-detail-idempotency-key-reused = Yeni bir istek için yeni bir Idempotency-Key kullanın.
error-detail-idempotency-key-in-use = Birazdan aynı anahtarla yeniden deneyin.
error-detail-idempotency-answer-lost = Yanıtı kayboldu: yeniden oluşturmak yerine oluşturduğu kaydı okuyun.
error-detail-email-unavailable = Bu adresi başka bir hesap kullanıyor.
error-detail-other = Bizim tarafımızda beklenmeyen bir hata oluştu. Hata kaydedildi; lütfen daha sonra yeniden deneyin.

## E-posta adresleri
field-error-email-required = { $whose ->
        [your] E-posta adresinizi girin.
       *[other] Bir e-posta adresi girin.
    }
field-error-invalid-email = { $reason ->
        [at] @ işareti içeren bir e-posta adresi girin, örneğin ad@example.com.
        [local] @ işaretinden önceki kısım geçerli değil. Boşluk veya özel karakter olup olmadığını kontrol edin.
        [domain] @ işaretinden sonraki kısım geçerli bir alan adı değil.
        [domain-example] @ işaretinden sonraki kısım example.com gibi geçerli bir alan adı değil.
       *[other] ad@example.com gibi bir e-posta adresi girin.
    }
field-error-work-email-required = Şirket e-posta adresinizi kullanın — lisanslarınız bu adrese bağlıdır.

## Giriş
field-error-invalid-credentials = E-posta adresi veya parola yanlış ya da adres henüz doğrulanmamış. Size gönderdiğimiz doğrulama e-postasına bakın veya parolanızı sıfırlayın.
field-error-account-disabled = Bu hesap devre dışı. Yeniden etkinleştirilmesi için yöneticinize başvurun.

## Parolalar
field-error-too-short = En az { $min } { $min ->
        [one] karakter
       *[other] karakter
    } kullanın.
field-error-password-too-long = En fazla { $max } { $max ->
        [one] karakter
       *[other] karakter
    } kullanın.
field-error-missing-lowercase = En az bir küçük harf (a–z) ekleyin.
field-error-missing-uppercase = En az bir büyük harf (A–Z) ekleyin.
field-error-missing-digit = En az bir rakam (0–9) ekleyin.
field-error-missing-symbol = En az bir simge veya boşluk ekleyin, örneğin ! # - veya _.
field-error-common = Bu parola çok yaygın: başkalarının kullanmayacağı bir parola seçin.
field-error-personal-data = { $what ->
        [email] Parolanızda e-posta adresinizi kullanmayın.
        [name] Parolanızda adınızı kullanmayın.
        [date-of-birth] Parolanızda doğum tarihinizi kullanmayın.
        [phone] Parolanızda telefon numaranızı kullanmayın.
        [company] Parolanızda şirketinizin adını kullanmayın.
       *[other] Parolanızda kişisel bilgilerinizi kullanmayın.
    }
field-error-too-weak = Bu parolanın tahmin edilmesi çok kolay (güç { $score }/4, en az { $min } gerekli): örneğin birbiriyle ilgisiz birkaç kelime ekleyerek uzatın.
field-error-control-characters = Sekmeleri, satır sonlarını ve diğer kontrol karakterlerini kaldırın: harf, rakam, simge ve boşluk kullanın.
field-error-password-reused = Daha önce kullanmadığınız bir parola seçin: son { $count } parola yeniden kullanılamaz.

## Profil
field-error-invalid-phone = 5 ile 15 rakam arasında bir telefon numarası girin, örneğin +90 212 1234567.
field-error-unknown-country = Listeden bir ülke seçin.
field-error-in-future = Doğum tarihi gelecekte olamaz.
field-error-too-old = Doğum tarihindeki yılı kontrol edin.
field-error-must-accept = Devam etmek için { $title } metnini kabul edin.
