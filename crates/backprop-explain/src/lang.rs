//! The languages an explanation is written in.

use backprop::names::Named;

/// English or Chinese.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The language's code: `en` or `zh` (also the page's `lang` attribute).
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

impl Named for Lang {
    const WHAT: &'static str = "language";
    const ALL: &'static [Self] = &Lang::ALL;

    fn name(self) -> &'static str {
        Lang::name(self)
    }

    fn about(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "Simplified Chinese",
        }
    }
}

backprop::display_and_from_str!(Lang);

/// Picks the English or the Chinese phrase; both are `format!` strings with the same
/// captured names.
macro_rules! tr {
    ($lang:expr, $en:literal, $zh:literal) => {
        match $lang {
            $crate::lang::Lang::En => format!($en),
            $crate::lang::Lang::Zh => format!($zh),
        }
    };
}
pub(crate) use tr;
