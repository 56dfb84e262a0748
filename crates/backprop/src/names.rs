//! The names of the choices that files and command lines spell out (activations,
//! losses, initializers, optimizers, update orders, schedules, and the other crates'
//! tasks, languages and formats), each list in one place.
//!
//! An enum that is named implements [`Named`]: its values in order and each one's
//! name, which is also its serde name (each crate tests that the two agree).
//! [`parse`] reads a name back with one message for every enum, and
//! [`display_and_from_str!`](crate::display_and_from_str) derives `Display` and
//! `FromStr` from it, so that a program parses and prints every choice the same way.

use crate::activation::Activation;
use crate::init::Init;
use crate::kernel::Simd;
use crate::loss::Loss;
use crate::network::Order;
use crate::optim::{OptimizerKind, ScheduleKind};

/// An enum whose values have names.
pub trait Named: Copy + PartialEq + 'static {
    /// What a value is, for messages: `activation`, `update order`.
    const WHAT: &'static str;
    /// Every value, in the order messages and help list them.
    const ALL: &'static [Self];
    /// Other names read as a value (older or other libraries' names); never written.
    const ALIASES: &'static [(&'static str, Self)] = &[];

    /// The value's name, as files and command lines write it.
    fn name(self) -> &'static str;

    /// One line about the value, for help; empty when the name says enough.
    fn about(self) -> &'static str {
        ""
    }
}

/// A name that is not one of an enum's: says which names there are.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{given}`; expected one of {expected}")]
pub struct UnknownName {
    /// What was asked for ([`Named::WHAT`]).
    pub what: &'static str,
    /// The name given.
    pub given: String,
    /// The names there are, comma-separated ([`list`]).
    pub expected: String,
}

/// The value named `s`, by its name or an alias.
///
/// # Errors
/// [`UnknownName`] listing every name when `s` is none of them.
pub fn parse<T: Named>(s: &str) -> Result<T, UnknownName> {
    let by_name = T::ALL.iter().copied().find(|v| v.name() == s);
    let by_alias = || T::ALIASES.iter().find(|(a, _)| *a == s).map(|&(_, v)| v);
    by_name.or_else(by_alias).ok_or_else(|| UnknownName {
        what: T::WHAT,
        given: s.to_string(),
        expected: list::<T>(),
    })
}

/// Every name of `T`, comma-separated: `sigmoid, tanh, relu, …`.
pub fn list<T: Named>() -> String {
    T::ALL
        .iter()
        .map(|v| v.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Implements `Display` (the name, padded as asked) and `FromStr` (by [`parse`]) for
/// types that implement [`Named`].
#[macro_export]
macro_rules! display_and_from_str {
    ($($t:ty),+ $(,)?) => {$(
        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.pad($crate::names::Named::name(*self))
            }
        }

        impl ::std::str::FromStr for $t {
            type Err = $crate::names::UnknownName;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                $crate::names::parse(s)
            }
        }
    )+};
}

impl Named for Activation {
    const WHAT: &'static str = "activation";
    const ALL: &'static [Self] = &Activation::ALL;

    fn name(self) -> &'static str {
        Activation::name(self)
    }
}

impl Named for Loss {
    const WHAT: &'static str = "loss";
    const ALL: &'static [Self] = &Loss::ALL;

    fn name(self) -> &'static str {
        Loss::name(self)
    }
}

impl Named for Init {
    const WHAT: &'static str = "initializer";
    const ALL: &'static [Self] = &Init::ALL;
    const ALIASES: &'static [(&'static str, Self)] = &Init::ALIASES;

    fn name(self) -> &'static str {
        Init::name(self)
    }
}

impl Named for OptimizerKind {
    const WHAT: &'static str = "optimizer";
    const ALL: &'static [Self] = &OptimizerKind::ALL;

    fn name(self) -> &'static str {
        OptimizerKind::name(self)
    }
}

impl Named for Order {
    const WHAT: &'static str = "update order";
    const ALL: &'static [Self] = &Order::ALL;

    fn name(self) -> &'static str {
        Order::name(self)
    }

    fn about(self) -> &'static str {
        match self {
            Order::Textbook => "All gradients first, then all updates",
            Order::Published => "Each layer updated as soon as its gradients are known",
        }
    }
}

impl Named for ScheduleKind {
    const WHAT: &'static str = "schedule";
    const ALL: &'static [Self] = &ScheduleKind::ALL;

    fn name(self) -> &'static str {
        ScheduleKind::name(self)
    }

    fn about(self) -> &'static str {
        match self {
            ScheduleKind::Constant => "The same rate every epoch",
            ScheduleKind::Step => "The rate multiplied by a factor every few epochs",
            ScheduleKind::Cosine => "Half a cosine from the rate down to a floor over the epochs",
        }
    }
}

crate::display_and_from_str!(
    Activation,
    Loss,
    Init,
    OptimizerKind,
    Order,
    ScheduleKind,
    Simd
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use std::fmt::Debug;
    use std::str::FromStr;

    /// Every name parses back, prints as itself, and is the serde name; every alias is
    /// read by serde as the same value.
    fn names_agree_with_serde<T>()
    where
        T: Named + Debug + Serialize + DeserializeOwned + FromStr<Err = UnknownName>,
        T: std::fmt::Display,
    {
        for &v in T::ALL {
            assert_eq!(v.name().parse::<T>(), Ok(v));
            assert_eq!(v.to_string(), v.name());
            assert_eq!(serde_json::to_value(v).unwrap(), v.name());
            assert_eq!(serde_json::from_value::<T>(v.name().into()).unwrap(), v);
        }
        for &(alias, v) in T::ALIASES {
            assert_eq!(alias.parse::<T>(), Ok(v));
            assert_eq!(serde_json::from_value::<T>(alias.into()).unwrap(), v);
        }
    }

    #[test]
    fn every_name_is_the_serde_name() {
        names_agree_with_serde::<Activation>();
        names_agree_with_serde::<Loss>();
        names_agree_with_serde::<Init>();
        names_agree_with_serde::<OptimizerKind>();
        names_agree_with_serde::<Order>();
    }

    #[test]
    fn schedule_kinds_are_the_tags_of_schedules() {
        for &kind in ScheduleKind::ALL.iter() {
            let schedule = kind.schedule(10, 0.5, 20, 0.0);
            assert_eq!(schedule.kind(), kind);
            let json = serde_json::to_value(&schedule).unwrap();
            assert_eq!(json["kind"], kind.name());
            assert_eq!(kind.name().parse::<ScheduleKind>(), Ok(kind));
        }
    }

    #[test]
    fn an_unknown_name_lists_the_names() {
        let e = "softplus".parse::<Activation>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown activation `softplus`; expected one of sigmoid, tanh, relu, leaky_relu, identity, softmax"
        );
        assert_eq!(
            "sideways".parse::<Order>().unwrap_err().to_string(),
            "unknown update order `sideways`; expected one of textbook, published"
        );
        assert_eq!("glorot".parse::<Init>(), Ok(Init::Xavier));
        assert_eq!(format!("[{:>5}]", Order::Textbook), "[textbook]");
        assert_eq!(format!("[{:<6}]", Loss::Mse), "[mse   ]");
    }
}
