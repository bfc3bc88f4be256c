//! Enums with a fixed spelling on the wire: `transfer_conference` and `park_call` values,
//! api.php's function names, query keys. Each variant is declared once, next to its
//! spelling; `ALL`, `as_str`, `parse`, `FromStr` and `Display` follow from that one list.

/// A text that is not the text form of the type it was parsed as (the error of this
/// crate's `FromStr` implementations for wire spellings, stored slot values and column
/// names).
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[error("{text:?} is not a {what}")]
#[non_exhaustive]
pub struct ParseTextError {
    /// What the text was parsed as (a type or a column).
    pub what: &'static str,
    /// The text, as given.
    pub text: String,
}

/// Declares `pub enum $name` from `Variant = "SPELLING",` rows (each with its doc
/// comment) and gives it `ALL` (declaration order), `as_str`, `parse` (the exact
/// spelling, nothing else) and a `Display` that writes the spelling.
macro_rules! spelled {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $spelling:literal, )+
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($spelling),+].len()] = [$($name::$variant),+];

            /// The exact spelling on the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $spelling,)+
                }
            }

            /// The value with exactly this spelling (case-sensitive, no trimming).
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|v| v.as_str() == s)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::ParseTextError;

            /// [`Self::parse`], with an error naming the type and the text.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s).ok_or_else(|| $crate::ParseTextError { what: stringify!($name), text: s.to_string() })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
