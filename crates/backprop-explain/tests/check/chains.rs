//! Finds the printed equation chains `lhs = step = … = result` in each output format and
//! brings LaTeX to the terminal's notation, so that one reader checks them all.

/// One printed chain: its left-hand side and its steps, the result last.
#[derive(Clone, Debug)]
pub struct Chain {
    /// The chain as printed, for messages.
    pub printed: String,
    /// The left-hand side.
    pub lhs: String,
    /// The steps after it, in the terminal's notation.
    pub steps: Vec<String>,
}

/// Splits `s` at ` = ` outside any brackets.
fn split_equals(s: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut depth = 0i32;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' | '（' | '{' => depth += 1,
            ')' | '）' | '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 && c == '=' && i > 0 && chars[i - 1] == ' ' && chars.get(i + 1) == Some(&' ')
        {
            let last = parts.last_mut().unwrap();
            last.pop();
            parts.push(String::new());
            i += 2;
            continue;
        }
        parts.last_mut().unwrap().push(c);
        i += 1;
    }
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

/// A condition written beside a result, `1   (net = 0.3 > 0)` or `1（此处 net = 0.3 > 0）`,
/// is not part of the chain.
fn strip_note(step: &str) -> String {
    let s = step.trim_end();
    if let Some(body) = s.strip_suffix('）') {
        if let Some(i) = body.rfind('（') {
            return s[..i].trim_end().to_string();
        }
    }
    if let Some(i) = s.find("   (") {
        if s.ends_with(')') {
            return s[..i].trim_end().to_string();
        }
    }
    s.to_string()
}

fn chain(printed: String, joined: &str) -> Chain {
    let mut parts = split_equals(joined);
    let lhs = parts.remove(0);
    if let Some(last) = parts.last_mut() {
        *last = strip_note(last);
    }
    Chain {
        printed,
        lhs,
        steps: parts,
    }
}

/// The chains of terminal text: lines indented by two spaces that hold ` = `, each
/// with the lines after it that go on with `= `.
pub fn text(rendered: &str) -> Vec<Chain> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut in_chain = false;
    for line in rendered.lines() {
        let trimmed = line.trim_start();
        if in_chain && line.starts_with("   ") && trimmed.starts_with("= ") {
            let (printed, joined) = out.last_mut().unwrap();
            printed.push('\n');
            printed.push_str(line);
            joined.push(' ');
            joined.push_str(trimmed);
            continue;
        }
        in_chain = line.starts_with("  ") && !line.starts_with("   ") && line.contains(" = ");
        if in_chain {
            out.push((line.to_string(), trimmed.to_string()));
        }
    }
    out.into_iter().map(|(p, j)| chain(p, &j)).collect()
}

/// The chains of a LaTeX `aligned` body: rows end with `\\`, and a row starting with
/// `&=` goes on with the chain above it.
pub fn aligned(body: &str) -> Vec<Chain> {
    let mut rows: Vec<String> = Vec::new();
    for row in body.split("\\\\\n") {
        let row = row.trim();
        if row.is_empty() {
            continue;
        }
        if row.starts_with("&=") && !rows.is_empty() {
            let last = rows.last_mut().unwrap();
            last.push(' ');
            last.push_str(row);
        } else {
            rows.push(row.to_string());
        }
    }
    rows.into_iter()
        .map(|row| {
            let joined = from_latex(&row.replace("&=", "="));
            chain(row, &joined)
        })
        .collect()
}

/// The chains of Markdown: every ```` ```math ```` block's `aligned` environment.
pub fn markdown(rendered: &str) -> Vec<Chain> {
    let mut out = Vec::new();
    let mut rest = rendered;
    while let Some(start) = rest.find("\\begin{aligned}\n") {
        let after = &rest[start + "\\begin{aligned}\n".len()..];
        let end = after.find("\\end{aligned}").expect("aligned without end");
        out.extend(aligned(&format!("{}\\\\\n", &after[..end])));
        rest = &after[end..];
    }
    out
}

/// The brace-delimited group starting at byte `at` (which holds `{`): its content and
/// the byte after its `}`.
fn group(s: &str, at: usize) -> (String, usize) {
    let mut depth = 0;
    for (i, c) in s[at..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return (s[at + 1..at + i].to_string(), at + i + 1);
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced braces in `{s}`")
}

/// LaTeX in the terminal's notation: `\frac{a}{b}` → `((a) / (b))`, `\times` → `×`,
/// `e^{a}` → `e^(a)`, `\left( \right)` → `( )`, `m \times 10^{e}` → `me`,
/// `\tfrac{1}{2}` → `½`. Anything else (`\partial`, `\text{…}`) is kept and reads as
/// symbolic. A condition written after `\qquad` becomes a note.
pub fn from_latex(s: &str) -> String {
    // A condition beside the result, `1 \qquad \text{(…)}`, reads as the terminal's note.
    let s = match s.find(" \\qquad ") {
        Some(i) => format!("{}   (note)", &s[..i]),
        None => s.to_string(),
    };
    let mut s = s
        .replace("\\tfrac{1}{2}", "½")
        .replace("\\left(", "(")
        .replace("\\right)^2", ")²")
        .replace("\\right)", ")")
        .replace("\\operatorname{tanh}", "tanh")
        .replace("\\operatorname{max}", "max")
        .replace("\\operatorname{min}", "min")
        .replace("\\operatorname{sign}", "sign")
        .replace("\\operatorname{ln}", "ln");
    // m \times 10^{e}: scientific notation.
    while let Some(i) = s.find(" \\times 10^{") {
        let (exp, end) = group(&s, i + " \\times 10^".len());
        s = format!("{}e{exp}{}", &s[..i], &s[end..]);
    }
    s = s.replace(" \\times ", " × ");
    // \frac{\partial a}{\partial b}: one name, ∂a/∂b, as the terminal prints it.
    while let Some(i) = s.find("\\frac{\\partial ") {
        let (a, after_a) = group(&s, i + "\\frac".len());
        let (b, after_b) = group(&s, after_a);
        let b = b.strip_prefix("\\partial ").unwrap_or(&b).to_string();
        let a = a.strip_prefix("\\partial ").unwrap_or(&a).to_string();
        s = format!("{}∂{a}/∂{b}{}", &s[..i], &s[after_b..]);
    }
    while let Some(i) = s.find("\\frac{") {
        let (a, after_a) = group(&s, i + "\\frac".len());
        let (b, after_b) = group(&s, after_a);
        s = format!("{}(({a}) / ({b})){}", &s[..i], &s[after_b..]);
    }
    // {b}^{n} with b a number: a power, in superscript digits. Powers of symbols
    // (`{\beta_1}^{t}`, `{w_5}^{+}`) stay as they are and read as symbolic.
    let mut from = 0;
    while let Some(found) = s[from..].find("}^{") {
        let i = from + found;
        let open = s[..i].rfind('{').unwrap_or(i);
        let base = &s[open + 1..i];
        let (n, end) = group(&s, i + 2);
        let number = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.');
        if open == i || !number(base) || !number(&n) {
            from = i + 1;
            continue;
        }
        let digits: String = n
            .chars()
            .filter_map(|c| c.to_digit(10))
            .filter_map(|d| "⁰¹²³⁴⁵⁶⁷⁸⁹".chars().nth(d as usize))
            .collect();
        s = format!("{}({base}){digits}{}", &s[..open], &s[end..]);
        from = open;
    }
    while let Some(i) = s.find("\\sqrt{") {
        let (a, end) = group(&s, i + "\\sqrt".len());
        s = format!("{}√({a}){}", &s[..i], &s[end..]);
    }
    while let Some(i) = s.find("e^{") {
        let (a, end) = group(&s, i + 2);
        s = format!("{}e^({a}){}", &s[..i], &s[end..]);
    }
    s
}
