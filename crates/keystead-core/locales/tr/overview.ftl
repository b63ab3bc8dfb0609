# Hesabım → Genel bakış: başka bir sayfa istenmediğinde oturum açan kullanıcının geldiği yer.
overview-title = Genel bakış
overview-welcome = Hoş geldiniz, { $name }
overview-signed-in-as = { $name } olarak oturum açtınız.
overview-intro = Hesabınızda nelerin ayarlı olduğunu ve sırada ne yapmanız gerektiğini burada görebilirsiniz.
overview-security = Güvenlik
overview-steps-done = { $count ->
    [one] { $count } adımdan { $done } tanesi tamamlandı
   *[other] { $count } adımdan { $done } tanesi tamamlandı
}
overview-done = tamamlandı
overview-step-password = Burada oturum açmak için bir parola
overview-step-password-action = Parola belirleyin
overview-step-two-factor = İki adımlı doğrulama
overview-step-two-factor-action = Şimdi açın
overview-step-recovery = En az { $min } kullanılmamış kurtarma kodu
overview-step-recovery-action = Yeni kodlar oluşturun
overview-organizations = Kuruluşlar
overview-no-organizations = Henüz bir kuruluşa üye değilsiniz. Biri sizi davet ettiğinde davet orada görünür.
overview-organizations-count = { $count ->
    [one] { $count } kuruluşa üyesiniz.
   *[other] { $count } kuruluşa üyesiniz.
}
overview-active = Geçerli
overview-manage-organizations = Kuruluşlar ve davetler
overview-apps = Uygulamalar
overview-no-apps = Henüz hiçbir uygulamanın hesabınıza erişimi yok.
overview-apps-count = { $count ->
    [one] { $count } uygulama hesabınızı kullanabilir:
   *[other] { $count } uygulama hesabınızı kullanabilir:
}
overview-manage-apps = Erişimleri inceleyin
overview-licenses = Lisanslar
overview-manage-licenses = Lisanslar ve indirmeler
