fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut sm = opinio::syntax::span::SourceMap::new();
    let id = sm.add(path.clone(), text.clone());
    match opinio::syntax::parse_file(id, &text) {
        Ok(f) => print!("{}", opinio::syntax::dump(&f)),
        Err(e) => print!(
            "{}",
            opinio::diagnostic::render(&[e.diagnostic], &sm, false)
        ),
    }
}
