//! The languages an explanation is written in.

use std::str::FromStr;

/// English or Chinese.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "en" => Ok(Lang::En),
            "zh" => Ok(Lang::Zh),
            other => Err(format!("unknown language `{other}`, expected `en` or `zh`")),
        }
    }
}

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
