//! Settings read from environment variables through a lookup: the process's environment in the
//! program, fixed variables in tests.

/// The first of `names` that is set, with its value. A variable holding only white space counts as
/// unset, as in curl and the Vault CLI, so an emptied variable falls through to the next name.
pub fn first_set<N: AsRef<str>>(
    lookup: impl Fn(&str) -> Option<String>,
    names: impl IntoIterator<Item = N>,
) -> Option<(N, String)> {
    names.into_iter().find_map(|name| {
        lookup(name.as_ref())
            .filter(|value| !value.trim().is_empty())
            .map(|value| (name, value))
    })
}

/// A lookup that sees only `vars`, as a test sets them.
#[cfg(test)]
pub fn fixed(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + 'static {
    let vars: std::collections::HashMap<String, String> = vars
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    move |name| vars.get(name).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_name_set_wins_and_blank_counts_as_unset() {
        let lookup = fixed(&[("A", " "), ("B", "b"), ("C", "c")]);
        assert_eq!(
            first_set(&lookup, ["A", "B", "C"]),
            Some(("B", "b".to_string()))
        );
        assert_eq!(first_set(&lookup, ["A", "D"]), None);
    }
}
