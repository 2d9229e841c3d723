//! Writes the files the CLI tarball ships beside the binary: shell completions for bash, zsh,
//! fish and PowerShell, and the man page `qcc-radar.1`.
//!
//! They are generated from the same clap definition the binary parses with (`src/args.rs`,
//! included here by path), so they cannot list an option the command does not have. This is an
//! example rather than a subcommand so the shipped binary carries neither generator.
//! `scripts/package.sh` builds it with the command and runs it on the build machine
//! (`cli-assets OUT_DIR`); its output does not depend on the platform.

#[allow(dead_code)]
#[path = "../src/args.rs"]
mod args;

use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::Shell;

fn main() -> std::io::Result<()> {
    let out = PathBuf::from(
        std::env::args_os()
            .nth(1)
            .unwrap_or_else(|| "cli-assets".into()),
    );
    let completions = out.join("completions");
    let man = out.join("man/man1");
    std::fs::create_dir_all(&completions)?;
    std::fs::create_dir_all(&man)?;

    let mut cmd = args::Cli::command();
    cmd.build();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell] {
        let path = clap_complete::generate_to(shell, &mut cmd, "qcc-radar", &completions)?;
        println!("{}", path.display());
    }

    // qcc-radar.1 and one page per subcommand (qcc-radar-fetch.1 …), as git and cargo ship theirs.
    clap_mangen::generate_to(cmd, &man)?;
    for entry in std::fs::read_dir(&man)? {
        println!("{}", entry?.path().display());
    }
    Ok(())
}
