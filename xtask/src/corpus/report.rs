//! The corpus table: one line per file and the totals.

use super::{Check, Line, Outcome, RoundTrips};

/// One line per file and the totals, as the command prints them.
pub fn report(lines: &[Line]) -> String {
    let mut out = String::new();
    for line in lines {
        let text = match &line.outcome {
            Outcome::Generated { types, operations, left_out, undefined, compiled } => {
                let mut left_out = match left_out {
                    0 => String::new(),
                    n => format!(", {n} operations left out"),
                };
                if *undefined > 0 {
                    left_out.push_str(&format!(", {undefined} naming what the WSDL does not define"));
                }
                let check = compiled.as_ref().map(check_text).unwrap_or_default();
                format!("generated ({types} types, {operations} operations{left_out}){check}")
            }
            Outcome::Refused(reason) => format!("refused: {reason}"),
        };
        out.push_str(&format!("{:<45} {text}\n", line.file));
    }
    out.push_str(&totals(lines));
    out.push('\n');
    if let Some(zeep) = zeep_total(lines) {
        out.push_str(&zeep);
        out.push('\n');
    }
    out
}

fn check_text(check: &Check) -> String {
    match check {
        Check::DoesNotCompile(e) => format!(", does not compile: {e}"),
        Check::Compiled(trips) => format!(", compiled, {}", round_trip_text(trips)),
    }
}

fn round_trip_text(trips: &RoundTrips) -> String {
    let mut text = format!("{}/{} operations round-trip", trips.passed, trips.operations);
    if let Some((operation, message)) = &trips.first_failure {
        text.push_str(&format!(" (first failure `{operation}`: {message})"));
    }
    if let Some(first) = trips.left_out.first() {
        let more = match trips.left_out.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        text.push_str(&format!("; the samples leave out {first}{more}"));
    }
    text
}

/// Whether the line's crate has every operation the WSDL defines (none left out for a
/// construct), compiled, and every operation round-tripped.
fn round_trips_fully(line: &Line) -> bool {
    matches!(&line.outcome,
        Outcome::Generated { left_out: 0, compiled: Some(Check::Compiled(trips)), .. } if trips.all_pass())
}

fn totals(lines: &[Line]) -> String {
    let (mut generated, mut whole, mut empty, mut compiled) = (0, 0, 0, 0);
    for line in lines {
        if let Outcome::Generated { operations, left_out, compiled: check, .. } = &line.outcome {
            // Operations that name what the WSDL does not define are not counted against it.
            generated += 1;
            match (operations, left_out) {
                (0, _) => empty += 1,
                (_, 0) => whole += 1,
                _ => {}
            }
            compiled += usize::from(matches!(check, Some(Check::Compiled(_))));
        }
    }
    let mut text = format!(
        "total: {generated} of {} generated: {whole} with every operation the WSDL defines, {} with some left out, {empty} with none",
        lines.len(),
        generated - whole - empty
    );
    if lines.iter().any(|l| matches!(l.outcome, Outcome::Generated { compiled: Some(_), .. })) {
        let fully = lines.iter().filter(|l| round_trips_fully(l)).count();
        text.push_str(&format!(", {compiled} compiled, {fully} compiled and round-trip every operation"));
    }
    text
}

/// With a manifest that says which files zeep loads: how many of those we handle as well.
fn zeep_total(lines: &[Line]) -> Option<String> {
    let loaded: Vec<&Line> = lines.iter().filter(|l| l.zeep == Some(true)).collect();
    if lines.iter().all(|l| l.zeep.is_none()) {
        return None;
    }
    let compiled = loaded.iter().any(|l| matches!(l.outcome, Outcome::Generated { compiled: Some(_), .. }));
    Some(match compiled {
        true => format!(
            "zeep: {} of {} files zeep loads generate a crate that compiles and round-trips",
            loaded.iter().filter(|l| round_trips_fully(l)).count(),
            loaded.len()
        ),
        false => format!(
            "zeep: {} of {} files zeep loads generate a crate",
            loaded.iter().filter(|l| matches!(l.outcome, Outcome::Generated { .. })).count(),
            loaded.len()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(compiled: Option<Check>) -> Outcome {
        Outcome::Generated { types: 4, operations: 3, left_out: 1, undefined: 0, compiled }
    }

    /// Every operation of the WSDL generated.
    fn whole(compiled: Option<Check>) -> Outcome {
        Outcome::Generated { types: 4, operations: 3, left_out: 0, undefined: 0, compiled }
    }

    /// Every operation but one that names what the WSDL does not define.
    fn undefined_one(compiled: Option<Check>) -> Outcome {
        Outcome::Generated { types: 4, operations: 3, left_out: 0, undefined: 1, compiled }
    }

    fn line(file: &str, outcome: Outcome, zeep: Option<bool>) -> Line {
        Line { file: file.into(), outcome, zeep }
    }

    fn trips(passed: usize, failure: Option<(&str, &str)>, left_out: &[&str]) -> Check {
        Check::Compiled(RoundTrips {
            passed,
            operations: 3,
            first_failure: failure.map(|(a, b)| (a.into(), b.into())),
            left_out: left_out.iter().map(|s| s.to_string()).collect(),
        })
    }

    #[test]
    fn each_line_says_what_compiled_and_round_tripped() {
        let lines = [
            line("a.wsdl", whole(Some(trips(3, None, &[]))), Some(true)),
            // Round-trips what it has, but an operation is left out: not counted as whole.
            line("f.wsdl", generated(Some(trips(3, None, &[]))), Some(true)),
            line(
                "b/c.wsdl",
                generated(Some(trips(
                    2,
                    Some(("getX", "response: `id` was dropped")),
                    &["xs:any in type `T`", "attributes of type `U`"],
                ))),
                Some(true),
            ),
            line("d.wsdl", generated(Some(Check::DoesNotCompile("cargo check: error[E0412]".into()))), None),
            // An operation naming a message the WSDL never defines does not count against it.
            line("g.wsdl", undefined_one(Some(trips(3, None, &[]))), Some(true)),
            line("e.wsdl", Outcome::Refused("e.wsdl:3:4: unsupported: rpc".into()), Some(false)),
        ];
        let text = report(&lines);
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows.len(), 8, "{text}");
        assert!(
            rows[0].starts_with("a.wsdl ")
                && rows[0].ends_with("generated (4 types, 3 operations), compiled, 3/3 operations round-trip"),
            "{text}"
        );
        assert!(rows[1].ends_with("1 operations left out), compiled, 3/3 operations round-trip"), "{text}");
        let rows = [&rows[..1], &rows[2..]].concat();
        assert!(rows[1].ends_with("compiled, 2/3 operations round-trip (first failure `getX`: response: `id` was dropped); the samples leave out xs:any in type `T` and 1 more"), "{text}");
        assert!(rows[2].ends_with(", does not compile: cargo check: error[E0412]"), "{text}");
        assert!(
            rows[3].ends_with(
                "(4 types, 3 operations, 1 naming what the WSDL does not define), compiled, 3/3 operations round-trip"
            ),
            "{text}"
        );
        assert!(rows[4].ends_with("refused: e.wsdl:3:4: unsupported: rpc"), "{text}");
        assert_eq!(rows[5], "total: 5 of 6 generated: 2 with every operation the WSDL defines, 3 with some left out, 0 with none, 4 compiled, 2 compiled and round-trip every operation");
        assert_eq!(rows[6], "zeep: 2 of 4 files zeep loads generate a crate that compiles and round-trips");
    }

    #[test]
    fn without_compile_or_zeep_the_table_has_no_such_columns() {
        let lines = [line("a.wsdl", generated(None), None), line("b.wsdl", Outcome::Refused("x".into()), None)];
        let text = report(&lines);
        assert!(text.lines().next().unwrap().ends_with("operations left out)"), "{text}");
        assert_eq!(
            text.lines().last().unwrap(),
            "total: 1 of 2 generated: 0 with every operation the WSDL defines, 1 with some left out, 0 with none"
        );
    }
}
