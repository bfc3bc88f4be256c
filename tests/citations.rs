//! Every citation of VICIdial's behaviour resolves inside the repository: each `§N` or
//! `§N.M` in the code and the docs is a heading of docs/vicidial.md, each race `R<n>`, open
//! question `Q<n>` and difference `D<n>` one of its anchors, and nothing points at a document
//! outside the repository (the project's old shared summary) or cites a section the old way,
//! as a section of "the spec", which a reader cannot open.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The text files of the repository a reader may follow a citation from.
fn sources(root: &Path) -> Vec<PathBuf> {
    const SKIP: [&str; 5] = ["target", ".git", "corpus", "artifacts", "regressions"];
    const TEXT: [&str; 8] = ["rs", "md", "toml", "sh", "json", "html", "vxs", "txt"];
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !SKIP.contains(&name.as_str()) && !name.starts_with("target") {
                    dirs.push(path);
                }
            } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| TEXT.contains(&e)) || name == "run" {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The section numbers docs/vicidial.md has a heading for: `2`, `3.8`, ...
fn headings(spec: &str) -> BTreeSet<String> {
    spec.lines()
        .filter(|l| l.starts_with('#'))
        .filter_map(|l| l.trim_start_matches('#').trim_start().strip_prefix('§'))
        .map(|rest| rest.split(' ').next().unwrap_or_default().to_string())
        .collect()
}

/// The anchors docs/vicidial.md defines (`<a id="r3">`), upper-cased: `R3`, `Q12`, `D20`.
fn anchors(spec: &str) -> BTreeSet<String> {
    spec.split("<a id=\"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_uppercase).collect()
}

/// Every `§N(.M)` of `text`, with ranges (`§1–4`, `§6–§7`) giving both ends.
fn sections(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('§') {
        let rest = &text[i + '§'.len_utf8()..];
        let number: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        let number = number.trim_end_matches('.').to_string();
        if number.is_empty() {
            continue;
        }
        let after = &rest[number.len()..];
        // `§6–§7`: the second `§` is found by itself.
        if let Some(end) = after.strip_prefix('–').or_else(|| after.strip_prefix('-')) {
            let end: String = end.chars().take_while(char::is_ascii_digit).collect();
            if !end.is_empty() {
                out.push(end);
            }
        }
        out.push(number);
    }
    out
}

/// Every `R<n>`, `Q<n>`, `D<n>` standing alone (not part of a longer word or number).
fn labels(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if !matches!(b, b'R' | b'Q' | b'D') || (i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
        {
            continue;
        }
        let digits = bytes[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        let next = bytes.get(i + 1 + digits);
        if digits == 0 || next.is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_') {
            continue;
        }
        out.push(text[i..i + 1 + digits].to_string());
    }
    out
}

#[test]
fn every_citation_resolves_in_docs_vicidial_md() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = std::fs::read_to_string(root.join("docs/vicidial.md")).expect("docs/vicidial.md");
    let (headings, anchors) = (headings(&spec), anchors(&spec));
    assert!(headings.contains("2") && headings.contains("15.7"), "{headings:?}");
    assert!(anchors.contains("R17") && anchors.contains("Q14") && anchors.contains("D22"), "{anchors:?}");
    // Spelled in two pieces, so that this file does not cite them itself.
    let outside = [concat!("/work/", "shared"), concat!("shared/", "docs"), concat!("vicidial-", "behavior")];
    let mut wrong = Vec::new();
    let files = sources(root);
    assert!(files.len() > 100, "{} files", files.len());
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let shown = path.strip_prefix(root).unwrap_or(path).display().to_string();
        for (n, line) in text.lines().enumerate() {
            let at = format!("{shown}:{}", n + 1);
            for o in outside {
                if line.contains(o) {
                    wrong.push(format!("{at}: cites {o}, outside the repository: cite docs/vicidial.md"));
                }
            }
            if line.contains(concat!("spec ", "§")) || line.contains(concat!("of the ", "spec")) && line.contains('§')
            {
                wrong.push(format!("{at}: cites \"the spec\" by section: write docs/vicidial.md and the section"));
            }
            for s in sections(line) {
                if !headings.contains(&s) {
                    wrong.push(format!("{at}: §{s} is no heading of docs/vicidial.md"));
                }
            }
            if path.extension().is_some_and(|e| e == "json") {
                continue;
            }
            for label in labels(line) {
                if !anchors.contains(&label) {
                    wrong.push(format!("{at}: {label} is no anchor of docs/vicidial.md"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} citations do not resolve:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn the_citation_scanner_finds_what_it_must() {
    assert_eq!(sections("see §3.8, §1–4 and §6–§7."), ["3.8", "4", "1", "6", "7"]);
    assert_eq!(labels("R3, (Q12) D20; not R2D2, XR3, R3a, or R"), ["R3", "Q12", "D20"]);
    let spec = "## §2 The preamble\n### §15.7 force\n| <a id=\"r3\"></a>R3 |";
    assert_eq!(headings(spec), ["15.7", "2"].map(String::from).into_iter().collect());
    assert_eq!(anchors(spec), ["R3"].map(String::from).into_iter().collect());
}
