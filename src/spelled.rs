//! Enums with a fixed spelling on the wire: `transfer_conference` and `park_call` values,
//! api.php's function names, query keys. Each variant is declared once, next to its
//! spelling; `ALL`, `as_str`, `parse` and `Display` follow from that one list.

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

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
