//! The crate's shape, checked from its source: no import cycle between sibling modules at any level,
//! the two front ends (`wizard`, `commands`) never import each other, `store` and `hibob` know
//! nothing of the command line or the front ends, `store` knows nothing of `hibob`, code outside `store`
//! uses only its door (`store`'s own file), only `app` makes the OS-keyring opener, and no two types
//! share a name. An edge is any `crate::…` path in a file (in `use` lines and in code), resolved to the
//! longest module it names; a parent's own file (its `mod.rs`, re-exporting its children) is not a sibling.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// Every module of `src/` by its path (`["wizard", "view", "result"]`), with its source.
fn modules() -> BTreeMap<Module, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeMap::new();
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&root).unwrap().with_extension("");
            let mut module: Module = relative
                .iter()
                .map(|part| part.to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            found.insert(module, std::fs::read_to_string(&path).unwrap());
        }
    }
    found
}

/// The `crate::` paths a source names, braces of `use crate::{a, b::c}` expanded one level.
fn crate_paths(source: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for (start, _) in source.match_indices("crate::") {
        let rest = &source[start + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            paths.extend(group.split(',').map(segments));
        } else {
            paths.push(segments(rest));
        }
    }
    paths
}

fn segments(text: &str) -> Vec<String> {
    let text = text.trim_start();
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    text[..end]
        .split("::")
        .filter(|part| !part.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every `from -> to` dependency between modules.
fn edges(modules: &BTreeMap<Module, String>) -> BTreeSet<(Module, Module)> {
    let mut edges = BTreeSet::new();
    for (from, source) in modules {
        for path in crate_paths(source) {
            let to = (1..=path.len())
                .rev()
                .map(|len| path[..len].to_vec())
                .find(|prefix| modules.contains_key(prefix));
            if let Some(to) = to
                && &to != from
            {
                edges.insert((from.clone(), to));
            }
        }
    }
    edges
}

/// Cycles among the children of `parent`: each dependency between two of their subtrees is an edge.
fn cycles_under(parent: &[String], edges: &BTreeSet<(Module, Module)>) -> Vec<Vec<String>> {
    let depth = parent.len();
    let child = |module: &Module| {
        (module.len() > depth && module[..depth] == *parent).then(|| module[depth].clone())
    };
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to) in edges {
        if let (Some(a), Some(b)) = (child(from), child(to))
            && a != b
        {
            graph.entry(a).or_default().insert(b);
        }
    }
    // A node is on a cycle when it reaches itself; report each cycle's members once.
    let reach = |start: &String| {
        let mut seen = BTreeSet::new();
        let mut pending: Vec<&String> = graph.get(start).into_iter().flatten().collect();
        while let Some(node) = pending.pop() {
            if seen.insert(node.clone()) {
                pending.extend(graph.get(node).into_iter().flatten());
            }
        }
        seen
    };
    let mut cycles: BTreeSet<Vec<String>> = BTreeSet::new();
    for node in graph.keys() {
        let from_node = reach(node);
        if from_node.contains(node) {
            let members: Vec<String> = from_node
                .into_iter()
                .filter(|other| reach(other).contains(node))
                .collect();
            cycles.insert(members);
        }
    }
    cycles.into_iter().collect()
}

#[test]
fn no_two_sibling_modules_import_each_other() {
    let modules = modules();
    let edges = edges(&modules);
    assert!(
        edges.len() > 100,
        "the source was read: {} edges",
        edges.len()
    );
    let parents: BTreeSet<Module> = modules
        .keys()
        .flat_map(|module| (0..module.len()).map(|len| module[..len].to_vec()))
        .collect();
    let cycles: Vec<String> = parents
        .iter()
        .flat_map(|parent| {
            cycles_under(parent, &edges)
                .into_iter()
                .map(move |cycle| format!("crate::{}: {}", parent.join("::"), cycle.join(" <-> ")))
        })
        .collect();
    assert!(cycles.is_empty(), "import cycles: {cycles:#?}");
}

#[test]
fn the_front_ends_are_peers_and_the_layers_below_know_neither_them_nor_the_command_line() {
    let edges = edges(&modules());
    let forbidden = [
        ("wizard", "commands"),
        ("commands", "wizard"),
        ("store", "cli"),
        ("store", "commands"),
        ("store", "wizard"),
        ("store", "app"),
        // The store keeps profiles in its own terms; turning a check's report into them, choosing an
        // API URL and validating it happen in `lookup`.
        ("store", "hibob"),
        ("store", "settings"),
        ("store", "lookup"),
        // The report's rendering lives beside the report (hibob::report::view), serving the commands
        // without knowing them.
        ("hibob", "commands"),
        ("hibob", "wizard"),
        ("hibob", "cli"),
    ];
    let crossings: Vec<String> = edges
        .iter()
        .filter(|(from, to)| {
            forbidden.iter().any(|(a, b)| {
                from.first().is_some_and(|f| f == a) && to.first().is_some_and(|t| t == b)
            })
        })
        .map(|(from, to)| format!("{} -> {}", from.join("::"), to.join("::")))
        .collect();
    assert!(crossings.is_empty(), "{crossings:#?}");
}

/// Edges from outside `store` into one of its inner modules: everything outside goes through the door
/// (`store`'s own file).
fn through_a_side_door(edges: &BTreeSet<(Module, Module)>) -> Vec<String> {
    edges
        .iter()
        .filter(|(from, to)| {
            from.first().is_none_or(|f| f != "store") && to.len() > 1 && to[0] == "store"
        })
        .map(|(from, to)| format!("{} -> {}", from.join("::"), to.join("::")))
        .collect()
}

/// Modules other than `app` (and the store itself) that make the OS-keyring opener.
fn opener_makers(modules: &BTreeMap<Module, String>) -> Vec<String> {
    modules
        .iter()
        .filter(|(module, source)| {
            let allowed = module
                .first()
                .is_some_and(|first| first == "app" || first == "store");
            !allowed && source.contains("Stores::os_keyring(")
        })
        .map(|(module, _)| module.join("::"))
        .collect()
}

#[test]
fn outside_store_nothing_names_an_inner_module_of_it() {
    let crossings = through_a_side_door(&edges(&modules()));
    assert!(crossings.is_empty(), "{crossings:#?}");
}

#[test]
fn only_app_makes_the_os_keyring_opener() {
    let modules = modules();
    assert!(
        modules[&vec!["app".to_string()]].contains("Stores::os_keyring("),
        "app makes it"
    );
    let makers = opener_makers(&modules);
    assert!(makers.is_empty(), "{makers:#?}");
}

/// The types a source defines outside its unit tests (`struct`, `enum`, `trait`, `type`), by name.
fn defined_types(source: &str) -> Vec<String> {
    let product = source
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or(source);
    product
        .lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let at = words
                .iter()
                .position(|word| matches!(*word, "struct" | "enum" | "trait" | "type"))?;
            // Only a definition's opening: visibility (if any) then the keyword, at the start.
            let opening = words[..at]
                .iter()
                .all(|word| word.starts_with("pub") || *word == "unsafe");
            // An indented `type` is a trait's associated type (`type Value = ();`), not a definition.
            if words[at] == "type" && line.starts_with(char::is_whitespace) {
                return None;
            }
            let name = words.get(at + 1)?;
            let name: String = name
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (opening && name.starts_with(|c: char| c.is_ascii_uppercase())).then_some(name)
        })
        .collect()
}

/// One name, one type: two types of the same name (two `Notice`s, two `FrontDoor`s) make every reader
/// ask which one is meant.
#[test]
fn no_two_types_share_a_name() {
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (module, source) in modules() {
        if module.last().is_some_and(|name| name == "tests") {
            continue;
        }
        for name in defined_types(&source) {
            seen.entry(name).or_default().push(module.join("::"));
        }
    }
    let twice: Vec<String> = seen
        .into_iter()
        .filter(|(_, modules)| modules.len() > 1)
        .map(|(name, modules)| format!("{name}: {}", modules.join(", ")))
        .collect();
    assert!(twice.is_empty(), "{twice:#?}");
}

#[test]
fn the_checker_sees_a_second_type_of_the_same_name() {
    let source = "pub struct Notice;\npub(crate) enum Tone {}\ntype Alias = u8;\n    type Value = ();\n// a struct Word in prose\n#[cfg(test)]\nmod tests {\n    struct Hidden;\n}\n";
    assert_eq!(defined_types(source), ["Notice", "Tone", "Alias"]);
}

#[test]
fn the_checker_sees_a_side_door_and_a_second_opener() {
    // Negative control for the two rules above.
    let module = |path: &str| path.split("::").map(str::to_string).collect::<Module>();
    let sources: BTreeMap<Module, String> = [
        (module("store"), String::new()),
        (module("store::records"), String::new()),
        (module("store::stores"), "Stores::os_keyring()".to_string()),
        (
            module("commands::login"),
            "use crate::store::records::ProfileDir; use crate::store::Stores;".to_string(),
        ),
        (
            module("wizard"),
            "let s = Stores::os_keyring();".to_string(),
        ),
        (module("app"), "let s = Stores::os_keyring();".to_string()),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        through_a_side_door(&edges(&sources)),
        vec!["commands::login -> store::records".to_string()]
    );
    assert_eq!(opener_makers(&sources), vec!["wizard".to_string()]);
}

#[test]
fn the_checker_sees_a_cycle_and_a_crossing() {
    // Negative control: a graph with a known cycle and a known crossing is reported as such.
    let module = |path: &str| path.split("::").map(str::to_string).collect::<Module>();
    let known: BTreeSet<(Module, Module)> = [
        (module("commands::check"), module("commands::stored")),
        (module("commands::stored"), module("commands::check")),
        (module("wizard::view"), module("commands::check")),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        cycles_under(&module("commands"), &known),
        vec![vec!["check".to_string(), "stored".to_string()]]
    );
    assert_eq!(cycles_under(&[], &known), Vec::<Vec<String>>::new());
    let sources: BTreeMap<Module, String> = [
        (module("a"), "use crate::{b::X, c};".to_string()),
        (module("b"), String::new()),
        (module("c"), "crate::a::f()".to_string()),
    ]
    .into_iter()
    .collect();
    let found = edges(&sources);
    assert!(found.contains(&(module("a"), module("b"))), "{found:?}");
    assert!(found.contains(&(module("c"), module("a"))), "{found:?}");
    assert_eq!(
        cycles_under(&[], &found),
        vec![vec!["a".to_string(), "c".to_string()]]
    );
}
