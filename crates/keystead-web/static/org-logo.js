// The organization logo picker on the settings page: shows the chosen image and its file name
// before upload. Without this script the form still works (the label is the picker's button and
// a sentence says that a file is chosen).
(function () {
  "use strict";
  var input = document.getElementById("logo");
  var preview = document.getElementById("logo-preview");
  var name = document.getElementById("logo-file-name");
  if (!input || !preview || !name) {
    return;
  }
  input.closest(".logo-picker").classList.add("logo-picker-enhanced");
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    preview.hidden = true;
    preview.removeAttribute("src");
    name.textContent = file ? file.name : "";
    if (!file || !/^image\/(jpeg|png|webp)$/.test(file.type)) {
      return;
    }
    // A data: URL, which the Content-Security-Policy allows for images (blob: it does not).
    var reader = new FileReader();
    reader.addEventListener("load", function () {
      if (input.files && input.files[0] === file) {
        preview.src = reader.result;
        preview.hidden = false;
      }
    });
    reader.readAsDataURL(file);
  });
})();
