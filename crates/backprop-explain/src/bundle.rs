//! The page's ES modules (`assets/page/js`) joined into one inline script.
//!
//! The page must work opened from disk, and there browsers load neither
//! `<script type="module" src>` nor imports between inline modules. So the modules,
//! which stay real ES modules that Node imports for their unit tests, are joined here.
//! Each becomes a function that reads its imports from the modules run before it and
//! returns its exports:
//!
//! ```js
//! const __modules = {};
//! __modules['util.js'] = (() => {
//! const { t } = __modules['i18n.js'];
//! // util.js, its `import` statements removed and `export ` dropped
//! return { h, s };
//! })();
//! ```
//!
//! The functions run in an order where each module follows every module it imports,
//! so an import is always a finished module. The modules keep to a subset of the
//! syntax that makes this exact, and anything else is refused rather than guessed at:
//!
//! - `import { a, b as c } from './name.js';` at the start of a line (it may span
//!   lines); no default or namespace imports;
//! - `export function`, `export async function`, `export const` or `export class` at
//!   the start of a line, one name each. An import is a copy of the binding, not a
//!   live view, so `export let` is refused: shared data that changes lives in the
//!   members of an exported object (`state.js`);
//! - no cycles among the modules, every imported name exported by its module, and no
//!   `</script` or `<!--` in the text, which HTML would read as the script's end or
//!   as a comment that moves it.

use std::collections::HashMap;

/// Declares the registry; module text may not use this name.
const REGISTRY: &str = "__modules";

/// One `import { … } from './from';`: the module and the (imported, local) names.
struct Import {
    from: String,
    names: Vec<(String, String)>,
}

/// A module taken apart: what it imports, what it exports, and its text without the
/// `import` statements and `export` keywords.
struct Parsed<'a> {
    imports: Vec<Import>,
    exports: Vec<&'a str>,
    body: String,
}

/// The script that runs `modules` (file name, text): each after the modules it
/// imports, in the order given where imports leave a choice. The error says which
/// module broke which rule.
pub fn bundle(modules: &[(&str, &str)]) -> Result<String, String> {
    let mut parsed = HashMap::new();
    for &(name, text) in modules {
        check_name(name)?;
        let module = parse(text).map_err(|e| format!("{name}: {e}"))?;
        if parsed.insert(name, module).is_some() {
            return Err(format!("{name}: listed twice"));
        }
    }
    for &(name, _) in modules {
        for import in &parsed[name].imports {
            let Some(target) = parsed.get(import.from.as_str()) else {
                return Err(format!(
                    "{name}: imports {}, which is not a module of the page",
                    import.from
                ));
            };
            for (imported, _) in &import.names {
                if !target.exports.contains(&imported.as_str()) {
                    return Err(format!(
                        "{name}: imports {imported}, which {} does not export",
                        import.from
                    ));
                }
            }
        }
    }

    let mut order = Vec::with_capacity(modules.len());
    let mut visiting = Vec::new();
    for &(name, _) in modules {
        visit(name, &parsed, &mut visiting, &mut order)?;
    }

    let mut out = format!("const {REGISTRY} = {{}};\n");
    for name in order {
        let module = &parsed[name];
        out.push_str(&format!("{REGISTRY}['{name}'] = (() => {{\n"));
        for import in &module.imports {
            let names: Vec<String> = import
                .names
                .iter()
                .map(|(imported, local)| {
                    if imported == local {
                        imported.clone()
                    } else {
                        format!("{imported}: {local}")
                    }
                })
                .collect();
            out.push_str(&format!(
                "const {{ {} }} = {REGISTRY}['{}'];\n",
                names.join(", "),
                import.from
            ));
        }
        out.push_str(&module.body);
        let exports = module.exports.join(", ");
        let exports = if exports.is_empty() {
            exports
        } else {
            format!(" {exports} ")
        };
        out.push_str(&format!("return {{{exports}}};\n}})();\n"));
    }
    Ok(out)
}

/// Puts `name` into `order` after everything it imports (depth first); `visiting` is
/// the chain of imports being followed, so meeting one of them again is a cycle.
fn visit<'p>(
    name: &'p str,
    parsed: &'p HashMap<&str, Parsed<'_>>,
    visiting: &mut Vec<&'p str>,
    order: &mut Vec<&'p str>,
) -> Result<(), String> {
    if order.contains(&name) {
        return Ok(());
    }
    if let Some(at) = visiting.iter().position(|&v| v == name) {
        let mut cycle = visiting[at..].to_vec();
        cycle.push(name);
        return Err(format!("the imports go round: {}", cycle.join(" → ")));
    }
    visiting.push(name);
    for import in &parsed[name].imports {
        visit(&import.from, parsed, visiting, order)?;
    }
    visiting.pop();
    order.push(name);
    Ok(())
}

/// A module is named like `name.js`, which also makes it safe to quote in the script.
fn check_name(name: &str) -> Result<(), String> {
    let stem = name.strip_suffix(".js").unwrap_or("");
    if !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        Ok(())
    } else {
        Err(format!("{name:?} is not a module name like name.js"))
    }
}

/// `text` taken apart, or why it is not in the subset this file understands.
fn parse(text: &str) -> Result<Parsed<'_>, String> {
    let lower = text.to_ascii_lowercase();
    for banned in ["</script", "<!--", REGISTRY] {
        if lower.contains(banned) {
            return Err(format!("contains {banned}"));
        }
    }
    let mut parsed = Parsed {
        imports: Vec::new(),
        exports: Vec::new(),
        body: String::new(),
    };
    let mut lines = text.lines().enumerate();
    while let Some((i, line)) = lines.next() {
        let at = |e: String| format!("line {}: {e}", i + 1);
        if starts_with_word(line, "import") {
            // The statement ends at its semicolon, maybe some lines on.
            let mut statement = line.to_string();
            while !statement.contains(';') {
                match lines.next() {
                    Some((_, more)) => {
                        statement.push('\n');
                        statement.push_str(more);
                    }
                    None => return Err(at("an import without its ';'".into())),
                }
            }
            parsed.imports.push(parse_import(&statement).map_err(at)?);
        } else if starts_with_word(line, "export") {
            let declaration = line["export".len()..].trim_start();
            parsed.exports.push(exported_name(declaration).map_err(at)?);
            parsed.body.push_str(declaration);
            parsed.body.push('\n');
        } else {
            parsed.body.push_str(line);
            parsed.body.push('\n');
        }
    }
    Ok(parsed)
}

/// Whether `line` begins with the keyword `word` (not with a longer name).
fn starts_with_word(line: &str, word: &str) -> bool {
    line.strip_prefix(word)
        .is_some_and(|rest| !rest.starts_with(|c: char| is_name_char(c)))
}

/// `import { a, b as c } from './name.js';` (spaces and line breaks free).
fn parse_import(statement: &str) -> Result<Import, String> {
    let refuse = || {
        format!("only `import {{ a, b as c }} from './name.js';` is understood, not {statement:?}")
    };
    let rest = statement["import".len()..].trim_start();
    let rest = rest.strip_prefix('{').ok_or_else(refuse)?;
    let (list, rest) = rest.split_once('}').ok_or_else(refuse)?;
    let rest = rest
        .trim_start()
        .strip_prefix("from")
        .ok_or_else(refuse)?
        .trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|&q| q == '\'' || q == '"')
        .ok_or_else(refuse)?;
    let (path, rest) = rest[1..].split_once(quote).ok_or_else(refuse)?;
    if rest.trim() != ";" {
        return Err(refuse());
    }
    let from = path.strip_prefix("./").ok_or_else(refuse)?;
    check_name(from)?;
    let from = from.to_string();
    let mut names = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let words: Vec<&str> = item.split_whitespace().collect();
        let pair = match words[..] {
            [name] => (name, name),
            [name, "as", local] => (name, local),
            _ => return Err(refuse()),
        };
        if !is_name(pair.0) || !is_name(pair.1) {
            return Err(refuse());
        }
        names.push((pair.0.to_string(), pair.1.to_string()));
    }
    if names.is_empty() {
        return Err(refuse());
    }
    Ok(Import { from, names })
}

/// The name that `function f`, `async function f`, `const f` or `class f` declares.
fn exported_name(declaration: &str) -> Result<&str, String> {
    let rest = ["function ", "async function ", "const ", "class "]
        .iter()
        .find_map(|kind| declaration.strip_prefix(kind))
        .ok_or_else(|| {
            format!("only `export function|async function|const|class name` is understood, not {declaration:?}")
        })?
        .trim_start();
    let end = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
    let name = &rest[..end];
    if is_name(name) {
        Ok(name)
    } else {
        Err(format!("export names no single name: {declaration:?}"))
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// A plain JavaScript name (ASCII, which is all the page uses).
fn is_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| !c.is_ascii_digit()) && s.chars().all(is_name_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_become_reads_and_exports_a_returned_object() {
        let bundled = bundle(&[
            (
                "b.js",
                "// b\nimport { x, y as z } from './a.js';\n\nexport function f() {\n  return x + z;\n}\n",
            ),
            ("a.js", "export const x = 1;\nexport async function y() {}\nconst hidden = 2;\n"),
        ])
        .unwrap();
        assert_eq!(
            bundled,
            "const __modules = {};\n\
             __modules['a.js'] = (() => {\n\
             const x = 1;\n\
             async function y() {}\n\
             const hidden = 2;\n\
             return { x, y };\n\
             })();\n\
             __modules['b.js'] = (() => {\n\
             const { x, y: z } = __modules['a.js'];\n\
             // b\n\
             \n\
             function f() {\n  return x + z;\n}\n\
             return { f };\n\
             })();\n"
        );
    }

    #[test]
    fn an_import_may_span_lines() {
        let bundled = bundle(&[
            ("a.js", "export const x = 1;\nexport class Y {}\n"),
            (
                "b.js",
                "import {\n  Y,\n  x,\n} from \"./a.js\";\nnew Y(x);\n",
            ),
        ])
        .unwrap();
        assert!(
            bundled.contains("const { Y, x } = __modules['a.js'];\nnew Y(x);\n"),
            "{bundled}"
        );
    }

    #[test]
    fn modules_run_after_what_they_import_whatever_the_list_order() {
        let bundled = bundle(&[
            ("main.js", "import { b } from './b.js';\nb();\n"),
            (
                "b.js",
                "import { a } from './a.js';\nexport function b() { a(); }\n",
            ),
            ("a.js", "export function a() {}\n"),
        ])
        .unwrap();
        let at = |name: &str| bundled.find(&format!("__modules['{name}'] = ")).unwrap();
        assert!(at("a.js") < at("b.js") && at("b.js") < at("main.js"));
    }

    #[test]
    fn what_it_cannot_do_exactly_it_refuses() {
        let refused = |modules: &[(&str, &str)], why: &str| {
            let e = bundle(modules).unwrap_err();
            assert!(e.contains(why), "{e:?} does not say {why:?}");
        };
        let a = ("a.js", "export function a() {}\n");
        refused(
            &[
                ("x.js", "import { y } from './y.js';\nexport const x = 1;\n"),
                ("y.js", "import { x } from './x.js';\nexport const y = 1;\n"),
            ],
            "the imports go round: x.js → y.js → x.js",
        );
        refused(
            &[("x.js", "import { a } from './missing.js';\n")],
            "missing.js, which is not a module",
        );
        refused(
            &[a, ("x.js", "import { b } from './a.js';\n")],
            "imports b, which a.js does not export",
        );
        refused(
            &[("x.js", "export let x = 1;\n")],
            "line 1: only `export function",
        );
        refused(&[("x.js", "export default 1;\n")], "only `export function");
        refused(&[("x.js", "export const { a } = {};\n")], "no single name");
        refused(
            &[a, ("x.js", "import a from './a.js';\n")],
            "only `import {",
        );
        refused(
            &[a, ("x.js", "import * as a from './a.js';\n")],
            "only `import {",
        );
        refused(
            &[a, ("x.js", "import { a } from 'a.js';\n")],
            "only `import {",
        );
        refused(
            &[a, ("x.js", "import { a } from './a.js'\n")],
            "without its ';'",
        );
        refused(&[("x.js", "const s = '</SCRIPT>';\n")], "contains </script");
        refused(&[("x.js", "const __modules = 1;\n")], "contains __modules");
        refused(&[a, a], "a.js: listed twice");
        refused(&[("../a.js", "")], "not a module name");
    }

    #[test]
    fn names_that_merely_start_like_keywords_are_code() {
        let bundled = bundle(&[("a.js", "important();\nexported = 1;\n")]).unwrap();
        assert!(
            bundled.contains("important();\nexported = 1;\nreturn {};"),
            "{bundled}"
        );
    }
}
