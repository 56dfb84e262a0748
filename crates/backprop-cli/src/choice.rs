//! Flag values that name a library enum: parsed, listed in help and refused with the
//! enum's own names ([`backprop::names`]), so that the program keeps no list of them.

use std::ffi::OsStr;
use std::marker::PhantomData;

use backprop::names::{self, Named};
use clap::builder::{PossibleValue, TypedValueParser};

/// The parser of a flag whose value is one of `T`'s names.
#[derive(Clone, Copy)]
pub struct Choice<T>(PhantomData<fn() -> T>);

/// The parser for `value_parser = choice::<T>()`.
pub fn choice<T: Named>() -> Choice<T> {
    Choice(PhantomData)
}

impl<T: Named + Send + Sync> TypedValueParser for Choice<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        // As a function of the text, so that clap words the error as for any other
        // value: "invalid value 'x' for '--flag <FLAG>': unknown … `x`; expected one of …".
        names::parse::<T>.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::ALL.iter().map(|v| {
            let about = v.about();
            PossibleValue::new(v.name()).help((!about.is_empty()).then_some(about))
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use backprop::{Activation, Order};
    use clap::{Arg, Command};

    fn command<T: Named + Send + Sync>() -> Command {
        Command::new("t").arg(Arg::new("x").long("x").value_parser(choice::<T>()))
    }

    #[test]
    fn names_parse_and_unknown_ones_are_listed() {
        let m = command::<Order>().try_get_matches_from(["t", "--x", "published"]);
        assert_eq!(m.unwrap().get_one::<Order>("x"), Some(&Order::Published));
        let err = command::<Activation>()
            .try_get_matches_from(["t", "--x", "softplus"])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "invalid value 'softplus' for '--x <x>': unknown activation `softplus`; \
                 expected one of sigmoid, tanh, relu, leaky_relu, identity, softmax"
            ),
            "{err}"
        );
    }

    #[test]
    fn help_lists_the_names() {
        let help = command::<Order>().render_long_help().to_string();
        assert!(
            help.contains("textbook:") && help.contains("All gradients first"),
            "{help}"
        );
        let help = command::<Activation>().render_help().to_string();
        assert!(
            help.contains("[possible values: sigmoid, tanh, relu, leaky_relu, identity, softmax]"),
            "{help}"
        );
    }
}
