//! The forms an explanation is written in.

use backprop::names::Named;

/// How an explanation is written out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// Text for a terminal ([`crate::text`]).
    #[default]
    Text,
    /// Markdown with LaTeX ([`crate::markdown`]).
    Markdown,
    /// The recorded explanation as JSON.
    Json,
    /// One self-contained interactive page ([`crate::html`]).
    Html,
}

impl Format {
    /// Every format, in the order help lists them.
    pub const ALL: [Format; 4] = [Format::Text, Format::Markdown, Format::Json, Format::Html];

    /// The format's name: `text`, `markdown`, `json` or `html`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Html => "html",
        }
    }

    /// How many of the first rounds to show in full when not asked: three on the page,
    /// where they can be stepped through, else one.
    pub fn default_show(self) -> usize {
        match self {
            Format::Html => 3,
            Format::Text | Format::Markdown | Format::Json => 1,
        }
    }
}

impl Named for Format {
    const WHAT: &'static str = "format";
    const ALL: &'static [Self] = &Format::ALL;

    fn name(self) -> &'static str {
        Format::name(self)
    }

    fn about(self) -> &'static str {
        match self {
            Format::Text => "Terminal text",
            Format::Markdown => "Markdown with LaTeX",
            Format::Json => "The JSON trace",
            Format::Html => "One self-contained interactive page (HTML) to open in a browser",
        }
    }
}

backprop::display_and_from_str!(Format);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn names_read_back_and_unknown_ones_are_listed() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
            assert_eq!(f.to_string(), f.name());
        }
        for &l in Lang::ALL {
            assert_eq!(l.code().parse::<Lang>(), Ok(l));
        }
        assert_eq!(
            "pdf".parse::<Format>().unwrap_err().to_string(),
            "unknown format `pdf`; expected one of text, markdown, json, html"
        );
        assert_eq!(
            "fr".parse::<Lang>().unwrap_err().to_string(),
            "unknown language `fr`; expected one of en, zh, es"
        );
        assert_eq!(
            (Format::Html.default_show(), Format::Text.default_show()),
            (3, 1)
        );
    }
}
