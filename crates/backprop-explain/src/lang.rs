//! The languages an explanation is written in: one catalogue file each, in `lang/`,
//! registered by one line in the `languages!` list below.

use std::sync::OnceLock;

use backprop::names::Named;

use crate::catalogue::Catalogue;

/// Declares the registered languages: the [`Lang`] enum, in the order the page offers
/// them, and the catalogue of each, `lang/<code>.toml`, compiled into the program. A
/// line needs no doc comment: each variant's docs name its catalogue.
macro_rules! languages {
    (
        $(#[$first_doc:meta])* $first:ident = $first_code:literal,
        $($(#[$doc:meta])* $variant:ident = $code:literal,)*
    ) => {
        /// A language an explanation is written in: one of the registered catalogues.
        /// The first registered is the default.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub enum Lang {
            $(#[$first_doc])*
            #[doc = concat!("Its catalogue is `lang/", $first_code, ".toml`.")]
            #[default]
            $first,
            $(
                $(#[$doc])*
                #[doc = concat!("Its catalogue is `lang/", $code, ".toml`.")]
                $variant,
            )*
        }

        impl Lang {
            /// Every registered language, in the order the page offers them.
            pub const ALL: &'static [Lang] = &[Lang::$first, $(Lang::$variant),*];

            /// Its code: the name of its catalogue file and the value of `--lang`.
            pub fn code(self) -> &'static str {
                match self {
                    Lang::$first => $first_code,
                    $(Lang::$variant => $code,)*
                }
            }

            /// Its catalogue's text.
            fn source(self) -> &'static str {
                match self {
                    Lang::$first => include_str!(concat!("../lang/", $first_code, ".toml")),
                    $(Lang::$variant => include_str!(concat!("../lang/", $code, ".toml")),)*
                }
            }
        }
    };
}

// The registered languages. Adding one is its catalogue, `lang/<code>.toml` with the
// ids of `lang/en.toml`, and one line here.
languages! {
    /// English, the language every other catalogue is checked against.
    En = "en",
    /// Simplified Chinese.
    Zh = "zh",
    /// Spanish.
    Es = "es",
}

impl Lang {
    /// Its catalogue, parsed once.
    pub fn catalogue(self) -> &'static Catalogue {
        static PARSED: OnceLock<Vec<Catalogue>> = OnceLock::new();
        let all = PARSED.get_or_init(|| {
            Lang::ALL
                .iter()
                .map(|lang| {
                    // A test parses every catalogue; a broken one shows its ids.
                    Catalogue::parse(lang.source()).unwrap_or_default()
                })
                .collect()
        });
        &all[self as usize]
    }
}

impl Named for Lang {
    const WHAT: &'static str = "language";
    const ALL: &'static [Self] = Lang::ALL;

    fn name(self) -> &'static str {
        self.code()
    }

    /// The language's name in itself, as its catalogue gives it: `Español`.
    fn about(self) -> &'static str {
        &self.catalogue().language.name
    }
}

backprop::display_and_from_str!(Lang);

/// The codes of the registered languages as a sentence lists them: `en`, `zh` or `es`.
pub fn codes() -> String {
    let quoted: Vec<String> = Lang::ALL
        .iter()
        .map(|l| format!("`{}`", l.code()))
        .collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_is_found_by_its_code() {
        for &lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
        }
        assert_eq!("es".parse::<Lang>(), Ok(Lang::Es));
        assert_eq!(
            "fr".parse::<Lang>(),
            Err(backprop::names::UnknownName {
                what: "language",
                given: "fr".into(),
                expected: "en, zh, es".into(),
            })
        );
        assert_eq!(Lang::default(), Lang::En);
    }
}
