//! Rust source from tokens: syn parses, prettyplease prints, and a blank line goes between
//! top-level items.
//!
//! Parsing and printing is about half the generator's time on a big WSDL (of Cisco AXL's
//! 3.3 s on one core, for 19 MB of code), so a file comes as parts (runs of whole items),
//! and the parts of all files are formatted on every core, workers taking contiguous runs
//! of them in turn, then joined in order: the output is the same whatever the number of
//! cores.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use proc_macro2::TokenStream;

use crate::Error;

/// Below this much source, threads cost more than they save.
const PARALLEL_FROM: usize = 256 * 1024;

/// Each file's formatted source, in the order given.
pub(crate) fn files(files: Vec<(String, Vec<TokenStream>)>) -> Result<Vec<(String, String)>, Error> {
    // Tokens are not `Send`; their text is.
    let mut parts: Vec<(usize, String)> = Vec::new();
    for (index, (_, tokens)) in files.iter().enumerate() {
        parts.extend(tokens.iter().filter(|t| !t.is_empty()).map(|t| (index, t.to_string())));
    }
    let total: usize = parts.iter().map(|(_, text)| text.len()).sum();
    let workers = match total >= PARALLEL_FROM {
        true => thread::available_parallelism().map_or(1, |n| n.get()).min(8),
        false => 1,
    };
    let paths: Vec<&str> = files.iter().map(|(path, _)| path.as_str()).collect();
    let formatted = format_on(workers, &parts, total, &paths)?;
    let mut sources = vec![String::new(); files.len()];
    for ((index, _), text) in parts.iter().zip(formatted) {
        sources[*index].push_str(&text);
    }
    Ok(files.into_iter().zip(sources).map(|((path, _), source)| (path, separate_items(&source))).collect())
}

/// One file's source from one token stream.
pub(crate) fn one(tokens: TokenStream, path: &str) -> Result<String, Error> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| does_not_parse(path, &e))?;
    Ok(separate_items(&prettyplease::unparse(&file)))
}

/// Formats `parts` on `workers` threads, which take contiguous runs of them in turn (a
/// byte of reader code costs syn twice what a byte of declarations does, so equal shares
/// would leave one core idle); `paths` name the parts' files in errors.
fn format_on(workers: usize, parts: &[(usize, String)], total: usize, paths: &[&str]) -> Result<Vec<String>, Error> {
    let format_run = |run: &[(usize, String)]| -> Result<Vec<String>, Error> {
        run.iter()
            .map(|(index, text)| {
                let file = syn::parse_file(text).map_err(|e| does_not_parse(paths[*index], &e))?;
                Ok(prettyplease::unparse(&file))
            })
            .collect()
    };
    if workers <= 1 {
        return format_run(parts);
    }
    const RUNS_PER_WORKER: usize = 16;
    let runs = split_by_size(parts, total.div_ceil(workers * RUNS_PER_WORKER));
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<Vec<String>, Error>)> = thread::scope(|scope| {
        let worker = || {
            let mut done = Vec::new();
            loop {
                let run = next.fetch_add(1, Ordering::Relaxed);
                let Some(parts) = runs.get(run) else { return done };
                done.push((run, format_run(parts)));
            }
        };
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(worker)).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    });
    done.sort_by_key(|(run, _)| *run);
    let mut formatted = Vec::with_capacity(parts.len());
    for (_, texts) in done {
        formatted.extend(texts?);
    }
    Ok(formatted)
}

/// Contiguous runs of `parts` of about `size` bytes each.
fn split_by_size(parts: &[(usize, String)], size: usize) -> Vec<&[(usize, String)]> {
    let (mut runs, mut start, mut bytes) = (Vec::new(), 0, 0);
    for (i, (_, text)) in parts.iter().enumerate() {
        bytes += text.len();
        if bytes >= size {
            runs.push(&parts[start..=i]);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < parts.len() {
        runs.push(&parts[start..]);
    }
    runs
}

fn does_not_parse(path: &str, error: &syn::Error) -> Error {
    Error { message: format!("generated {path} does not parse (a generator bug): {error}"), location: None, file: None }
}

/// Puts a blank line between top-level items, as a person would; prettyplease packs them.
fn separate_items(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 20);
    let mut previous_ended_item = false;
    for line in source.lines() {
        let starts_item = !line.is_empty() && !line.starts_with([' ', '}', ')']) && !line.starts_with("//!");
        if previous_ended_item && starts_item {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        previous_ended_item =
            line == "}" || line == "};" || (!line.starts_with([' ', '/', '#']) && line.ends_with(';'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_every_part_once_in_order() {
        let parts: Vec<(usize, String)> = (0..10).map(|i| (0, "x".repeat(i * 10))).collect();
        let runs = split_by_size(&parts, 100);
        assert!(runs.len() > 1);
        let joined: Vec<&(usize, String)> = runs.iter().flat_map(|run| run.iter()).collect();
        assert_eq!(joined.len(), parts.len());
        assert!(joined.iter().zip(&parts).all(|(a, b)| std::ptr::eq(*a, b)));
    }

    #[test]
    fn parts_formatted_apart_on_many_threads_read_as_the_whole_formatted_at_once() {
        let item = |i: usize| -> TokenStream {
            let name = quote::format_ident!("S{i}");
            quote::quote! { #[doc = "A struct."] pub struct #name { pub a: Option<Vec<u8>> } impl #name { fn f() -> u8 { match 1 { 1 => 2, _ => 3 } } } }
        };
        let head = quote::quote! { #![doc = "The file."] use std::fmt; };
        let parts: Vec<TokenStream> = std::iter::once(head.clone()).chain((0..3000).map(item)).collect();
        let whole = one(quote::quote!(#(#parts)*), "x.rs").unwrap();
        let apart = files(vec![("x.rs".to_owned(), parts)]).unwrap();
        assert_eq!(apart[0].1, whole);
    }
}
