//! The `vicixfer` command line.
fn main() {}
