//! Colours chosen by an operator or an organization admin, turned into a palette that keeps
//! WCAG AA contrast (4.5:1 for text) whatever was chosen: the accent is darkened (light theme) or
//! lightened (dark theme) until links in it read on the page, and button text is black or white,
//! whichever reads better on it.

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// The page backgrounds the accent is read against (`--bg` and `--surface` in app.css).
const LIGHT_BACKGROUNDS: [Rgb; 2] = [Rgb(0xf5, 0xf6, 0xf8), Rgb(0xff, 0xff, 0xff)];
const DARK_BACKGROUNDS: [Rgb; 2] = [Rgb(0x11, 0x14, 0x18), Rgb(0x1b, 0x1f, 0x24)];
const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
const BLACK: Rgb = Rgb(0, 0, 0);
/// WCAG AA for normal text.
pub const AA: f64 = 4.5;

impl Rgb {
    /// `#1f5fbf` or `#abc` (case-insensitive); `None` otherwise.
    pub fn parse(s: &str) -> Option<Self> {
        let hex = s.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize, len: usize| u8::from_str_radix(&hex[i..i + len], 16).ok();
        match hex.len() {
            6 => Some(Self(channel(0, 2)?, channel(2, 2)?, channel(4, 2)?)),
            3 => {
                let d = |i| channel(i, 1).map(|v| v * 17);
                Some(Self(d(0)?, d(1)?, d(2)?))
            }
            _ => None,
        }
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG 2.x).
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// The contrast ratio between two colours (1 to 21).
    pub fn contrast(self, other: Self) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }

    /// This colour moved `t` (0–1) of the way towards `to`.
    fn mix(self, to: Self, t: f64) -> Self {
        let m = |a: u8, b: u8| {
            let v = f64::from(a) + (f64::from(b) - f64::from(a)) * t;
            // In 0..=255 by construction.
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "clamped to 0..=255")]
            let v = v.round().clamp(0.0, 255.0) as u8;
            v
        };
        Self(m(self.0, to.0), m(self.1, to.1), m(self.2, to.2))
    }

    /// The nearest colour towards `towards` (black or white) that reaches `min` contrast with
    /// every colour of `against`.
    fn until_readable(self, towards: Self, against: &[Self], min: f64) -> Self {
        let reads = |c: Self| against.iter().all(|b| c.contrast(*b) >= min);
        (0..=40).map(|step| self.mix(towards, f64::from(step) / 40.0)).find(|c| reads(*c)).unwrap_or(towards)
    }

    /// Black or white, whichever contrasts more with this colour (always at least 4.5:1).
    pub fn readable_text(self) -> Self {
        if self.contrast(WHITE) >= self.contrast(BLACK) { WHITE } else { BLACK }
    }
}

/// The accent of one theme: the colour, the text on it, and its hover shade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accent {
    /// Links, buttons, focus marks.
    pub accent: Rgb,
    /// Text on an accent background.
    pub text: Rgb,
    /// The hover shade (further from the page background, so it reads at least as well).
    pub hover: Rgb,
}

/// The accent for light and dark themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// On the light theme.
    pub light: Accent,
    /// On the dark theme.
    pub dark: Accent,
}

impl Palette {
    /// The palette for a chosen colour.
    pub fn from_accent(chosen: Rgb) -> Self {
        let light = chosen.until_readable(BLACK, &LIGHT_BACKGROUNDS, AA);
        let dark = chosen.until_readable(WHITE, &DARK_BACKGROUNDS, AA);
        Self {
            light: Accent { accent: light, text: light.readable_text(), hover: light.mix(BLACK, 0.2) },
            dark: Accent { accent: dark, text: dark.readable_text(), hover: dark.mix(WHITE, 0.2) },
        }
    }

    /// The CSS custom properties of app.css for this palette, for `selector` (`:root`, or a class
    /// on an organization's pages).
    pub fn css(&self, selector: &str) -> String {
        let vars = |a: &Accent| {
            format!("--accent: {}; --accent-text: {}; --accent-hover: {};", a.accent.hex(), a.text.hex(), a.hover.hex())
        };
        format!(
            "{selector} {{ {} }}\n@media (prefers-color-scheme: dark) {{ {selector} {{ {} }} }}\n",
            vars(&self.light),
            vars(&self.dark)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_in_both_hex_forms_and_nothing_else() {
        assert_eq!(Rgb::parse("#1F5FBF"), Some(Rgb(0x1f, 0x5f, 0xbf)));
        assert_eq!(Rgb::parse(" #fc0 "), Some(Rgb(0xff, 0xcc, 0x00)));
        for bad in ["1f5fbf", "#1f5fb", "#gggggg", "red", "#", "#1f5fbf00", "#ｆｆｆ"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
        assert_eq!(Rgb(0x1f, 0x5f, 0xbf).hex(), "#1f5fbf");
    }

    #[test]
    fn whatever_colour_is_chosen_every_pairing_reaches_aa() {
        let samples = [
            "#ffff00", "#ffffff", "#000000", "#00ff00", "#1f5fbf", "#ff0000", "#7f7f7f", "#e0e0e0", "#123456",
            "#ff69b4",
        ];
        for s in samples {
            let p = Palette::from_accent(Rgb::parse(s).unwrap());
            for bg in LIGHT_BACKGROUNDS {
                assert!(p.light.accent.contrast(bg) >= AA, "{s}: light link on {bg:?}");
                assert!(p.light.hover.contrast(bg) >= AA, "{s}: light hover on {bg:?}");
            }
            for bg in DARK_BACKGROUNDS {
                assert!(p.dark.accent.contrast(bg) >= AA, "{s}: dark link on {bg:?}");
                assert!(p.dark.hover.contrast(bg) >= AA, "{s}: dark hover on {bg:?}");
            }
            for a in [p.light, p.dark] {
                assert!(a.text.contrast(a.accent) >= AA, "{s}: button text");
                assert!(a.text.contrast(a.hover) >= AA, "{s}: button text on hover");
            }
        }
    }

    #[test]
    fn a_readable_colour_is_kept_as_chosen() {
        let p = Palette::from_accent(Rgb(0x1f, 0x5f, 0xbf));
        assert_eq!(p.light.accent, Rgb(0x1f, 0x5f, 0xbf));
        assert_eq!(p.light.text, WHITE);
        assert!(p.css(":root").contains("--accent: #1f5fbf;"));
    }
}
