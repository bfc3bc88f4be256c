//! Stage 1: api.php's validation and answers, as a pure function.
