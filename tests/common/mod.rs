//! What the command-line tests share: running the real `orgwatch` binary from the workspace root.

use std::process::Command;

/// Runs `orgwatch ARGS` in the workspace root; its exit code, standard output and standard error.
pub fn orgwatch(args: &[&str]) -> (i32, String, String) {
    orgwatch_with_env(args, &[])
}

/// [`orgwatch`] with these variables added to its environment.
pub fn orgwatch_with_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_orgwatch"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("orgwatch runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
