//! Command-line interface. Exit codes: 0 success, 1 a check found problems
//! (`patterns test`), 2 bad input or usage (message on stderr).

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::config::Config;
use crate::demo;
use crate::proxy::{Proxy, server};
use crate::redact::packs::{self, PackSource};
use crate::redact::{HashKey, Redactor, selftest};
use crate::scan::{self, Format, Sink};

/// Environment variable holding the tag hash key, as hex.
pub const HASH_KEY_ENV: &str = "VEILGATE_HASH_KEY";

#[derive(Debug, Parser)]
#[command(
    name = "veilgate",
    version,
    about = "Redacts personal data and secrets from what support agents see."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Redact files (or standard input) to standard output.
    Scan(ScanArgs),
    /// Work with pattern packs.
    Patterns {
        #[command(subcommand)]
        command: PatternsCommand,
    },
    /// Run the redacting reverse proxy in front of a support tool.
    Serve(ServeArgs),
    /// Start a demo helpdesk full of fake customer data with veilgate in
    /// front of it, and print the URLs to compare.
    Demo(DemoArgs),
    /// Work with configuration files.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Validate a configuration file; errors name the key.
    Check { file: PathBuf },
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The configuration file (see examples/).
    #[arg(long, value_name = "FILE", conflicts_with = "upstream")]
    config: Option<PathBuf>,
    /// Quick start: the tool's base URL, every other setting defaulted.
    #[arg(long, value_name = "URL", required_unless_present = "config")]
    upstream: Option<String>,
    /// With --upstream: the agent listener address (default 127.0.0.1:8080).
    #[arg(long, value_name = "ADDR", requires = "upstream")]
    listen: Option<SocketAddr>,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Where veilgate listens for agents.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Where the demo helpdesk listens (port 0 picks a free one).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8081")]
    helpdesk: SocketAddr,
}

#[derive(Debug, Subcommand)]
enum PatternsCommand {
    /// Validate packs and run every rule's examples.
    Test {
        /// A directory of packs; a pack named like a default one replaces it.
        dir: Option<PathBuf>,
        #[arg(long)]
        no_default_patterns: bool,
    },
}

#[derive(Debug, Args)]
struct PatternArgs {
    /// A directory of `*.toml` packs; a pack named like a default one
    /// replaces it, the others are added.
    #[arg(long, value_name = "DIR")]
    patterns: Option<PathBuf>,
    /// Use only the packs from `--patterns`.
    #[arg(long)]
    no_default_patterns: bool,
    /// A file holding the key (at least 16 bytes) for `[email:3f9a1c]` tags;
    /// also read as hex from VEILGATE_HASH_KEY. Without a key, no tags.
    #[arg(long, value_name = "FILE")]
    hash_key_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ScanArgs {
    #[command(flatten)]
    patterns: PatternArgs,
    #[arg(long, value_enum, default_value = "auto")]
    format: Format,
    /// Print one JSON line per finding (rule, class, action, byte span)
    /// instead of the redacted text. Values are never printed.
    #[arg(long)]
    explain: bool,
    /// Files to redact; none or `-` reads standard input.
    files: Vec<PathBuf>,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Patterns {
            command:
                PatternsCommand::Test {
                    dir,
                    no_default_patterns,
                },
        } => run_patterns_test(dir, no_default_patterns),
        Command::Serve(args) => run_serve(args),
        Command::Demo(args) => run_demo(args),
        Command::Config {
            command: ConfigCommand::Check { file },
        } => Config::load(&file)
            .map(|_| {
                println!("{}: ok", file.display());
                ExitCode::SUCCESS
            })
            .map_err(|e| format!("{}: {e}", file.display())),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("veilgate: {message}");
            ExitCode::from(2)
        }
    }
}

fn load_redactor(args: &PatternArgs) -> Result<Arc<Redactor>, String> {
    let rules = packs::load(&PackSource {
        dir: args.patterns.as_deref(),
        no_defaults: args.no_default_patterns,
    })
    .map_err(|e| e.to_string())?;
    let key = hash_key(args.hash_key_file.as_deref())?;
    Ok(Arc::new(Redactor::new(rules, key)?))
}

fn hash_key(file: Option<&std::path::Path>) -> Result<Option<HashKey>, String> {
    let bytes = match file {
        Some(path) => {
            let mut bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
            while bytes.last().is_some_and(u8::is_ascii_whitespace) {
                bytes.pop();
            }
            bytes
        }
        None => match std::env::var(HASH_KEY_ENV) {
            Ok(hex) => {
                decode_hex(hex.trim()).ok_or_else(|| format!("{HASH_KEY_ENV} is not hex"))?
            }
            Err(_) => return Ok(None),
        },
    };
    HashKey::new(bytes).map(Some).map_err(str::to_string)
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn run_scan(args: ScanArgs) -> Result<ExitCode, String> {
    let redactor = load_redactor(&args.patterns)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut sink = Sink {
        out: &mut out,
        explain: args.explain,
    };
    let stdin_only = [PathBuf::from("-")];
    let files = if args.files.is_empty() {
        &stdin_only[..]
    } else {
        &args.files[..]
    };
    for path in files {
        let result = if path.as_os_str() == "-" {
            scan::scan(
                &redactor,
                "-",
                &mut io::stdin().lock(),
                args.format,
                &mut sink,
            )
        } else {
            let name = path.display().to_string();
            match std::fs::File::open(path) {
                Ok(mut file) => scan::scan(&redactor, &name, &mut file, args.format, &mut sink),
                Err(e) => Err(scan::ScanError::Read { name, source: e }),
            }
        };
        if let Err(e) = result {
            let _ = sink.out.flush();
            return Err(e.to_string());
        }
    }
    sink.out
        .flush()
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(ExitCode::SUCCESS)
}

fn run_serve(args: ServeArgs) -> Result<ExitCode, String> {
    let config = match (&args.config, &args.upstream) {
        (Some(file), _) => Config::load(file).map_err(|e| format!("{}: {e}", file.display()))?,
        (None, Some(url)) => Config::for_upstream(url, args.listen).map_err(|e| e.to_string())?,
        (None, None) => return Err("give --config FILE or --upstream URL".into()),
    };
    init_logging();
    let redactor = redactor_for(&config)?;
    runtime()?.block_on(async move {
        let upstream_url = config.upstream.url.clone();
        run_proxy(config, redactor, |agent_url| {
            format!("veilgate: agents connect to {agent_url}, forwarding to {upstream_url}")
        })
        .await
    })
}

fn run_demo(args: DemoArgs) -> Result<ExitCode, String> {
    init_logging();
    runtime()?.block_on(async move {
        let helpdesk = demo::helpdesk::start(args.helpdesk)
            .await
            .map_err(|e| format!("--helpdesk: cannot listen on {}: {e}", args.helpdesk))?;
        let helpdesk_url = format!("http://{helpdesk}");
        let config =
            Config::for_upstream(&helpdesk_url, Some(args.listen)).map_err(|e| e.to_string())?;
        let redactor = redactor_for(&config)?;
        let seed = demo::helpdesk::Seed::bundled();
        run_proxy(config, redactor, |agent_url| {
            format!(
                "veilgate: agents connect to {agent_url}, forwarding to {helpdesk_url}\n{}",
                demo::banner(&helpdesk_url, agent_url, &seed)
            )
        })
        .await
    })
}

fn redactor_for(config: &Config) -> Result<Arc<Redactor>, String> {
    load_redactor(&PatternArgs {
        patterns: config.redact.patterns.clone(),
        no_default_patterns: config.redact.no_default_patterns,
        hash_key_file: config.redact.hash_key_file.clone(),
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))
}

/// Binds the agent listener, prints `announce(agent_url)` on stdout (the
/// first line tells scripts and tests the bound address) and serves until
/// Ctrl-C.
async fn run_proxy(
    config: Config,
    redactor: Arc<Redactor>,
    announce: impl FnOnce(&str) -> String,
) -> Result<ExitCode, String> {
    let proxy = Arc::new(Proxy::new(config, redactor)?);
    let (listener, tls) = server::bind(&proxy).await?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("listen.agent: {e}"))?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!("{}", announce(&format!("{scheme}://{addr}")));
    let _ = io::Write::flush(&mut io::stdout());
    tokio::select! {
        () = server::run(proxy, listener, tls) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// Logs go to stderr; `RUST_LOG` filters them (default `info`).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&io::stderr()))
        .with_target(false)
        .try_init();
}

fn run_patterns_test(dir: Option<PathBuf>, no_default_patterns: bool) -> Result<ExitCode, String> {
    let redactor = load_redactor(&PatternArgs {
        patterns: dir,
        no_default_patterns,
        hash_key_file: None,
    })?;
    let report = selftest::run(&redactor)?;
    for f in &report.failures {
        println!(
            "FAIL {}: rule `{}`: {}\n     example: {:?}",
            f.file, f.rule, f.problem, f.example
        );
    }
    println!(
        "{} rules, {} examples, {} failed",
        report.rules,
        report.examples,
        report.failures.len()
    );
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
