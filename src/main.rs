//! The `veilgate` command: all logic lives in the library's `cli` module.

fn main() -> std::process::ExitCode {
    veilgate::cli::main()
}
