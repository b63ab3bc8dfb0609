//! The deployment's branding (accent colour and logo, from configuration) and the accent colour
//! an organization chooses for its members' pages. Pages take colours from a stylesheet served
//! by Keystead (the CSP allows no inline style), computed from the colour alone.

mod color;

pub use color::{AA, Accent, Palette, Rgb};

use std::path::Path;

use sha2::{Digest, Sha256};

/// The deployment's logo, read and checked at start.
#[derive(Debug, Clone)]
pub struct Logo {
    /// The image.
    pub bytes: Vec<u8>,
    /// `image/png`, `image/jpeg` or `image/webp`.
    pub content_type: &'static str,
    /// A digest of the bytes: the `ETag` and the `?v=` of its URL.
    pub version: String,
}

/// What the deployment's pages need beyond configuration: the logo, read once.
#[derive(Debug, Clone, Default)]
pub struct Brand {
    /// The logo.
    pub logo: Option<Logo>,
}

/// The largest logo file accepted.
pub const MAX_LOGO_BYTES: u64 = 512 * 1024;

impl Brand {
    /// Reads and checks the logo file (`branding.logo_file`).
    pub fn load(logo_file: Option<&Path>) -> anyhow::Result<Self> {
        Ok(Self { logo: logo_file.map(read_logo).transpose()? })
    }
}

/// The first 16 hex digits of the SHA-256 of `bytes`: a cache-busting version.
fn version_of(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

fn read_logo(path: &Path) -> anyhow::Result<Logo> {
    let shown = path.display();
    let size =
        std::fs::metadata(path).map_err(|e| anyhow::anyhow!("branding.logo_file: cannot read {shown}: {e}"))?.len();
    if size > MAX_LOGO_BYTES {
        anyhow::bail!("branding.logo_file: {shown} is {size} bytes; at most {MAX_LOGO_BYTES} (512 KiB) are accepted");
    }
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("branding.logo_file: cannot read {shown}: {e}"))?;
    let content_type = match image::guess_format(&bytes) {
        Ok(image::ImageFormat::Png) => "image/png",
        Ok(image::ImageFormat::Jpeg) => "image/jpeg",
        Ok(image::ImageFormat::WebP) => "image/webp",
        _ => anyhow::bail!("branding.logo_file: {shown} is not a PNG, JPEG or WebP image"),
    };
    // Decoding proves the file is a whole image, not just a header.
    image::load_from_memory(&bytes)
        .map_err(|e| anyhow::anyhow!("branding.logo_file: {shown} cannot be decoded: {e}"))?;
    let version = version_of(&bytes);
    Ok(Logo { bytes, content_type, version })
}

impl crate::Core {
    /// The deployment's brand.
    pub fn brand(&self) -> &Brand {
        &self.inner.brand
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_logo_must_be_a_whole_small_image_and_the_error_names_the_setting() {
        let dir = tempfile::tempdir().unwrap();
        let svg = dir.path().join("logo.svg");
        std::fs::write(&svg, b"<svg onload=alert(1)>").unwrap();
        let err = Brand::load(Some(&svg)).unwrap_err().to_string();
        assert!(err.contains("branding.logo_file") && err.contains("not a PNG, JPEG or WebP"), "{err}");

        let cut = dir.path().join("cut.png");
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbImage::new(64, 64).write_to(&mut png, image::ImageFormat::Png).unwrap();
        std::fs::write(&cut, &png.get_ref()[..60]).unwrap();
        assert!(Brand::load(Some(&cut)).unwrap_err().to_string().contains("cannot be decoded"));

        let big = dir.path().join("big.png");
        std::fs::write(&big, vec![0u8; 600 * 1024]).unwrap();
        assert!(Brand::load(Some(&big)).unwrap_err().to_string().contains("at most 524288"));

        let missing = Brand::load(Some(&dir.path().join("nope.png"))).unwrap_err().to_string();
        assert!(missing.contains("cannot read"), "{missing}");

        let good = dir.path().join("good.png");
        std::fs::write(&good, png.get_ref()).unwrap();
        let logo = Brand::load(Some(&good)).unwrap().logo.unwrap();
        assert_eq!((logo.content_type, logo.version.len()), ("image/png", 16));
        assert!(Brand::load(None).unwrap().logo.is_none());
    }
}
