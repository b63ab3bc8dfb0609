# Her sayfanın çerçevesi: üst bilgi, alt bilgi, dil seçici, genel sözcükler.
skip-to-content = İçeriğe geç
sign-in = Giriş yap
create-account = Hesap oluştur
sign-out = Çıkış yap
my-account = Hesabım
language = Dil
choose-language = Dil seçin
continue = Devam
cancel = İptal
save = Kaydet
back = Geri
count-members = { $count ->
    [one] { $count } üye
   *[other] { $count } üye
}
account-links = Hesap
header-organization = Kuruluş
header-switch-to = { $name } kuruluşuna geç
header-all-organizations = Tüm kuruluşlar

# A device named from its browser and operating system (sessions, new-device emails).
device-unknown = Bilinmeyen cihaz
device-browser = Tarayıcı
device-on = { $os } üzerinde { $browser }
