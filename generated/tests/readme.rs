//! README's client example, compiled as written: the code block is pulled out of README.md
//! by the build of this test, so a README that drifts from the API fails `cargo test`.

mod readme_example {
    include!(concat!(env!("OUT_DIR"), "/readme_example.rs"));

    #[test]
    fn readme_example_compiles() {
        // Building the future is enough: running it would need a Marketo account.
        let future = push_one_lead();
        drop(future);
    }
}
