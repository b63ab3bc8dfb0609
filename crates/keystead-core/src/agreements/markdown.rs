//! Markdown to HTML that is safe to insert into a page: raw HTML is shown as text, links keep
//! only `http`, `https`, `mailto` and relative targets, and images become their description.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// Renders an agreement body. The result may be inserted into a page unescaped.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    // Which link starts were dropped, so their ends are dropped too.
    let mut dropped_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        // Raw HTML is never passed through: it becomes visible, escaped text.
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let keep = link_type == LinkType::Email || safe_url(&dest_url);
            dropped_links.push(!keep);
            keep.then_some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
        }
        Event::End(TagEnd::Link) => (!dropped_links.pop().unwrap_or(false)).then_some(Event::End(TagEnd::Link)),
        // Images would load from anywhere: show the alt text only.
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// True for `http`, `https` and `mailto` URLs and for relative ones (no scheme). Browsers ignore
/// tabs, newlines and leading spaces in a scheme, so they are removed before looking.
fn safe_url(url: &str) -> bool {
    let cleaned: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let lower = cleaned.to_ascii_lowercase();
    match lower.find([':', '/', '?', '#']) {
        Some(i) if lower.as_bytes()[i] == b':' => {
            matches!(&lower[..i], "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_renders_to_html() {
        let html = render("# Terms\n\nYou **agree** to [our policy](https://example.com/p) and [this](/privacy).");
        assert!(html.contains("<h1>Terms</h1>"), "{html}");
        assert!(html.contains("<strong>agree</strong>"), "{html}");
        assert!(html.contains("<a href=\"https://example.com/p\">our policy</a>"), "{html}");
        assert!(html.contains("<a href=\"/privacy\">this</a>"), "{html}");
    }

    #[test]
    fn raw_html_and_scripts_are_shown_as_text() {
        let html = render(
            "<script>alert(1)</script>\n\nHello <img src=x onerror=alert(2)> <b>bold</b>\n\n<div onclick=\"x()\">block</div>",
        );
        for bad in ["<script", "<img", "<b>", "<div"] {
            assert!(!html.contains(bad), "{bad} survived: {html}");
        }
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    }

    #[test]
    fn dangerous_link_schemes_are_dropped_but_their_text_stays() {
        for md in [
            "[click](javascript:alert(1))",
            "[click](JavaScript:alert(1))",
            "[click](jav&#x61;script:alert(1))",
            "[click](<java\tscript:alert(1)>)",
            "[click](data:text/html;base64,PHNjcmlwdD4=)",
            "[click](vbscript:msgbox)",
            "<javascript:alert(1)>",
            "[click][ref]\n\n[ref]: javascript:alert(1)",
        ] {
            let html = render(md);
            assert!(!html.to_ascii_lowercase().contains("href"), "{md} → {html}");
            assert!(!html.contains("<a"), "{md} → {html}");
        }
        assert!(render("[click](javascript:alert(1))").contains("click"));
    }

    #[test]
    fn images_become_their_description_and_mail_links_stay() {
        let html = render(
            "![a tracker](https://evil.example/t.gif) write to <legal@example.com> or [us](mailto:a@example.com)",
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("a tracker"), "{html}");
        assert!(html.contains("href=\"mailto:legal@example.com\""), "{html}");
        assert!(html.contains("href=\"mailto:a@example.com\""), "{html}");
    }
}
